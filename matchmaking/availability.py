"""Where people are free: the one rule of "not free in a slot", and the slots two people
can meet in.

A person is *busy* in a slot when they have a meeting in it, marked it
unavailable, or hold a seat in an agenda session overlapping it (not a B2B
session: those are where the slots are). ``Availability`` reads all of that
for many people at once (three queries), so a page that offers choices for
many requests stays at a constant number of queries; the services' checks
(``services/requests.py _place``) ask the same object.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from agenda.models import Session
from events.models import Meeting
from matchmaking.models import B2BSession, MeetingRequest, Profile, Slot, SlotSeat, Table
from registrations.models import Registration, SessionBooking

Status = MeetingRequest.Status


def b2b_sessions(*, meeting: Meeting) -> list[B2BSession]:
    """The meeting's matchmaking sessions that are on the agenda (confirmed, timed)."""
    return list(
        B2BSession.objects.filter(
            meeting=meeting,
            session__status=Session.Status.CONFIRMED,
            session__starts_at__isnull=False,
        )
        .select_related("session__room")
        .annotate(table_count=Count("tables", distinct=True))
        .order_by("session__starts_at", "pk")
    )


def _booked_intervals_of(registration_ids: list[int]) -> dict[int, list[tuple]]:
    """Per person, the agenda sessions they hold a seat in (not B2B sessions), as time
    spans in time order; one query for everyone."""
    bookings = (
        SessionBooking.objects.filter(
            registration_id__in=registration_ids,
            status=SessionBooking.Status.BOOKED,
            session__status=Session.Status.CONFIRMED,
            session__starts_at__isnull=False,
            session__b2b__isnull=True,
        )
        .select_related("session")
        .order_by("session__starts_at")
    )
    intervals: dict[int, list[tuple]] = defaultdict(list)
    for booking in bookings:
        session = booking.session
        intervals[booking.registration_id].append((session.starts_at, session.ends_at, session))
    return intervals


def booked_intervals(registration: Registration) -> list[tuple[dt.datetime, dt.datetime, Session]]:
    """The agenda sessions this person holds a seat in (not B2B sessions), as time spans."""
    return _booked_intervals_of([registration.pk])[registration.pk]


def overlapping(slot_start, slot_end, intervals) -> list[Session]:
    return [session for start, end, session in intervals if start < slot_end and end > slot_start]


@dataclass
class Availability:
    """Where some people are already taken, read once (three queries) however many people
    and slots are asked about: the slots of their meetings, the slots they marked
    unavailable, and the agenda sessions they booked. ``busy`` is the one rule of "not
    free in a slot"."""

    seats: dict[int, dict[int, int]]  # person → {slot with a meeting: its B2B session}
    unavailable: dict[int, set[int]]  # person → slots marked unavailable
    intervals: dict[int, list[tuple]]  # person → booked agenda sessions

    def busy(self, registration_id: int, slots: list[Slot]) -> set[int]:
        """Of these slots, the ones where this person is not free."""
        taken = set(self.seats.get(registration_id, {})) | self.unavailable.get(
            registration_id, set()
        )
        intervals = self.intervals.get(registration_id, [])
        return {
            slot.pk
            for slot in slots
            if slot.pk in taken or overlapping(slot.starts_at, slot.ends_at, intervals)
        }

    def meetings_in(self, registration_id: int, b2b_session_id: int) -> int:
        sessions = self.seats.get(registration_id, {}).values()
        return sum(1 for session_id in sessions if session_id == b2b_session_id)


def availability(
    *, registration_ids: list[int], moving: MeetingRequest | None = None
) -> Availability:
    """``moving``: a scheduled meeting about to move, whose own place does not count."""
    seats: dict[int, dict[int, int]] = defaultdict(dict)
    rows = SlotSeat.objects.filter(registration_id__in=registration_ids)
    if moving is not None:
        rows = rows.exclude(request=moving)
    for person, slot, b2b_session in rows.values_list(
        "registration_id", "slot_id", "slot__b2b_session_id"
    ):
        seats[person][slot] = b2b_session
    unavailable: dict[int, set[int]] = defaultdict(set)
    for person, slot in Profile.unavailable_slots.through.objects.filter(
        profile__registration_id__in=registration_ids
    ).values_list("profile__registration_id", "slot_id"):
        unavailable[person].add(slot)
    return Availability(
        seats=seats, unavailable=unavailable, intervals=_booked_intervals_of(registration_ids)
    )


