"""The automatic scheduler, as the organizers run it: start a run, the worker solves and
writes the result.

``scheduling_start`` records a ``SchedulingRun`` and enqueues the task once that
commits. The task (``schedule_meetings``, defined here beside its enqueue as
``mail.services`` does; ``matchmaking/tasks.py`` lists it) calls
``scheduling_run``, which

1. reads the problem: the meeting's accepted, unscheduled requests whose two people
   are confirmed; the slots of its confirmed, timed matchmaking sessions (started
   ones closed); the meetings already in place (kept as they are); where people are
   busy, by ``matchmaking.availability``'s one rule;
2. solves it (``matchmaking.scheduler``), writing its stage and progress to the run
   row, each in its own short transaction so the organizer's page sees them;
3. writes the result in ONE transaction under ``people_lock`` (every person
   involved, then every slot, in id order: the lock order of every other write),
   checking each placement again against the database as it is now. What no
   longer holds (a request cancelled, a person no longer free, a table taken) is
   skipped and stays as it was: an accepted request is never lost nor placed twice.

No email per placement (hundreds per run): people learn their schedule from the
preliminary and final schedule emails; their calendar feeds show it at once.
A failure marks the run failed with its error and writes nothing.
"""

import datetime as dt
import logging
import time
from dataclasses import dataclass

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.locking import retry_when_busy
from events.models import Meeting
from matchmaking.availability import availability, b2b_sessions
from matchmaking.models import (
    B2BSession,
    Matchmaking,
    MeetingRequest,
    SchedulingRun,
    Slot,
    SlotSeat,
    Table,
)
from matchmaking.scheduler.problem import Fixed, Problem, Request, Result, Session
from matchmaking.scheduler.solver import solve
from matchmaking.selectors import matchmaking_get
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.locking import people_lock
from registrations.models import Registration

logger = logging.getLogger(__name__)

Status = MeetingRequest.Status
RunStatus = SchedulingRun.Status

DEFAULT_TIME_LIMIT = 20
TIME_LIMIT_RANGE = (5, 300)
# A run queued or running this long after its time limit is taken as lost (a worker
# stopped, a broker emptied): a new run may start, and the old one is marked failed.
STALE_MARGIN_SECONDS = 300

# What the organizers read of a run's stage (the row keeps the key).
STAGES = {
    "queued": gettext_lazy("Waiting for a worker"),
    "reading": gettext_lazy("Reading the requests and who is free when"),
    "greedy": gettext_lazy("First free slot pass"),
    "bound": gettext_lazy("Computing the best possible"),
    "count": gettext_lazy("Placing as many meetings as possible"),
    "gaps": gettext_lazy("Closing idle gaps and honouring preferred sessions"),
    "writing": gettext_lazy("Writing the schedule"),
    "done": gettext_lazy("Done"),
    "failed": gettext_lazy("Failed"),
}


def stage_label(run: SchedulingRun) -> str:
    return str(STAGES.get(run.stage, run.stage))


def _is_stale(run: SchedulingRun, now: dt.datetime) -> bool:
    since = run.started_at or run.created_at
    return now - since > dt.timedelta(seconds=run.time_limit_seconds + STALE_MARGIN_SECONDS)


def _clean_time_limit(value) -> int:
    if value in (None, ""):
        return DEFAULT_TIME_LIMIT
    low, high = TIME_LIMIT_RANGE
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        seconds = None
    if seconds is None or not low <= seconds <= high:
        raise MatchmakingError(
            _("Give a time limit between %(low)d and %(high)d seconds.")
            % {"low": low, "high": high},
            field="time_limit_seconds",
        )
    return seconds


def scheduling_start(
    *,
    meeting: Meeting,
    started_by=None,
    b2b_session: B2BSession | None = None,
    time_limit_seconds: int | None = None,
    now: dt.datetime | None = None,
) -> SchedulingRun:
    """Record a run of the scheduler over the meeting's accepted requests (one
    matchmaking session or all) and enqueue it once committed. Refused when the
    participants schedule, and while another run of the meeting is under way."""
    now = now or timezone.now()
    matchmaking = matchmaking_get(meeting=meeting)
    if matchmaking is None:
        raise MatchmakingError(_("B2B meetings are off for this meeting."))
    if matchmaking.scheduling_mode != Matchmaking.SchedulingMode.ORGANIZERS:
        raise MatchmakingError(
            _(
                "The participants pick their own slots in this meeting. To schedule the "
                "accepted requests, first set “Who schedules” to the organizers."
            )
        )
    if b2b_session is not None and b2b_session.meeting_id != meeting.pk:
        raise MatchmakingError(_("Choose one of this meeting's sessions."), field="b2b_session")
    seconds = _clean_time_limit(time_limit_seconds)
    with transaction.atomic(durable=True):
        # One start at a time per meeting: the settings row is the meeting's B2B lock.
        Matchmaking.objects.select_for_update().get(pk=matchmaking.pk)
        under_way = SchedulingRun.objects.filter(
            meeting=meeting, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
        )
        for other in under_way:
            if not _is_stale(other, now):
                raise MatchmakingError(
                    _("A scheduling run is already under way; wait for it to finish.")
                )
            other.status = RunStatus.FAILED
            other.stage = "failed"
            other.error = _("It stopped without finishing (a worker was lost); nothing written.")
            other.finished_at = now
            other.save(update_fields=["status", "stage", "error", "finished_at"])
        run = SchedulingRun.objects.create(
            meeting=meeting,
            b2b_session=b2b_session,
            time_limit_seconds=seconds,
            started_by=started_by,
            stage="queued",
        )
        transaction.on_commit(lambda: scheduling_enqueue(run_id=run.pk))
    return run


