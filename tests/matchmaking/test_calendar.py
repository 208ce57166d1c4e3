"""1:1 meetings in the personal calendar feed /calendar/<feed token>.ics, beside booked sessions:
their own stable UIDs, the same instant in both people's feeds, cancelled ones kept as
CANCELLED, nobody else's meetings, and a fingerprint that follows every change."""

import datetime as dt

import pytest
from django.core.cache import cache
from icalendar import Calendar

from agenda.services import session_update
from matchmaking.services.requests import (
    request_accept,
    request_cancel,
    request_create,
    request_decline,
    request_schedule,
)
from tests.factories import RegistrationFactory, SessionBookingFactory, SessionFactory, at
from tests.matchmaking.b2b import b2b_meeting, b2b_session_add, first_session, person, slots

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://b2b.example"
    settings.SITE_DOMAIN = "b2b.example"
    settings.ALLOWED_HOSTS = ["testserver"]
    cache.clear()  # built feeds are cached by ETag


def feed(client, registration) -> Calendar:
    response = client.get(f"/calendar/{registration.feed_token}.ics")
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(request) -> str:
    return f"b2b-{request.pk}@b2b.example"


def scheduled(meeting, requester, recipient, position: int):
    request = request_create(requester=requester, recipient=recipient)
    return request_accept(request=request, by=recipient, slot_id=slots(meeting)[position].pk)


@pytest.fixture
def agenda():
    """Ana: a booked talk, a meeting with Ben, one with Cai cancelled, one request waiting (Dan)
    and one declined (Eve)."""
    meeting = b2b_meeting()
    ana, ben, cai, dan, eve = (person(meeting) for _ in range(5))
    talk = SessionFactory(meeting=meeting, title="Opening talk")
    SessionBookingFactory(registration=ana, session=talk)
    with_ben = scheduled(meeting, ana, ben, 0)
    with_cai = scheduled(meeting, cai, ana, 1)
    request_cancel(request=with_cai, by=cai)
    waiting = request_create(requester=dan, recipient=ana)
    declined = request_create(requester=ana, recipient=eve)
    request_decline(request=declined, by=eve)
    return meeting, (ana, ben, cai, dan, eve), talk, with_ben, with_cai, waiting


def test_personal_feed_holds_booked_sessions_and_scheduled_meetings_each_with_its_uid(
    client, agenda
):
    meeting, (ana, ben, cai, dan, eve), talk, with_ben, with_cai, waiting = agenda

    found = events(feed(client, ana))

    assert set(found) == {f"session-{talk.pk}@b2b.example", uid(with_ben), uid(with_cai)}
    assert str(found[uid(with_ben)]["STATUS"]) == "CONFIRMED"
    assert str(found[uid(with_cai)]["STATUS"]) == "CANCELLED"
    assert str(found[uid(with_ben)]["SUMMARY"]).startswith(f"1:1 meeting: {ben.full_name}")
    assert str(found[uid(with_ben)]["LOCATION"]).startswith("Table 1, ")
    assert [str(c) for c in found[uid(with_ben)]["CATEGORIES"].cats] == ["B2B"]


def test_both_people_s_feeds_show_the_meeting_at_the_same_instant(client, agenda):
    meeting, (ana, ben, *_rest), _talk, with_ben, *_ = agenda

    for_ana = events(feed(client, ana))[uid(with_ben)]
    for_ben = events(feed(client, ben))[uid(with_ben)]

    assert for_ana.decoded("DTSTART") == for_ben.decoded("DTSTART") == slots(meeting)[0].starts_at
    assert for_ana.decoded("SEQUENCE") == for_ben.decoded("SEQUENCE") == 0
    assert str(for_ana["LOCATION"]) == str(for_ben["LOCATION"])
    assert str(for_ben["SUMMARY"]).startswith(f"1:1 meeting: {ana.full_name}")


def test_a_feed_shows_only_its_person_s_meetings_and_no_address(client, agenda):
    meeting, everybody, _talk, with_ben, with_cai, _waiting = agenda
    ana, ben, cai, dan, eve = everybody
    stranger = RegistrationFactory(meeting=b2b_meeting())

    assert set(events(feed(client, ben))) == {uid(with_ben)}
    assert set(events(feed(client, cai))) == {uid(with_cai)}
    assert events(feed(client, dan)) == {}  # a request waiting is not in a calendar
    assert events(feed(client, eve)) == {}  # nor a declined one
    assert events(feed(client, stranger)) == {}
    body = client.get(f"/calendar/{ana.feed_token}.ics").content.decode()
    for registration in everybody:
        assert registration.email not in body


def test_the_feed_changes_when_a_meeting_is_scheduled_moved_or_cancelled(client):
    meeting = b2b_meeting()
    ana, ben = person(meeting), person(meeting)
    url = f"/calendar/{ana.feed_token}.ics"
    request = request_create(requester=ana, recipient=ben)
    steps = [
        lambda: request_accept(request=request, by=ben, slot_id=slots(meeting)[0].pk),
        lambda: request_schedule(request=request, slot_id=slots(meeting)[2].pk),
        lambda: request_cancel(request=request, by=ben),
    ]
    seen = []
    etag = client.get(url)["ETag"]
    for step in steps:
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
        step()
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        etag = response["ETag"]
        event = events(Calendar.from_ical(response.content))[uid(request)]
        seen.append((event.decoded("SEQUENCE"), str(event["STATUS"]), event.decoded("DTSTART")))

    assert seen == [
        (0, "CONFIRMED", slots(meeting)[0].starts_at),
        (1, "CONFIRMED", slots(meeting)[2].starts_at),
        (2, "CANCELLED", slots(meeting)[2].starts_at),
    ]


def test_the_feed_follows_the_agenda_moving_the_matchmaking_session(client):
    meeting = b2b_meeting()
    ana, ben = person(meeting), person(meeting)
    request = scheduled(meeting, ana, ben, 1)
    url = f"/calendar/{ana.feed_token}.ics"
    etag = client.get(url)["ETag"]
    session = first_session(meeting).session
    hour = dt.timedelta(hours=1)

    session_update(
        session=session,
        data={"starts_at": session.starts_at + hour, "ends_at": session.ends_at + hour},
    )
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    event = events(Calendar.from_ical(response.content))[uid(request)]
    assert event.decoded("DTSTART") == at(meeting, 0, "16:20")
    assert event.decoded("SEQUENCE") == 1


@pytest.mark.parametrize("count", [1, 6])
def test_personal_feed_query_count_does_not_grow_with_meetings(
    client, django_assert_num_queries, count
):
    """registration, bookings, sessions' fingerprint, meetings' fingerprint, sessions,
    speakers, meetings: 7 however many meetings (cancelled ones included)."""
    meeting = b2b_meeting()
    b2b_session_add(meeting, start="17:00")
    every_slot = sorted(
        (slot for b2b in meeting.b2b_sessions.all() for slot in b2b.slots.all()),
        key=lambda slot: slot.starts_at,
    )
    ana = person(meeting)
    SessionBookingFactory(registration=ana, session=SessionFactory(meeting=meeting))
    for position in range(count):
        other = person(meeting)
        request = request_create(requester=other, recipient=ana)
        request_accept(request=request, by=ana, slot_id=every_slot[position].pk)
        if position % 2:
            request_cancel(request=request, by=other)

    with django_assert_num_queries(7):
        response = client.get(f"/calendar/{ana.feed_token}.ics")

    assert response.status_code == 200
    assert response.content.count(b"UID:b2b-") == count
