"""Writes about meetings that carry a rule."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from events.models import Meeting, MeetingOrganizer

MEETING_EDITABLE_FIELDS = {
    "title",
    "description",
    "starts_on",
    "ends_on",
    "timezone",
    "language",
    "venue",
    "status",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "requires_approval",
    "hold_unconfirmed_seats",
    "contact_email",
}


# Changing these moves the frame the agenda must fit in.
FRAME_FIELDS = ("starts_on", "ends_on", "timezone", "venue")


class MeetingError(DomainError):
    """A meeting change that the rules refuse; the message is for people."""


def meeting_check_capacity(*, meeting: Meeting) -> None:
    """A capacity below the people already confirmed would overbook the meeting."""
    if meeting.pk is None or meeting.capacity is None:
        return
    confirmed = meeting.registrations.filter(status="confirmed").count()
    if confirmed > meeting.capacity:
        raise MeetingError(
            _(
                "%(confirmed)s people are confirmed: the capacity cannot be %(capacity)s. "
                "Cancel registrations first, or keep more places."
            )
            % {"confirmed": confirmed, "capacity": meeting.capacity}
        )


def meeting_check_frame(*, meeting: Meeting) -> None:
    """The (unsaved) new days, zone and venue still hold every scheduled session."""
    # Imported here: the agenda builds on events, not the other way round.
    from agenda.services import AgendaError, sessions_fit_meeting

    if meeting.pk is None:
        return
    meeting.__dict__.pop("tzinfo", None)  # a cached_property: the zone may have changed
    try:
        sessions_fit_meeting(meeting=meeting)
    except AgendaError as exc:
        raise MeetingError(str(exc)) from exc


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """Change a meeting's fields; refuses unknown fields and invalid combinations."""
    unknown = set(data) - MEETING_EDITABLE_FIELDS
    if unknown:
        raise MeetingError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    # Locked: agenda writes lock this row first too, so nothing moves in between.
    previous_capacity, previous_status = (
        Meeting.objects.select_for_update()
        .filter(pk=meeting.pk)
        .values_list("capacity", "status")[0]
    )
    for field, value in data.items():
        setattr(meeting, field, value)
    meeting.full_clean()
    if set(data) & set(FRAME_FIELDS):
        meeting_check_frame(meeting=meeting)
    if "capacity" in data:
        meeting_check_capacity(meeting=meeting)
    meeting.save()
    meeting_capacity_changed(meeting=meeting, previous=previous_capacity)
    meeting_status_changed(meeting=meeting, previous=previous_status)
    return meeting


def meeting_status_changed(*, meeting: Meeting, previous: str) -> None:
    """Inside the transaction that changed the status: a cancelled meeting tells everyone
    registered (outbox rows in this same transaction)."""
    if meeting.status == Meeting.Status.CANCELLED and previous != Meeting.Status.CANCELLED:
        # Imported here: registrations builds on events, not the other way round.
        from registrations.services.meeting_notices import meeting_cancellation_notices_record

        meeting_cancellation_notices_record(meeting=meeting)


def meeting_capacity_changed(*, meeting: Meeting, previous: int | None) -> None:
    """After a change of the meeting's capacity: seats it added go to the waitlist.

    Promotion takes the registrations' capacity lock in a transaction of its
    own, so it runs right after this one commits. If it cannot (busy), the
    next cancellation or registration fills those seats first anyway.
    """
    if previous is None or (meeting.capacity is not None and meeting.capacity <= previous):
        return

    def promote() -> None:
        # Imported here: registrations builds on events, not the other way round.
        from registrations.services import waitlist_promote_all

        waitlist_promote_all(meeting=meeting)

    transaction.on_commit(promote, robust=True)


@transaction.atomic
def meeting_add_organizer(
    *, meeting: Meeting, user, role: str = MeetingOrganizer.Role.ORGANIZER
) -> MeetingOrganizer:
    link, _created = MeetingOrganizer.objects.update_or_create(
        meeting=meeting, user=user, defaults={"role": role}
    )
    return link
