"""The optimising scheduler: OR-Tools (GLOP for the bound, CP-SAT for the schedule),
never worse than greedy.

Tables of a session are interchangeable for every rule, so the models only say
which requests meet in which slot (``x[request, slot]``, for the slots where
both people are free), with as many meetings per slot as it has free tables;
concrete tables are handed out afterwards. Constraints: one slot per request at
most, one meeting per person and slot, the per-session maximum (fixed meetings
counted).

1. **Bound.** The linear relaxation of that model (GLOP) bounds the number of
   meetings any schedule can hold: the run's "best possible". On these
   instances it is nearly integral, which also makes it the best guide.
2. **Most meetings.** CP-SAT maximises the count over the pairs (request, slot)
   the relaxation uses, hinted with the better of greedy and a rounding of the
   relaxation. On the whole model CP-SAT alone is lost at 4,000 requests (its
   own relaxation is weaker and its presolve eats the time limit); on the
   relaxation's support it is fast. When the count reaches the bound it is
   proven optimal, whatever the support.
3. **Fewer gaps.** With the placed requests fixed (each in one of all its free
   slots, the count kept), CP-SAT minimises the idle gaps (separate runs of
   meetings per person and session) plus the meetings held outside the
   requester's preferred session.

Whatever goes wrong (no answer in time, an error of a solver, fewer meetings
than greedy), the greedy schedule is returned, with the best bound known.
"""

import logging
import math
import time
from collections import defaultdict
from collections.abc import Callable

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from matchmaking.scheduler.greedy import greedy_schedule
from matchmaking.scheduler.problem import Placement, Problem, Result

logger = logging.getLogger(__name__)

Progress = Callable[[str, int], None]
Choice = dict[int, int]  # request → slot

WORKERS = 2  # the machine's cores; more workers only fight over them
# The count phase may use this share of what is left of the time limit; the gaps the rest.
COUNT_SHARE = 0.6
# GLOP's objective is exact up to its tolerances: a hair above an integer is that integer.
LP_TOLERANCE = 1e-4


def trivial_bound(problem: Problem, candidates: dict[int, list[int]]) -> int:
    """An upper bound on new meetings without any solver: requests that have a slot at
    all, and at most the free tables of the slots any request can use."""
    placeable = sum(1 for slots in candidates.values() if slots)
    free = problem.free_tables()
    usable = {slot for slots in candidates.values() for slot in slots}
    return min(placeable, sum(len(free[slot]) for slot in usable))


class _Rows:
    """The constraints of the model, as lists of (request, slot) pairs with a limit, built
    once and handed to GLOP and to CP-SAT alike."""

    def __init__(self, problem: Problem, pairs: list[tuple[int, int]]):
        free = problem.free_tables()
        counts = problem.fixed_counts()
        people = {request.id: request.people for request in problem.requests}
        by_request, by_slot = defaultdict(list), defaultdict(list)
        by_person_slot, by_person_session = defaultdict(list), defaultdict(list)
        for index, (request, slot) in enumerate(pairs):
            by_request[request].append(index)
            by_slot[slot].append(index)
            session = problem.session_of[slot].id
            for person in people[request]:
                by_person_slot[person, slot].append(index)
                by_person_session[person, session].append(index)
        limits = {session.id: session.max_per_person for session in problem.sessions}
        rows: list[tuple[list[int], int]] = []
        rows += [(indexes, 1) for indexes in by_request.values() if len(indexes) > 1]
        rows += [(by_slot[slot], len(free[slot])) for slot in by_slot]
        rows += [(indexes, 1) for indexes in by_person_slot.values() if len(indexes) > 1]
        for (person, session), indexes in by_person_session.items():
            limit = limits[session]
            if limit is not None:
                rows.append((indexes, limit - counts[person, session]))
        self.rows = [(indexes, limit) for indexes, limit in rows if len(indexes) > limit]


