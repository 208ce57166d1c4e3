"""Reads behind the organizers' meetings board, each in a fixed number of queries however
many slots, tables, requests and people a meeting has.

The grid of one matchmaking session (slots × tables, each cell empty or one
meeting), the accepted requests still waiting for a place, and per person how
many requests they sent and received and how many meetings they have.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from events.models import Meeting
from matchmaking.models import (
    B2BSession,
    MeetingRequest,
    Profile,
    Slot,
    Table,
)
from matchmaking.selectors import requests_with_details
from registrations.models import Registration

Status = MeetingRequest.Status


def board_sessions(*, meeting: Meeting) -> list[B2BSession]:
    """The meeting's matchmaking sessions (any status: the organizers plan ahead), in time
    order, each with how many meetings it holds (``scheduled_count``), for the tabs."""
    return list(
        B2BSession.objects.filter(meeting=meeting)
        .select_related("session")
        .annotate(
            scheduled_count=Count(
                "slots__meetings", filter=Q(slots__meetings__status=Status.SCHEDULED)
            )
        )
        .order_by("session__starts_at", "pk")
    )


@dataclass
class Cell:
    slot: Slot
    table: Table
    meeting: MeetingRequest | None


@dataclass
class Grid:
    b2b_session: B2BSession
    tables: list[Table]
    rows: list[tuple[Slot, list[Cell]]]
    scheduled: int


def board_grid(*, b2b_session: B2BSession) -> Grid:
    """One session's slots × tables, each cell with the meeting it holds (three queries)."""
    slots = list(Slot.objects.filter(b2b_session=b2b_session).order_by("position"))
    tables = list(
        Table.objects.filter(b2b_session=b2b_session)
        .select_related("room")
        .order_by("position", "pk")
    )
    meetings = requests_with_details(
        MeetingRequest.objects.filter(slot__b2b_session=b2b_session, status=Status.SCHEDULED)
    )
    placed = {(meeting.slot_id, meeting.table_id): meeting for meeting in meetings}
    rows = [
        (slot, [Cell(slot, table, placed.get((slot.pk, table.pk))) for table in tables])
        for slot in slots
    ]
    return Grid(b2b_session=b2b_session, tables=tables, rows=rows, scheduled=len(placed))


def requests_waiting_for_a_place(*, meeting: Meeting) -> QuerySet[MeetingRequest]:
    """Accepted requests not scheduled yet, oldest first (the first to have waited)."""
    return requests_with_details(
        MeetingRequest.objects.filter(meeting=meeting, status=Status.ACCEPTED)
    ).order_by("responded_at", "created_at", "pk")


def _count_of(field: str, **conditions) -> Coalesce:
    rows = (
        MeetingRequest.objects.filter(**{field: OuterRef("registration")}, **conditions)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def board_people(*, meeting: Meeting) -> list[Profile]:
    """Confirmed participants with a B2B profile, by name, each with ``sent`` and
    ``received`` (requests of any status) and ``meetings`` (scheduled), and ``alone``:
    nobody asked them and they asked nobody. One query."""
    people = (
        Profile.objects.filter(meeting=meeting, registration__status=Registration.Status.CONFIRMED)
        .select_related("registration", "organization")
        .annotate(
            sent=_count_of("requester"),
            received=_count_of("recipient"),
            meetings_as_requester=_count_of("requester", status=Status.SCHEDULED),
            meetings_as_recipient=_count_of("recipient", status=Status.SCHEDULED),
        )
        .order_by("registration__last_name", "registration__first_name", "pk")
    )
    found = list(people)
    for profile in found:
        profile.meetings = profile.meetings_as_requester + profile.meetings_as_recipient
        profile.alone = profile.sent == 0 and profile.received == 0
    return found
