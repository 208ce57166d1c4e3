"""Writes about meetings that carry a rule."""

from typing import Any

from django.db import transaction

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
    "contact_email",
}


class MeetingError(Exception):
    """A meeting change that the rules refuse; the message is for people."""


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """Change a meeting's fields; refuses unknown fields and invalid combinations."""
    unknown = set(data) - MEETING_EDITABLE_FIELDS
    if unknown:
        raise MeetingError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    for field, value in data.items():
        setattr(meeting, field, value)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_add_organizer(
    *, meeting: Meeting, user, role: str = MeetingOrganizer.Role.ORGANIZER
) -> MeetingOrganizer:
    link, _created = MeetingOrganizer.objects.update_or_create(
        meeting=meeting, user=user, defaults={"role": role}
    )
    return link
