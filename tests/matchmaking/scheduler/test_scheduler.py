"""The scheduler's core, without a database: every schedule it returns keeps every rule
(checked by ``check.py``, which shares nothing with the solver), holds at least as many
meetings as greedy, keeps the fixed meetings, and its bound really bounds: on tiny
instances it is compared with the true optimum found by brute force."""

import itertools
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.scheduler import check
from matchmaking.scheduler.check import full_schedule, violations
from matchmaking.scheduler.greedy import greedy_schedule
from matchmaking.scheduler.problem import Fixed, Placement, Problem, Request, Result, Session
from matchmaking.scheduler.solver import solve


@st.composite
def problems(draw, max_requests: int = 10, max_slots: int = 4):
    sessions, slot_id, table_id = [], 100, 500
    for index in range(draw(st.integers(1, 2))):
        slots = tuple(range(slot_id, slot_id + draw(st.integers(1, max_slots))))
        tables = tuple(range(table_id, table_id + draw(st.integers(1, 3))))
        slot_id += len(slots)
        table_id += len(tables)
        limit = draw(st.one_of(st.none(), st.integers(1, 2)))
        sessions.append(Session(id=index + 1, slots=slots, tables=tables, max_per_person=limit))
    every_slot = [slot for session in sessions for slot in session.slots]
    people = list(range(1, draw(st.integers(2, 7)) + 1))
    pairs = list(itertools.combinations(people, 2))
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=max_requests))
    requests = [
        Request(
            id=index + 1,
            people=pair,
            preferred_session=draw(st.one_of(st.none(), st.sampled_from([1, 2]))),
        )
        for index, pair in enumerate(chosen)
    ]
    busy = {
        person: frozenset(draw(st.lists(st.sampled_from(every_slot), max_size=2)))
        for person in people
    }
    closed = frozenset(draw(st.lists(st.sampled_from(every_slot), max_size=1)))
    # Some requests were placed before (by greedy on their own): fixed meetings.
    fixed_count = draw(st.integers(0, min(3, len(requests))))
    before = Problem(sessions=sessions, requests=requests[:fixed_count], busy=busy)
    fixed = [
        Fixed(p.request, requests[p.request - 1].people, p.slot, p.table)
        for p in greedy_schedule(before)
    ]
    placed = {meeting.request for meeting in fixed}
    return Problem(
        sessions=sessions,
        requests=[r for r in requests if r.id not in placed],
        fixed=fixed,
        busy=busy,
        closed=closed,
    )


def brute_force_optimum(problem: Problem) -> int:
    """The most new meetings of any valid schedule, by trying every assignment."""
    slots = [slot for session in problem.sessions for slot in session.slots]
    free = problem.free_tables()
    best = 0
    for assignment in itertools.product([None, *slots], repeat=len(problem.requests)):
        given: dict[int, int] = defaultdict(int)
        placements = []
        for request, slot in zip(problem.requests, assignment, strict=True):
            if slot is None:
                continue
            tables = free.get(slot, [])
            table = tables[given[slot]] if given[slot] < len(tables) else -1
            given[slot] += 1
            placements.append(Placement(request.id, slot, table))
        if len(placements) <= best:
            continue
        result = Result(placements=placements, solver="", status="", bound=0, greedy=0)
        if not violations(problem, full_schedule(problem, result)):
            best = len(placements)
    return best


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(problems())
def test_the_solver_keeps_every_rule_and_never_places_fewer_than_greedy(problem):
    greedy = greedy_schedule(problem)
    greedy_result = Result(placements=greedy, solver="greedy", status="", bound=0, greedy=0)

    result = solve(problem, time_limit=5)

    assert violations(problem, full_schedule(problem, greedy_result)) == []
    assert violations(problem, full_schedule(problem, result)) == []
    assert result.placed >= len(greedy) == result.greedy
    assert result.bound >= result.placed
    placed = {p.request for p in result.placements}
    assert placed.isdisjoint({meeting.request for meeting in problem.fixed})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_requests=5, max_slots=2))
def test_on_tiny_instances_the_solver_finds_the_optimum_and_the_bound_holds(problem):
    optimum = brute_force_optimum(problem)

    result = solve(problem, time_limit=5)

    assert result.placed == optimum
    assert result.bound >= optimum


def test_the_solver_beats_first_free_slot_where_greedy_blocks_itself():
    """Ana meets Ben (free in both slots) and Carla (free only in the first); one table.
    Greedy gives Ben the first slot and Carla nothing; the solver fits both."""
    problem = Problem(
        sessions=[Session(id=1, slots=(10, 11), tables=(1,))],
        requests=[Request(1, (1, 2)), Request(2, (1, 3))],
        busy={3: frozenset({11})},
    )

    result = solve(problem, time_limit=5)

    assert len(greedy_schedule(problem)) == 1
    assert sorted(result.placements, key=lambda p: p.request) == [
        Placement(1, 11, 1),
        Placement(2, 10, 1),
    ]
    assert (result.solver, result.status, result.bound, result.greedy) == (
        "cp-sat",
        "OPTIMAL",
        2,
        1,
    )


