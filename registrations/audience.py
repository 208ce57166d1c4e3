"""Reads for the organizers' messages: who an audience reaches, and how each message went out.

The workspace (``orga``) and the send service share them, so the preview counts
exactly the people the send will write to.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from agenda.models import Session
from events.models import Meeting
from events.regions import region_sort_key
from mail.models import OutboxMessage
from registrations.models import ParticipantMessage, Registration, SessionBooking


def meeting_regions(*, meeting: Meeting) -> list[str]:
    """The region codes registrations of this meeting give, each once, in the order people read."""
    return sorted(
        Registration.objects.filter(meeting=meeting)
        .exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct(),
        key=region_sort_key,
    )


def audience_registrations(
    *,
    meeting: Meeting,
    statuses: list[str],
    session: Session | None = None,
    region: str = "",
) -> QuerySet[Registration]:
    """The registrations a message to this audience reaches, each once, by name.

    ``session``: only people holding a seat (or their choice) in it, not its waitlist.
    """
    registrations = Registration.objects.filter(meeting=meeting, status__in=statuses)
    if session is not None:
        registrations = registrations.filter(
            Exists(
                SessionBooking.objects.filter(
                    registration=OuterRef("pk"),
                    session=session,
                    status=SessionBooking.Status.BOOKED,
                )
            )
        )
    if region:
        registrations = registrations.filter(region=region)
    return registrations.order_by("last_name", "first_name", "pk")


def _count(status: str) -> Count:
    return Count("outbox_messages", filter=Q(outbox_messages__status=status))


def participant_message_list(*, meeting: Meeting) -> QuerySet[ParticipantMessage]:
    """The meeting's messages, newest first, with their delivery counts, in one query."""
    return (
        ParticipantMessage.objects.filter(meeting=meeting)
        .select_related("created_by", "audience_session")
        .annotate(
            sent_count=_count(OutboxMessage.Status.SENT),
            pending_count=_count(OutboxMessage.Status.PENDING),
            failed_count=_count(OutboxMessage.Status.FAILED),
        )
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class Progress:
    message: ParticipantMessage
    total: int
    sent: int
    pending: int
    failed: int
    deliveries: list[OutboxMessage]

    @property
    def done(self) -> bool:
        return self.pending == 0


def participant_message_progress(*, meeting: Meeting, pk: int) -> Progress:
    """One message of this meeting (Http404 for any other) and each of its emails."""
    message = (
        ParticipantMessage.objects.filter(meeting=meeting, pk=pk)
        .select_related("meeting", "created_by", "audience_session")
        .first()
    )
    if message is None:
        raise Http404("No such message.")
    deliveries = list(
        message.outbox_messages.select_related("registration")
        .order_by("pk")
        .only(
            "participant_message_id",
            "recipient",
            "status",
            "sent_at",
            "last_error",
            "attempts",
            "registration__first_name",
            "registration__last_name",
            "registration__email",
        )
    )
    counts = dict.fromkeys(OutboxMessage.Status.values, 0)
    for delivery in deliveries:
        counts[delivery.status] += 1
    return Progress(
        message=message,
        total=len(deliveries),
        sent=counts[OutboxMessage.Status.SENT],
        pending=counts[OutboxMessage.Status.PENDING],
        failed=counts[OutboxMessage.Status.FAILED],
        deliveries=deliveries,
    )
