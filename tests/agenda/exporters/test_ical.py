"""The pure iCalendar builders in agenda/ical.py."""

import datetime as dt
import zoneinfo
from random import Random

import icalendar
import pytest
import vobject

from agenda import ical
from agenda.export_rows import export_session, export_sessions
from agenda.models import Session
from agenda.selectors import sessions_with_details
from tests.agenda.exporters.conftest import parse, uid
from tests.factories import MeetingFactory, SessionFactory

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
pytestmark = pytest.mark.django_db


def loaded(*sessions: Session) -> list[Session]:
    meeting = sessions[0].meeting
    return sessions_with_details(
        Session.objects.filter(pk__in=[s.pk for s in sessions]), meeting=meeting
    )


def test_session_vevent_has_every_field(agenda):
    """The VEVENT carries UID, DTSTAMP, zoned times, SEQUENCE, texts, place, URL, categories."""
    (panel,) = loaded(agenda.panel)

    event = ical.session_vevent(panel)

    url = f"https://testserver.example/meetings/meet/sessions/{panel.pk}/"
    venue = agenda.meeting.venue
    assert str(event["UID"]) == uid(panel)
    assert event.start == agenda.panel.starts_at.astimezone(MADRID)
    assert event["DTSTART"].params["TZID"] == "Europe/Madrid"
    assert event["DTEND"].params["TZID"] == "Europe/Madrid"
    assert event.end == agenda.panel.ends_at
    assert event["SEQUENCE"] == 0
    assert event["SUMMARY"] == "Panel: the map of clusters"
    assert event["DESCRIPTION"] == (
        "What clusters do together.\n\n"
        "With: Ana Echeverría (moderator), Marta Fernández (MetaIndustry4, panelist)\n\n" + url
    )
    assert event["LOCATION"] == (f"Auditorio, {venue.name}, Plaza del Baluarte, Pamplona, Spain")
    assert str(event["URL"]) == url
    assert event.categories == ["Collaboration", "Panel"]
    assert event["STATUS"] == "CONFIRMED"
    assert event["DTSTAMP"].dt == event["LAST-MODIFIED"].dt


def test_session_vevent_stamp_is_the_last_change_so_it_is_stable(agenda):
    """DTSTAMP and LAST-MODIFIED are the newest updated_at of what is shown, not the clock."""
    (keynote,) = loaded(agenda.keynote)
    newest = max(
        keynote.updated_at,
        keynote.room.updated_at,
        keynote.room.venue.updated_at,
        keynote.track.updated_at,
        keynote.speaker_links.get().updated_at,
        agenda.marta.updated_at,
        agenda.marta.organization.updated_at,
        agenda.meeting.updated_at,
    )

    first = ical.session_vevent(keynote).to_ical()
    second = ical.session_vevent(keynote).to_ical()

    assert first == second
    assert ical.session_vevent(keynote)["DTSTAMP"].dt == newest.replace(microsecond=0)


def test_cancelled_session_says_so_in_status_and_title(agenda):
    """A cancelled session stays in feeds with STATUS:CANCELLED so clients remove it."""
    (cancelled,) = loaded(agenda.cancelled)

    event = ical.session_vevent(cancelled)

    assert event["STATUS"] == "CANCELLED"
    assert event["SUMMARY"] == "Cancelled: Clusters and the circular economy"
    assert event["DESCRIPTION"].startswith("This session has been cancelled.\n\n")


def test_feed_is_a_publish_calendar_with_names_refresh_and_timezone(agenda):
    """PRODID, VERSION, METHOD:PUBLISH, names, time zone, refresh hints and one VTIMEZONE."""
    sessions = loaded(agenda.keynote, agenda.panel)

    calendar = parse(
        ical.build_feed(sessions=sessions, meeting=agenda.meeting, name="Meeting").to_ical()
    )

    assert calendar["PRODID"] == "-//Intercluster//Intercluster calendars//EN"
    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Meeting"
    assert calendar["NAME"] == "Meeting"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Madrid"
    assert calendar["REFRESH-INTERVAL"].dt == dt.timedelta(hours=1)
    assert calendar["X-PUBLISHED-TTL"] == "PT1H"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Madrid"]
    assert calendar.get_missing_tzids() == set()
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [
        uid(agenda.keynote),
        uid(agenda.panel),
    ]


