"""The person's "my meetings" page and its answers: accept at a free slot, decline, cancel,
and say how a past meeting went.

The page lists what ``selectors.my_meetings`` sorts: requests waiting for the
person's answer, their own requests, accepted ones waiting for the organizers,
scheduled meetings (with a warning when a booked agenda session now overlaps
one), past meetings (each with its outcome form, filled with what the person
recorded), and closed ones. An answer that the services refuse comes back onto
its own form on the page, with the reason.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchmaking.availability import free_slots_with
from matchmaking.forms import AcceptForm, DeclineForm, OutcomeForm, apply_error, slot_groups
from matchmaking.models import Matchmaking, MeetingRequest
from matchmaking.selectors import (
    my_meetings,
    profiles_visible,
    request_for_person,
    requests_closed_reason,
)
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.outcomes import outcome_record
from matchmaking.services.requests import request_accept, request_cancel, request_decline
from matchmaking.views.access import b2b_private_page, can_browse
from registrations.models import Registration


def _my_meetings_url(registration: Registration) -> str:
    return reverse("matchmaking:my-meetings", kwargs={"token": registration.token})


def _by_participants(matchmaking: Matchmaking) -> bool:
    return matchmaking.scheduling_mode == Matchmaking.SchedulingMode.PARTICIPANTS


def _free_slots(registration, matchmaking, requests) -> dict:
    """Requester id → where they and the person can meet (when the participants schedule)."""
    if not _by_participants(matchmaking):
        return {}
    return free_slots_with(
        meeting=registration.meeting,
        registration=registration,
        others=[meeting_request.requester for meeting_request in requests],
    )


def _answer_forms(registration, matchmaking, meeting_request, data=None, *, free=None):
    """The accept form (with the slots where both people and a table are free, when the
    participants schedule) and the decline form of one incoming request."""
    groups = None
    if _by_participants(matchmaking):
        if free is None:
            free = _free_slots(registration, matchmaking, [meeting_request])
        groups = slot_groups(registration.meeting, free[meeting_request.requester_id])
    suffix = f"_{meeting_request.pk}"
    accept = AcceptForm(data, slot_groups=groups, auto_id=f"id_%s{suffix}")
    decline = DeclineForm(data, auto_id=f"id_%s{suffix}")
    return accept, decline


def _outcome_form(meeting_request, outcome=None, data=None) -> OutcomeForm:
    return OutcomeForm(data, outcome=outcome, auto_id=f"id_%s_{meeting_request.pk}")


def _render(request, registration, matchmaking, *, bound=None, outcome_bound=None, status=200):
    """The page; ``bound`` replaces one request's answer forms by the posted ones,
    ``outcome_bound`` (request id, form) one past meeting's outcome form."""
    mine = my_meetings(registration=registration)
    closed_reason = requests_closed_reason(matchmaking=matchmaking)
    if bound and bound[0] not in {meeting_request.pk for meeting_request in mine.incoming}:
        # The request is no longer waiting for this person (answered meanwhile, or
        # not theirs to answer): its forms are not on the page, their errors go on top.
        for form in bound[1:]:
            for errors in form.errors.values() if form is not None else []:
                for error in errors:
                    messages.error(request, error)
        bound = None
    free = {} if closed_reason else _free_slots(registration, matchmaking, mine.incoming)
    incoming = []
    for meeting_request in mine.incoming:
        if bound and bound[0] == meeting_request.pk:
            forms = bound[1:]
        elif closed_reason:
            forms = (None, DeclineForm(auto_id=f"id_%s_{meeting_request.pk}"))
        else:
            forms = _answer_forms(registration, matchmaking, meeting_request, free=free)
        incoming.append((meeting_request, *forms))
    if outcome_bound and outcome_bound[0] not in {r.pk for r in mine.past}:
        # Not a past meeting of this person (cancelled, not started): the errors go on top.
        for errors in outcome_bound[1].errors.values():
            for error in errors:
                messages.error(request, error)
        outcome_bound = None
    past = [
        (
            meeting_request,
            outcome_bound[1]
            if outcome_bound and outcome_bound[0] == meeting_request.pk
            else _outcome_form(meeting_request, mine.outcomes.get(meeting_request.pk)),
        )
        for meeting_request in mine.past
    ]
    # The forms sent and refused, for the error summary on top of the page.
    refused = [*(bound[1:] if bound else ()), *(outcome_bound[1:] if outcome_bound else ())]
    # Names link to profiles the others can see, for someone who may open them.
    browsing = can_browse(registration)
    profiles = {}
    if browsing:
        open_requests = mine.incoming + mine.outgoing + mine.accepted + mine.scheduled + mine.past
        people = [r.other(registration).pk for r in open_requests]
        profiles = dict(
            profiles_visible(meeting=registration.meeting)
            .filter(registration__in=people)
            .values_list("registration_id", "pk")
        )
    return render(
        request,
        "matchmaking/my_meetings.html",
        {
            "meeting": registration.meeting,
            "registration": registration,
            "matchmaking": matchmaking,
            "can_browse": browsing,
            "mine": mine,
            "incoming": incoming,
            "past": past,
            "closed_reason": closed_reason,
            "profiles": profiles,
            "refused": refused,
        },
        status=status,
    )