def busy_slot_ids(*, registration: Registration, slots: list[Slot]) -> set[int]:
    """Of these slots, the ones where this person is not free (a meeting, marked unavailable,
    or a booked agenda session overlapping)."""
    return availability(registration_ids=[registration.pk]).busy(registration.pk, slots)


def meetings_in_session(*, registration: Registration, b2b_session: B2BSession) -> int:
    return SlotSeat.objects.filter(registration=registration, slot__b2b_session=b2b_session).count()


@dataclass
class SlotChoice:
    slot: Slot
    free_tables: int


def _future_slots(now: dt.datetime, **scope) -> QuerySet[Slot]:
    """Slots still ahead, each with how many of its tables hold a meeting (``taken``)."""
    return (
        Slot.objects.filter(starts_at__gt=now, **scope)
        .annotate(
            taken=Count("meetings", filter=Q(meetings__status=Status.SCHEDULED), distinct=True)
        )
        .order_by("b2b_session", "position")
    )


def _free(
    b2b_session: B2BSession, slots: list[Slot], tables: int, people: list[int], known: Availability
) -> list[SlotChoice]:
    limit = b2b_session.max_meetings_per_person
    if limit is not None and any(known.meetings_in(p, b2b_session.pk) >= limit for p in people):
        return []
    busy: set[int] = set()
    for person in people:
        busy |= known.busy(person, slots)
    return [
        SlotChoice(slot=slot, free_tables=tables - slot.taken)
        for slot in slots
        if slot.pk not in busy and slot.taken < tables
    ]


def free_slots(
    *,
    b2b_session: B2BSession,
    people: list[Registration],
    now: dt.datetime | None = None,
) -> list[SlotChoice]:
    """The slots of the session where all these people are free and a table is free, in the
    future, and where nobody is at their most meetings for the session yet."""
    now = now or timezone.now()
    tables = Table.objects.filter(b2b_session=b2b_session).count()
    slots = list(_future_slots(now, b2b_session=b2b_session))
    people_ids = [person.pk for person in people]
    known = availability(registration_ids=people_ids)
    return _free(b2b_session, slots, tables, people_ids, known)


def free_slots_with(
    *,
    meeting: Meeting,
    registration: Registration,
    others: list[Registration],
    now: dt.datetime | None = None,
    moving: MeetingRequest | None = None,
) -> dict[int, list[tuple[B2BSession, list[SlotChoice]]]]:
    """For each of ``others`` (by id), per matchmaking session, where they and
    ``registration`` can meet: the "accept" choices of a whole "my meetings" page, in
    six queries however many requests wait. ``moving``: the meeting being moved, whose
    own place (and count towards the per-session maximum) is left out."""
    if not others:
        return {}
    now = now or timezone.now()
    sessions = b2b_sessions(meeting=meeting)
    slots: dict[int, list[Slot]] = defaultdict(list)
    for slot in _future_slots(now, b2b_session__in=[s.pk for s in sessions]):
        slots[slot.b2b_session_id].append(slot)
    known = availability(
        registration_ids=[registration.pk, *(other.pk for other in others)], moving=moving
    )
    return {
        other.pk: [
            (
                b2b_session,
                _free(
                    b2b_session,
                    slots[b2b_session.pk],
                    b2b_session.table_count,
                    [registration.pk, other.pk],
                    known,
                ),
            )
            for b2b_session in sessions
        ]
        for other in others
    }


def free_slots_for_pair(
    *,
    meeting: Meeting,
    people: list[Registration],
    now: dt.datetime | None = None,
    moving: MeetingRequest | None = None,
) -> list[tuple[B2BSession, list[SlotChoice]]]:
    """Per matchmaking session, where these two people can meet (``moving``: their
    scheduled meeting, to move)."""
    first, second = people
    choices = free_slots_with(
        meeting=meeting, registration=first, others=[second], now=now, moving=moving
    )
    return choices[second.pk]


def clashes(
    *, registration: Registration, scheduled: list[MeetingRequest]
) -> dict[int, list[Session]]:
    """For each scheduled meeting, the person's booked agenda sessions that overlap it (a
    session moved after the meeting was set)."""
    if not scheduled:
        return {}
    intervals = booked_intervals(registration)
    found = {}
    for request in scheduled:
        sessions = overlapping(request.slot.starts_at, request.slot.ends_at, intervals)
        if sessions:
            found[request.pk] = sessions
    return found
