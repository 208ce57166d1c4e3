"""The person's own B2B profile and marketplace entries, through their private link."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchmaking.availability import b2b_sessions
from matchmaking.forms import EntryForm, ProfileForm, apply_error, profile_organizations
from matchmaking.models import Matchmaking, Profile, Sector, Slot
from matchmaking.selectors import entry_for_person, profile_entries, profile_is_visible
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.profiles import (
    MAX_ENTRIES,
    entry_create,
    entry_delete,
    entry_update,
    profile_for,
    profile_refusal,
    profile_update,
)
from matchmaking.views.access import b2b_private_page, can_browse, refused
from registrations.models import Registration


def _my_profile_url(registration: Registration) -> str:
    return reverse("matchmaking:my-profile", kwargs={"token": registration.token})


def visibility(registration: Registration, matchmaking: Matchmaking, profile: Profile) -> str:
    """Where the profile stands for the others: "visible", "unlisted", "unconfirmed" (the
    registration is not confirmed yet) or "waiting" (for the organizers' validation)."""
    if profile.pk is None or not profile.listed:
        return "unlisted"
    if registration.status != Registration.Status.CONFIRMED:
        return "unconfirmed"
    if matchmaking.profiles_need_validation and profile.validated_at is None:
        return "waiting"
    return "visible" if profile_is_visible(profile) else "unlisted"


def _profile_form(registration: Registration, profile: Profile, data=None) -> ProfileForm:
    meeting = registration.meeting
    sessions = b2b_sessions(meeting=meeting)
    slots = list(Slot.objects.filter(b2b_session__in=sessions).order_by("starts_at", "pk"))
    form = ProfileForm(
        data,
        profile=profile,
        organizations=profile_organizations(
            meeting=meeting, registration=registration, profile=profile
        ),
        sectors=Sector.objects.filter(meeting=meeting),
        slots=slots,
    )
    # The "times I cannot meet" boxes, per matchmaking session.
    form.slot_sessions = [
        (b2b_session, [slot for slot in slots if slot.b2b_session_id == b2b_session.pk])
        for b2b_session in sessions
    ]
    return form


def _render_profile(request, registration, matchmaking, *, form=None, entry_form=None, status=200):
    profile = profile_for(registration=registration)
    form = form or _profile_form(registration, profile)
    return render(
        request,
        "matchmaking/my_profile.html",
        {
            "meeting": registration.meeting,
            "registration": registration,
            "matchmaking": matchmaking,
            "can_browse": can_browse(registration),
            "profile": profile,
            "visibility": visibility(registration, matchmaking, profile),
            "form": form,
            "entries": profile_entries(registration=registration) if profile.pk else [],
            "entry_form": entry_form or EntryForm(auto_id="id_entry_%s"),
            "max_entries": MAX_ENTRIES,
        },
        status=status,
    )


@b2b_private_page
def my_profile(request, registration: Registration, matchmaking: Matchmaking):
    refusal = profile_refusal(registration)
    if refusal:
        return refused(request, registration.meeting, refusal, registration=registration)
    if request.method != "POST":
        return _render_profile(request, registration, matchmaking)
    form = _profile_form(registration, profile_for(registration=registration), request.POST)
    status = 400
    if form.is_valid():
        try:
            profile_update(registration=registration, **form.cleaned_data)
        except MatchmakingError as exc:
            status = apply_error(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect(_my_profile_url(registration))
    return _render_profile(request, registration, matchmaking, form=form, status=status)


@require_POST
@b2b_private_page
def entry_add(request, registration: Registration, matchmaking: Matchmaking):
    refusal = profile_refusal(registration)
    if refusal:
        return refused(request, registration.meeting, refusal, registration=registration)
    form = EntryForm(request.POST, auto_id="id_entry_%s")
    status = 400
    if form.is_valid():
        try:
            entry_create(registration=registration, **form.cleaned_data)
        except MatchmakingError as exc:
            status = apply_error(form, exc)
        else:
            messages.success(request, _("Your entry is added to the marketplace."))
            return redirect(_my_profile_url(registration) + "#marketplace")
    return _render_profile(request, registration, matchmaking, entry_form=form, status=status)


@b2b_private_page
def entry_edit(request, registration: Registration, matchmaking: Matchmaking, pk: int):
    entry = entry_for_person(registration=registration, pk=pk)
    if entry is None:
        raise Http404("No such entry.")
    refusal = profile_refusal(registration)
    if refusal:
        return refused(request, registration.meeting, refusal, registration=registration)
    status = 200
    if request.method == "POST":
        form = EntryForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                entry_update(entry=entry, **form.cleaned_data)
            except MatchmakingError as exc:
                status = apply_error(form, exc)
            else:
                messages.success(request, _("Your entry is saved."))
                return redirect(_my_profile_url(registration) + "#marketplace")
    else:
        form = EntryForm(
            initial={"kind": entry.kind, "title": entry.title, "description": entry.description}
        )
    return render(
        request,
        "matchmaking/entry_form.html",
        {
            "meeting": registration.meeting,
            "registration": registration,
            "entry": entry,
            "form": form,
        },
        status=status,
    )


@require_POST
@b2b_private_page
def entry_remove(request, registration: Registration, matchmaking: Matchmaking, pk: int):
    entry = entry_for_person(registration=registration, pk=pk)
    if entry is None:
        raise Http404("No such entry.")
    entry_delete(entry=entry)
    messages.success(
        request, _("“%(title)s” is removed from the marketplace.") % {"title": entry.title}
    )
    return redirect(_my_profile_url(registration) + "#marketplace")
