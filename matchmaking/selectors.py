"""Reads about B2B meetings shared by the pages, the API, the emails and the calendar.

Who sees what:
- a profile is *visible* to others when it is listed, its registration is
  confirmed, the meeting has matchmaking on and, when the organizers validate
  profiles, it was validated (``profiles_visible``);
- the directory and the marketplace are for the meeting's confirmed
  participants and its organizers, never for anyone else (``directory_refusal``);
- a person is *free* in a slot when they have no meeting in it, did not mark
  it unavailable and hold no seat in an overlapping agenda session
  (``matchmaking/availability.py``).
No read here ever returns an email address to show: the pages and the API
serializers name people by name and organisation only.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agenda.models import Session
from events.models import Meeting
from matchmaking.availability import clashes
from matchmaking.models import (
    B2BSession,
    MarketplaceEntry,
    Matchmaking,
    MeetingOutcome,
    MeetingRequest,
    Profile,
    SchedulingRun,
    Slot,
    Table,
)
from registrations.models import Registration

Status = MeetingRequest.Status


def matchmaking_get(*, meeting: Meeting) -> Matchmaking | None:
    """The meeting's matchmaking settings when it is on, else None."""
    settings_row = Matchmaking.objects.filter(meeting=meeting).first()
    return settings_row if settings_row and settings_row.enabled else None


def matchmaking_settings(*, meeting: Meeting) -> Matchmaking:
    """The settings row, on or off (unsaved defaults when the organizers never set any)."""
    return Matchmaking.objects.filter(meeting=meeting).first() or Matchmaking(meeting=meeting)


def requests_closed_reason(
    *, matchmaking: Matchmaking | None, now: dt.datetime | None = None
) -> str | None:
    """Why nobody can ask for (or accept) a meeting now; None when they can."""
    now = now or timezone.now()
    if matchmaking is None or not matchmaking.enabled:
        return _("This meeting has no B2B meetings.")
    meeting = matchmaking.meeting
    if meeting.status != Meeting.Status.PUBLISHED:
        return _("This meeting is not open.")
    if meeting.is_past(now):
        return _("This meeting is over.")
    if matchmaking.opens_at and now < matchmaking.opens_at:
        # The date in the reader's language, the time in 24 hours as the pages show times,
        # both in the meeting's zone: "12 de enero de 2027, 10:30".
        when = timezone.localtime(matchmaking.opens_at, meeting.tzinfo)
        return _("Meeting requests open on %(when)s.") % {
            "when": f"{date_format(when, 'DATE_FORMAT')}, {when:%H:%M}"
        }
    if matchmaking.closes_at and now >= matchmaking.closes_at:
        return _("Meeting requests are closed.")
    return None


def visible_condition(matchmaking: Matchmaking, prefix: str = "") -> Q:
    """The condition on Profile rows (through ``prefix``) for being shown to others."""
    condition = Q(
        **{
            f"{prefix}listed": True,
            f"{prefix}registration__status": Registration.Status.CONFIRMED,
        }
    )
    if matchmaking.profiles_need_validation:
        condition &= Q(**{f"{prefix}validated_at__isnull": False})
    return condition


def profiles_visible(*, meeting: Meeting) -> QuerySet[Profile]:
    """The profiles other participants may see (none when matchmaking is off)."""
    matchmaking = matchmaking_get(meeting=meeting)
    if matchmaking is None:
        return Profile.objects.none()
    return Profile.objects.filter(visible_condition(matchmaking), meeting=meeting)


def profile_is_visible(profile: Profile) -> bool:
    return profiles_visible(meeting=profile.meeting).filter(pk=profile.pk).exists()


def directory_refusal(*, meeting: Meeting, registration: Registration | None) -> str | None:
    """Why this person may not see the directory; None when they may.

    The organizers are let in by the views before this is asked.
    """
    if matchmaking_get(meeting=meeting) is None:
        return _("This meeting has no B2B meetings.")
    if registration is None or registration.meeting_id != meeting.pk:
        return _("Open the private link from your registration email to see the participants.")
    if registration.status != Registration.Status.CONFIRMED:
        return _("The participants' directory is for confirmed participants.")
    return None


@dataclass
class DirectoryFilters:
    """What the directory (and the marketplace) can be narrowed by; empty means no filter."""

    q: str = ""
    region: str = ""
    sector: int | None = None
    organization_kind: str = ""
    entry_kind: str = ""


def _text_condition(q: str) -> Q:
    """Every word of ``q`` somewhere in the name, organisation, pitch or marketplace."""
    condition = Q()
    for word in q.split()[:8]:
        condition &= (
            Q(registration__first_name__icontains=word)
            | Q(registration__last_name__icontains=word)
            | Q(organization__name__icontains=word)
            | Q(registration__organization_name__icontains=word)
            | Q(role__icontains=word)
            | Q(pitch__icontains=word)
            | Q(entries__title__icontains=word)
            | Q(entries__description__icontains=word)
        )
    return condition


