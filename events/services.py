"""Writes about meetings that carry a rule."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Busy, DomainError
from core.locking import busy_as, lock_timeout
from events.models import Meeting, MeetingOrganizer
from events.signals import meeting_cancelled, meeting_capacity_raised, meeting_frame_check

MEETING_EDITABLE_FIELDS = {
    "slug",  # the admin's; the API and the workspace forms do not offer it
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


class MeetingBusy(Busy, MeetingError):
    """Somebody else holds the meeting row right now; nothing was changed, try again."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("We are busy right now: please try again."))


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


def _meeting_check_frame(*, meeting: Meeting) -> None:
    """The (unsaved) new days, zone and venue still hold every scheduled session.

    The agenda answers ``meeting_frame_check`` (raising ``MeetingError``).
    """
    if meeting.pk is None:
        return
    meeting.__dict__.pop("tzinfo", None)  # a cached_property: the zone may have changed
    meeting_frame_check.send(sender=Meeting, meeting=meeting)


def meeting_check(*, meeting: Meeting, changed: Iterable[str]) -> None:
    """The rules a change of the ``changed`` fields must keep, checked on the unsaved
    ``meeting``; writes nothing.

    ``meeting_update`` runs it under its lock; a form runs it in ``clean()`` first,
    so a refusal shows as a form error rather than after the save.
    """
    changed = set(changed)
    # Days out of order are the model's own error (Meeting.clean): no frame to check.
    days_in_order = not (meeting.starts_on and meeting.ends_on) or (
        meeting.starts_on <= meeting.ends_on
    )
    if changed & set(FRAME_FIELDS) and days_in_order:
        _meeting_check_frame(meeting=meeting)
    if "capacity" in changed:
        meeting_check_capacity(meeting=meeting)


@transaction.atomic
def meeting_create(*, meeting: Meeting, organizer=None) -> Meeting:
    """Save a new meeting; ``organizer`` (its creator, when given) organizes it.

    Takes the unsaved instance the admin's form built, so the form can save its
    many-to-many fields on it afterwards.
    """
    meeting.full_clean()
    meeting.save()
    if organizer is not None:
        MeetingOrganizer.objects.create(
            meeting=meeting, user=organizer, role=MeetingOrganizer.Role.ORGANIZER
        )
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """Change a meeting's fields; refuses unknown fields and invalid combinations."""
    unknown = set(data) - MEETING_EDITABLE_FIELDS
    if unknown:
        raise MeetingError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    # Locked: agenda writes lock this row first too, so nothing moves in between; the
    # wait is bounded like theirs.
    lock_timeout()
    with busy_as(MeetingBusy):
        previous_capacity, previous_status = (
            Meeting.objects.select_for_update()
            .filter(pk=meeting.pk)
            .values_list("capacity", "status")[0]
        )
    for field, value in data.items():
        setattr(meeting, field, value)
    meeting.full_clean()
    meeting_check(meeting=meeting, changed=data)
    meeting.save()
    _meeting_capacity_changed(meeting=meeting, previous=previous_capacity)
    _meeting_status_changed(meeting=meeting, previous=previous_status)
    return meeting


def _meeting_status_changed(*, meeting: Meeting, previous: str) -> None:
    """Inside the transaction that changed the status: a cancelled meeting tells everyone
    registered (the registrations' receiver writes outbox rows in this same transaction)."""
    if meeting.status == Meeting.Status.CANCELLED and previous != Meeting.Status.CANCELLED:
        meeting_cancelled.send(sender=Meeting, meeting=meeting)


def _meeting_capacity_changed(*, meeting: Meeting, previous: int | None) -> None:
    """Inside the transaction that changed the capacity: seats it added go to the waitlist
    (the registrations' receiver promotes right after this transaction commits)."""
    if previous is None or (meeting.capacity is not None and meeting.capacity <= previous):
        return
    meeting_capacity_raised.send(sender=Meeting, meeting=meeting)
