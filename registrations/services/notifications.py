"""The emails the registration services write into the outbox (inside their transaction)."""

import uuid

from mail.models import OutboxMessage
from mail.services import outbox_message_create
from registrations.models import Registration, SessionBooking

Kind = OutboxMessage.Kind


def notify_registration(
    registration: Registration,
    kind: Kind,
    *,
    key: str | None = None,
    payload: dict | None = None,
    new_key: bool = False,
):
    """An email about the registration as a whole; one per (registration, event) by default.

    ``new_key``: the key cannot exist yet (``outbox_message_create``).
    """
    event = kind.removeprefix("registration_")
    return outbox_message_create(
        kind=kind,
        recipient=registration.email,
        dedupe_key=f"registration:{registration.pk}:{key or event}",
        meeting=registration.meeting,
        registration=registration,
        payload=payload,
        new_key=new_key,
    )


def notify_booking(booking: SessionBooking, kind: Kind, *, payload: dict | None = None):
    """An email about one session booking; each change of the booking is its own email."""
    event = kind.removeprefix("booking_")
    # A booking can be taken, dropped and taken again: the change time tells them apart.
    stamp = int(booking.updated_at.timestamp() * 1_000_000)
    registration = booking.registration
    return outbox_message_create(
        kind=kind,
        recipient=registration.email,
        dedupe_key=f"booking:{booking.pk}:{event}:{stamp}",
        meeting=registration.meeting,
        registration=registration,
        session=booking.session,
        payload=payload,
    )


def notify_private_link(
    registration: Registration, *, key: str | None = None, key_locked: bool = False
):
    """The private link again; ``key`` limits repeats, else every call sends one.

    ``key_locked``: the caller holds the registration's row lock, which every
    writer of its link keys holds (``outbox_message_create``).
    """
    return outbox_message_create(
        kind=Kind.PRIVATE_LINK,
        recipient=registration.email,
        dedupe_key=f"registration:{registration.pk}:link:{key or uuid.uuid4().hex}",
        meeting=registration.meeting,
        registration=registration,
        key_locked=key_locked,
    )
