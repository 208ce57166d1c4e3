"""registrations/services/registration.py: register, cancel, approve/reject, the private link."""

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
    registration_cancel,
    registration_reject,
    registration_token_rotate,
)
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    RegistrationFactory,
    SessionBookingFactory,
)
from tests.registrations.services.conftest import kinds, register, waitlisted

pytestmark = pytest.mark.django_db

Status = Registration.Status
Booking = SessionBooking.Status


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