def test_empty_feed_still_has_a_component(meeting):
    """RFC 5545 wants at least one component: the meeting's VTIMEZONE is always there."""
    calendar = parse(ical.build_feed(sessions=[], meeting=meeting, name="Empty").to_ical())

    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE"]


def test_lines_end_in_crlf_and_fold_at_75_octets(agenda):
    """Every content line ends with CRLF and is at most 75 octets (long ones are folded)."""
    agenda.keynote.abstract = "Ñandú " * 60  # multi-byte characters across the fold
    agenda.keynote.save()
    sessions = loaded(agenda.keynote)

    content = ical.build_feed(sessions=sessions, meeting=agenda.meeting, name="M").to_ical()

    assert content.endswith(b"\r\n")
    lines = content.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)
    for line in lines:
        line.decode("utf-8")  # folding never splits a character
    assert parse(content).walk("VEVENT")[0]["DESCRIPTION"].startswith("Ñandú Ñandú")


@pytest.mark.parametrize(
    ("day", "utc_start", "utc_end"),
    [
        # Last Sunday of March: 02:00 CET jumps to 03:00 CEST, the session lasts one hour.
        (dt.date(2026, 3, 29), dt.datetime(2026, 3, 29, 0, 30), dt.datetime(2026, 3, 29, 1, 30)),
        # Last Sunday of October: 03:00 CEST falls back to 02:00 CET, it lasts three hours.
        (
            dt.date(2026, 10, 25),
            dt.datetime(2026, 10, 24, 23, 30),
            dt.datetime(2026, 10, 25, 2, 30),
        ),
    ],
)
def test_dst_night_session_keeps_its_instants(day, utc_start, utc_end):
    """01:30–03:30 Europe/Madrid on a DST night comes back at the same instants.

    Checked with icalendar and with vobject, which computes the offsets from
    our VTIMEZONE rules rather than from its own zone database.
    """
    meeting = MeetingFactory(starts_on=day - dt.timedelta(days=1), ends_on=day)
    session = SessionFactory(
        meeting=meeting,
        starts_at=dt.datetime.combine(day, dt.time(1, 30), tzinfo=MADRID),
        ends_at=dt.datetime.combine(day, dt.time(3, 30), tzinfo=MADRID),
    )
    content = ical.build_feed(sessions=loaded(session), meeting=meeting, name="DST").to_ical()

    event = parse(content).walk("VEVENT")[0]
    other = vobject.readOne(content.decode()).vevent

    expected = (utc_start.replace(tzinfo=dt.UTC), utc_end.replace(tzinfo=dt.UTC))
    assert (event.start, event.end) == expected
    assert (other.dtstart.value, other.dtend.value) == expected
    assert other.dtstart.value.tzinfo is not None
    assert b"DTSTART;TZID=Europe/Madrid:" + day.strftime("%Y%m%d").encode() + b"T013000" in (
        content
    )


def test_invitation_request_names_organizer_and_attendee_without_rsvp(agenda):
    """A REQUEST: METHOD, ORGANIZER mailto, the participant as ATTENDEE with RSVP=FALSE."""
    sessions = loaded(agenda.workshop)

    calendar = parse(
        ical.build_invitation(
            sessions=sessions,
            meeting=agenda.meeting,
            method="REQUEST",
            attendee_email="ane@example.org",
            attendee_name="Ane Person",
            organizer_email="info@example.org",
        ).to_ical()
    )

    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == uid(agenda.workshop)
    assert str(event["ORGANIZER"]) == "mailto:info@example.org"
    assert event["ORGANIZER"].params["CN"] == agenda.meeting.title
    assert str(event["ATTENDEE"]) == "mailto:ane@example.org"
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"
    assert event["ATTENDEE"].params["CN"] == "Ane Person"
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert "REFRESH-INTERVAL" not in calendar


