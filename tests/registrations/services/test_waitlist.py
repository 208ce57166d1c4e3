"""registrations/services/waitlist.py: the meeting's seats and promotion in arrival order."""

import pytest

from events.models import Meeting
from registrations.models import Registration
from registrations.services import RegistrationError, registration_promote, waitlist_promote_all
from tests.factories import MeetingFactory, RegistrationFactory
from tests.registrations.services.conftest import kinds, register, waitlisted

pytestmark = pytest.mark.django_db

Status = Registration.Status


# --- organizer moves: registration_promote, waitlist_promote_all ----------------


def test_organizer_promotes_anyone_waiting_into_a_free_seat():
    meeting = MeetingFactory(capacity=1)
    waitlisted(meeting, minutes_ago=9)
    chosen = waitlisted(meeting, minutes_ago=1)

    registration_promote(registration=chosen)

    chosen.refresh_from_db()
    assert chosen.status == Status.CONFIRMED
    assert kinds() == ["registration_promoted"]


def test_organizer_cannot_promote_into_a_full_meeting():
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    chosen = waitlisted(meeting, minutes_ago=1)

    with pytest.raises(RegistrationError, match="The meeting is full"):
        registration_promote(registration=chosen)

    chosen.refresh_from_db()
    assert chosen.status == Status.WAITLISTED


def test_raising_the_capacity_then_filling_promotes_in_arrival_order():
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    third = waitlisted(meeting, minutes_ago=1)
    first = waitlisted(meeting, minutes_ago=9)
    second = waitlisted(meeting, minutes_ago=5)
    Meeting.objects.filter(pk=meeting.pk).update(capacity=3)

    promoted = waitlist_promote_all(meeting=meeting)

    assert promoted == [first, second]
    third.refresh_from_db()
    assert third.status == Status.WAITLISTED


# --- free seats while people wait (the capacity was raised) --------------------------


def test_newcomer_does_not_jump_the_queue_when_seats_were_added():
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    waiting = waitlisted(meeting, minutes_ago=5)
    Meeting.objects.filter(pk=meeting.pk).update(capacity=2)
    meeting.refresh_from_db()

    newcomer = register(meeting)

    waiting.refresh_from_db()
    assert (waiting.status, newcomer.status) == (Status.CONFIRMED, Status.WAITLISTED)
    assert kinds(registration=waiting) == ["registration_promoted"]


def test_newcomer_gets_a_seat_left_after_the_queue_is_served():
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    waiting = waitlisted(meeting, minutes_ago=5)
    Meeting.objects.filter(pk=meeting.pk).update(capacity=3)
    meeting.refresh_from_db()

    newcomer = register(meeting)

    waiting.refresh_from_db()
    assert (waiting.status, newcomer.status) == (Status.CONFIRMED, Status.CONFIRMED)
