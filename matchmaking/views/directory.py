"""The participants' directory, a profile with its "request a meeting" form, and the
marketplace: for the meeting's confirmed participants and its organizers only
(``access.directory_page``). Nobody's email address is on any of them."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from matchmaking.availability import b2b_sessions, free_slots_for_pair
from matchmaking.forms import DirectoryFilterForm, RequestForm, apply_error, slot_groups
from matchmaking.models import Matchmaking, Profile, Sector
from matchmaking.selectors import (
    directory_search,
    marketplace_search,
    open_request_between,
    profile_get_visible,
    profile_is_visible,
    requests_closed_reason,
)
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.requests import request_create
from matchmaking.views.access import Viewer, directory_page, refused

PAGE_SIZE = 24


def _filter_form(request, viewer: Viewer) -> DirectoryFilterForm:
    sectors = Sector.objects.filter(meeting=viewer.meeting)
    return DirectoryFilterForm(request.GET or None, sectors=sectors)


def _page(request, items):
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    # The filters again on the page links: only the form's own parameters, re-encoded.
    query = urlencode(
        [
            (name, value)
            for name in DirectoryFilterForm.base_fields
            for value in request.GET.getlist(name)
        ]
    )
    return page, query


@directory_page
def directory(request, viewer: Viewer):
    form = _filter_form(request, viewer)
    profiles = directory_search(
        meeting=viewer.meeting, filters=form.filters(), exclude=viewer.registration
    )
    page, query = _page(request, profiles)
    return render(
        request,
        "matchmaking/directory.html",
        {"viewer": viewer, "meeting": viewer.meeting, "form": form, "page": page, "query": query},
    )


@directory_page
def marketplace(request, viewer: Viewer):
    form = _filter_form(request, viewer)
    entries = marketplace_search(meeting=viewer.meeting, filters=form.filters())
    page, query = _page(request, entries)
    return render(
        request,
        "matchmaking/marketplace.html",
        {"viewer": viewer, "meeting": viewer.meeting, "form": form, "page": page, "query": query},
    )


def _request_form(viewer: Viewer, profile: Profile, data=None) -> RequestForm:
    """The request form; with a time to choose when a request is a booking (automatic
    acceptance, participants schedule)."""
    matchmaking = viewer.matchmaking
    groups = None
    if (
        matchmaking.request_mode == Matchmaking.RequestMode.AUTOMATIC
        and matchmaking.scheduling_mode == Matchmaking.SchedulingMode.PARTICIPANTS
    ):
        pairs = free_slots_for_pair(
            meeting=viewer.meeting, people=[viewer.registration, profile.registration]
        )
        groups = slot_groups(viewer.meeting, pairs)
    return RequestForm(data, sessions=b2b_sessions(meeting=viewer.meeting), slot_groups=groups)


def _asking(viewer: Viewer, profile: Profile) -> dict:
    """Whether the viewer can ask this person for a meeting now, and if not, why."""
    if viewer.registration is None:
        return {"state": "organizer"}
    if profile.registration_id == viewer.registration.pk:
        return {"state": "self"}
    existing = open_request_between(registration=viewer.registration, other=profile.registration)
    if existing is not None:
        return {"state": "existing", "existing": existing}
    reason = requests_closed_reason(matchmaking=viewer.matchmaking)
    if reason:
        return {"state": "closed", "reason": reason}
    own = Profile.objects.filter(registration=viewer.registration).first()
    if own is None or not profile_is_visible(own):
        return {"state": "hidden", "own": own}
    return {"state": "form"}


@directory_page
def profile_detail(request, viewer: Viewer, pk: int):
    profile = profile_get_visible(meeting=viewer.meeting, pk=pk)
    if profile is None:
        raise Http404("No such profile.")
    asking = _asking(viewer, profile)
    status = 200
    form = None
    if request.method == "POST":
        if viewer.registration is None:
            return refused(
                request,
                viewer.meeting,
                _("Organizers see the directory but cannot ask for meetings."),
            )
        form = _request_form(viewer, profile, request.POST)
        status = 400
        if form.is_valid():
            try:
                request_create(
                    requester=viewer.registration,
                    recipient=profile.registration,
                    **form.cleaned_data,
                )
            except MatchmakingError as exc:
                status = apply_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Your request is sent to %(name)s. We will email you their answer.")
                    % {"name": profile.registration.full_name},
                )
                return redirect(
                    reverse(
                        "matchmaking:profile-detail",
                        kwargs={"slug": viewer.meeting.slug, "pk": profile.pk},
                    )
                )
        if asking["state"] != "form":
            for error in form.non_field_errors() or [_("Nothing was sent.")]:
                messages.error(request, error)
            return redirect(
                reverse(
                    "matchmaking:profile-detail",
                    kwargs={"slug": viewer.meeting.slug, "pk": profile.pk},
                )
            )
    elif asking["state"] == "form":
        form = _request_form(viewer, profile)
    return render(
        request,
        "matchmaking/profile_detail.html",
        {
            "viewer": viewer,
            "meeting": viewer.meeting,
            "profile": profile,
            "asking": asking,
            "form": form,
        },
        status=status,
    )
