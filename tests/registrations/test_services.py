import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from events.models import Meeting
from mail.models import OutboxMessage
from registrations.consent import CONSENT_TEXT_VERSION
from registrations.models import Registration, SessionBooking
from registrations.selectors import registration_get_by_token
from registrations.services import (
    RegistrationError,
    registration_approve,
    registration_bookings_update,
    registration_cancel,
    registration_create,
    registration_promote,
    registration_reject,
    registration_token_rotate,
    waitlist_promote_all,
)
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    RegistrationFactory,
    SessionBookingFactory,
    SessionFactory,
    at,
)

pytestmark = pytest.mark.django_db

Status = Registration.Status
Booking = SessionBooking.Status


def register(meeting, email="ane@example.org", **extra):
    data = {
        "meeting": meeting,
        "first_name": "Ane",
        "last_name": "Etxeberria",
        "email": email,
        "consent_processing": True,
    }
    data.update(extra)
    return registration_create(**data)


def kinds(**filters):
    return list(OutboxMessage.objects.filter(**filters).values_list("kind", flat=True))


def waitlisted(meeting, minutes_ago, **extra):
    return RegistrationFactory(
        meeting=meeting,
        status=Status.WAITLISTED,
        waitlisted_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        **extra,
    )


# --- registration_create ------------------------------------------------------


def test_create_confirms_while_seats_are_free_and_records_the_consent():
    meeting = MeetingFactory(capacity=2)

    registration = register(meeting, consent_listing=True)

    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert registration.waitlisted_at is None
    assert registration.consent_text_version == CONSENT_TEXT_VERSION
    assert registration.consent_processing_at is not None
    assert registration.consent_listing is True
    assert kinds(registration=registration) == ["registration_confirmed"]
    assert OutboxMessage.objects.get().dedupe_key == f"registration:{registration.pk}:confirmed"


def test_create_waitlists_beyond_capacity_in_arrival_order():
    meeting = MeetingFactory(capacity=1)

    first = register(meeting, "a@example.org")
    second = register(meeting, "b@example.org")
    third = register(meeting, "c@example.org")

    assert [r.status for r in (first, second, third)] == [
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.WAITLISTED,
    ]
    assert second.waitlisted_at <= third.waitlisted_at
    assert kinds(registration=third) == ["registration_waitlisted"]


def test_create_is_pending_when_the_meeting_needs_approval():
    meeting = MeetingFactory(capacity=10, requires_approval=True)

    registration = register(meeting)

    assert registration.status == Status.PENDING
    assert kinds(registration=registration) == ["registration_received"]


def test_create_with_unlimited_capacity_always_confirms():
    meeting = MeetingFactory(capacity=None)
    RegistrationFactory.create_batch(3, meeting=meeting)

    assert register(meeting).status == Status.CONFIRMED


def test_create_normalises_names_and_matches_a_known_organization_by_short_name():
    meeting = MeetingFactory()
    cluster = OrganizationFactory(name="Asociación MetaIndustry4", short_name="MetaIndustry4")
    meeting.organizations.add(cluster)

    registration = register(meeting, first_name="  Ane  María ", organization="metaindustry4")

    assert registration.first_name == "Ane María"
    assert registration.organization == cluster
    assert registration.organization_name == ""


def test_create_keeps_an_unknown_organization_as_typed():
    meeting = MeetingFactory()
    other = OrganizationFactory(name="Not Taking Part")

    registration = register(meeting, organization="Not Taking Part")

    assert registration.organization is None
    assert registration.organization_name == "Not Taking Part"
    assert other.registrations.count() == 0


def test_registering_again_with_the_same_email_in_any_case_only_resends_the_link():
    meeting = MeetingFactory()
    first = register(meeting, "Ane@Example.org")

    again = register(meeting, "ANE@example.ORG", first_name="Someone", last_name="Else")

    assert again.pk == first.pk
    assert Registration.objects.count() == 1
    again.refresh_from_db()
    assert (again.first_name, again.email) == ("Ane", "Ane@example.org")
    assert kinds(registration=first) == ["registration_confirmed", "private_link"]


def test_registering_again_many_times_sends_one_link_per_window():
    """The public form cannot be used to flood somebody's inbox."""
    meeting = MeetingFactory()
    register(meeting)

    for _ in range(5):
        register(meeting)

    assert kinds(kind="private_link") == ["private_link"]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"status": Meeting.Status.CANCELLED}, "This meeting has been cancelled."),
        ({"status": Meeting.Status.DRAFT}, "Registration is not open for this meeting."),
        ({"registration_closes_at": "past"}, "Registration is closed."),
        ({"registration_opens_at": "future"}, "Registration has not opened yet."),
    ],
)
def test_create_is_refused_when_registration_is_not_open(changes, reason):
    meeting = MeetingFactory()
    now = timezone.now()
    if changes.get("registration_closes_at") == "past":
        changes = {"registration_opens_at": now - dt.timedelta(days=2)}
        changes["registration_closes_at"] = now - dt.timedelta(days=1)
    if changes.get("registration_opens_at") == "future":
        changes = {"registration_opens_at": now + dt.timedelta(days=1)}
    Meeting.objects.filter(pk=meeting.pk).update(**changes)
    meeting.refresh_from_db()

    with pytest.raises(RegistrationError) as excinfo:
        register(meeting)

    assert str(excinfo.value) == reason
    assert excinfo.value.field is None
    assert Registration.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_create_is_refused_for_a_past_meeting():
    today = timezone.localdate()
    meeting = MeetingFactory(
        starts_on=today - dt.timedelta(days=10),
        ends_on=today - dt.timedelta(days=9),
        registration_opens_at=None,
        registration_closes_at=None,
    )

    with pytest.raises(RegistrationError, match="This meeting is over."):
        register(meeting)


