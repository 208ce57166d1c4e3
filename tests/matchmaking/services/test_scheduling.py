"""The automatic scheduler's service on the database: what a run reads (accepted requests,
who is free when, meetings already in place), what it writes in one transaction under the
locks, what it records, and that a failure writes nothing."""

import datetime as dt

import pytest

from mail.models import OutboxMessage
from matchmaking.models import Matchmaking, MeetingRequest, Profile, SchedulingRun, SlotSeat
from matchmaking.scheduler import solver as solver_module
from matchmaking.services import scheduling
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.requests import (
    request_accept,
    request_cancel,
    request_create,
    request_schedule,
)
from matchmaking.services.scheduling import scheduling_run, scheduling_start
from matchmaking.services.setup import matchmaking_update
from registrations.models import Registration
from tests.factories import SessionBookingFactory, SessionFactory, at
from tests.matchmaking.b2b import b2b_meeting, b2b_session_add, first_session, person, slots

pytestmark = pytest.mark.django_db

Status = MeetingRequest.Status
RunStatus = SchedulingRun.Status


def by_organizers(**kwargs):
    return b2b_meeting(scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS, **kwargs)


def accepted(requester, recipient, **kwargs) -> MeetingRequest:
    request = request_create(requester=requester, recipient=recipient, **kwargs)
    return request_accept(request=request, by=recipient)


def run_now(meeting, **kwargs) -> SchedulingRun:
    """Start a run and run it here (what the worker does), before the meeting."""
    run = scheduling_start(meeting=meeting, time_limit_seconds=5, **kwargs)
    now = kwargs.get("now") or at(meeting, 0, "09:00")
    return scheduling_run(run_id=run.pk, now=now)


def where(request: MeetingRequest):
    request.refresh_from_db()
    return request.status, request.slot_id, request.table_id


def seats(meeting) -> set[tuple[int, int, int]]:
    return set(
        SlotSeat.objects.filter(slot__b2b_session__meeting=meeting).values_list(
            "request_id", "registration_id", "slot_id"
        )
    )


def test_a_run_places_the_accepted_requests_and_records_its_numbers():
    meeting = by_organizers(tables=2)
    ana, ben, carla, dan = (person(meeting) for _ in range(4))
    requests = [accepted(ana, ben), accepted(ana, carla), accepted(ana, dan), accepted(ben, dan)]
    waiting = request_create(requester=carla, recipient=dan)
    emails_before = OutboxMessage.objects.count()

    run = run_now(meeting)

    assert run.status == RunStatus.DONE
    placed = {r.pk: where(r) for r in requests}
    assert all(status == Status.SCHEDULED for status, _slot, _table in placed.values())
    ana_slots = [slot for pk, (_s, slot, _t) in placed.items() if pk != requests[3].pk]
    assert sorted(ana_slots) == [slot.pk for slot in slots(meeting)]
    assert seats(meeting) == {
        (r.pk, person_id, placed[r.pk][1])
        for r in requests
        for person_id in (r.requester_id, r.recipient_id)
    }
    assert where(waiting) == (Status.REQUESTED, None, None)
    assert (
        run.requests_accepted,
        run.requests_scheduled,
        run.requests_placed,
        run.requests_skipped,
        run.bound,
        run.solver,
        run.progress,
        run.stage,
    ) == (4, 4, 4, 0, 4, "cp-sat", 100, "done")
    assert run.greedy_scheduled <= 4
    assert run.duration_ms is not None and run.finished_at is not None
    # No email per placement: the schedule emails tell people (slice "agendas out").
    assert OutboxMessage.objects.count() == emails_before


def test_meetings_in_place_and_locked_ones_stay_put():
    meeting = by_organizers(tables=2)
    ana, ben, carla = person(meeting), person(meeting), person(meeting)
    first, second, third = slots(meeting)
    kept = request_schedule(request=accepted(ana, ben), slot_id=second.pk)
    MeetingRequest.objects.filter(pk=kept.pk).update(locked=True)
    before = where(kept)
    new = accepted(ana, carla)

    run = run_now(meeting)

    assert where(kept) == before
    status, slot, _table = where(new)
    assert status == Status.SCHEDULED and slot in (first.pk, third.pk)
    assert (run.requests_accepted, run.requests_scheduled, run.requests_placed) == (2, 2, 1)