def test_invitation_cancel_keeps_uid_and_raises_sequence(agenda):
    """A CANCEL: same UID, STATUS:CANCELLED, SEQUENCE above the session's own."""
    agenda.workshop.sequence = 2
    agenda.workshop.save()
    sessions = loaded(agenda.workshop)

    calendar = ical.build_invitation(
        sessions=sessions,
        meeting=agenda.meeting,
        method="CANCEL",
        attendee_email="ane@example.org",
        attendee_name="Ane Person",
        organizer_email="info@example.org",
        sequence_bumps={agenda.workshop.pk: 1},
    )

    event = parse(calendar.to_ical()).walk("VEVENT")[0]
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["UID"]) == uid(agenda.workshop)
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 3


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_calendar_mime_method_matches_the_calendar(agenda, method):
    """The MIME type's method parameter always equals METHOD inside (RFC 6047)."""
    calendar = ical.build_invitation(
        sessions=loaded(agenda.workshop),
        meeting=agenda.meeting,
        method=method,
        attendee_email="ane@example.org",
        attendee_name="Ane",
        organizer_email="info@example.org",
    )

    content, content_type = ical.calendar_mime(calendar)

    assert content_type == f"text/calendar; method={method}"
    assert f"METHOD:{method}\r\n".encode() in content


def test_invitation_refuses_other_methods(agenda):
    """Only REQUEST and CANCEL make sense in an email to one attendee."""
    with pytest.raises(ValueError, match="not 'PUBLISH'"):
        ical.build_invitation(
            sessions=[],
            meeting=agenda.meeting,
            method="PUBLISH",
            attendee_email="a@example.org",
            attendee_name="A",
            organizer_email="o@example.org",
        )


def test_feed_rows_equal_the_rows_of_loaded_sessions(agenda):
    """The feeds' two-query rows (export_sessions) hold exactly what a loaded session gives
    (export_session, used by emails and links), stamps included: so every path builds
    the same VEVENT bytes. Covers no room (the meeting's venue), no track, an organization
    changed last."""
    meeting = agenda.meeting
    roomless = SessionFactory(
        meeting=meeting,
        title="Lunch\u202e in the square",
        kind=Session.Kind.SOCIAL,
        track=None,
        room=None,
        starts_at=agenda.panel.starts_at,
        ends_at=agenda.panel.ends_at,
    )
    agenda.marta.organization.save()  # the newest stamp of the keynote and the panel
    sessions = Session.objects.filter(meeting=meeting).exclude(status=Session.Status.DRAFT)

    rows = export_sessions(sessions, meeting=meeting)

    expected = [export_session(s) for s in sessions_with_details(sessions, meeting=meeting)]
    assert rows == expected
    assert {row.pk for row in rows} == {
        agenda.keynote.pk,
        agenda.workshop.pk,
        agenda.panel.pk,
        roomless.pk,
        agenda.cancelled.pk,
    }
    assert rows[0].last_modified == agenda.marta.organization.updated_at.replace(microsecond=0)
    assert [ical.session_vevent(row).to_ical() for row in rows] == [
        ical.session_vevent(session).to_ical()
        for session in sessions_with_details(sessions, meeting=meeting)
    ]


def test_calendar_bytes_are_icalendars_own_bytes():
    """calendar_bytes folds lines itself (fast) and gives exactly what to_ical gives: lines
    of at most 74 octets, multi-byte characters never cut, a backslash or caret escape
    never split, on ASCII, accented, CJK and 4-byte text of every length."""
    random = Random(14)
    alphabet = 'ab c\\^;,:"é€ñ😀漢\t\n'
    calendar = icalendar.Calendar()
    for index in range(300):
        event = icalendar.Event()
        event.add("uid", f"{index}@example.org")
        text = "".join(random.choice(alphabet) for _ in range(random.randint(60, 300)))
        event.add("summary", text.replace("\n", " "))
        event.add("description", text)
        event.add("location", "\\" * index)
        calendar.add_component(event)

    assert ical.calendar_bytes(calendar) == calendar.to_ical()
