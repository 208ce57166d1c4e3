"""The one VEVENT of a 1:1 meeting and its invitation (matchmaking/ical.py), read back with
icalendar: the same event for both people, the table and the room in LOCATION, no address but
the viewer's own."""

import datetime as dt

import pytest
from icalendar import Calendar

from events.models import Meeting
from matchmaking.ical import attendee_uri, b2b_invitation, b2b_vevent
from matchmaking.models import MeetingRequest, Table
from matchmaking.selectors import requests_with_details
from matchmaking.services.requests import request_accept, request_cancel, request_create
from tests.factories import RoomFactory
from tests.matchmaking.b2b import b2b_meeting, first_session, person, slots

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://b2b.example"
    settings.SITE_DOMAIN = "b2b.example"


def meeting_of(meeting: Meeting, *, position: int = 1, **names):
    ana = person(meeting, first_name="Ana", last_name="Pérez", email="ana@example.org", **names)
    ben = person(meeting, first_name="Ben", last_name="Ruiz", email="ben@example.org")
    request = request_create(requester=ana, recipient=ben)
    request_accept(request=request, by=ben, slot_id=slots(meeting)[position].pk)
    return ana, ben, loaded(request)


def loaded(request: MeetingRequest) -> MeetingRequest:
    return requests_with_details(MeetingRequest.objects.filter(pk=request.pk)).get()


def read(event) -> Calendar:
    """The event as a client reads it: serialised, then parsed."""
    return Calendar.from_ical(b"BEGIN:VCALENDAR\r\n" + event.to_ical() + b"END:VCALENDAR\r\n").walk(
        "VEVENT"
    )[0]


def test_both_people_see_one_event_naming_the_other():
    meeting = b2b_meeting()
    ana, ben, request = meeting_of(meeting)
    slot = slots(meeting)[1]

    for_ana = read(b2b_vevent(request, viewer=ana))
    for_ben = read(b2b_vevent(request, viewer=ben))

    assert str(for_ana["UID"]) == str(for_ben["UID"]) == f"b2b-{request.pk}@b2b.example"
    for event in (for_ana, for_ben):
        assert event.decoded("DTSTART") == slot.starts_at
        assert event.decoded("DTEND") == slot.ends_at
        assert str(event["DTSTART"].params["TZID"]) == "Europe/Madrid"
        assert event.decoded("DTSTART").strftime("%H:%M") == "15:20"  # Madrid wall time
        assert event.decoded("SEQUENCE") == 0
        assert str(event["STATUS"]) == "CONFIRMED"
        assert [str(c) for c in event["CATEGORIES"].cats] == ["B2B"]
        assert str(event["URL"]) == (
            f"https://b2b.example/meetings/{meeting.slug}/sessions/"
            f"{first_session(meeting).session_id}/"
        )
        text = event.to_ical().decode()
        assert "ana@example.org" not in text and "ben@example.org" not in text
    cluster_of = {ana.pk: ana.organization.name, ben.pk: ben.organization.name}
    assert str(for_ana["SUMMARY"]) == f"1:1 meeting: Ben Ruiz ({cluster_of[ben.pk]})"
    assert str(for_ben["SUMMARY"]) == f"1:1 meeting: Ana Pérez ({cluster_of[ana.pk]})"
    description = str(for_ana["DESCRIPTION"])
    assert "Ana Pérez" in description and "Ben Ruiz" in description
    assert "Table 1, in the matchmaking session “B2B meetings 15:00”" in description


def test_location_is_the_table_then_its_room_else_the_session_s_room_and_the_venue():
    meeting = b2b_meeting()
    ana, _ben, request = meeting_of(meeting)
    session_room = first_session(meeting).session.room
    venue = meeting.venue.full_address

    assert str(read(b2b_vevent(request, viewer=ana))["LOCATION"]) == (
        f"Table 1, {session_room.name}, {venue}"
    )

    side_room = RoomFactory(venue=meeting.venue, name="Sala Amaya")
    Table.objects.filter(pk=request.table_id).update(room=side_room)
    assert str(read(b2b_vevent(loaded(request), viewer=ana))["LOCATION"]) == (
        f"Table 1, Sala Amaya, {venue}"
    )


def test_a_named_table_keeps_its_name_and_a_session_without_room_uses_the_meeting_venue():
    meeting = b2b_meeting(tables=["Mesa Navarra", "Mesa Aragón"])
    session = first_session(meeting).session
    session.room = None
    session.save()
    ana, _ben, request = meeting_of(meeting)

    location = str(read(b2b_vevent(request, viewer=ana))["LOCATION"])

    assert location == f"Mesa Navarra, {meeting.venue.full_address}"