def _relaxation(pairs: list[tuple[int, int]], rows: _Rows) -> tuple[float, list[float]] | None:
    """The linear relaxation's optimum and its values per pair, or None if GLOP failed."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    variables = [solver.NumVar(0.0, 1.0, "") for _ in pairs]
    for indexes, limit in rows.rows:
        constraint = solver.Constraint(-solver.infinity(), float(limit))
        for index in indexes:
            constraint.SetCoefficient(variables[index], 1.0)
    objective = solver.Objective()
    for variable in variables:
        objective.SetCoefficient(variable, 1.0)
    objective.SetMaximization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return objective.Value(), [variable.solution_value() for variable in variables]


def _round(problem: Problem, pairs: list[tuple[int, int]], values: list[float]) -> Choice:
    """Place requests in the relaxation's order of confidence, first fit."""
    free = {slot: len(tables) for slot, tables in problem.free_tables().items()}
    seats = problem.fixed_seats()
    counts = problem.fixed_counts()
    people = {request.id: request.people for request in problem.requests}
    chosen: Choice = {}
    order = sorted(range(len(pairs)), key=lambda i: (-values[i], problem.slot_order[pairs[i][1]]))
    for index in order:
        if values[index] <= 1e-6:
            break
        request, slot = pairs[index]
        session = problem.session_of[slot]
        if request in chosen or free[slot] == 0:
            continue
        if any((person, slot) in seats for person in people[request]):
            continue
        limit = session.max_per_person
        if limit is not None and any(
            counts[person, session.id] >= limit for person in people[request]
        ):
            continue
        chosen[request] = slot
        free[slot] -= 1
        for person in people[request]:
            seats.add((person, slot))
            counts[person, session.id] += 1
    return chosen


def _cp_model(pairs: list[tuple[int, int]], rows: _Rows):
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in pairs]
    for indexes, limit in rows.rows:
        variables = [x[index] for index in indexes]
        if limit == 1:
            model.add_at_most_one(variables)
        else:
            model.add(sum(variables) <= limit)
    return model, x


def _hint(model, x, pairs, chosen: Choice) -> None:
    model.clear_hints()
    for (request, slot), variable in zip(pairs, x, strict=True):
        model.add_hint(variable, chosen.get(request) == slot)


def _run(model, seconds: float, seed: int):
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.1)
    solver.parameters.num_search_workers = WORKERS
    solver.parameters.random_seed = seed
    return solver, solver.solve(model)


def _tables_for(problem: Problem, chosen: Choice) -> list[Placement]:
    """Concrete tables for ``request → slot``: each slot's free tables in table order."""
    free = problem.free_tables()
    given: dict[int, int] = defaultdict(int)
    placements = []
    for request_id in sorted(chosen):
        slot = chosen[request_id]
        placements.append(Placement(request_id, slot, free[slot][given[slot]]))
        given[slot] += 1
    return placements


def _secondary(problem: Problem, model, x, pairs):
    """Idle gaps (runs of meetings per person and session) plus meetings outside the
    preferred session, as one sum to minimise."""
    seats = problem.fixed_seats()
    people = {request.id: request.people for request in problem.requests}
    preferred = {request.id: request.preferred_session for request in problem.requests}
    here: dict[tuple[int, int], list] = defaultdict(list)
    terms = []
    for (request, slot), variable in zip(pairs, x, strict=True):
        for person in people[request]:
            here[person, slot].append(variable)
        wanted = preferred[request]
        if wanted is not None and problem.session_of[slot].id != wanted:
            terms.append(variable)
    persons = {person for person, _slot in here}
    for person in persons:
        for session in problem.sessions:
            if not any((person, slot) in here for slot in session.slots):
                continue
            previous = 0
            for slot in session.slots:
                if (person, slot) in seats:
                    now = 1
                elif (person, slot) in here:
                    now = sum(here[person, slot])
                else:
                    now = 0
                if isinstance(now, int) and isinstance(previous, int):
                    terms.append(max(now - previous, 0))
                else:
                    start = model.new_bool_var("")
                    model.add(start >= now - previous)
                    terms.append(start)
                previous = now
    return sum(terms)


def solve(
    problem: Problem,
    *,
    time_limit: float = 20.0,
    seed: int = 0,
    progress: Progress | None = None,
) -> Result:
    """The best schedule found within about ``time_limit`` seconds (never fewer meetings
    than greedy). ``progress(stage, percent)`` is told "greedy", "bound", "count", "gaps"."""
    report = progress or (lambda stage, percent: None)
    started = time.monotonic()
    report("greedy", 5)
    greedy = greedy_schedule(problem)
    candidates = problem.candidates()
    fallback = Result(
        placements=greedy,
        solver="greedy",
        status="",
        bound=trivial_bound(problem, candidates),
        greedy=len(greedy),
    )
    try:
        return _optimise(problem, candidates, fallback, time_limit, seed, started, report)
    except Exception as exc:  # a solver's own failure: greedy still gives a valid schedule
        logger.exception("The optimising scheduler failed; the greedy schedule is used")
        fallback.status = "ERROR"
        fallback.notes.append(f"solver failed: {type(exc).__name__}: {exc}")
        return fallback


