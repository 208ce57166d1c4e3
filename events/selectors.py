"""Reads about meetings that pages, the API and exporters share."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from events.models import Meeting, MeetingOrganizer, MeetingQuerySet, Organization, Room, Venue
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


# --- shared records: organisations, venues and their rooms ------------------------------


def meetings_showing(record: Organization | Venue | Room) -> MeetingQuerySet:
    """Every meeting whose pages or data show ``record``: a meeting pointing at it (venue,
    taking part), a row of a meeting pointing at it (a speaker's or a registration's
    organisation, a session's room) and, for a venue, its rooms' rows.

    The relations are read from the models, so the apps above events (agenda,
    registrations) count without events importing them.
    """
    condition = _showing(type(record), {"pk": record.pk}, depth=2)
    return Meeting.objects.filter(condition).distinct()


def _showing(model: type[models.Model], lookup: dict, *, depth: int) -> Q:
    condition = Q(pk__in=[])
    for relation in model._meta.related_objects:
        related = relation.related_model
        path = {f"{relation.field.name}__{key}": value for key, value in lookup.items()}
        if related is Meeting:
            condition |= Q(**path)
        elif any(field.name == "meeting" for field in related._meta.concrete_fields):
            rows = related._base_manager.filter(**path)
            condition |= Q(pk__in=rows.values("meeting_id"))
        elif depth > 1:  # the rooms of a venue: what uses them counts for the venue
            condition |= _showing(related, path, depth=depth - 1)
    return condition


def shared_record_editable_by(*, user, record: Organization | Venue | Room) -> bool:
    """Whether ``user`` may change or delete a shared record: superusers always; other staff
    while every meeting showing it is one they organize (so also while none shows it)."""
    if user.is_superuser or record.pk is None:
        return True
    others = meetings_showing(record).exclude(
        pk__in=Meeting.objects.organized_by(user).values("pk")
    )
    return not others.exists()
