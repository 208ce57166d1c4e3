"""The iCalendar feeds: agenda.ics and sessions/<id>.ics.

The personal feed is tested in tests/registrations/test_calendar.py.
"""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.http import http_date

from agenda.models import Session, SessionSpeaker
from events.models import Meeting
from tests.agenda.exporters.conftest import parse, uid, uids
from tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SessionBookingFactory,
    SessionFactory,
    at,
)

pytestmark = pytest.mark.django_db


def agenda_url(meeting, query: str = "") -> str:
    return f"/meetings/{meeting.slug}/agenda.ics" + (f"?{query}" if query else "")


# --- agenda.ics ---------------------------------------------------------------


def test_agenda_feed_lists_confirmed_and_cancelled_never_drafts(client, agenda):
    """All public sessions, cancelled ones with STATUS:CANCELLED; the draft is absent."""
    response = client.get(agenda_url(agenda.meeting))

    assert response.status_code == 200
    calendar = parse(response.content)
    assert uids(calendar) == sorted(
        uid(s) for s in (agenda.keynote, agenda.workshop, agenda.panel, agenda.cancelled)
    )
    status = {str(e["UID"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")}
    assert status[uid(agenda.cancelled)] == "CANCELLED"
    assert status[uid(agenda.keynote)] == "CONFIRMED"
    assert calendar["X-WR-CALNAME"] == agenda.meeting.title
    assert b"Secret draft" not in response.content


def test_agenda_feed_headers(client, agenda):
    """Calendar content type, a file name, public caching, CORS, ETag and Last-Modified."""
    response = client.get(agenda_url(agenda.meeting))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="meet.ics"'
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 42
    changes = [agenda.meeting.updated_at, agenda.meeting.venue.updated_at]
    for session in Session.objects.filter(meeting=agenda.meeting):
        changes += [session.updated_at, session.room.updated_at]
        changes += [session.track.updated_at] if session.track_id else []
    for link in SessionSpeaker.objects.filter(session__meeting=agenda.meeting):
        changes += [link.updated_at, link.speaker.updated_at]
    changes.append(agenda.marta.organization.updated_at)
    assert response["Last-Modified"] == http_date(max(changes).timestamp())


def test_agenda_feed_answers_304_to_its_etag_without_building(
    client, agenda, django_assert_num_queries
):
    """A repeated request with If-None-Match gets 304 from two queries: meeting and fingerprint."""
    etag = client.get(agenda_url(agenda.meeting))["ETag"]

    with django_assert_num_queries(2):
        response = client.get(agenda_url(agenda.meeting), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_agenda_feed_answers_304_to_if_modified_since(client, agenda):
    """Clients that only send If-Modified-Since also get a 304."""
    last_modified = client.get(agenda_url(agenda.meeting))["Last-Modified"]

    response = client.get(agenda_url(agenda.meeting), HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 304


def test_moved_session_changes_etag_and_keeps_uid_with_higher_sequence(client, agenda):
    """After a move the feed is new (200, new ETag); the event keeps its UID, SEQUENCE grows."""
    first = client.get(agenda_url(agenda.meeting))
    agenda.workshop.starts_at = at(agenda.meeting, 1, "15:00")
    agenda.workshop.ends_at = at(agenda.meeting, 1, "16:00")
    agenda.workshop.sequence += 1  # what the agenda service does on a move
    agenda.workshop.save()

    second = client.get(agenda_url(agenda.meeting), HTTP_IF_NONE_MATCH=first["ETag"])

    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    before = {str(e["UID"]): e for e in parse(first.content).walk("VEVENT")}
    after = {str(e["UID"]): e for e in parse(second.content).walk("VEVENT")}
    moved = after[uid(agenda.workshop)]
    assert before[uid(agenda.workshop)]["SEQUENCE"] == 0
    assert moved["SEQUENCE"] == 1
    assert moved.start == at(agenda.meeting, 1, "15:00")
    assert moved["LAST-MODIFIED"].dt == agenda.workshop.updated_at.replace(microsecond=0)


@pytest.mark.parametrize(
    "change",
    [
        "rename_speaker",
        "delete_speaker_link",
        "rename_room",
        "delete_track",
        "rename_meeting",
        "publish_draft",
    ],
)
def test_etag_changes_whenever_the_feed_would(client, agenda, change):
    """Every change that alters the calendar's text changes the ETag, deletions included."""
    etag = client.get(agenda_url(agenda.meeting))["ETag"]
    if change == "rename_speaker":
        agenda.marta.name = "Marta F."
        agenda.marta.save()
    elif change == "delete_speaker_link":
        agenda.panel.speaker_links.get(speaker=agenda.ana).delete()
    elif change == "rename_room":
        agenda.hall.name = "Main hall"
        agenda.hall.save()
    elif change == "delete_track":
        agenda.collab.delete()
    elif change == "rename_meeting":
        agenda.meeting.title = "Renamed"
        agenda.meeting.save()
    elif change == "publish_draft":
        agenda.draft.status = Session.Status.CONFIRMED
        agenda.draft.save()

    response = client.get(agenda_url(agenda.meeting), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("track=collab", ["workshop", "panel"]),
        ("track=industry", ["keynote", "cancelled"]),
        ("track=industry&track=collab", ["keynote", "workshop", "panel", "cancelled"]),
        ("kind=panel", ["panel"]),
        ("kind=keynote&kind=workshop", ["keynote", "workshop"]),
        ("track=collab&kind=panel", ["panel"]),
    ],
)
def test_agenda_filters_give_exactly_the_matching_sessions(client, agenda, query, expected):
    """Values of one filter are alternatives; different filters all apply."""
    response = client.get(agenda_url(agenda.meeting, query))

    assert response.status_code == 200
    assert uids(parse(response.content)) == sorted(uid(getattr(agenda, n)) for n in expected)


def test_agenda_room_filter(client, agenda):
    """?room=<id> keeps the sessions in that room."""
    response = client.get(agenda_url(agenda.meeting, f"room={agenda.small.pk}"))

    assert uids(parse(response.content)) == sorted([uid(agenda.workshop), uid(agenda.cancelled)])


def test_agenda_day_filter_uses_the_meeting_timezone(client, agenda):
    """?day= keeps the sessions starting on that local day, even just after local midnight."""
    late = SessionFactory(
        meeting=agenda.meeting,
        room=agenda.hall,
        starts_at=at(agenda.meeting, 1, "00:30"),  # still the first day in UTC
        ends_at=at(agenda.meeting, 1, "01:00"),
    )

    first = client.get(agenda_url(agenda.meeting, f"day={agenda.day1}"))
    second = client.get(agenda_url(agenda.meeting, f"day={agenda.day2}"))

    assert uids(parse(first.content)) == sorted([uid(agenda.keynote), uid(agenda.workshop)])
    assert uids(parse(second.content)) == sorted(
        [uid(agenda.panel), uid(agenda.cancelled), uid(late)]
    )


def test_filtered_feed_is_named_after_its_filters(client, agenda):
    """X-WR-CALNAME says which part of the agenda a subscription holds."""
    response = client.get(agenda_url(agenda.meeting, "track=collab&kind=panel"))

    assert (
        parse(response.content)["X-WR-CALNAME"] == f"{agenda.meeting.title} — Collaboration, Panel"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("track=nope", "Unknown track: nope. Use a track's slug."),
        ("track=%00", "Unknown track: \x00. Use a track's slug."),
        ("room=abc", "The room filter takes a room's number, e.g. ?room=3."),
        ("room=999999", "Unknown room for this meeting: 999999."),
        (
            "room=99999999999999999999999",
            "Unknown room for this meeting: 99999999999999999999999.",
        ),
        (
            "kind=lecture",
            "Unknown kind: lecture. Known kinds: keynote, talk, panel, good_practice, workshop, "
            "networking, b2b, break, social.",
        ),
        ("day=10-12-2019", "The day filter takes a date like 2019-12-10, not 10-12-2019."),
    ],
)
def test_unknown_filter_values_are_a_clear_400(client, agenda, query, message):
    """A typo in a filter says what is wrong instead of serving an empty calendar."""
    response = client.get(agenda_url(agenda.meeting, query))

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == message


def test_day_outside_the_meeting_is_a_400(client, agenda):
    """A date that is not one of the meeting's days is refused with the meeting's range."""
    outside = agenda.day2 + dt.timedelta(days=1)

    response = client.get(agenda_url(agenda.meeting, f"day={outside}"))

    assert response.status_code == 400
    assert response.content.decode() == (
        f"{outside} is not a day of this meeting ({agenda.day1} to {agenda.day2})."
    )


def test_room_of_another_venue_is_unknown(client, agenda):
    """A room id that exists but has nothing to do with the meeting is refused."""
    other = SessionFactory()

    response = client.get(agenda_url(agenda.meeting, f"room={other.room.pk}"))

    assert response.status_code == 400


def test_public_feeds_carry_no_participant_or_private_data(client, agenda):
    """No attendee names or emails, no speaker emails in any public export."""
    registration = RegistrationFactory(
        meeting=agenda.meeting, first_name="Zuriñe", email="zurine@example.org"
    )
    SessionBookingFactory(registration=registration, session=agenda.workshop)

    for path in ("agenda.ics", f"sessions/{agenda.panel.pk}.ics", "schedule.json", "schedule.xml"):
        content = client.get(f"/meetings/{agenda.meeting.slug}/{path}").content.decode()
        assert "Zuriñe" not in content
        assert "zurine@example.org" not in content
        assert "private.example.org" not in content
        assert registration.token not in content


@pytest.mark.parametrize("status", [Meeting.Status.DRAFT])
def test_draft_meeting_feeds_are_404(client, status):
    """A draft meeting has no public feeds, even with confirmed sessions."""
    session = SessionFactory(meeting=MeetingFactory(slug="hidden", status=status))

    for path in ("agenda.ics", f"sessions/{session.pk}.ics", "schedule.json", "schedule.xml"):
        assert client.get(f"/meetings/hidden/{path}").status_code == 404


def test_unknown_meeting_is_404(client, db):
    """An unknown slug is a 404."""
    assert client.get("/meetings/nope/agenda.ics").status_code == 404


# --- sessions/<id>.ics --------------------------------------------------------


def test_session_file_holds_that_one_session(client, agenda):
    """One VEVENT with the same UID as in the agenda feed, and its own file name."""
    response = client.get(f"/meetings/meet/sessions/{agenda.panel.pk}.ics")

    assert response.status_code == 200
    assert uids(parse(response.content)) == [uid(agenda.panel)]
    assert response["Content-Disposition"] == (
        f'attachment; filename="meet-session-{agenda.panel.pk}.ics"'
    )
    assert response["Access-Control-Allow-Origin"] == "*"


def test_session_file_304(client, agenda):
    """The single-session file also answers 304 to its ETag."""
    url = f"/meetings/meet/sessions/{agenda.panel.pk}.ics"
    etag = client.get(url)["ETag"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_cancelled_session_file_says_cancelled(client, agenda):
    """A cancelled session's file is served with STATUS:CANCELLED."""
    response = client.get(f"/meetings/meet/sessions/{agenda.cancelled.pk}.ics")

    assert parse(response.content).walk("VEVENT")[0]["STATUS"] == "CANCELLED"


def test_session_file_404_for_drafts_and_other_meetings(client, agenda):
    """A draft session, or a session asked for under another meeting's slug, is 404."""
    other = SessionFactory()

    assert client.get(f"/meetings/meet/sessions/{agenda.draft.pk}.ics").status_code == 404
    assert client.get(f"/meetings/meet/sessions/{other.pk}.ics").status_code == 404
    assert client.get("/meetings/meet/sessions/999999.ics").status_code == 404


def test_exports_refuse_writes(client, agenda):
    """Exports are read-only: POST is 405."""
    assert client.post(agenda_url(agenda.meeting)).status_code == 405


def test_head_gives_the_headers_without_building(client, agenda, django_assert_num_queries):
    """HEAD answers with the same ETag as GET, no body, from the two fingerprint queries."""
    etag = client.get(agenda_url(agenda.meeting))["ETag"]

    with django_assert_num_queries(2):
        response = client.head(agenda_url(agenda.meeting))

    assert response.status_code == 200
    assert response["ETag"] == etag
    assert b"".join(response.streaming_content) == b""
    assert "Content-Length" not in response


def test_exports_are_the_same_in_every_language(client, agenda):
    """An export has one URL for every language (no /es/): a Spanish browser, or one that
    chose Spanish, gets the same bytes and ETag, kind labels in English, and no redirect;
    shared caches keep one copy (no Vary on Accept-Language)."""
    english = client.get(agenda_url(agenda.meeting), HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    spanish = client.get(agenda_url(agenda.meeting), HTTP_ACCEPT_LANGUAGE="es")

    assert spanish.status_code == 200
    assert (spanish["ETag"], spanish.content) == (english["ETag"], english.content)
    assert "Vary" not in spanish
    events = parse(spanish.content).walk("VEVENT")
    categories = {str(category) for event in events for category in event["CATEGORIES"].cats}
    assert {"Keynote", "Workshop", "Panel", "Talk"} <= categories


def test_cancelled_meeting_cancels_every_session(client, agenda):
    """When the meeting is cancelled every event says CANCELLED and the schedule is empty."""
    agenda.meeting.status = Meeting.Status.CANCELLED
    agenda.meeting.save()

    calendar = parse(client.get(agenda_url(agenda.meeting)).content)
    schedule = client.get("/meetings/meet/schedule.json").json()

    assert {str(e["STATUS"]) for e in calendar.walk("VEVENT")} == {"CANCELLED"}
    assert len(calendar.walk("VEVENT")) == 4
    days = schedule["schedule"]["conference"]["days"]
    assert [events for day in days for events in day["rooms"].values()] == []


def test_second_download_comes_from_the_cache(client, agenda, django_assert_num_queries):
    """Another client without the ETag gets the same bytes without a rebuild (2 queries)."""
    first = client.get(agenda_url(agenda.meeting))

    with django_assert_num_queries(2):
        second = client.get(agenda_url(agenda.meeting))

    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_reference_meeting_feed_has_every_session_at_its_time(client):
    """The seeded Pamplona 2019 agenda: all 31 sessions, at the stored instants, zones described."""
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())
    expected = {
        f"session-{s.pk}@testserver.example": (s.starts_at, s.ends_at)
        for s in Session.objects.filter(meeting__slug="intercluster-2019")
    }

    calendar = parse(client.get("/meetings/intercluster-2019/agenda.ics").content)

    assert {str(e["UID"]): (e.start, e.end) for e in calendar.walk("VEVENT")} == expected
    assert len(expected) == 31
    assert calendar.get_missing_tzids() == set()
    assert {e["DTSTART"].params["TZID"] for e in calendar.walk("VEVENT")} == {"Europe/Madrid"}
