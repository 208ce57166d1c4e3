"""The "first free slot" pass: the baseline the solver must beat, and its fallback.

Requests in a stable order (by id); each goes to the first slot, in time order,
where both people are free, a table is free and neither is at the session's
maximum: the preferred session's slots first, then the others. One pass, no
search, always a valid schedule.
"""

from collections import defaultdict

from matchmaking.scheduler.problem import Placement, Problem


def greedy_schedule(problem: Problem) -> list[Placement]:
    free = problem.free_tables()
    seats = problem.fixed_seats()
    counts = problem.fixed_counts()
    used: dict[int, int] = defaultdict(int)  # slot → free tables given out
    placements = []
    candidates = problem.candidates()
    for request in sorted(problem.requests, key=lambda r: r.id):
        slots = candidates[request.id]
        wanted = request.preferred_session
        in_preferred = [s for s in slots if problem.session_of[s].id == wanted]
        for slot in in_preferred + [s for s in slots if problem.session_of[s].id != wanted]:
            session = problem.session_of[slot]
            if used[slot] >= len(free[slot]):
                continue
            if any((person, slot) in seats for person in request.people):
                continue
            limit = session.max_per_person
            if limit is not None and any(
                counts[person, session.id] >= limit for person in request.people
            ):
                continue
            placements.append(Placement(request.id, slot, free[slot][used[slot]]))
            used[slot] += 1
            for person in request.people:
                seats.add((person, slot))
                counts[person, session.id] += 1
            break
    return placements
