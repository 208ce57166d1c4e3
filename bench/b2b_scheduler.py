"""The B2B scheduler on generated meetings: greedy vs CP-SAT. Run by hand; prints numbers.

    python bench/b2b_scheduler.py                  # pure: the core, no database
    python bench/b2b_scheduler.py --time-limit 20 --seed 1

Two meetings: 200 participants with 1,000 accepted requests, and 600 with 4,000.
Each has two matchmaking sessions of 8–12 slots and 30–60 tables (the first with
a maximum of meetings per person), some people with unavailable slots, some
with booked agenda sessions over a few slots, a few meetings already in place
(fixed) and some requests preferring a session. Popularity is skewed (a few
people are asked by many), as in real meetings.

For greedy and for the solver it prints the share of requests scheduled, the
proven upper bound, the time, and the verdict of the independent checker
(``matchmaking.scheduler.check``) on every constraint. The database side (reading
the problem, writing under the locks) is not timed here; a run records its own
``duration_ms``.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

# bench/ holds a calendar.py: take the folder off the path before the standard library's
# calendar module is imported (OR-Tools imports pandas, which imports it).
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

from matchmaking.scheduler.check import full_schedule, violations  # noqa: E402
from matchmaking.scheduler.greedy import greedy_schedule  # noqa: E402
from matchmaking.scheduler.problem import Fixed, Problem, Request, Session  # noqa: E402
from matchmaking.scheduler.solver import solve  # noqa: E402

CASES = ((200, 1000), (600, 4000))


def pairs(rng: random.Random, people: int, count: int) -> list[tuple[int, int]]:
    """``count`` distinct pairs, people chosen with a skewed popularity."""
    weights = [1 / (rank + 5) for rank in range(people)]
    seen: set[tuple[int, int]] = set()
    found = []
    while len(found) < count:
        a, b = rng.choices(range(people), weights=weights, k=2)
        key = (min(a, b), max(a, b))
        if a != b and key not in seen:
            seen.add(key)
            found.append((a, b))
    return found


def generate(people: int, requests: int, seed: int) -> Problem:
    rng = random.Random(seed)
    sessions = []
    next_slot = next_table = 0
    for index in range(2):
        slot_count, table_count = rng.randint(8, 12), rng.randint(30, 60)
        slots = tuple(range(next_slot, next_slot + slot_count))
        tables = tuple(range(next_table, next_table + table_count))
        next_slot += slot_count
        next_table += table_count
        sessions.append(
            Session(
                id=index,
                slots=slots,
                tables=tables,
                max_per_person=rng.randint(5, 7) if index == 0 else None,
            )
        )
    every_slot = [slot for session in sessions for slot in session.slots]
    busy: dict[int, set[int]] = {}
    for person in range(people):
        taken: set[int] = set()
        if rng.random() < 0.15:  # marked a few slots unavailable
            taken.update(rng.sample(every_slot, rng.randint(1, 3)))
        if rng.random() < 0.2:  # booked an agenda session over a few consecutive slots
            session = rng.choice(sessions)
            start = rng.randrange(len(session.slots) - 3)
            taken.update(session.slots[start : start + rng.randint(2, 4)])
        if taken:
            busy[person] = frozenset(taken)
    all_requests = [
        Request(id=i, people=pair, preferred_session=rng.choice([None, None, 0, 1]))
        for i, pair in enumerate(pairs(rng, people, requests))
    ]
    # About 3% already in place (an organizer placed them, some locked): fixed.
    fixed_share = rng.sample(all_requests, requests * 3 // 100)
    placed = greedy_schedule(Problem(sessions=sessions, requests=fixed_share, busy=busy))
    people_of = {r.id: r.people for r in fixed_share}
    fixed = [Fixed(p.request, people_of[p.request], p.slot, p.table) for p in placed]
    fixed_ids = {f.request for f in fixed}
    return Problem(
        sessions=sessions,
        requests=[r for r in all_requests if r.id not in fixed_ids],
        fixed=fixed,
        busy={person: frozenset(slots) for person, slots in busy.items()},
    )


def describe(problem: Problem) -> str:
    slots = sum(len(s.slots) for s in problem.sessions)
    tables = "/".join(str(len(s.tables)) for s in problem.sessions)
    return (
        f"{len(problem.requests)} to place, {len(problem.fixed)} fixed, "
        f"{slots} slots, {tables} tables"
    )


def pure(time_limit: float, seed: int) -> None:
    print(f"time limit {time_limit:g} s, seed {seed}, CPU cores {os.cpu_count()}")
    header = "| people | accepted | pass | scheduled | share | bound | gap to bound | s | checker |"
    print(header)
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for people, requests in CASES:
        problem = generate(people, requests, seed)
        print(f"<!-- {people}/{requests}: {describe(problem)} -->")
        accepted = len(problem.requests) + len(problem.fixed)
        started = time.monotonic()
        greedy = greedy_schedule(problem)
        greedy_s = time.monotonic() - started
        started = time.monotonic()
        result = solve(problem, time_limit=time_limit, seed=seed)
        solver_s = time.monotonic() - started
        kept = len(problem.fixed)
        bound = kept + result.bound
        for name, placements, seconds in (
            ("greedy", greedy, greedy_s),
            (f"{result.solver} ({result.status})", result.placements, solver_s),
        ):
            result.placements, saved = placements, result.placements
            broken = violations(problem, full_schedule(problem, result))
            result.placements = saved
            scheduled = kept + len(placements)
            verdict = "ok" if not broken else f"{len(broken)} violations: {broken[0]}"
            print(
                f"| {people} | {accepted:,} | {name} | {scheduled:,} | "
                f"{100 * scheduled / accepted:.1f}% | {bound:,} | "
                f"{100 * (bound - scheduled) / bound:.2f}% | {seconds:.2f} | {verdict} |"
            )
        print(f"<!-- notes: {'; '.join(result.notes)} -->")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    pure(args.time_limit, args.seed)


if __name__ == "__main__":
    main()
