"""One scheduling instance, in plain data (ids are the database's, but nothing here knows).

The rules a schedule must keep (``check.py`` states them again, independently):

- a request is placed at most once, in a slot that is open (not past) and where neither
  of its two people is busy (a meeting there already, marked unavailable, a booked
  agenda session overlapping: the caller decides, ``Problem.busy``);
- a person is in at most one meeting per slot, fixed meetings included;
- a table of the slot's session holds at most one meeting per slot;
- a person has at most ``max_per_person`` meetings in a session, fixed ones included;
- fixed meetings (scheduled or locked before the run) stay where they are.
"""

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Session:
    """A matchmaking session: its slots in time order, its tables in table order."""

    id: int
    slots: tuple[int, ...]
    tables: tuple[int, ...]
    max_per_person: int | None = None


@dataclass(frozen=True)
class Request:
    """An accepted request to place; ``preferred_session`` is a session id or None."""

    id: int
    people: tuple[int, int]
    preferred_session: int | None = None


@dataclass(frozen=True)
class Placement:
    request: int
    slot: int
    table: int


@dataclass(frozen=True)
class Fixed:
    """A meeting already in place: it keeps its slot and table and counts against people,
    tables and the per-session maximum."""

    request: int
    people: tuple[int, int]
    slot: int
    table: int


@dataclass
class Problem:
    sessions: list[Session]
    requests: list[Request]
    fixed: list[Fixed] = field(default_factory=list)
    # Per person, the slots where they cannot get a new meeting.
    busy: dict[int, frozenset[int]] = field(default_factory=dict)
    # Slots where nothing new may be placed (already started).
    closed: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        self.session_of: dict[int, Session] = {}
        for session in self.sessions:
            for slot in session.slots:
                self.session_of[slot] = session
        self.slot_order: dict[int, int] = {}
        for session in self.sessions:
            for slot in session.slots:
                self.slot_order[slot] = len(self.slot_order)

    def fixed_tables(self) -> dict[int, set[int]]:
        """Per slot, the tables the fixed meetings hold."""
        taken: dict[int, set[int]] = defaultdict(set)
        for meeting in self.fixed:
            taken[meeting.slot].add(meeting.table)
        return taken

    def fixed_seats(self) -> set[tuple[int, int]]:
        """(person, slot) of every fixed meeting."""
        return {(person, meeting.slot) for meeting in self.fixed for person in meeting.people}

    def fixed_counts(self) -> dict[tuple[int, int], int]:
        """(person, session) → fixed meetings of the person in the session."""
        counts: dict[tuple[int, int], int] = defaultdict(int)
        for meeting in self.fixed:
            session = self.session_of.get(meeting.slot)
            if session is not None:
                for person in meeting.people:
                    counts[person, session.id] += 1
        return counts

    def free_tables(self) -> dict[int, list[int]]:
        """Per open slot, the tables no fixed meeting holds, in table order."""
        taken = self.fixed_tables()
        return {
            slot: [table for table in session.tables if table not in taken[slot]]
            for session in self.sessions
            for slot in session.slots
            if slot not in self.closed
        }

    def candidates(self) -> dict[int, list[int]]:
        """Per request, the open slots (in time order) where both people are free, a table
        is free and neither is already at the session's maximum through fixed meetings."""
        free = self.free_tables()
        seats = self.fixed_seats()
        counts = self.fixed_counts()
        found: dict[int, list[int]] = {}
        for request in self.requests:
            slots = []
            for session in self.sessions:
                limit = session.max_per_person
                if limit is not None and any(
                    counts[person, session.id] >= limit for person in request.people
                ):
                    continue
                for slot in session.slots:
                    if not free.get(slot):
                        continue
                    if any(
                        slot in self.busy.get(person, ()) or (person, slot) in seats
                        for person in request.people
                    ):
                        continue
                    slots.append(slot)
            found[request.id] = slots
        return found


@dataclass
class Result:
    """The new placements (fixed meetings not repeated) and how they were found.

    ``bound``: no valid schedule places more new meetings than this (never below
    ``len(placements)``); ``greedy``: what the first-free-slot pass placed."""

    placements: list[Placement]
    solver: str  # "cp-sat" or "greedy"
    status: str
    bound: int
    greedy: int
    notes: list[str] = field(default_factory=list)

    @property
    def placed(self) -> int:
        return len(self.placements)