def test_a_run_respects_unavailable_slots_booked_sessions_and_past_slots():
    meeting = by_organizers(tables=2)
    ana, ben, carla, dan = (person(meeting) for _ in range(4))
    first, second, third = slots(meeting)
    Profile.objects.get(registration=ana).unavailable_slots.add(first)
    talk = SessionFactory(meeting=meeting, starts_at=second.starts_at, ends_at=second.ends_at)
    SessionBookingFactory(registration=ben, session=talk)
    with_ana_and_ben = accepted(ana, ben)  # only the third slot is left for them
    carla_dan = accepted(carla, dan)

    run = run_now(meeting, now=first.starts_at)  # the first slot has started

    assert where(with_ana_and_ben)[:2] == (Status.SCHEDULED, third.pk)
    assert where(carla_dan)[1] in (second.pk, third.pk)
    assert run.requests_placed == 2


def test_a_run_keeps_the_most_meetings_per_person_of_the_session():
    meeting = by_organizers(tables=3)
    first_session(meeting).__class__.objects.filter(pk=first_session(meeting).pk).update(
        max_meetings_per_person=2
    )
    ana = person(meeting)
    requests = [accepted(ana, person(meeting)) for _ in range(3)]

    run = run_now(meeting)

    statuses = sorted(where(r)[0] for r in requests)
    assert statuses == [Status.ACCEPTED, Status.SCHEDULED, Status.SCHEDULED]
    assert (run.requests_scheduled, run.bound) == (2, 2)


def test_a_request_whose_person_is_no_longer_confirmed_waits():
    meeting = by_organizers()
    ana, ben = person(meeting), person(meeting)
    request = accepted(ana, ben)
    Registration.objects.filter(pk=ben.pk).update(status=Registration.Status.PENDING)

    run = run_now(meeting)

    assert where(request) == (Status.ACCEPTED, None, None)
    assert (run.status, run.requests_accepted, run.requests_placed) == (RunStatus.DONE, 0, 0)


def test_one_session_only():
    meeting = by_organizers(tables=1)
    later = b2b_session_add(meeting, start="17:00", tables=1)
    ana, ben = person(meeting), person(meeting)
    request = accepted(ana, ben)

    run_now(meeting, b2b_session=later)

    request.refresh_from_db()
    assert request.slot.b2b_session_id == later.pk


def test_what_changed_during_the_solve_is_skipped_and_nothing_is_lost(monkeypatch):
    """While the solver works, one request is cancelled and another is accepted: the
    cancelled one gets no place, the new one stays accepted, the rest are written."""
    meeting = by_organizers(tables=2)
    ana, ben, carla, dan = (person(meeting) for _ in range(4))
    cancelled = accepted(ana, ben)
    kept = accepted(carla, dan)
    late = request_create(requester=ana, recipient=carla)
    real_solve = scheduling.solve

    def solve_while_people_act(problem, **kwargs):
        result = real_solve(problem, **kwargs)
        request_cancel(request=cancelled, by=ana)
        request_accept(request=late, by=carla)
        return result

    monkeypatch.setattr(scheduling, "solve", solve_while_people_act)
    run = run_now(meeting)

    assert where(cancelled) == (Status.CANCELLED, None, None)
    assert where(late) == (Status.ACCEPTED, None, None)
    assert where(kept)[0] == Status.SCHEDULED
    assert (run.requests_placed, run.requests_skipped, run.requests_scheduled) == (1, 1, 1)
    assert {request for request, _p, _s in seats(meeting)} == {kept.pk}


def test_a_failing_solver_marks_the_run_failed_and_writes_nothing(monkeypatch):
    meeting = by_organizers()
    request = accepted(person(meeting), person(meeting))

    def broken(problem, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(scheduling, "solve", broken)
    run = run_now(meeting)

    assert (run.status, run.stage, run.error) == (RunStatus.FAILED, "failed", "RuntimeError")
    assert where(request) == (Status.ACCEPTED, None, None)
    assert seats(meeting) == set()


def test_a_failure_while_writing_rolls_the_whole_result_back(monkeypatch):
    meeting = by_organizers()
    requests = [accepted(person(meeting), person(meeting)) for _ in range(2)]

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SlotSeat.objects, "bulk_create", broken)
    run = run_now(meeting)

    assert run.status == RunStatus.FAILED
    assert [where(r) for r in requests] == [(Status.ACCEPTED, None, None)] * 2
    assert run.requests_placed is None


