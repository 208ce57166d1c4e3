"""B2B meetings in the workspace: the profiles (validation) and the meeting requests
(an organizer's cancel, and scheduling accepted requests at a slot).

Writes go through ``matchmaking.services``; a cancel or a schedule emails both
people, so a cancel is asked first on a page that names them.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from events.decorators import organizer_required
from matchmaking.availability import free_slots_for_pair
from matchmaking.models import Matchmaking, MeetingRequest, Profile
from matchmaking.selectors import matchmaking_settings
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.profiles import profile_validate
from matchmaking.services.requests import request_cancel, request_schedule
from orga.b2b_links import board_url
from orga.matchmaking_filters import ProfileFilter, RequestFilter
from orga.matchmaking_forms import ProfileSelectionForm, RequestScheduleForm
from orga.matchmaking_selectors import (
    organizer_profiles,
    organizer_request,
    organizer_requests,
    profile_counts,
    request_counts,
)
from orga.views.b2b_scheduling import scheduling_context
from orga.views.matchmaking import add_service_error

PAGE_SIZE = 50
Status = MeetingRequest.Status


def _list_url(meeting, name: str, filters: str = "") -> str:
    url = reverse(name, kwargs={"slug": meeting.slug})
    # Parsed and re-encoded, so only a query string of ours can come back.
    filters = QueryDict(filters).urlencode()
    return f"{url}?{filters}" if filters else url


def _query(request) -> str:
    filters = request.GET.copy()
    filters.pop("page", None)
    return filters.urlencode()


# --- profiles ----------------------------------------------------------------------------


@organizer_required
def profile_list(request, meeting):
    matchmaking = matchmaking_settings(meeting=meeting)
    filterset = ProfileFilter(
        request.GET or None,
        matchmaking=matchmaking,
        queryset=organizer_profiles(meeting=meeting, matchmaking=matchmaking),
    )
    valid = not filterset.is_bound or filterset.is_valid()
    profiles = filterset.qs if valid else Profile.objects.none()
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orga/matchmaking/profiles.html",
        {
            "meeting": meeting,
            "section": "matchmaking",
            "tab": "profiles",
            "matchmaking": matchmaking,
            "filter": filterset,
            "page": page,
            "filters": _query(request),
            "counts": profile_counts(meeting=meeting, matchmaking=matchmaking),
        },
        status=200 if valid else 400,
    )


@require_POST
@organizer_required
def profiles_validate(request, meeting):
    """Validate the selected profiles (or take their validation back)."""
    form = ProfileSelectionForm(request.POST, meeting=meeting)
    back = _list_url(meeting, "orga:b2b-profiles", request.POST.get("filters", ""))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    validated = form.cleaned_data["validated"]
    changed = 0
    for profile in form.cleaned_data["selected"]:
        if (profile.validated_at is not None) != validated:
            profile_validate(profile=profile, validated=validated)
            changed += 1
    if validated:
        text = ngettext("%(count)d profile validated.", "%(count)d profiles validated.", changed)
    else:
        text = ngettext(
            "%(count)d profile is no longer validated.",
            "%(count)d profiles are no longer validated.",
            changed,
        )
    (messages.success if changed else messages.info)(request, text % {"count": changed})
    return redirect(back)


# --- requests ----------------------------------------------------------------------------


@organizer_required
def request_list(request, meeting):
    matchmaking = matchmaking_settings(meeting=meeting)
    filterset = RequestFilter(request.GET or None, queryset=organizer_requests(meeting=meeting))
    valid = not filterset.is_bound or filterset.is_valid()
    requests = filterset.qs if valid else MeetingRequest.objects.none()
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = request_counts(meeting=meeting)
    organizers_schedule = matchmaking.scheduling_mode == Matchmaking.SchedulingMode.ORGANIZERS
    return render(
        request,
        "orga/matchmaking/requests.html",
        {
            "meeting": meeting,
            "section": "matchmaking",
            "tab": "requests",
            "matchmaking": matchmaking,
            "organizers_schedule": organizers_schedule,
            **(scheduling_context(meeting) if organizers_schedule else {}),
            "filter": filterset,
            "page": page,
            "filters": _query(request),
            "counts": [(value, label, counts[value]) for value, label in Status.choices],
            "total": sum(counts.values()),
        },
        status=200 if valid else 400,
    )


def _request_or_404(meeting, pk: int) -> MeetingRequest:
    found = organizer_request(meeting=meeting, pk=pk)
    if found is None:
        raise Http404("No such request.")
    return found


@organizer_required
def request_cancel_confirm(request, meeting, pk: int):
    """Says who will be emailed; the POST of this page cancels (as the organizers)."""
    meeting_request = _request_or_404(meeting, pk)
    back = _list_url(meeting, "orga:b2b-requests", request.GET.get("filters", ""))
    if not meeting_request.is_open:
        messages.warning(request, _("This request is already closed."))
        return redirect(back)
    if request.method == "POST":
        try:
            request_cancel(request=meeting_request, by=None)
        except MatchmakingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Cancelled: %(requester)s and %(recipient)s have been emailed.")
                % {
                    "requester": meeting_request.requester.full_name,
                    "recipient": meeting_request.recipient.full_name,
                },
            )
        return redirect(back)
    people = [meeting_request.requester, meeting_request.recipient]
    scheduled = meeting_request.status == Status.SCHEDULED
    if scheduled:
        starts = timezone.localtime(meeting_request.slot.starts_at, meeting.tzinfo)
        explanation = _(
            "The meeting of %(when)s at table %(table)s is cancelled and the table freed; both "
            "people are told, with a calendar update that removes it."
        ) % {"when": date_format(starts, "D j M H:i"), "table": meeting_request.table.name}
    else:
        explanation = _("The request is cancelled; both people are told it was the organizers.")
    return render(
        request,
        "orga/confirm.html",
        {
            "meeting": meeting,
            "section": "matchmaking",
            "heading": _("Cancel the meeting of %(requester)s and %(recipient)s?")
            % {
                "requester": meeting_request.requester.full_name,
                "recipient": meeting_request.recipient.full_name,
            },
            "explanation": explanation,
            "count": len(people),
            "people": people,
            "more": 0,
            "button": _("Cancel the meeting") if scheduled else _("Cancel the request"),
            "back": back,
            "danger": True,
        },
    )


@organizer_required
def request_schedule_form(request, meeting, pk: int):
    """Place an accepted request at a slot where both people and a table are free (or move
    a scheduled meeting there); both people are emailed an invitation."""
    meeting_request = _request_or_404(meeting, pk)
    back = _list_url(meeting, "orga:b2b-requests", request.GET.get("filters", ""))
    back_label = _("Meeting requests")
    if request.GET.get("from") == "board":
        slot = meeting_request.slot
        back = board_url(meeting, slot.b2b_session_id if slot else None)
        back_label = _("Meetings board")
    if meeting_request.status not in (Status.ACCEPTED, Status.SCHEDULED):
        messages.warning(request, _("Only accepted requests can be scheduled."))
        return redirect(back)
    people = [meeting_request.requester, meeting_request.recipient]
    choices = [
        choice
        for _b2b_session, session_choices in free_slots_for_pair(
            meeting=meeting,
            people=people,
            moving=meeting_request if meeting_request.status == Status.SCHEDULED else None,
        )
        for choice in session_choices
    ]
    form = RequestScheduleForm(request.POST or None, request=meeting_request, choices=choices)
    if request.method == "POST" and form.is_valid():
        if not form.changes():
            messages.info(request, _("Nothing changed."))
            return redirect(back)
        try:
            scheduled = request_schedule(
                request=meeting_request, slot_id=form.cleaned_data["slot"].pk
            )
        except MatchmakingError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Scheduled at table %(table)s; both people have been emailed.")
                % {"table": scheduled.table.name},
            )
            return redirect(back)
    return render(
        request,
        "orga/matchmaking/schedule.html",
        {
            "meeting": meeting,
            "section": "matchmaking",
            "meeting_request": meeting_request,
            "form": form,
            "back": back,
            "back_label": back_label,
            "has_choices": bool(choices),
        },
    )
