"""The automatic scheduler with the real parts: a Celery worker takes the run from Redis
and writes it to PostgreSQL; and a run writes while participants and organizers change
the same requests and slots from other connections.

The race: one thread runs the scheduler over accepted requests while, at the same
moment (a barrier), other threads accept new requests, cancel accepted ones and place
some of the same requests by hand (the organizers' quick-schedule), each with its own
database connection. Each slot-seat INSERT sleeps inside its transaction (a trigger of
the test database, as in ``test_b2b_concurrency.py``), so the writes overlap. Whatever
the order, the meetings in the database keep every rule (checked from the requests
themselves, not from the seats the constraints guard) and no accepted request is lost.
"""

from collections import Counter

import pytest

from matchmaking.models import B2BSession, Matchmaking, MeetingRequest, SchedulingRun, SlotSeat
from matchmaking.services.requests import (
    request_accept,
    request_cancel,
    request_create,
    request_schedule,
)
from matchmaking.services.scheduling import scheduling_run, scheduling_start
from tests.integration.b2b_races import race, slow_seat_inserts
from tests.integration.worker import celery_worker  # noqa: F401 (fixture)
from tests.matchmaking.b2b import b2b_meeting, person, slots

Status = MeetingRequest.Status
SLOW_SEAT_MS = 30


def by_organizers(**kwargs):
    return b2b_meeting(scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS, **kwargs)


def accepted(requester, recipient) -> MeetingRequest:
    request = request_create(requester=requester, recipient=recipient)
    return request_accept(request=request, by=recipient)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_scheduler_and_writes_the_meetings(celery_worker):  # noqa: F811
    meeting = by_organizers(tables=2)
    people = [person(meeting) for _ in range(4)]
    requests = [accepted(people[0], other) for other in people[1:]]

    run = scheduling_start(meeting=meeting, time_limit_seconds=5)  # enqueued on commit

    def finished() -> bool:
        return SchedulingRun.objects.get(pk=run.pk).is_finished

    assert celery_worker.wait_for(finished, timeout=60), celery_worker.output()
    run.refresh_from_db()
    assert (run.status, run.requests_placed, run.requests_scheduled) == ("done", 3, 3)
    statuses = MeetingRequest.objects.filter(pk__in=[r.pk for r in requests])
    assert set(statuses.values_list("status", flat=True)) == {Status.SCHEDULED}
    assert SlotSeat.objects.filter(slot__b2b_session__meeting=meeting).count() == 6


@pytest.fixture
def slow_seats(transactional_db):
    with slow_seat_inserts(SLOW_SEAT_MS):
        yield


def assert_meetings_keep_every_rule(meeting) -> None:
    scheduled = list(
        MeetingRequest.objects.filter(meeting=meeting, status=Status.SCHEDULED).values_list(
            "pk", "requester_id", "recipient_id", "slot_id", "table_id", "slot__b2b_session_id"
        )
    )
    places = Counter((person, slot) for _pk, a, b, slot, _t, _s in scheduled for person in (a, b))
    tables = Counter((slot, table) for _pk, _a, _b, slot, table, _s in scheduled)
    assert [key for key, count in places.items() if count > 1] == []
    assert [key for key, count in tables.items() if count > 1] == []
    limits = dict(
        B2BSession.objects.filter(meeting=meeting).values_list("pk", "max_meetings_per_person")
    )
    per_session = Counter((p, s) for _pk, a, b, _sl, _t, s in scheduled for p in (a, b))
    assert all(limits[s] is None or n <= limits[s] for (_p, s), n in per_session.items())
    seats = set(
        SlotSeat.objects.filter(slot__b2b_session__meeting=meeting).values_list(
            "request_id", "registration_id", "slot_id"
        )
    )
    assert seats == {(pk, p, slot) for pk, a, b, slot, _t, _s in scheduled for p in (a, b)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_run_writing_while_people_accept_cancel_and_organizers_place(settings, slow_seats):
    settings.LOCK_TIMEOUT_MS = 30000  # many transactions queue on the same rows; none gives up
    meeting = by_organizers(tables=3)
    people = [person(meeting) for _ in range(10)]
    first, second, third = slots(meeting)
    # Everybody asked the next two people: 20 requests, a ring where everyone is busy.
    pairs = [(people[i], people[(i + step) % 10]) for i in range(10) for step in (1, 3)]
    to_place = [accepted(a, b) for a, b in pairs[:14]]
    waiting = [request_create(requester=a, recipient=b) for a, b in pairs[14:]]
    to_cancel, by_hand = to_place[:3], to_place[3:7]
    run = scheduling_start(meeting=meeting, time_limit_seconds=5)
    calls = [lambda: scheduling_run(run_id=run.pk)]
    calls += [lambda r=r: request_accept(request=r, by=r.recipient) for r in waiting]
    calls += [lambda r=r: request_cancel(request=r, by=r.requester) for r in to_cancel]
    calls += [
        lambda r=r, s=s: request_schedule(request=r, slot_id=s.pk)
        for r, s in zip(by_hand, [first, second, third, first], strict=True)
    ]

    results = race(calls)

    run.refresh_from_db()
    assert run.status == "done", run.error
    assert results[0] == "ok"
    # Refusals are the rules' clean answers, never a crash.
    assert all(
        r == "ok" or "not free" in r or "No table" in r or "already" in r for r in results
    ), results
    assert_meetings_keep_every_rule(meeting)
    status = dict(MeetingRequest.objects.filter(meeting=meeting).values_list("pk", "status"))
    cancelled = {r.pk for r in to_cancel}
    for request in to_place:
        if request.pk in cancelled:
            # Cancelled by its person: before the run wrote it, or after (a scheduled meeting).
            assert status[request.pk] == Status.CANCELLED
        else:
            assert status[request.pk] in (Status.SCHEDULED, Status.ACCEPTED)
    for request in waiting:  # accepted meanwhile: placed if the run saw it, else waiting
        assert status[request.pk] in (Status.ACCEPTED, Status.SCHEDULED)
    placed = MeetingRequest.objects.filter(meeting=meeting, status=Status.SCHEDULED).count()
    assert run.requests_scheduled <= placed + len(to_cancel)
    print(
        f"run placed {run.requests_placed}, skipped {run.requests_skipped} "
        f"in {run.duration_ms} ms; "
        f"{placed} meetings in the end; racers: {Counter(results)}"
    )
