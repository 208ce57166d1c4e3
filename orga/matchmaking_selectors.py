"""Reads behind the workspace's B2B pages, each in a fixed number of queries.

Who is visible to others is ``matchmaking.selectors.visible_condition``'s rule;
what a slot is free for is ``free_slots``'; these reads only count and list.
"""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from events.models import Meeting
from matchmaking.models import (
    B2BSession,
    MarketplaceEntry,
    Matchmaking,
    MeetingRequest,
    Profile,
    Sector,
    Slot,
)
from matchmaking.selectors import requests_with_details, visible_condition
from registrations.models import Registration

Status = MeetingRequest.Status
SCHEDULED = Q(meetings__status=Status.SCHEDULED)


def sector_list(*, meeting: Meeting) -> QuerySet[Sector]:
    """The meeting's sectors in their order, with how many profiles name each."""
    return (
        Sector.objects.filter(meeting=meeting)
        .annotate(profile_count=Count("profiles"))
        .order_by("position", "name", "pk")
    )


def b2b_session_list(*, meeting: Meeting) -> QuerySet[B2BSession]:
    """The meeting's matchmaking sessions (any status), with their slots (and how many
    meetings each holds), their tables, and how many meetings are scheduled in each."""
    slots = Slot.objects.annotate(scheduled_count=Count("meetings", filter=SCHEDULED)).order_by(
        "position"
    )
    return (
        B2BSession.objects.filter(meeting=meeting)
        .select_related("session__room", "session__meeting")
        .annotate(
            scheduled_count=Count(
                "slots__meetings",
                filter=Q(slots__meetings__status=Status.SCHEDULED),
                distinct=True,
            )
        )
        .prefetch_related(Prefetch("slots", queryset=slots), "tables__room")
        .order_by("session__starts_at", "pk")
    )


@dataclass
class ProfileCounts:
    profiles: int
    listed: int
    # listed, confirmed and (when the organizers validate) validated: what others see
    visible: int
    # listed and confirmed, not validated: what the organizers still have to look at
    waiting: int
    confirmed: int  # confirmed registrations of the meeting
    # confirmed people with no open request or meeting, sent or received
    without_requests: int


def _open_requests(field: str):
    return MeetingRequest.objects.filter(
        **{field: OuterRef("pk")}, status__in=MeetingRequest.OPEN
    ).values("pk")


def profile_counts(*, meeting: Meeting, matchmaking: Matchmaking) -> ProfileCounts:
    """The profiles page's numbers, in two queries."""
    # Aliases unlike the fields: an aggregate named "listed" would shadow the field.
    counts = Profile.objects.filter(meeting=meeting).aggregate(
        n_profiles=Count("pk"),
        n_listed=Count("pk", filter=Q(listed=True)),
        n_visible=Count("pk", filter=visible_condition(matchmaking)),
        n_waiting=Count(
            "pk",
            filter=Q(
                listed=True,
                registration__status=Registration.Status.CONFIRMED,
                validated_at__isnull=True,
            ),
        ),
    )
    people = (
        Registration.objects.filter(meeting=meeting, status=Registration.Status.CONFIRMED)
        .annotate(
            asked=Exists(_open_requests("requester")), asked_by=Exists(_open_requests("recipient"))
        )
        .aggregate(
            n_confirmed=Count("pk"),
            n_without_requests=Count("pk", filter=Q(asked=False, asked_by=False)),
        )
    )
    return ProfileCounts(**{name[2:]: value for name, value in {**counts, **people}.items()})


def organizer_profiles(*, meeting: Meeting, matchmaking: Matchmaking) -> QuerySet[Profile]:
    """Every profile of the meeting, listed or not, with whether others see it and how many
    open requests and marketplace entries it has, by name."""
    open_requests = (
        MeetingRequest.objects.filter(status__in=MeetingRequest.OPEN)
        .filter(Q(requester=OuterRef("registration")) | Q(recipient=OuterRef("registration")))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    entries = (
        MarketplaceEntry.objects.filter(profile=OuterRef("pk"))
        .order_by()
        .values("profile")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        Profile.objects.filter(meeting=meeting)
        .select_related("registration__organization", "organization")
        .prefetch_related("sectors")
        .annotate(
            visible=Case(
                When(visible_condition(matchmaking), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            open_requests=Coalesce(Subquery(open_requests, output_field=IntegerField()), 0),
            entry_count=Coalesce(Subquery(entries, output_field=IntegerField()), 0),
        )
        .order_by("registration__last_name", "registration__first_name", "pk")
    )


def request_counts(*, meeting: Meeting) -> dict[str, int]:
    """How many of the meeting's requests are in each status (every status, zeros too)."""
    counts = dict.fromkeys(Status.values, 0)
    rows = (
        MeetingRequest.objects.filter(meeting=meeting)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    counts.update(dict(rows))
    return counts


def organizer_requests(*, meeting: Meeting) -> QuerySet[MeetingRequest]:
    """The meeting's requests, newest first, with both people and the place loaded."""
    return (
        requests_with_details(MeetingRequest.objects.filter(meeting=meeting))
        .select_related("preferred_session__session")
        .order_by("-created_at", "-pk")
    )


def organizer_request(*, meeting: Meeting, pk: int) -> MeetingRequest | None:
    return organizer_requests(meeting=meeting).filter(pk=pk).first()
