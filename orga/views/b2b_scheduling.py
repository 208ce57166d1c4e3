"""The automatic scheduler in the workspace: start a run ("schedule the rest"), follow it.

The run itself is a worker's task (``matchmaking.services.scheduling``); its page
shows the stage and the progress, polling a small JSON view while it runs (a
meta refresh does the same without JavaScript), and then the result.
"""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.decorators import organizer_required
from matchmaking.models import SchedulingRun
from matchmaking.selectors import scheduling_run_get, scheduling_run_latest
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.scheduling import scheduling_start, stage_label
from orga.b2b_links import board_url
from orga.scheduling_forms import ScheduleForm


def scheduling_context(meeting) -> dict:
    """What ``orga/b2b/_scheduling.html`` needs, for the pages that include it."""
    return {
        "latest_run": scheduling_run_latest(meeting=meeting),
        "schedule_form": ScheduleForm(meeting=meeting),
    }


@require_POST
@organizer_required
def schedule(request, meeting):
    """Start a run over the accepted requests; its page follows it."""
    form = ScheduleForm(request.POST, meeting=meeting)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(board_url(meeting))
    try:
        run = scheduling_start(
            meeting=meeting,
            started_by=request.user,
            b2b_session=form.cleaned_data["b2b_session"],
            time_limit_seconds=form.cleaned_data["time_limit_seconds"],
        )
    except MatchmakingError as exc:
        messages.error(request, str(exc))
        return redirect(board_url(meeting))
    return redirect("orga:b2b-run", slug=meeting.slug, pk=run.pk)


def _run_or_404(meeting, pk: int) -> SchedulingRun:
    run = scheduling_run_get(meeting=meeting, pk=pk)
    if run is None:
        raise Http404("No such scheduling run.")
    return run


def summary(run: SchedulingRun) -> str:
    """The result in one sentence an organizer can trust (a finished run)."""
    if run.status != SchedulingRun.Status.DONE:
        return ""
    parts = [
        _("Scheduled %(scheduled)s of %(accepted)s accepted requests")
        % {"scheduled": f"{run.requests_scheduled:,}", "accepted": f"{run.requests_accepted:,}"}
    ]
    if run.bound is not None:
        if run.bound <= (run.requests_scheduled or 0):
            parts.append(_("no schedule can hold more"))
        else:
            parts.append(_("the best possible is at most %(bound)s") % {"bound": f"{run.bound:,}"})
    if run.greedy_scheduled is not None:
        parts.append(
            _("a first-free-slot pass would have scheduled %(greedy)s")
            % {"greedy": f"{run.greedy_scheduled:,}"}
        )
    text = "; ".join(str(part) for part in parts) + "."
    if run.requests_skipped:
        text += " " + _(
            "%(count)s placements were left out because their requests or people changed "
            "meanwhile; those requests stay accepted."
        ) % {"count": f"{run.requests_skipped:,}"}
    return text


def run_state(run: SchedulingRun) -> dict:
    return {
        "status": run.status,
        "status_label": run.get_status_display(),
        "finished": run.is_finished,
        "progress": run.progress,
        "stage": stage_label(run),
        "solver": run.get_solver_display() if run.solver else "",
        "solver_status": run.solver_status,
        "accepted": run.requests_accepted,
        "scheduled": run.requests_scheduled,
        "placed": run.requests_placed,
        "skipped": run.requests_skipped,
        "greedy": run.greedy_scheduled,
        "bound": run.bound,
        "duration_ms": run.duration_ms,
        "seconds": f"{run.duration_ms / 1000:.1f}" if run.duration_ms is not None else "",
        "error": run.error,
        "summary": summary(run),
    }


@organizer_required
def run_detail(request, meeting, pk: int):
    run = _run_or_404(meeting, pk)
    return render(
        request,
        "orga/b2b/run.html",
        {
            "meeting": meeting,
            "section": "matchmaking",
            "run": run,
            "state": run_state(run),
            "back": board_url(meeting),
        },
    )


@organizer_required
def run_json(request, meeting, pk: int):
    run = _run_or_404(meeting, pk)
    response = JsonResponse(run_state(run))
    response["Cache-Control"] = "no-store"
    return response