def directory_search(
    *, meeting: Meeting, filters: DirectoryFilters, exclude: Registration | None = None
) -> QuerySet[Profile]:
    """Visible profiles matching the filters, by name, with what a card shows loaded."""
    profiles = profiles_visible(meeting=meeting)
    if exclude is not None:
        profiles = profiles.exclude(registration=exclude)
    if filters.q.strip():
        profiles = profiles.filter(_text_condition(filters.q.replace("\x00", "")))
    if filters.region:
        profiles = profiles.filter(region=filters.region)
    if filters.sector:
        profiles = profiles.filter(sectors=filters.sector)
    if filters.organization_kind:
        profiles = profiles.filter(organization__kind=filters.organization_kind)
    if filters.entry_kind:
        profiles = profiles.filter(entries__kind=filters.entry_kind)
    ids = profiles.values("pk")
    return (
        Profile.objects.filter(pk__in=ids)
        .select_related("registration", "organization")
        .prefetch_related("sectors", "entries")
        .order_by("registration__last_name", "registration__first_name", "pk")
    )


def marketplace_search(*, meeting: Meeting, filters: DirectoryFilters) -> QuerySet:
    """Entries of visible profiles matching the filters, newest first."""
    matchmaking = matchmaking_get(meeting=meeting)
    if matchmaking is None:
        return MarketplaceEntry.objects.none()
    entries = MarketplaceEntry.objects.filter(
        visible_condition(matchmaking, prefix="profile__"), profile__meeting=meeting
    )
    if filters.entry_kind:
        entries = entries.filter(kind=filters.entry_kind)
    if filters.region:
        entries = entries.filter(profile__region=filters.region)
    if filters.sector:
        entries = entries.filter(profile__sectors=filters.sector)
    if filters.organization_kind:
        entries = entries.filter(profile__organization__kind=filters.organization_kind)
    for word in filters.q.replace("\x00", "").split()[:8]:
        entries = entries.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(profile__organization__name__icontains=word)
            | Q(profile__registration__organization_name__icontains=word)
        )
    return (
        entries.distinct()
        .select_related("profile__registration", "profile__organization")
        .order_by("-created_at", "-pk")
    )


def profile_get_visible(*, meeting: Meeting, pk: int) -> Profile | None:
    """One visible profile of the meeting, with its sectors and entries; None otherwise."""
    return (
        profiles_visible(meeting=meeting)
        .select_related("registration", "organization")
        .prefetch_related("sectors", "entries")
        .filter(pk=pk)
        .first()
    )


def requests_with_details(queryset: QuerySet[MeetingRequest]) -> QuerySet[MeetingRequest]:
    """With everything a page, an email or a calendar shows about a meeting, in one query
    (the place: the table's room and venue, else the session's room, else the meeting's
    venue)."""
    return queryset.select_related(
        "meeting__venue",
        "requester__organization",
        "recipient__organization",
        "requester__b2b_profile__organization",
        "recipient__b2b_profile__organization",
        "slot__b2b_session__session__room__venue",
        "table__room__venue",
        "cancelled_by",
        "preferred_session__session",
    )


@dataclass
class MyMeetings:
    """One person's side of the B2B meetings: what the "my meetings" page shows."""

    incoming: list[MeetingRequest] = field(default_factory=list)
    outgoing: list[MeetingRequest] = field(default_factory=list)
    accepted: list[MeetingRequest] = field(default_factory=list)
    scheduled: list[MeetingRequest] = field(default_factory=list)
    # Scheduled meetings that have started: the person says how they went.
    past: list[MeetingRequest] = field(default_factory=list)
    closed: list[MeetingRequest] = field(default_factory=list)
    # request id → the booked agenda sessions overlapping the scheduled meeting
    clashes: dict[int, list[Session]] = field(default_factory=lambda: defaultdict(list))
    # request id → what the person recorded of that past meeting
    outcomes: dict[int, MeetingOutcome] = field(default_factory=dict)


def my_meetings(*, registration: Registration, now: dt.datetime | None = None) -> MyMeetings:
    """A person's requests in and out, accepted, upcoming and past scheduled meetings (in
    time order), what clashes with the upcoming ones and what they recorded of past ones."""
    now = now or timezone.now()
    requests = requests_with_details(
        MeetingRequest.objects.filter(
            Q(requester=registration) | Q(recipient=registration), meeting=registration.meeting
        )
    ).order_by("slot__starts_at", "-created_at", "pk")
    mine = MyMeetings()
    for request in requests:
        if request.status == Status.REQUESTED:
            if request.recipient_id == registration.pk:
                mine.incoming.append(request)
            else:
                mine.outgoing.append(request)
        elif request.status == Status.ACCEPTED:
            mine.accepted.append(request)
        elif request.status == Status.SCHEDULED:
            (mine.past if request.slot.starts_at <= now else mine.scheduled).append(request)
        else:
            mine.closed.append(request)
    mine.clashes = clashes(registration=registration, scheduled=mine.scheduled)
    if mine.past:
        mine.outcomes = {
            outcome.request_id: outcome
            for outcome in MeetingOutcome.objects.filter(
                registration=registration, request__in=mine.past
            )
        }
    return mine


