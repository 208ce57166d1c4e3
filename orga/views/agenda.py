"""The agenda's people and tracks: speakers, tracks, and a session's speakers on the board.

Every write goes through ``agenda.services``; an ``AgendaError`` becomes a form error
(on the field it names, if the form has it) and nothing is written.
"""

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agenda import selectors, services
from agenda.forms import SessionForm
from agenda.models import Session, SessionSpeaker, Speaker, Track
from events.decorators import organizer_required
from orga.agenda_forms import SessionSpeakerAddForm, SpeakerForm, TrackForm


def _add_agenda_error(form, exc: services.AgendaError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


# --- speakers ----------------------------------------------------------------------------


@organizer_required
def speaker_list(request, meeting):
    links = SessionSpeaker.objects.select_related("session").order_by(
        "session__starts_at", "session__title", "pk"
    )
    speakers = selectors.speaker_list(meeting=meeting).prefetch_related(
        Prefetch("session_links", queryset=links)
    )
    return render(
        request,
        "orga/speakers.html",
        {"meeting": meeting, "section": "speakers", "speakers": speakers},
    )


@organizer_required
def speaker_edit(request, meeting, pk: int | None = None):
    return _edit(
        request,
        meeting,
        model=Speaker,
        pk=pk,
        form_class=SpeakerForm,
        create=lambda changes: services.speaker_create(meeting=meeting, **changes),
        update=lambda speaker, changes: services.speaker_update(speaker=speaker, data=changes),
        section="speakers",
        template="orga/speaker_form.html",
    )


def _edit(request, meeting, *, model, pk, form_class, create, update, section, template):
    """Add or edit one of the meeting's speakers or tracks: only what changed is written,
    through the service; its refusal is a form error."""
    instance = get_object_or_404(model, meeting=meeting, pk=pk) if pk else None
    form = form_class(request.POST or None, meeting=meeting, instance=instance)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Nothing changed."))
            return redirect(f"orga:{section}", slug=meeting.slug)
        try:
            instance = create(changes) if instance is None else update(instance, changes)
        except services.AgendaError as exc:
            _add_agenda_error(form, exc)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": instance.name})
            return redirect(f"orga:{section}", slug=meeting.slug)
    context = {"meeting": meeting, "section": section, "form": form}
    context[model._meta.model_name] = instance
    return render(request, template, context)


# --- tracks ------------------------------------------------------------------------------


@organizer_required
def track_list(request, meeting):
    tracks = list(selectors.track_list(meeting=meeting).annotate(session_count=Count("sessions")))
    return render(
        request,
        "orga/tracks.html",
        {"meeting": meeting, "section": "tracks", "tracks": tracks},
    )


@organizer_required
def track_edit(request, meeting, pk: int | None = None):
    return _edit(
        request,
        meeting,
        model=Track,
        pk=pk,
        form_class=TrackForm,
        create=lambda changes: services.track_create(meeting=meeting, **changes),
        update=lambda track, changes: services.track_update(track=track, data=changes),
        section="tracks",
        template="orga/track_form.html",
    )


# --- a session's speakers (a block of the board's session page) ---------------------------


def _session_page(meeting, session: Session) -> str:
    url = reverse("agenda:board-session-edit", kwargs={"slug": meeting.slug, "pk": session.pk})
    return f"{url}#speakers"


@require_POST
@organizer_required
def session_speaker_add(request, meeting, pk: int):
    session = get_object_or_404(Session, meeting=meeting, pk=pk)
    form = SessionSpeakerAddForm(request.POST, session=session)
    if form.is_valid():
        speaker = form.cleaned_data["speaker"]
        try:
            services.session_speaker_add(
                session=session, speaker=speaker, role=form.cleaned_data["role"]
            )
        except services.AgendaError as exc:
            _add_agenda_error(form, exc)
        else:
            messages.success(
                request,
                _("%(speaker)s added to %(session)s.")
                % {"speaker": speaker.name, "session": session.title},
            )
            return redirect(_session_page(meeting, session))
    # The board's session page again, as its own view shows it, with this form's errors.
    return render(
        request,
        "agenda/board_session_form.html",
        {
            "meeting": meeting,
            "session": session,
            "form": SessionForm(meeting=meeting, initial=SessionForm.initial_for(session)),
            "speaker_form": form,
        },
    )


@require_POST
@organizer_required
def session_speaker_remove(request, meeting, pk: int, speaker_pk: int):
    session = get_object_or_404(Session, meeting=meeting, pk=pk)
    speaker = get_object_or_404(Speaker, meeting=meeting, pk=speaker_pk)
    try:
        services.session_speaker_remove(session=session, speaker=speaker)
    except services.AgendaError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(speaker)s removed from %(session)s.")
            % {"speaker": speaker.name, "session": session.title},
        )
    return redirect(_session_page(meeting, session))