def test_the_event_is_stable_until_something_changes():
    meeting = b2b_meeting()
    ana, ben, request = meeting_of(meeting)

    first = b2b_vevent(request, viewer=ana).to_ical()
    again = b2b_vevent(loaded(request), viewer=ana).to_ical()
    MeetingRequest.objects.filter(pk=request.pk).update(
        updated_at=request.updated_at + dt.timedelta(minutes=5)
    )
    later = read(b2b_vevent(loaded(request), viewer=ana))

    assert first == again
    assert later.decoded("LAST-MODIFIED") == (request.updated_at + dt.timedelta(minutes=5)).replace(
        microsecond=0
    )
    assert later.decoded("DTSTAMP") == later.decoded("LAST-MODIFIED")


def test_a_cancelled_meeting_says_so_everywhere_with_a_higher_sequence():
    meeting = b2b_meeting()
    ana, ben, request = meeting_of(meeting)

    request_cancel(request=request, by=ana)
    event = read(b2b_vevent(loaded(request), viewer=ben))

    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert str(event["SUMMARY"]).startswith("Cancelled: 1:1 meeting: Ana Pérez")
    assert str(event["DESCRIPTION"]).startswith("This 1:1 meeting has been cancelled.")
    assert event.decoded("SEQUENCE") == 1


def test_invitation_is_a_request_then_a_cancel_of_the_same_uid():
    meeting = b2b_meeting()
    ana, ben, request = meeting_of(meeting)

    invitation = b2b_invitation(request, viewer=ana, organizer_email="team@example.org")
    request_cancel(request=request, by=None)
    cancel = b2b_invitation(loaded(request), viewer=ana, organizer_email="team@example.org")

    parsed = [Calendar.from_ical(calendar.to_ical()) for calendar in (invitation, cancel)]
    assert [str(calendar["METHOD"]) for calendar in parsed] == ["REQUEST", "CANCEL"]
    events = [calendar.walk("VEVENT")[0] for calendar in parsed]
    assert {str(event["UID"]) for event in events} == {f"b2b-{request.pk}@b2b.example"}
    assert [event.decoded("SEQUENCE") for event in events] == [0, 1]
    assert [str(event["STATUS"]) for event in events] == ["CONFIRMED", "CANCELLED"]
    assert [calendar.walk("VTIMEZONE")[0]["TZID"] for calendar in parsed] == ["Europe/Madrid"] * 2
    for event in events:
        assert str(event["ORGANIZER"]) == "mailto:team@example.org"
        assert str(event["ORGANIZER"].params["CN"]) == meeting.title


def test_invitation_names_both_people_and_addresses_only_the_viewer():
    meeting = b2b_meeting()
    ana, ben, request = meeting_of(meeting)

    for viewer, other in ((ana, ben), (ben, ana)):
        calendar = b2b_invitation(request, viewer=viewer, organizer_email="team@example.org")
        event = Calendar.from_ical(calendar.to_ical()).walk("VEVENT")[0]
        attendees = {str(a.params["CN"]): a for a in event["ATTENDEE"]}

        assert str(attendees[viewer.full_name]) == f"mailto:{viewer.email}"
        assert str(attendees[other.full_name]) == attendee_uri(other)
        for attendee in attendees.values():
            assert attendee.params["PARTSTAT"] == "ACCEPTED"
            assert attendee.params["RSVP"] == "FALSE"
        assert other.email not in calendar.to_ical().decode()


def test_the_other_person_s_uri_is_stable_per_person_and_reveals_nothing():
    meeting = b2b_meeting()
    ana, ben, _request = meeting_of(meeting)

    assert attendee_uri(ana) == attendee_uri(ana)
    assert attendee_uri(ana) != attendee_uri(ben)
    assert attendee_uri(ana).startswith("urn:uuid:")
    assert ana.email.split("@")[0] not in attendee_uri(ana)


def test_only_meetings_with_a_slot_and_only_their_people():
    meeting = b2b_meeting()
    ana, ben, request = meeting_of(meeting)
    cai = person(meeting)
    waiting = loaded(request_create(requester=cai, recipient=ana))

    with pytest.raises(ValueError, match="slot"):
        b2b_vevent(waiting, viewer=ana)
    with pytest.raises(ValueError, match="two people"):
        b2b_vevent(request, viewer=cai)
