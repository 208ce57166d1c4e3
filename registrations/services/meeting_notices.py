"""Everybody registered hears when the organizers cancel the whole meeting."""

from events.models import Meeting
from mail.models import OutboxMessage
from mail.services import outbox_messages_create_many
from registrations.models import Registration

TOLD = [
    Registration.Status.PENDING,
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
]


def meeting_cancellation_audience(*, meeting: Meeting):
    """Who hears that the meeting is cancelled: every live registration."""
    return Registration.objects.filter(meeting=meeting, status__in=TOLD).order_by(
        "last_name", "first_name", "pk"
    )


def meeting_cancellation_notices_record(*, meeting: Meeting) -> int:
    """One email per live registration, written in the transaction that cancels the meeting.

    The email carries a CANCEL for the meeting and the sessions the person
    held (``registrations/invitations.py``). Cancelling, restoring and
    cancelling again tells people once per cancellation.
    """
    registrations = list(meeting_cancellation_audience(meeting=meeting))
    stamp = int(meeting.updated_at.timestamp())
    created = outbox_messages_create_many(
        [
            OutboxMessage(
                kind=OutboxMessage.Kind.MEETING_CANCELLED,
                recipient=registration.email,
                meeting=meeting,
                registration=registration,
                dedupe_key=f"registration:{registration.pk}:meeting-cancelled:{stamp}",
            )
            for registration in registrations
        ]
    )
    return len(created)
