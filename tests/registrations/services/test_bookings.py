"""registrations/services/bookings.py: session choices, session seats and their waitlists."""

import datetime as dt

import pytest
from django.utils import timezone

from mail.models import OutboxMessage
from registrations.models import Registration, SessionBooking
from registrations.services import (
    RegistrationError,
    registration_bookings_update,
    registration_cancel,
)
from tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SessionBookingFactory,
    SessionFactory,
    at,
)
from tests.registrations.services.conftest import kinds, register, waitlisted

pytestmark = pytest.mark.django_db

Status = Registration.Status
Booking = SessionBooking.Status


# --- registration_create ------------------------------------------------------


def test_create_refuses_sessions_of_another_meeting_and_unconfirmed_ones():
    meeting = MeetingFactory()
    other = SessionFactory()
    draft = SessionFactory(meeting=meeting, status="draft")

    with pytest.raises(RegistrationError) as excinfo:
        register(meeting, session_ids=[other.pk, draft.pk])

    assert excinfo.value.field == "sessions"
    assert str(excinfo.value) == (
        f"These sessions cannot be chosen at this meeting: {min(other.pk, draft.pk)}, "
        f"{max(other.pk, draft.pk)}."
    )
    assert Registration.objects.count() == 0


def test_create_refuses_overlapping_choices_naming_both_sessions():
    meeting = MeetingFactory()
    first = SessionFactory(meeting=meeting, title="Workshop A")
    second = SessionFactory(
        meeting=meeting,
        title="Workshop B",
        starts_at=at(meeting, 0, "10:30"),
        ends_at=at(meeting, 0, "11:30"),
    )

    with pytest.raises(RegistrationError) as excinfo:
        register(meeting, session_ids=[second.pk, first.pk])

    assert str(excinfo.value) == (
        "“Workshop A” and “Workshop B” take place at the same time: choose one of them."
    )
    assert Registration.objects.count() == 0


def test_back_to_back_sessions_do_not_overlap():
    meeting = MeetingFactory()
    first = SessionFactory(meeting=meeting)
    second = SessionFactory(
        meeting=meeting, starts_at=at(meeting, 0, "11:00"), ends_at=at(meeting, 0, "12:00")
    )

    registration = register(meeting, session_ids=[first.pk, second.pk])

    assert registration.bookings.count() == 2


def test_create_books_seats_and_waitlists_a_full_session():
    meeting = MeetingFactory()
    workshop = SessionFactory(meeting=meeting, requires_booking=True, capacity=1)
    keynote = SessionFactory(
        meeting=meeting, starts_at=at(meeting, 0, "09:00"), ends_at=at(meeting, 0, "10:00")
    )
    register(meeting, "a@example.org", session_ids=[workshop.pk])

    second = register(meeting, "b@example.org", session_ids=[workshop.pk, keynote.pk])

    statuses = dict(second.bookings.values_list("session_id", "status"))
    assert statuses == {workshop.pk: Booking.WAITLISTED, keynote.pk: Booking.BOOKED}
    assert second.bookings.get(session=workshop).waitlisted_at is not None


def test_session_capacity_falls_back_to_the_room():
    meeting = MeetingFactory()
    workshop = SessionFactory(meeting=meeting, requires_booking=True, capacity=None)
    workshop.room.capacity = 1
    workshop.room.save()
    register(meeting, "a@example.org", session_ids=[workshop.pk])

    second = register(meeting, "b@example.org", session_ids=[workshop.pk])

    assert second.bookings.get().status == Booking.WAITLISTED


def test_waitlisted_registration_only_requests_seat_limited_sessions():
    meeting = MeetingFactory(capacity=0)
    workshop = SessionFactory(meeting=meeting, requires_booking=True, capacity=5)
    talk = SessionFactory(
        meeting=meeting, starts_at=at(meeting, 1, "10:00"), ends_at=at(meeting, 1, "11:00")
    )

    registration = register(meeting, session_ids=[workshop.pk, talk.pk])

    statuses = dict(registration.bookings.values_list("session_id", "status"))
    assert statuses == {workshop.pk: Booking.REQUESTED, talk.pk: Booking.BOOKED}


# --- registration_cancel and promotion -----------------------------------------


def test_promoted_registration_gets_its_requested_seats_in_order():
    meeting = MeetingFactory(capacity=1)
    workshop = SessionFactory(meeting=meeting, requires_booking=True, capacity=1)
    holder = RegistrationFactory(meeting=meeting)
    waiting = waitlisted(meeting, minutes_ago=5)
    SessionBookingFactory(registration=waiting, session=workshop, status=Booking.REQUESTED)

    registration_cancel(registration=holder)

    assert waiting.bookings.get().status == Booking.BOOKED


def test_cancel_frees_session_seats_for_the_session_waitlist():
    meeting = MeetingFactory()
    workshop = SessionFactory(meeting=meeting, requires_booking=True, capacity=1)
    holder = SessionBookingFactory(session=workshop, registration__meeting=meeting)
    later = SessionBookingFactory(
        session=workshop,
        registration__meeting=meeting,
        status=Booking.WAITLISTED,
        waitlisted_at=timezone.now(),
    )
    earliest = SessionBookingFactory(
        session=workshop,
        registration__meeting=meeting,
        status=Booking.WAITLISTED,
        waitlisted_at=timezone.now() - dt.timedelta(minutes=3),
    )

    registration_cancel(registration=holder.registration)

    holder.refresh_from_db()
    earliest.refresh_from_db()
    later.refresh_from_db()
    assert [holder.status, earliest.status, later.status] == [
        Booking.CANCELLED,
        Booking.BOOKED,
        Booking.WAITLISTED,
    ]
    promoted = OutboxMessage.objects.get(kind="booking_promoted")
    assert (promoted.registration, promoted.session) == (earliest.registration, workshop)
    assert promoted.dedupe_key.startswith(f"booking:{earliest.pk}:promoted:")