def _optimise(problem, candidates, fallback, time_limit, seed, started, report) -> Result:
    greedy_chosen = {p.request: p.slot for p in fallback.placements}
    if len(greedy_chosen) >= fallback.bound:
        # Nothing can hold more: no search for the count, only for fewer gaps.
        fallback.notes.append("greedy placed as many as the free tables and requests allow")
        best = _fewer_gaps(
            problem, candidates, greedy_chosen, time_limit, seed, started, report, fallback
        )
        return Result(
            placements=_tables_for(problem, best),
            solver="cp-sat",
            status="OPTIMAL",
            bound=fallback.bound,
            greedy=fallback.greedy,
            notes=fallback.notes,
        )
    report("bound", 10)
    pairs = [(request, slot) for request, slots in candidates.items() for slot in slots]
    rows = _Rows(problem, pairs)
    relaxed = _relaxation(pairs, rows)
    bound, best, support = fallback.bound, greedy_chosen, pairs
    if relaxed is None:
        fallback.notes.append("GLOP did not solve the relaxation: the whole model goes to CP-SAT")
    else:
        value, values = relaxed
        bound = min(bound, math.floor(value + LP_TOLERANCE))
        rounded = _round(problem, pairs, values)
        if len(rounded) > len(best):
            best = rounded
        support = sorted(
            {pair for pair, v in zip(pairs, values, strict=True) if v > 1e-6}
            | set(best.items())
            | set(greedy_chosen.items())
        )
        fallback.notes.append(f"relaxation {value:.2f}, rounded {len(rounded)}")
    bound = max(bound, len(best))
    status = "OPTIMAL" if len(best) >= bound else "FEASIBLE"
    if status != "OPTIMAL":
        report("count", 30)
        model, x = _cp_model(support, _Rows(problem, support))
        model.add(sum(x) <= bound)
        _hint(model, x, support, best)
        model.maximize(sum(x))
        left = time_limit - (time.monotonic() - started)
        solver, found = _run(model, left * COUNT_SHARE, seed)
        fallback.notes.append(f"count: {solver.status_name(found)}")
        if found in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            chosen = {
                request: slot
                for (request, slot), variable in zip(support, x, strict=True)
                if solver.value(variable)
            }
            if len(chosen) > len(best):
                best = chosen
        status = "OPTIMAL" if len(best) >= bound else "FEASIBLE"
    best = _fewer_gaps(problem, candidates, best, time_limit, seed, started, report, fallback)
    return Result(
        placements=_tables_for(problem, best),
        solver="cp-sat",
        status=status,
        bound=bound,
        greedy=fallback.greedy,
        notes=fallback.notes,
    )


def _fewer_gaps(problem, candidates, best: Choice, time_limit, seed, started, report, fallback):
    """The same requests, each in any of its free slots: fewer idle gaps, preferred
    sessions. Returns ``best`` unchanged when there is no time or no better answer."""
    left = time_limit - (time.monotonic() - started)
    if left < 0.5 or not best:
        return best
    report("gaps", 70)
    pairs = [(request, slot) for request in sorted(best) for slot in candidates[request]]
    model, x = _cp_model(pairs, _Rows(problem, pairs))
    by_request: dict[int, list] = defaultdict(list)
    for (request, _slot), variable in zip(pairs, x, strict=True):
        by_request[request].append(variable)
    for variables in by_request.values():
        model.add_exactly_one(variables)
    _hint(model, x, pairs, best)
    model.minimize(_secondary(problem, model, x, pairs))
    solver, found = _run(model, left, seed)
    fallback.notes.append(f"gaps: {solver.status_name(found)}")
    if found not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return best
    return {
        request: slot
        for (request, slot), variable in zip(pairs, x, strict=True)
        if solver.value(variable)
    }
