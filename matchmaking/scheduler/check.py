"""An independent checker of a schedule, written from the rules (``problem.py``'s
docstring), not from the solver: it shares none of their helpers.

``violations(problem, schedule)`` takes the whole schedule, the fixed meetings
included (``full_schedule`` adds them to a result), and returns every broken
rule as a ``Violation``; an empty list means the schedule is valid.
"""

from collections import Counter
from dataclasses import dataclass

from matchmaking.scheduler.problem import Placement, Problem, Result

UNKNOWN_REQUEST = "unknown request"
PLACED_TWICE = "request placed twice"
UNKNOWN_SLOT = "unknown slot"
UNKNOWN_TABLE = "unknown table"
CLOSED_SLOT = "slot already started"
BUSY = "person busy in the slot"
TWO_PLACES = "person in two places"
TABLE_TWICE = "table used twice"
OVER_MAXIMUM = "over the per-session maximum"
FIXED_MOVED = "fixed meeting moved"


@dataclass(frozen=True)
class Violation:
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


def full_schedule(problem: Problem, result: Result) -> list[Placement]:
    """The fixed meetings as they were, then the result's new placements."""
    kept = [Placement(meeting.request, meeting.slot, meeting.table) for meeting in problem.fixed]
    return kept + list(result.placements)


def violations(problem: Problem, schedule: list[Placement]) -> list[Violation]:
    found: list[Violation] = []
    session_of_slot = {slot: s for s in problem.sessions for slot in s.slots}
    people_of = {r.id: r.people for r in problem.requests}
    fixed = {meeting.request: meeting for meeting in problem.fixed}
    people_of.update({request: meeting.people for request, meeting in fixed.items()})

    times_placed = Counter(p.request for p in schedule)
    for request, times in sorted(times_placed.items()):
        if times > 1:
            found.append(Violation(PLACED_TWICE, f"request {request} placed {times} times"))
    for request, meeting in sorted(fixed.items()):
        kept = [p for p in schedule if p.request == request]
        if not kept or any((p.slot, p.table) != (meeting.slot, meeting.table) for p in kept):
            found.append(
                Violation(
                    FIXED_MOVED,
                    f"request {request} belongs at slot {meeting.slot}, table {meeting.table}",
                )
            )

    seats: Counter = Counter()
    tables: Counter = Counter()
    per_session: Counter = Counter()
    new_in_session: set[tuple[int, int]] = set()
    for placement in schedule:
        people = people_of.get(placement.request)
        if people is None:
            found.append(Violation(UNKNOWN_REQUEST, f"request {placement.request}"))
            continue
        session = session_of_slot.get(placement.slot)
        if session is None:
            found.append(
                Violation(UNKNOWN_SLOT, f"request {placement.request} at slot {placement.slot}")
            )
            continue
        if placement.table not in session.tables:
            found.append(
                Violation(
                    UNKNOWN_TABLE,
                    f"request {placement.request} at table {placement.table}, "
                    f"not one of session {session.id}'s",
                )
            )
        if placement.request not in fixed:
            if placement.slot in problem.closed:
                found.append(
                    Violation(CLOSED_SLOT, f"request {placement.request} at slot {placement.slot}")
                )
            for person in people:
                if placement.slot in problem.busy.get(person, frozenset()):
                    found.append(
                        Violation(
                            BUSY,
                            f"person {person} at slot {placement.slot} "
                            f"(request {placement.request})",
                        )
                    )
        if placement.request not in fixed:
            for person in people:
                new_in_session.add((person, session.id))
        tables[placement.slot, placement.table] += 1
        for person in people:
            seats[person, placement.slot] += 1
            per_session[person, session.id] += 1

    for (person, slot), count in sorted(seats.items()):
        if count > 1:
            found.append(
                Violation(TWO_PLACES, f"person {person} in {count} meetings at slot {slot}")
            )
    for (slot, table), count in sorted(tables.items()):
        if count > 1:
            found.append(
                Violation(TABLE_TWICE, f"table {table} holds {count} meetings at slot {slot}")
            )
    # Fixed meetings alone may exceed a maximum lowered after they were set: only a new
    # meeting over it is the schedule's fault.
    limits = {s.id: s.max_per_person for s in problem.sessions}
    for (person, session), count in sorted(per_session.items()):
        limit = limits[session]
        if limit is not None and count > limit and (person, session) in new_in_session:
            found.append(
                Violation(
                    OVER_MAXIMUM,
                    f"person {person} has {count} meetings in session {session}, at most {limit}",
                )
            )
    return found
