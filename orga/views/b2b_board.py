"""The organizers' meetings board: one grid per matchmaking session (slots × tables), the
accepted requests still waiting for a place beside it, and the numbers.

Every change goes through ``matchmaking.services``: a move is ``request_schedule``
(refused with what it clashes with), "Schedule" is ``request_schedule_first_free``,
the lock is ``request_lock``. The move endpoint answers the board's script in
JSON (``Accept: application/json``) and a plain form with a redirect and a message.
"""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.decorators import organizer_required
from events.text import one_line
from matchmaking.ical import table_label
from matchmaking.models import Matchmaking, MeetingRequest
from matchmaking.selectors import matchmaking_settings
from matchmaking.services.errors import MatchmakingBusy, MatchmakingError
from matchmaking.services.placing import request_lock, request_schedule_first_free
from matchmaking.services.requests import request_schedule
from orga.b2b_board_forms import BoardLockForm, BoardMoveForm
from orga.b2b_board_selectors import (
    board_grid,
    board_people,
    board_sessions,
    requests_waiting_for_a_place,
)
from orga.b2b_links import board_url
from orga.matchmaking_selectors import organizer_request, request_counts
from orga.views.b2b_scheduling import scheduling_context

Status = MeetingRequest.Status
COUNTED = [Status.REQUESTED, Status.ACCEPTED, Status.SCHEDULED, Status.DECLINED, Status.CANCELLED]


def _chosen(request, sessions):
    """The session of ``?session=<id>`` (one of this meeting's, else 404), or the first."""
    wanted = request.GET.get("session", "")
    if not wanted:
        return sessions[0] if sessions else None
    for b2b_session in sessions:
        if str(b2b_session.pk) == wanted:
            return b2b_session
    raise Http404("No such matchmaking session in this meeting.")


@organizer_required
def board(request, meeting):
    sessions = board_sessions(meeting=meeting)
    chosen = _chosen(request, sessions)
    counts = request_counts(meeting=meeting)
    people = board_people(meeting=meeting)
    matchmaking = matchmaking_settings(meeting=meeting)
    organizers_schedule = matchmaking.scheduling_mode == Matchmaking.SchedulingMode.ORGANIZERS
    return render(
        request,
        "orga/b2b/board.html",
        {
            "meeting": meeting,
            "section": "matchmaking",
            "tab": "board",
            "matchmaking": matchmaking,
            "organizers_schedule": organizers_schedule,
            "sessions": sessions,
            "chosen": chosen,
            "grid": board_grid(b2b_session=chosen) if chosen else None,
            "waiting": list(requests_waiting_for_a_place(meeting=meeting)),
            "counts": [(status, status.label, counts[status]) for status in COUNTED],
            "total": sum(counts.values()),
            "people": people,
            "alone": [profile for profile in people if profile.alone],
            "now": timezone.now(),
            **(scheduling_context(meeting) if organizers_schedule else {}),
        },
    )


def _answer(request, *, ok: bool, text: str, back: str, status: int = 200):
    """The script gets JSON (and reloads on success, showing the message); a plain form
    gets the message and a redirect to the board."""
    if "application/json" in request.headers.get("Accept", ""):
        if ok:
            messages.success(request, text)
            return JsonResponse({"ok": True, "message": text})
        return JsonResponse({"ok": False, "error": text}, status=status)
    (messages.success if ok else messages.error)(request, text)
    return redirect(back)


def _placed_text(meeting_request: MeetingRequest, meeting) -> str:
    return _("%(first)s and %(second)s meet at %(time)s (%(table)s); both are emailed.") % {
        "first": one_line(meeting_request.requester.full_name),
        "second": one_line(meeting_request.recipient.full_name),
        "time": timezone.localtime(meeting_request.slot.starts_at, meeting.tzinfo).strftime(
            "%H:%M"
        ),
        "table": table_label(meeting_request.table),
    }


@require_POST
@organizer_required
def move(request, meeting):
    """Put a meeting (scheduled or accepted) on a slot at a table: what a drop does."""
    form = BoardMoveForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _answer(
            request, ok=False, text=form.first_error(), back=board_url(meeting), status=400
        )
    meeting_request = form.cleaned_data["request"]
    slot, table = form.cleaned_data["slot"], form.cleaned_data["table"]
    back = board_url(meeting, slot.b2b_session_id)
    was = (meeting_request.status, meeting_request.slot_id, meeting_request.table_id)
    try:
        placed = request_schedule(request=meeting_request, slot_id=slot.pk, table_id=table.pk)
    except MatchmakingError as exc:
        status = 503 if isinstance(exc, MatchmakingBusy) else 409
        return _answer(request, ok=False, text=str(exc), back=back, status=status)
    if (placed.status, placed.slot_id, placed.table_id) == was:
        return _answer(request, ok=True, text=_("Nothing changed."), back=back)
    return _answer(request, ok=True, text=_placed_text(placed, meeting), back=back)


def _shown_session(request, meeting) -> int | None:
    """The session the board showed (posted back as ``session``), if it is this meeting's."""
    shown = request.POST.get("session", "")
    ids = {b2b_session.pk for b2b_session in board_sessions(meeting=meeting)}
    return int(shown) if shown.isascii() and shown.isdigit() and int(shown) in ids else None


def _request_or_404(meeting, pk: int) -> MeetingRequest:
    found = organizer_request(meeting=meeting, pk=pk)
    if found is None:
        raise Http404("No such request.")
    return found


@require_POST
@organizer_required
def lock(request, meeting, pk: int):
    """Lock a scheduled meeting in place, or unlock it (``locked`` = 1 or 0)."""
    meeting_request = _request_or_404(meeting, pk)
    session_id = meeting_request.slot.b2b_session_id if meeting_request.slot else None
    back = board_url(meeting, session_id, f"meeting-{meeting_request.pk}")
    form = BoardLockForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect(back)
    locked = form.cleaned_data["locked"]
    try:
        request_lock(request=meeting_request, locked=locked)
    except MatchmakingError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    names = {
        "first": one_line(meeting_request.requester.full_name),
        "second": one_line(meeting_request.recipient.full_name),
    }
    if locked:
        text = _("Locked: %(first)s and %(second)s stay where they are.") % names
    else:
        text = _("Unlocked: the meeting of %(first)s and %(second)s can move again.") % names
    messages.success(request, text)
    return redirect(back)


@require_POST
@organizer_required
def quick_schedule(request, meeting, pk: int):
    """Schedule one accepted request at the first place where both people and a table are
    free (its preferred session first)."""
    meeting_request = _request_or_404(meeting, pk)
    try:
        placed = request_schedule_first_free(request=meeting_request)
    except MatchmakingError as exc:
        messages.error(request, str(exc))
        return redirect(board_url(meeting, _shown_session(request, meeting), f"request-{pk}"))
    messages.success(request, _placed_text(placed, meeting))
    return redirect(board_url(meeting, placed.slot.b2b_session_id, f"meeting-{placed.pk}"))