def test_when_cp_sat_fails_greedy_is_written(monkeypatch):
    meeting = by_organizers()
    request = accepted(person(meeting), person(meeting))
    other = accepted(person(meeting), person(meeting))

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(solver_module, "_fewer_gaps", broken)
    run = run_now(meeting)

    assert (run.status, run.solver, run.solver_status) == (RunStatus.DONE, "greedy", "ERROR")
    assert where(request)[0] == where(other)[0] == Status.SCHEDULED


def test_a_run_reads_and_writes_in_few_queries(django_assert_max_num_queries):
    meeting = by_organizers(tables=4)
    people = [person(meeting) for _ in range(8)]
    for index, requester in enumerate(people):
        accepted(requester, people[(index + 1) % 8])
    run = scheduling_start(meeting=meeting, time_limit_seconds=5)

    # A bounded number whatever the count of requests: bulk writes, availability in 3 reads.
    with django_assert_max_num_queries(35):
        run = scheduling_run(run_id=run.pk, now=at(meeting, 0, "09:00"))

    assert run.requests_placed == 8


# --- starting ------------------------------------------------------------------------------


def test_start_is_refused_when_participants_schedule():
    meeting = b2b_meeting()

    with pytest.raises(MatchmakingError, match="participants pick their own slots"):
        scheduling_start(meeting=meeting)

    assert not SchedulingRun.objects.exists()


def test_start_is_refused_when_matchmaking_is_off():
    meeting = by_organizers()
    matchmaking_update(meeting=meeting, enabled=False)

    with pytest.raises(MatchmakingError, match="off"):
        scheduling_start(meeting=meeting)


@pytest.mark.parametrize("limit", [0, 4, 301, "ten", "²"])
def test_start_refuses_a_time_limit_out_of_range(limit):
    meeting = by_organizers()

    with pytest.raises(MatchmakingError) as refused:
        scheduling_start(meeting=meeting, time_limit_seconds=limit)

    assert refused.value.field == "time_limit_seconds"
    assert not SchedulingRun.objects.exists()


def test_start_refuses_another_meetings_session():
    meeting, other = by_organizers(), by_organizers()

    with pytest.raises(MatchmakingError) as refused:
        scheduling_start(meeting=meeting, b2b_session=first_session(other))

    assert refused.value.field == "b2b_session"


def test_one_run_at_a_time_but_a_lost_one_gives_way(django_capture_on_commit_callbacks):
    meeting = by_organizers()
    with django_capture_on_commit_callbacks() as callbacks:
        first = scheduling_start(meeting=meeting, time_limit_seconds=5)
    assert len(callbacks) == 1  # the task is enqueued once committed

    with pytest.raises(MatchmakingError, match="already under way"):
        scheduling_start(meeting=meeting)

    later = first.created_at + dt.timedelta(seconds=5 + scheduling.STALE_MARGIN_SECONDS + 1)
    second = scheduling_start(meeting=meeting, now=later)
    first.refresh_from_db()
    assert (first.status, second.status) == (RunStatus.FAILED, RunStatus.QUEUED)
    assert "stopped without finishing" in first.error


def test_the_enqueued_task_runs_the_scheduler(django_capture_on_commit_callbacks):
    """Without a broker (tests, the embedded mode) the task runs at once after commit."""
    meeting = by_organizers()
    request = accepted(person(meeting), person(meeting))

    with django_capture_on_commit_callbacks(execute=True):
        run = scheduling_start(meeting=meeting, time_limit_seconds=5)

    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert where(request)[0] == Status.SCHEDULED


def test_a_finished_run_delivered_again_does_nothing():
    meeting = by_organizers()
    run = run_now(meeting)
    finished = run.finished_at

    assert scheduling_run(run_id=run.pk) is None
    run.refresh_from_db()
    assert run.finished_at == finished