def test_among_equal_counts_the_solver_leaves_no_idle_gap():
    """Ana meets Ben (free all afternoon) and Carla (busy in the first two slots): greedy
    puts Ben first and Carla third, leaving Ana idle in between; the solver does not."""
    problem = Problem(
        sessions=[Session(id=1, slots=(10, 11, 12, 13), tables=(1, 2))],
        requests=[Request(1, (1, 2)), Request(2, (1, 3))],
        busy={3: frozenset({10, 11})},
    )
    greedy = {p.request: p.slot for p in greedy_schedule(problem)}

    result = solve(problem, time_limit=5)

    slots = sorted(p.slot for p in result.placements)
    assert greedy == {1: 10, 2: 12}
    assert slots in ([11, 12], [12, 13])


def test_the_solver_honours_the_preferred_session_when_it_costs_nothing():
    problem = Problem(
        sessions=[
            Session(id=1, slots=(10,), tables=(1,)),
            Session(id=2, slots=(20,), tables=(2,)),
        ],
        requests=[Request(1, (1, 2), preferred_session=2)],
    )

    result = solve(problem, time_limit=5)

    assert result.placements == [Placement(1, 20, 2)]


def test_fixed_meetings_take_their_people_tables_and_share_of_the_maximum():
    """Ana already meets Ben at table 1 in the first slot, and may have two meetings:
    one more, not in that slot, and Dan and Eva get the free table beside them."""
    problem = Problem(
        sessions=[Session(id=1, slots=(10, 11), tables=(1, 2), max_per_person=2)],
        requests=[Request(2, (1, 3)), Request(3, (1, 4)), Request(4, (5, 6))],
        fixed=[Fixed(1, (1, 2), 10, 1)],
    )

    result = solve(problem, time_limit=5)

    assert violations(problem, full_schedule(problem, result)) == []
    assert result.placed == 2
    ana = [p for p in result.placements if p.request in (2, 3)]
    assert [(p.slot, p.table) for p in ana] in ([(11, 1)], [(11, 2)])
    assert Placement(4, 10, 2) in result.placements or any(
        p.request == 4 and p.slot == 11 for p in result.placements
    )


def test_a_solver_failure_falls_back_to_the_greedy_schedule(monkeypatch):
    problem = Problem(
        sessions=[Session(id=1, slots=(10, 11), tables=(1,))],
        requests=[Request(1, (1, 2)), Request(2, (1, 3))],
        busy={3: frozenset({11})},
    )

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr("matchmaking.scheduler.solver._relaxation", broken)
    result = solve(problem, time_limit=5)

    assert (result.solver, result.status) == ("greedy", "ERROR")
    assert result.placements == greedy_schedule(problem)
    assert violations(problem, full_schedule(problem, result)) == []


# --- the checker can fail -------------------------------------------------------------------


def checker_problem() -> Problem:
    return Problem(
        sessions=[
            Session(id=1, slots=(10, 11), tables=(1, 2), max_per_person=1),
            Session(id=2, slots=(20,), tables=(3,)),
        ],
        requests=[Request(2, (1, 3)), Request(3, (4, 5)), Request(4, (6, 7))],
        fixed=[Fixed(1, (1, 2), 10, 1)],
        busy={6: frozenset({20})},
        closed=frozenset({11}),
    )


def kinds(schedule) -> list[str]:
    return sorted({v.kind for v in violations(checker_problem(), schedule)})


def test_the_checker_accepts_a_valid_schedule():
    fixed = Placement(1, 10, 1)
    assert kinds([fixed, Placement(2, 20, 3), Placement(3, 10, 2)]) == []


def test_the_checker_names_each_broken_rule():
    fixed = Placement(1, 10, 1)
    assert kinds([fixed, Placement(2, 10, 2)]) == [check.OVER_MAXIMUM, check.TWO_PLACES]
    assert kinds([fixed, Placement(3, 10, 1)]) == [check.TABLE_TWICE]
    assert kinds([fixed, Placement(4, 20, 3)]) == [check.BUSY]
    assert kinds([fixed, Placement(3, 11, 1)]) == [check.CLOSED_SLOT]
    assert kinds([fixed, Placement(3, 99, 1)]) == [check.UNKNOWN_SLOT]
    assert kinds([fixed, Placement(3, 20, 1)]) == [check.UNKNOWN_TABLE]
    assert kinds([fixed, Placement(9, 20, 3)]) == [check.UNKNOWN_REQUEST]
    assert kinds([fixed, Placement(3, 20, 3), Placement(3, 10, 2)]) == [check.PLACED_TWICE]
    assert kinds([Placement(1, 10, 2)]) == [check.FIXED_MOVED]
    assert kinds([Placement(3, 20, 3)]) == [check.FIXED_MOVED]