def scheduled_meetings(*, registration: Registration) -> QuerySet[MeetingRequest]:
    """The person's scheduled meetings and the cancelled ones that had a place (their
    calendar keeps those as CANCELLED), in time order."""
    return requests_with_details(
        MeetingRequest.objects.filter(
            Q(requester=registration) | Q(recipient=registration),
            Q(status=Status.SCHEDULED) | Q(status=Status.CANCELLED, slot__isnull=False),
            meeting=registration.meeting,
        )
    ).order_by("slot__starts_at", "pk")


def request_for_person(*, registration: Registration, pk: int) -> MeetingRequest | None:
    """One of this person's requests (either side); None for anyone else's."""
    return (
        requests_with_details(
            MeetingRequest.objects.filter(
                Q(requester=registration) | Q(recipient=registration),
                meeting=registration.meeting,
                pk=pk,
            )
        )
        .prefetch_related(Prefetch("seats"))
        .first()
    )


def requests_waiting_count(*, registration: Registration) -> int:
    """How many requests wait for this person's answer."""
    return MeetingRequest.objects.filter(recipient=registration, status=Status.REQUESTED).count()


def open_request_between(*, registration: Registration, other: Registration):
    """The open request (requested, accepted or scheduled) between two people, or None."""
    return (
        MeetingRequest.objects.filter(
            Q(requester=registration, recipient=other) | Q(requester=other, recipient=registration),
            status__in=MeetingRequest.OPEN,
        )
        .order_by("-created_at")
        .first()
    )


def entry_for_person(*, registration: Registration, pk: int) -> MarketplaceEntry | None:
    """One of this person's own marketplace entries; None for anyone else's."""
    return MarketplaceEntry.objects.filter(pk=pk, profile__registration=registration).first()


def profile_entries(*, registration: Registration) -> list[MarketplaceEntry]:
    return list(
        MarketplaceEntry.objects.filter(profile__registration=registration).order_by(
            "created_at", "pk"
        )
    )


def requests_of_person(*, registration: Registration) -> QuerySet[MeetingRequest]:
    """Every request this person sent or received (any status), newest first."""
    return requests_with_details(
        MeetingRequest.objects.filter(
            Q(requester=registration) | Q(recipient=registration), meeting=registration.meeting
        )
    ).order_by("-created_at", "-pk")


def requests_of_meeting(*, meeting: Meeting) -> QuerySet[MeetingRequest]:
    """Every request of the meeting (the organizers' view), newest first."""
    return requests_with_details(MeetingRequest.objects.filter(meeting=meeting)).order_by(
        "-created_at", "-pk"
    )


def profile_of_counterpart(*, registration: Registration, pk: int) -> Profile | None:
    """A profile this person may plan a meeting with: a visible one, or the profile of
    someone they have an open request with (who may have stopped being listed since)."""
    profile = (
        Profile.objects.filter(meeting_id=registration.meeting_id, pk=pk)
        .exclude(registration=registration)
        .select_related("registration", "meeting")
        .first()
    )
    if profile is None:
        return None
    if profile_is_visible(profile):
        return profile
    has_request = open_request_between(registration=registration, other=profile.registration)
    return profile if has_request else None


def profiles_for_organizers(*, meeting: Meeting) -> QuerySet[Profile]:
    """Every profile of the meeting, listed or not, with ``visible``: whether the other
    participants see it now."""
    matchmaking = matchmaking_get(meeting=meeting)
    visible = (
        Case(When(visible_condition(matchmaking), then=Value(True)), default=Value(False))
        if matchmaking is not None
        else Value(False)
    )
    return (
        Profile.objects.filter(meeting=meeting)
        .select_related("registration", "organization")
        .prefetch_related("sectors", "entries")
        .annotate(visible=ExpressionWrapper(visible, output_field=BooleanField()))
        .order_by("registration__last_name", "registration__first_name", "pk")
    )


def b2b_sessions_with_slots(*, meeting: Meeting, organizer: bool) -> QuerySet[B2BSession]:
    """The meeting's matchmaking sessions with their slots and tables loaded: those on the
    agenda (confirmed, timed) for participants, every one for the organizers."""
    sessions = B2BSession.objects.filter(meeting=meeting)
    if not organizer:
        sessions = sessions.filter(
            session__status=Session.Status.CONFIRMED, session__starts_at__isnull=False
        )
    return (
        sessions.select_related("session__room")
        .prefetch_related(
            Prefetch("slots", queryset=Slot.objects.order_by("position")),
            Prefetch("tables", queryset=Table.objects.select_related("room")),
        )
        .order_by("session__starts_at", "pk")
    )


def scheduling_run_latest(*, meeting: Meeting) -> SchedulingRun | None:
    """The meeting's most recent run of the automatic scheduler."""
    return (
        SchedulingRun.objects.filter(meeting=meeting)
        .select_related("b2b_session__session")
        .order_by("-created_at", "-pk")
        .first()
    )


def scheduling_run_get(*, meeting: Meeting, pk: int) -> SchedulingRun | None:
    """One run of this meeting's scheduler (another meeting's is None)."""
    return (
        SchedulingRun.objects.filter(meeting=meeting, pk=pk)
        .select_related("b2b_session__session", "started_by")
        .first()
    )
