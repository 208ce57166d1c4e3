"""B2B meetings in the workspace: the settings, the sector list and the matchmaking sessions.

Every write goes through ``matchmaking.services.setup``; a ``MatchmakingError``
becomes a form error (on the field it names, if the form has it) and nothing
is written. A form posted back as shown writes nothing at all.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.decorators import organizer_required
from matchmaking.models import B2BSession
from matchmaking.selectors import matchmaking_settings
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.setup import (
    b2b_session_configure,
    b2b_session_remove,
    matchmaking_update,
    sector_create,
    sector_delete,
    sector_update,
)
from orga.matchmaking_forms import B2BSessionForm, MatchmakingSettingsForm, SectorForm
from orga.matchmaking_selectors import b2b_session_list, sector_list


def add_service_error(form, exc: MatchmakingError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def _setup_url(meeting, anchor: str = "") -> str:
    url = reverse("orga:matchmaking", kwargs={"slug": meeting.slug})
    return f"{url}#{anchor}" if anchor else url


def _setup_page(request, meeting, *, settings_form=None, sector_form=None):
    matchmaking = matchmaking_settings(meeting=meeting)
    return render(
        request,
        "orga/matchmaking/setup.html",
        {
            "meeting": meeting,
            "section": "matchmaking",
            "tab": "setup",
            "matchmaking": matchmaking,
            "form": settings_form or MatchmakingSettingsForm(matchmaking=matchmaking),
            "sector_form": sector_form or SectorForm(),
            "sectors": list(sector_list(meeting=meeting)),
            "b2b_sessions": list(b2b_session_list(meeting=meeting)),
        },
    )


@organizer_required
def setup(request, meeting):
    """The settings form, with the sectors and the matchmaking sessions under it."""
    if request.method != "POST":
        return _setup_page(request, meeting)
    matchmaking = matchmaking_settings(meeting=meeting)
    form = MatchmakingSettingsForm(request.POST, matchmaking=matchmaking)
    if form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Nothing changed."))
            return redirect(_setup_url(meeting))
        try:
            matchmaking_update(meeting=meeting, **changes)
        except MatchmakingError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("B2B settings saved."))
            return redirect(_setup_url(meeting))
    return _setup_page(request, meeting, settings_form=form)


# --- sectors -----------------------------------------------------------------------------


@require_POST
@organizer_required
def sector_add(request, meeting):
    form = SectorForm(request.POST)
    if form.is_valid():
        try:
            sector = sector_create(meeting=meeting, name=form.cleaned_data["name"])
        except MatchmakingError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Sector added: %(name)s.") % {"name": sector.name})
            return redirect(_setup_url(meeting, "sectors"))
    return _setup_page(request, meeting, sector_form=form)


@organizer_required
def sector_edit(request, meeting, pk: int):
    sector = get_object_or_404(sector_list(meeting=meeting), pk=pk)
    form = SectorForm(request.POST or None, sector=sector)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Nothing changed."))
            return redirect(_setup_url(meeting, "sectors"))
        try:
            sector = sector_update(sector=sector, name=changes["name"])
        except MatchmakingError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Sector renamed: %(name)s.") % {"name": sector.name})
            return redirect(_setup_url(meeting, "sectors"))
    return render(
        request,
        "orga/matchmaking/sector_form.html",
        {"meeting": meeting, "section": "matchmaking", "sector": sector, "form": form},
    )


@organizer_required
def sector_remove(request, meeting, pk: int):
    """Asks first (saying how many profiles name the sector), removes on the POST."""
    sector = get_object_or_404(sector_list(meeting=meeting), pk=pk)
    back = _setup_url(meeting, "sectors")
    if request.method == "POST":
        sector_delete(sector=sector)
        messages.success(request, _("Sector removed: %(name)s.") % {"name": sector.name})
        return redirect(back)
    return render(
        request,
        "orga/matchmaking/confirm.html",
        {
            "meeting": meeting,
            "section": "matchmaking",
            "heading": _("Remove the sector %(name)s?") % {"name": sector.name},
            "explanation": _(
                "%(count)d profiles name this sector: it is taken off them. Nobody is emailed."
            )
            % {"count": sector.profile_count},
            "button": _("Remove the sector"),
            "back": back,
        },
    )


# --- matchmaking sessions ----------------------------------------------------------------


def _session_page(meeting, b2b_session: B2BSession) -> str:
    return reverse("orga:b2b-session", kwargs={"slug": meeting.slug, "pk": b2b_session.pk})


@organizer_required
def b2b_session_add(request, meeting):
    """Make one of the agenda's B2B sessions a matchmaking session."""
    form = B2BSessionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            b2b_session = b2b_session_configure(
                session=form.cleaned_data["session"], **form.configuration()
            )
        except MatchmakingError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(session)s now holds 1:1 meetings.") % {"session": b2b_session.session.title},
            )
            return redirect(_session_page(meeting, b2b_session))
    return render(
        request,
        "orga/matchmaking/session_form.html",
        {"meeting": meeting, "section": "matchmaking", "form": form, "b2b_session": None},
    )


@organizer_required
def b2b_session_edit(request, meeting, pk: int):
    """A matchmaking session's settings, with its slots and tables as they are now."""
    b2b_session = get_object_or_404(b2b_session_list(meeting=meeting), pk=pk)
    form = B2BSessionForm(request.POST or None, meeting=meeting, b2b_session=b2b_session)
    if request.method == "POST" and form.is_valid():
        if not form.changes():
            messages.info(request, _("Nothing changed."))
            return redirect(_session_page(meeting, b2b_session))
        try:
            b2b_session_configure(session=b2b_session.session, **form.configuration())
        except MatchmakingError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("%(session)s saved.") % {"session": b2b_session.session.title}
            )
            return redirect(_session_page(meeting, b2b_session))
    return render(
        request,
        "orga/matchmaking/session_form.html",
        {
            "meeting": meeting,
            "section": "matchmaking",
            "form": form,
            "b2b_session": b2b_session,
        },
    )


@organizer_required
def b2b_session_delete(request, meeting, pk: int):
    """Asks first; refused while meetings are scheduled in the session."""
    b2b_session = get_object_or_404(b2b_session_list(meeting=meeting), pk=pk)
    if request.method == "POST":
        try:
            b2b_session_remove(b2b_session=b2b_session)
        except MatchmakingError as exc:
            messages.error(request, str(exc))
            return redirect(_session_page(meeting, b2b_session))
        messages.success(
            request,
            _("%(session)s holds no 1:1 meetings any more.")
            % {"session": b2b_session.session.title},
        )
        return redirect(_setup_url(meeting, "sessions"))
    return render(
        request,
        "orga/matchmaking/confirm.html",
        {
            "meeting": meeting,
            "section": "matchmaking",
            "heading": _("Stop 1:1 meetings in %(session)s?")
            % {"session": b2b_session.session.title},
            "explanation": _(
                "Its slots and tables are removed; the session itself stays on the agenda. "
                "Requests that preferred it keep waiting for another session. Nobody is emailed."
            ),
            "blocked": b2b_session.scheduled_count,
            "button": _("Stop 1:1 meetings here"),
            "back": _session_page(meeting, b2b_session),
        },
    )