@pytest.mark.parametrize(
    ("field", "changes", "message"),
    [
        ("consent_processing", {"consent_processing": False}, "We need your consent"),
        ("email", {"email": "not-an-email"}, "Enter a valid email address."),
        ("first_name", {"first_name": "   "}, "This field is required."),
        ("last_name", {"last_name": "x" * 101}, "Use at most 100 characters."),
        ("language", {"language": "fr"}, "Choose a language we write in."),
    ],
)
def test_create_refuses_bad_input_with_the_field_named(field, changes, message):
    meeting = MeetingFactory()

    with pytest.raises(RegistrationError, match=message) as excinfo:
        register(meeting, **changes)

    assert excinfo.value.field == field
    assert Registration.objects.count() == 0


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


def test_cancel_promotes_the_earliest_waiting_person_and_tells_both():
    meeting = MeetingFactory(capacity=1)
    holder = RegistrationFactory(meeting=meeting)
    later = waitlisted(meeting, minutes_ago=1)
    earliest = waitlisted(meeting, minutes_ago=5)

    registration_cancel(registration=holder)

    holder.refresh_from_db()
    earliest.refresh_from_db()
    later.refresh_from_db()
    assert holder.status == Status.CANCELLED
    assert holder.cancelled_at is not None
    assert (earliest.status, earliest.waitlisted_at) == (Status.CONFIRMED, None)
    assert later.status == Status.WAITLISTED
    assert kinds(registration=holder) == ["registration_cancelled"]
    assert kinds(registration=earliest) == ["registration_promoted"]
    assert OutboxMessage.objects.get(registration=holder).payload == {"by_organizer": False}


def test_cancelling_a_waitlisted_registration_promotes_nobody():
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    first = waitlisted(meeting, minutes_ago=5)
    second = waitlisted(meeting, minutes_ago=1)

    registration_cancel(registration=first, by_organizer=True)

    second.refresh_from_db()
    assert second.status == Status.WAITLISTED
    assert OutboxMessage.objects.get(registration=first).payload == {"by_organizer": True}


def test_cancel_twice_changes_nothing_the_second_time():
    registration = RegistrationFactory()
    registration_cancel(registration=registration)

    registration_cancel(registration=registration)

    assert kinds() == ["registration_cancelled"]


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


# --- approval and organizer moves --------------------------------------------


def test_approve_confirms_when_a_seat_is_free():
    meeting = MeetingFactory(requires_approval=True, capacity=5)
    registration = RegistrationFactory(meeting=meeting, status=Status.PENDING)

    registration_approve(registration=registration)

    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert kinds() == ["registration_confirmed"]


def test_approve_waitlists_when_the_meeting_is_full():
    meeting = MeetingFactory(requires_approval=True, capacity=1)
    RegistrationFactory(meeting=meeting)
    registration = RegistrationFactory(meeting=meeting, status=Status.PENDING)

    registration_approve(registration=registration)

    registration.refresh_from_db()
    assert registration.status == Status.WAITLISTED
    assert registration.waitlisted_at is not None
    assert kinds() == ["registration_waitlisted"]


def test_approve_refuses_a_registration_that_is_not_pending():
    registration = RegistrationFactory()

    with pytest.raises(RegistrationError, match="Only registrations waiting for approval"):
        registration_approve(registration=registration)


def test_reject_a_pending_registration_cancels_its_choices():
    meeting = MeetingFactory(requires_approval=True)
    registration = RegistrationFactory(meeting=meeting, status=Status.PENDING)
    booking = SessionBookingFactory(registration=registration)

    registration_reject(registration=registration)

    registration.refresh_from_db()
    booking.refresh_from_db()
    assert (registration.status, booking.status) == (Status.REJECTED, Booking.CANCELLED)
    assert kinds() == ["registration_rejected"]


def test_reject_refuses_a_confirmed_registration():
    with pytest.raises(RegistrationError, match="cancel the others"):
        registration_reject(registration=RegistrationFactory())


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


# --- private link ---------------------------------------------------------------------


def test_token_rotate_kills_the_old_link_and_emails_the_new_one():
    registration = RegistrationFactory()
    old = registration.token

    registration_token_rotate(registration=registration)

    registration.refresh_from_db()
    assert registration.token != old
    assert len(registration.token) >= 43  # 256 bits in URL-safe base64
    with pytest.raises(Http404):
        registration_get_by_token(token=old)
    assert registration_get_by_token(token=registration.token) == registration
    assert kinds() == ["private_link"]


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