@b2b_private_page
def my_meetings_page(request, registration: Registration, matchmaking: Matchmaking):
    return _render(request, registration, matchmaking)


def _request_or_404(registration: Registration, pk: int) -> MeetingRequest:
    meeting_request = request_for_person(registration=registration, pk=pk)
    if meeting_request is None:
        raise Http404("No such request.")
    return meeting_request


@require_POST
@b2b_private_page
def accept(request, registration: Registration, matchmaking: Matchmaking, pk: int):
    meeting_request = _request_or_404(registration, pk)
    accept_form, _unused = _answer_forms(registration, matchmaking, meeting_request, request.POST)
    status = 400
    if accept_form.is_valid():
        try:
            request_accept(
                request=meeting_request,
                by=registration,
                slot_id=accept_form.cleaned_data.get("slot"),
            )
        except MatchmakingError as exc:
            status = apply_error(accept_form, exc)
        else:
            messages.success(
                request,
                _("You accepted the meeting with %(name)s.")
                % {"name": meeting_request.requester.full_name},
            )
            return redirect(_my_meetings_url(registration) + f"#request-{pk}")
    decline_form = DeclineForm(auto_id=f"id_%s_{pk}")
    return _render(
        request, registration, matchmaking, bound=(pk, accept_form, decline_form), status=status
    )


@require_POST
@b2b_private_page
def decline(request, registration: Registration, matchmaking: Matchmaking, pk: int):
    meeting_request = _request_or_404(registration, pk)
    decline_form = DeclineForm(request.POST, auto_id=f"id_%s_{pk}")
    status = 400
    if decline_form.is_valid():
        try:
            request_decline(
                request=meeting_request, by=registration, reason=decline_form.cleaned_data["reason"]
            )
        except MatchmakingError as exc:
            status = apply_error(decline_form, exc)
        else:
            messages.success(
                request,
                _("You declined the request of %(name)s; they will get an email.")
                % {"name": meeting_request.requester.full_name},
            )
            return redirect(_my_meetings_url(registration))
    accept_form = None
    if not requests_closed_reason(matchmaking=matchmaking):
        accept_form, _unused = _answer_forms(registration, matchmaking, meeting_request)
    return _render(
        request, registration, matchmaking, bound=(pk, accept_form, decline_form), status=status
    )


@require_POST
@b2b_private_page
def cancel(request, registration: Registration, matchmaking: Matchmaking, pk: int):
    meeting_request = _request_or_404(registration, pk)
    try:
        request_cancel(request=meeting_request, by=registration)
    except MatchmakingError as exc:
        messages.error(request, exc.message)
        return redirect(_my_meetings_url(registration))
    other = meeting_request.other(registration)
    messages.success(
        request,
        _("Cancelled. %(name)s will get an email.") % {"name": other.full_name},
    )
    return redirect(_my_meetings_url(registration))


@require_POST
@b2b_private_page
def outcome(request, registration: Registration, matchmaking: Matchmaking, pk: int):
    """Record how one past meeting went (held or not, outcome, note)."""
    meeting_request = _request_or_404(registration, pk)
    form = _outcome_form(meeting_request, data=request.POST)
    status = 400
    if form.is_valid():
        try:
            outcome_record(
                request=meeting_request,
                registration=registration,
                held=form.cleaned_data["held"],
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
            )
        except MatchmakingError as exc:
            status = apply_error(form, exc)
        else:
            messages.success(
                request,
                _("Saved: your meeting with %(name)s.")
                % {"name": meeting_request.other(registration).full_name},
            )
            return redirect(_my_meetings_url(registration) + f"#request-{pk}")
    return _render(request, registration, matchmaking, outcome_bound=(pk, form), status=status)
