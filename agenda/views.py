"""Public agenda pages (agenda, session, speaker) and the organizers' agenda board.

Thin: a selector reads, a service writes, an AgendaError becomes a message
or a form error on the page.
"""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from agenda import selectors, services
from agenda.filters import SessionFilterSet, last_values
from agenda.forms import AgendaUploadForm, SessionForm, SessionMoveForm
from agenda.grid import build_grid
from agenda.importers import ImportFailed, import_agenda, parse_upload
from agenda.models import Session
from agenda.search import LIMIT, SearchQueryInvalid, meeting_search, search_text_clean
from events.decorators import organizer_required
from events.selectors import is_organizer, meeting_get_visible


def _default_day(meeting, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate(timezone=meeting.tzinfo)
    return today if today in meeting.days else meeting.starts_on


def agenda(request, slug: str):
    meeting = meeting_get_visible(slug=slug, user=request.user)
    # One value per filter; a value of the wrong shape is shown and every filter left out.
    filterset = SessionFilterSet(last_values(request.GET), meeting=meeting)
    chosen = dict(filterset.form.cleaned_data) if filterset.is_valid() else {}
    days = chosen.pop("day", [])
    day = days[-1] if days else None
    now = timezone.now()
    today = timezone.localdate(now, meeting.tzinfo)
    if day not in meeting.days:
        day = _default_day(meeting, today)
    chosen = {name: values for name, values in chosen.items() if values}
    sessions = list(
        filterset.filter_by(selectors.session_list_public(meeting=meeting), day=[day], **chosen)
    )
    filters = {name: values[-1] for name, values in chosen.items()}
    tab_query = urlencode(filters)
    context = {
        "meeting": meeting,
        "form": filterset.form,
        "day": day,
        "days": meeting.days,
        "grid": build_grid(sessions, zone=meeting.tzinfo, now=now),
        "now": now,
        # During the meeting, other days link to today's grid at the current time.
        "live_day": today if today in meeting.days else None,
        "tracks": list(selectors.track_list(meeting=meeting)),
        "rooms": list(selectors.room_list(meeting=meeting)),
        "kinds": Session.Kind.choices,
        "filters": filters,
        "tab_query": tab_query,
        # Subscriptions follow the track/room/kind filters on every day: the day
        # tabs are navigation, and a feed of one day is rarely what people want.
        "filter_query": tab_query,
        "is_organizer": is_organizer(request.user, meeting),
    }
    return render(request, "agenda/agenda.html", context)


def session_detail(request, slug: str, pk: int):
    meeting = meeting_get_visible(slug=slug, user=request.user)
    organizer = is_organizer(request.user, meeting)
    session = selectors.session_get_visible(meeting=meeting, pk=pk, organizer=organizer)
    return render(
        request,
        "agenda/session_detail.html",
        {"meeting": meeting, "session": session, "is_organizer": organizer},
    )


def speaker_detail(request, slug: str, speaker: str):
    meeting = meeting_get_visible(slug=slug, user=request.user)
    organizer = is_organizer(request.user, meeting)
    person = selectors.speaker_get_public(meeting=meeting, slug=speaker, organizer=organizer)
    return render(request, "agenda/speaker_detail.html", {"meeting": meeting, "speaker": person})


def speaker_list(request, slug: str):
    meeting = meeting_get_visible(slug=slug, user=request.user)
    speakers = list(selectors.speaker_list_public(meeting=meeting))
    return render(request, "agenda/speaker_list.html", {"meeting": meeting, "speakers": speakers})


def search(request, slug: str):
    """``?q=``: sessions, speakers and organisations of the meeting's published agenda.

    Without ``q`` the page is the search box; a query with no word or too long is
    shown back with what is wrong (400).
    """
    meeting = meeting_get_visible(slug=slug, user=request.user)
    context = {"meeting": meeting, "results": None, "error": "", "search_limit": LIMIT}
    status = 200
    if "q" in request.GET:
        text = search_text_clean(request.GET["q"])
        context["search_text"] = text
        try:
            context["results"] = meeting_search(meeting=meeting, text=text)
        except SearchQueryInvalid as exc:
            context["error"] = str(exc)
            status = 400
    return render(request, "agenda/search.html", context, status=status)


# --- the organizers' board -------------------------------------------------------------


def _board_url(meeting, day: dt.date | None = None) -> str:
    url = reverse("agenda:board", kwargs={"slug": meeting.slug})
    return f"{url}?day={day.isoformat()}" if day else url


def _day_of(meeting, session: Session) -> dt.date | None:
    if session.starts_at is None:
        return None
    return timezone.localtime(session.starts_at, meeting.tzinfo).date()


@organizer_required
def board(request, meeting):
    """One day at a time: rooms as columns, quarter hours as rows; loose ends aside."""
    # Only the day applies here; any filter of the wrong shape means the default day.
    filterset = SessionFilterSet(last_values(request.GET), meeting=meeting)
    days = filterset.form.cleaned_data.get("day") if filterset.is_valid() else None
    day = days[-1] if days else None
    if day not in meeting.days:
        day = _default_day(meeting)
    return render(
        request,
        "agenda/board.html",
        {
            "meeting": meeting,
            "board": selectors.board_for_day(meeting=meeting, day=day),
            "day": day,
            "days": meeting.days,
            "move_form": SessionMoveForm(meeting=meeting),
            "upload_form": AgendaUploadForm(),
        },
    )


@organizer_required
def board_session_edit(request, meeting, pk: int | None = None):
    """Create or edit a session from the board, through the same services."""
    session = get_object_or_404(Session, meeting=meeting, pk=pk) if pk else None
    initial = SessionForm.initial_for(session) if session else {}
    form = SessionForm(request.POST or None, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_save(
                meeting=meeting,
                session=session,
                data=form.session_data(),
                translation=form.translation_data(),
            )
        except services.AgendaError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"Saved {services.describe(session)}.")
            return redirect(_board_url(meeting, _day_of(meeting, session)))
    return render(
        request,
        "agenda/board_session_form.html",
        {"meeting": meeting, "session": session, "form": form},
    )


@require_POST
@organizer_required
def board_session_move(request, meeting, pk: int):
    session = get_object_or_404(Session, meeting=meeting, pk=pk)
    # What the card showed, so a time posted back untouched keeps its exact stored value.
    initial = {"room": session.room, "starts_at": session.starts_at}
    form = SessionMoveForm(request.POST, meeting=meeting, initial=initial)
    day = _day_of(meeting, session)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        messages.error(request, f"Could not move '{session.title}': {errors}")
        return redirect(_board_url(meeting, day))
    try:
        session = services.session_move(
            session=session,
            room=form.cleaned_data["room"],
            starts_at=form.cleaned_data["starts_at"],
        )
    except services.AgendaError as exc:
        messages.error(request, f"Could not move '{session.title}': {exc}")
    else:
        messages.success(request, f"Moved {services.describe(session)}.")
        # Back to the card in its new place (a failure keeps the page top and its message).
        return redirect(f"{_board_url(meeting, _day_of(meeting, session))}#session-{session.pk}")
    return redirect(_board_url(meeting, day))


@require_POST
@organizer_required
def board_publish(request, meeting):
    try:
        result = services.agenda_publish(meeting=meeting)
    except services.AgendaError as exc:
        messages.error(request, f"Nothing was published: {exc}")
    else:
        text = f"Published: {len(result.confirmed)} sessions confirmed."
        if result.left_in_draft:
            text += f" {len(result.left_in_draft)} without a time stay drafts."
        messages.success(request, text)
    return redirect(_board_url(meeting))


@organizer_required
def board_import(request, meeting):
    """Upload a CSV or JSON agenda: all rows or none, every bad row reported."""
    form = AgendaUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = parse_upload(upload.name, upload.read())
            report = import_agenda(meeting=meeting, rows=rows)
        except ImportFailed as exc:
            problems = exc.problems
        else:
            messages.success(
                request, f"Imported: {report.created} created, {report.updated} updated."
            )
            return redirect(_board_url(meeting))
    return render(
        request,
        "agenda/board_import.html",
        {"meeting": meeting, "form": form, "problems": problems},
    )