def scheduling_enqueue(*, run_id: int) -> bool:
    """Hand the run to the broker; a broker that cannot be reached fails the run (the
    organizer may start another) rather than the request that started it."""
    try:
        schedule_meetings.delay(run_id)
    except Exception:  # broker down, DNS, timeouts
        logger.warning("Could not enqueue scheduling run %s", run_id, exc_info=True)
        SchedulingRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
            status=RunStatus.FAILED,
            stage="failed",
            error=_("The scheduler could not be reached; nothing was written. Try again."),
            finished_at=timezone.now(),
        )
        return False
    return True


@shared_task(
    name="matchmaking.schedule",
    # Acknowledged only after it ran: a worker that dies mid-run leaves the task with the
    # broker, and the run (which wrote nothing yet, or everything) runs again.
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=TIME_LIMIT_RANGE[1] + STALE_MARGIN_SECONDS - 60,
    time_limit=TIME_LIMIT_RANGE[1] + STALE_MARGIN_SECONDS,
)
def schedule_meetings(run_id: int) -> None:
    scheduling_run(run_id=run_id)


# --- the run -------------------------------------------------------------------------------


@dataclass
class Snapshot:
    """What the run read: the problem, and what the result is measured against."""

    problem: Problem
    accepted: int
    kept: int
    sessions: list[B2BSession]


def _progress(run: SchedulingRun, stage: str, percent: int) -> None:
    # Autocommit: its own short transaction, so the organizer's page sees it at once.
    SchedulingRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        stage=stage, progress=min(max(percent, 0), 100)
    )


def _claim(run_id: int, now: dt.datetime) -> SchedulingRun | None:
    """Mark the run running, unless it already finished (a task delivered twice)."""
    with transaction.atomic():
        run = (
            SchedulingRun.objects.select_for_update(of=("self",))
            .select_related("meeting", "b2b_session")
            .filter(pk=run_id)
            .first()
        )
        if run is None or run.is_finished:
            return None
        run.status = RunStatus.RUNNING
        run.started_at = now
        run.stage = "reading"
        run.progress = 1
        run.save(update_fields=["status", "started_at", "stage", "progress"])
    return run


