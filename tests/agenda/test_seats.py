"""Seats left in sessions that need booking, and cancelled sessions, on the public pages.

The agenda's cards, the session page and the registration form say the same words
from one annotation (agenda.seats.with_seats_left, counted by registrations.seats).
"""

import datetime as dt

import pytest
from django.utils import timezone

from agenda.models import Session
from agenda.seats import with_seats_left
from events.models import Meeting
from registrations.models import Registration, SessionBooking
from tests.factories import (
    RoomFactory,
    SessionBookingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    at,
)

pytestmark = pytest.mark.django_db

FULL = "Full – join the waitlist"


def book(session, status=SessionBooking.Status.BOOKED, **registration):
    """A booking of ``session`` by a new registration (``registration``: its fields)."""
    fields = {f"registration__{name}": value for name, value in registration.items()}
    return SessionBookingFactory(
        session=session, status=status, registration__meeting=session.meeting, **fields
    )


def pages(client, session) -> dict[str, str]:
    meeting = session.meeting
    urls = {
        "agenda": f"/meetings/{meeting.slug}/agenda/",
        "session": f"/meetings/{meeting.slug}/sessions/{session.pk}/",
        "register": f"/meetings/{meeting.slug}/register/",
    }
    return {name: client.get(url).content.decode() for name, url in urls.items()}


def test_seats_left_counts_only_seats_taken(meeting):
    """Booked choices take seats (a held registration's too); waitlisted, requested and
    cancelled ones do not. Room capacity stands in for a session without its own; only
    confirmed sessions that need booking have a number."""
    room = RoomFactory(venue=meeting.venue, capacity=4)
    workshop = SessionFactory(meeting=meeting, title="Workshop", requires_booking=True, capacity=3)
    book(workshop)
    book(workshop, hold_expires_at=timezone.now() + dt.timedelta(minutes=30))
    book(workshop, status=SessionBooking.Status.WAITLISTED)
    requested = book(workshop, status=SessionBooking.Status.REQUESTED)
    Registration.objects.filter(pk=requested.registration_id).update(
        status=Registration.Status.PENDING
    )
    book(workshop, status=SessionBooking.Status.CANCELLED)
    by_room = SessionFactory(meeting=meeting, title="By room", requires_booking=True, room=room)
    book(by_room)
    SessionFactory(meeting=meeting, title="No room", requires_booking=True, room=None)
    SessionFactory(meeting=meeting, title="Open talk", capacity=10)
    SessionFactory(
        meeting=meeting, title="Called off", requires_booking=True, status="cancelled", capacity=9
    )

    found = with_seats_left(Session.objects.filter(meeting=meeting))

    assert {session.title: session.seats_left for session in found} == {
        "Workshop": 1,
        "By room": 3,
        "No room": None,
        "Open talk": None,
        "Called off": None,
    }


@pytest.mark.parametrize(
    ("capacity", "words"), [(3, "1 seat left"), (5, "3 seats left"), (2, FULL), (1, FULL)]
)
def test_agenda_session_and_registration_pages_say_the_same_seats(client, meeting, capacity, words):
    """Two seats taken (and one person waiting, who takes none): the same words everywhere;
    one seat fewer than people holding one still reads full, never a negative number."""
    workshop = SessionFactory(
        meeting=meeting, title="Workshop \u202eX", requires_booking=True, capacity=2
    )
    book(workshop)
    book(workshop)
    book(workshop, status=SessionBooking.Status.WAITLISTED)
    Session.objects.filter(pk=workshop.pk).update(capacity=capacity)

    html = pages(client, workshop)

    for name in ("agenda", "session", "register"):
        assert html[name].count(words) == 1, name
    other = {"1 seat left", "3 seats left", FULL} - {words}
    assert [text for text in other if any(text in page for page in html.values())] == []
    assert f"{capacity} · booking needed" in html["session"]


def test_cancelled_session_offers_nothing_to_book_or_add(client, meeting):
    """Marked cancelled on the agenda and its page, without seats, Register or calendar
    links, and not offered in the registration form."""
    session = SessionFactory(
        meeting=meeting,
        title="Called off workshop",
        requires_booking=True,
        capacity=1,
        status=Session.Status.CANCELLED,
    )

    html = pages(client, session)

    assert 'class="session-card is-cancelled' in html["agenda"]
    assert '<span class="badge cancelled">Cancelled</span>' in html["agenda"]
    assert "This session has been cancelled." in html["session"]
    for text in ("seat left", "seats left", FULL, "booking needed", "/register/"):
        assert text not in html["session"], text
    for text in ("Add to calendar", "Google Calendar", "Outlook.com", ".ics", "webcal"):
        assert text not in html["session"], text
    assert "Called off workshop" not in html["register"]
    assert FULL not in html["agenda"]


def test_seats_are_not_shown_once_the_meeting_is_over(client, meeting):
    workshop = SessionFactory(meeting=meeting, requires_booking=True, capacity=1)
    book(workshop)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_on=yesterday - dt.timedelta(days=1), ends_on=yesterday
    )
    Session.objects.filter(pk=workshop.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2) + dt.timedelta(hours=1),
    )

    html = pages(client, workshop)

    assert FULL not in html["agenda"] + html["session"]
    assert "1 · booking needed" in html["session"]


@pytest.mark.parametrize("count", [1, 3])
def test_seats_cost_no_query_more(client, meeting, django_assert_num_queries, count):
    """Agenda 5, session page 4, registration form 3 queries, for 1 and for 3 workshops."""
    for i in range(count):
        workshop = SessionFactory(
            meeting=meeting,
            requires_booking=True,
            capacity=2,
            starts_at=at(meeting, 0, f"{9 + 2 * i:02d}:00"),
        )
        SessionSpeakerFactory(session=workshop)
        book(workshop, email=f"person{i}@example.org")
    with django_assert_num_queries(5):
        agenda = client.get(f"/meetings/{meeting.slug}/agenda/").content.decode()
    with django_assert_num_queries(4):
        client.get(f"/meetings/{meeting.slug}/sessions/{workshop.pk}/")
    with django_assert_num_queries(3):
        register = client.get(f"/meetings/{meeting.slug}/register/").content.decode()
    assert agenda.count("1 seat left") == count
    assert register.count("1 seat left") == count
