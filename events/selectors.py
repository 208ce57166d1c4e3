"""Reads about meetings that pages, the API and exporters share."""

import datetime as dt

from django.http import Http404
from django.utils import timezone

from events.models import Meeting, MeetingOrganizer
from events.regions import normalise, region_sort_key


def is_organizer(user, meeting: Meeting) -> bool:
    """Whether the user organizes this meeting (superusers organize everything)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return MeetingOrganizer.objects.filter(
        meeting=meeting, user=user, role=MeetingOrganizer.Role.ORGANIZER
    ).exists()


def meeting_get_visible(*, slug: str, user) -> Meeting:
    """The meeting with this slug if the user may see it; Http404 otherwise (drafts too)."""
    try:
        return Meeting.objects.visible_to(user).select_related("venue").get(slug=slug)
    except Meeting.DoesNotExist as exc:
        raise Http404("No such meeting.") from exc


def meeting_list_public(*, now: dt.datetime | None = None) -> tuple[list[Meeting], list[Meeting]]:
    """Public meetings split into (upcoming soonest first, past most recent first).

    A meeting is past once its last day is over in its own time zone.
    """
    now = now or timezone.now()
    meetings = list(Meeting.objects.public().select_related("venue").order_by("starts_on", "title"))
    upcoming = [meeting for meeting in meetings if not meeting.is_past(now)]
    past = [meeting for meeting in reversed(meetings) if meeting.is_past(now)]
    return upcoming, past


def meeting_get_with_organizations(*, slug: str, user) -> Meeting:
    meeting = meeting_get_visible(slug=slug, user=user)
    # Attach the organisations in one query, ordered for display: by the region's
    # name as people read it (not its code), national bodies (no region) first.
    meeting.organization_list = sorted(
        meeting.organizations.all(),
        key=lambda organization: (
            region_sort_key(organization.region),
            normalise(organization.name),  # "Clúster de …" next to "Clúster TIC …"
            organization.name,
        ),
    )
    return meeting