def scheduling_run(*, run_id: int, now: dt.datetime | None = None) -> SchedulingRun | None:
    """Solve and write the run (the task's body). Never raises: a failure is recorded."""
    now = now or timezone.now()
    run = _claim(run_id, now)
    if run is None:
        return None
    started = time.monotonic()
    try:
        snapshot = _read(run, now)
        result = solve(
            snapshot.problem,
            time_limit=run.time_limit_seconds,
            progress=lambda stage, percent: _progress(run, stage, 5 + percent * 85 // 100),
        )
        _progress(run, "writing", 92)
        _write(run, snapshot, result, now=now, started=started)
    except Exception as exc:
        logger.exception("Scheduling run %s failed", run_id)
        message = exc.message if isinstance(exc, MatchmakingError) else f"{type(exc).__name__}"
        SchedulingRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            stage="failed",
            error=message,
            finished_at=timezone.now(),
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    run.refresh_from_db()
    return run


def _read(run: SchedulingRun, now: dt.datetime) -> Snapshot:
    meeting = run.meeting
    sessions = b2b_sessions(meeting=meeting)
    if run.b2b_session_id is not None:
        sessions = [s for s in sessions if s.pk == run.b2b_session_id]
        if not sessions:
            raise MatchmakingError(
                _("This matchmaking session is not on the agenda (cancelled or without a time).")
            )
    slots = list(Slot.objects.filter(b2b_session__in=sessions).order_by("starts_at", "position"))
    tables = list(Table.objects.filter(b2b_session__in=sessions).order_by("position", "pk"))
    fixed = [
        Fixed(request=pk, people=(requester, recipient), slot=slot, table=table)
        for pk, requester, recipient, slot, table in MeetingRequest.objects.filter(
            meeting=meeting, status=Status.SCHEDULED, slot__b2b_session__in=sessions
        )
        .order_by("pk")
        .values_list("pk", "requester_id", "recipient_id", "slot_id", "table_id")
    ]
    requests = [
        Request(id=pk, people=(requester, recipient), preferred_session=preferred)
        for pk, requester, recipient, preferred in MeetingRequest.objects.filter(
            meeting=meeting,
            status=Status.ACCEPTED,
            requester__status=Registration.Status.CONFIRMED,
            recipient__status=Registration.Status.CONFIRMED,
        )
        .order_by("pk")
        .values_list("pk", "requester_id", "recipient_id", "preferred_session_id")
    ]
    people = sorted({person for request in requests for person in request.people})
    known = availability(registration_ids=people)
    problem = Problem(
        sessions=[
            Session(
                id=b2b_session.pk,
                slots=tuple(s.pk for s in slots if s.b2b_session_id == b2b_session.pk),
                tables=tuple(t.pk for t in tables if t.b2b_session_id == b2b_session.pk),
                max_per_person=b2b_session.max_meetings_per_person,
            )
            for b2b_session in sessions
        ],
        requests=requests,
        fixed=fixed,
        busy={person: frozenset(known.busy(person, slots)) for person in people},
        closed=frozenset(slot.pk for slot in slots if slot.starts_at <= now),
    )
    return Snapshot(
        problem=problem, accepted=len(requests) + len(fixed), kept=len(fixed), sessions=sessions
    )


@retry_when_busy(attempts=3)
def _write(
    run: SchedulingRun, snapshot: Snapshot, result: Result, *, now: dt.datetime, started: float
) -> None:
    """Write what still holds, and the run's numbers, in one transaction under the locks."""
    placements = sorted(result.placements, key=lambda p: p.request)
    people_of = {request.id: request.people for request in snapshot.problem.requests}
    with people_lock(
        registration_ids=[person for p in placements for person in people_of[p.request]],
        slot_ids=[p.slot for p in placements],
    ) as lock:
        requests = {
            request.pk: request
            for request in MeetingRequest.objects.select_for_update(of=("self",)).filter(
                pk__in=[p.request for p in placements], meeting=run.meeting
            )
        }
        known = availability(registration_ids=list(lock.people))
        tables: dict[int, list[int]] = {}
        for table, b2b_session in (
            Table.objects.filter(b2b_session__in=snapshot.sessions)
            .order_by("position", "pk")
            .values_list("pk", "b2b_session_id")
        ):
            tables.setdefault(b2b_session, []).append(table)
        taken = set(
            MeetingRequest.objects.filter(
                slot_id__in=list(lock.slots), status=Status.SCHEDULED
            ).values_list("slot_id", "table_id")
        )
        added_seats: set[tuple[int, int]] = set()
        added_counts: dict[tuple[int, int], int] = {}
        changed, seats = [], []
        for placement in placements:
            request = requests.get(placement.request)
            slot = lock.slots.get(placement.slot)
            if request is None or slot is None or request.status != Status.ACCEPTED:
                continue
            people = [lock.people.get(request.requester_id), lock.people.get(request.recipient_id)]
            if any(
                person is None or person.status != Registration.Status.CONFIRMED
                for person in people
            ):
                continue
            session = slot.b2b_session
            limit = session.max_meetings_per_person
            if slot.starts_at <= now or any(
                (person.pk, slot.pk) in added_seats
                or known.busy(person.pk, [slot])
                or (
                    limit is not None
                    and known.meetings_in(person.pk, session.pk)
                    + added_counts.get((person.pk, session.pk), 0)
                    >= limit
                )
                for person in people
            ):
                continue
            free = [t for t in tables.get(session.pk, []) if (slot.pk, t) not in taken]
            if not free:
                continue
            table = placement.table if placement.table in free else free[0]
            taken.add((slot.pk, table))
            for person in people:
                added_seats.add((person.pk, slot.pk))
                key = (person.pk, session.pk)
                added_counts[key] = added_counts.get(key, 0) + 1
                seats.append(SlotSeat(slot=slot, registration=person, request=request))
            request.status = Status.SCHEDULED
            request.slot = slot
            request.table_id = table
            request.scheduled_at = now
            request.updated_at = timezone.now()
            changed.append(request)
        MeetingRequest.objects.bulk_update(
            changed, ["status", "slot", "table", "scheduled_at", "updated_at"], batch_size=500
        )
        SlotSeat.objects.bulk_create(seats, batch_size=1000)
        scheduled = MeetingRequest.objects.filter(
            meeting=run.meeting, status=Status.SCHEDULED, slot__b2b_session__in=snapshot.sessions
        ).count()
        run.status = RunStatus.DONE
        run.stage = "done"
        run.progress = 100
        run.solver = result.solver
        run.solver_status = result.status[:40]
        run.requests_accepted = snapshot.accepted
        run.requests_scheduled = scheduled
        run.requests_placed = len(changed)
        run.requests_skipped = len(placements) - len(changed)
        run.greedy_scheduled = snapshot.kept + result.greedy
        run.bound = max(snapshot.kept + result.bound, scheduled)
        run.finished_at = timezone.now()
        run.duration_ms = int((time.monotonic() - started) * 1000)
        run.error = ""
        run.save()
