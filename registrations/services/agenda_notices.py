"""Attendees hear about changes to the sessions they hold: one email per few minutes.

The ``agenda.signals.session_changed`` receiver (``registrations/receivers.py``)
calls ``session_change_notices_record`` inside the transaction of every published
session change (moved, cancelled, restored). Each confirmed registration holding the session gets an
``agenda_update`` outbox row that waits ``AGENDA_NOTICE_DELAY_SECONDS``;
further changes within that window join the same row, so ten edits send one
email. The email is built when it is sent, from the sessions as they are then,
and carries the iTIP REQUEST/CANCEL (``registrations/invitations.py``).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from agenda.models import Session
from events.models import Meeting
from mail.models import OutboxMessage
from mail.services import outbox_messages_create_many
from registrations.models import Registration, SessionBooking

NOTIFIED_CHANGES = {"moved", "cancelled", "restored"}


def session_change_audience(*, session: Session):
    """Who hears of a change to the session: confirmed people holding a seat in it (or, for a
    session without booking, who chose it); nobody while the meeting is not published.
    The organizer's confirmation counts the same."""
    if session.meeting.status != Meeting.Status.PUBLISHED:
        return Registration.objects.none()
    return Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        bookings__session=session,
        bookings__status=SessionBooking.Status.BOOKED,
    ).order_by("last_name", "first_name", "pk")


def session_change_notices_record(*, session: Session, change: str) -> int:
    """Add the session to each holder's pending notice, or start one. Returns the holders.

    A constant number of queries whatever the number of attendees.
    """
    if change not in NOTIFIED_CHANGES:
        return 0
    holders = list(session_change_audience(session=session))
    if not holders:
        return 0
    now = timezone.now()
    delay = settings.AGENDA_NOTICE_DELAY_SECONDS
    # A notice still waiting to go out takes the change; one being sent right
    # now (locked) or already sent does not, and a new one starts.
    open_notices = {
        notice.registration_id: notice
        for notice in OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            kind=OutboxMessage.Kind.AGENDA_UPDATE,
            status=OutboxMessage.Status.PENDING,
            attempts=0,
            registration__in=holders,
            send_after__gt=now,
        )
        .order_by("pk")
    }
    joined, started = [], []
    for registration in holders:
        notice = open_notices.get(registration.pk)
        if notice is not None:
            ids = notice.payload.setdefault("session_ids", [])
            if session.pk not in ids:
                ids.append(session.pk)
                notice.updated_at = now  # bulk_update does not touch auto_now fields
                joined.append(notice)
            continue
        started.append(
            OutboxMessage(
                kind=OutboxMessage.Kind.AGENDA_UPDATE,
                recipient=registration.email,
                meeting_id=session.meeting_id,
                registration=registration,
                payload={"session_ids": [session.pk]},
                dedupe_key=f"agenda-update:{registration.pk}:{uuid.uuid4().hex}",
                send_after=now + timedelta(seconds=delay) if delay else None,
            )
        )
    OutboxMessage.objects.bulk_update(joined, ["payload", "updated_at"])
    outbox_messages_create_many(started, countdown=delay + 1 if delay else None)
    return len(holders)