def test_session_waitlist_skips_people_whose_registration_is_not_confirmed():
    meeting = MeetingFactory()
    workshop = SessionFactory(meeting=meeting, requires_booking=True, capacity=1)
    holder = SessionBookingFactory(session=workshop, registration__meeting=meeting)
    SessionBookingFactory(
        session=workshop,
        registration=waitlisted(meeting, minutes_ago=9),
        status=Booking.WAITLISTED,
        waitlisted_at=timezone.now() - dt.timedelta(minutes=9),
    )
    confirmed = SessionBookingFactory(
        session=workshop,
        registration__meeting=meeting,
        status=Booking.WAITLISTED,
        waitlisted_at=timezone.now(),
    )

    registration_bookings_update(registration=holder.registration, session_ids=[])

    confirmed.refresh_from_db()
    assert confirmed.status == Booking.BOOKED


# --- registration_bookings_update ------------------------------------------------


def test_bookings_update_adds_keeps_and_drops_choices():
    meeting = MeetingFactory()
    kept = SessionFactory(meeting=meeting, requires_booking=True, capacity=5)
    dropped = SessionFactory(
        meeting=meeting,
        requires_booking=True,
        capacity=5,
        starts_at=at(meeting, 0, "12:00"),
        ends_at=at(meeting, 0, "13:00"),
    )
    added = SessionFactory(
        meeting=meeting,
        requires_booking=True,
        capacity=5,
        starts_at=at(meeting, 1, "12:00"),
        ends_at=at(meeting, 1, "13:00"),
    )
    registration = RegistrationFactory(meeting=meeting)
    kept_booking = SessionBookingFactory(registration=registration, session=kept)
    SessionBookingFactory(registration=registration, session=dropped)

    registration_bookings_update(registration=registration, session_ids=[kept.pk, added.pk])

    statuses = dict(registration.bookings.values_list("session_id", "status"))
    assert statuses == {
        kept.pk: Booking.BOOKED,
        dropped.pk: Booking.CANCELLED,
        added.pk: Booking.BOOKED,
    }
    kept_booking.refresh_from_db()
    assert kept_booking.updated_at < registration.bookings.get(session=added).updated_at
    assert sorted(kinds()) == ["booking_cancelled", "booking_confirmed"]


def test_bookings_update_takes_back_a_dropped_choice():
    meeting = MeetingFactory()
    session = SessionFactory(meeting=meeting, requires_booking=True, capacity=5)
    registration = RegistrationFactory(meeting=meeting)
    registration_bookings_update(registration=registration, session_ids=[session.pk])
    registration_bookings_update(registration=registration, session_ids=[])

    registration_bookings_update(registration=registration, session_ids=[session.pk])

    assert registration.bookings.get().status == Booking.BOOKED
    assert kinds() == ["booking_confirmed", "booking_cancelled", "booking_confirmed"]


def test_bookings_update_waitlists_a_full_session_and_says_so_by_email():
    meeting = MeetingFactory()
    workshop = SessionFactory(meeting=meeting, requires_booking=True, capacity=1)
    SessionBookingFactory(session=workshop, registration__meeting=meeting)
    registration = RegistrationFactory(meeting=meeting)

    registration_bookings_update(registration=registration, session_ids=[workshop.pk])

    assert registration.bookings.get().status == Booking.WAITLISTED
    assert kinds() == ["booking_waitlisted"]


def test_bookings_update_refuses_overlaps_and_changes_nothing():
    meeting = MeetingFactory()
    first = SessionFactory(meeting=meeting, title="One")
    second = SessionFactory(meeting=meeting, title="Two")
    registration = RegistrationFactory(meeting=meeting)
    SessionBookingFactory(registration=registration, session=first)

    with pytest.raises(RegistrationError, match="“One” and “Two” take place at the same time"):
        registration_bookings_update(registration=registration, session_ids=[first.pk, second.pk])

    assert list(registration.bookings.values_list("session_id", "status")) == [
        (first.pk, Booking.BOOKED)
    ]


def test_bookings_update_refuses_a_cancelled_registration():
    registration = RegistrationFactory(status=Status.CANCELLED)

    with pytest.raises(RegistrationError, match="This registration is cancelled"):
        registration_bookings_update(registration=registration, session_ids=[])


# --- free seats while people wait (the capacity was raised) --------------------------


def test_session_newcomer_does_not_jump_the_session_queue():
    meeting = MeetingFactory()
    workshop = SessionFactory(meeting=meeting, requires_booking=True, capacity=1)
    SessionBookingFactory(session=workshop, registration__meeting=meeting)
    queued = SessionBookingFactory(
        session=workshop,
        registration__meeting=meeting,
        status=Booking.WAITLISTED,
        waitlisted_at=timezone.now(),
    )
    workshop.capacity = 2
    workshop.save()

    newcomer = register(meeting, session_ids=[workshop.pk])

    queued.refresh_from_db()
    assert queued.status == Booking.BOOKED
    assert newcomer.bookings.get().status == Booking.WAITLISTED
