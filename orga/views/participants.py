"""The participants page: the meeting's registrations, their actions, exports and waitlists."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.decorators import organizer_required
from orga.filters import ParticipantFilter
from orga.forms import BulkActionForm, RejectForm
from registrations.exports import participant_table, table_csv, table_xlsx
from registrations.models import Registration
from registrations.selectors import meeting_waitlist, registration_list, session_waitlists
from registrations.services import RegistrationError
from registrations.services.organizer_actions import (
    ACTIONS,
    BULK_ACTIONS,
    registration_act,
    registrations_bulk_act,
    registrations_bulk_plan,
)

PAGE_SIZE = 50
Status = Registration.Status


def _filtered(request, meeting) -> ParticipantFilter:
    return ParticipantFilter(
        request.GET or None, meeting=meeting, queryset=registration_list(meeting=meeting)
    )


def _back(request, meeting) -> str:
    """Where an action returns to: the list with its filters, or the waitlists."""
    if request.POST.get("back") == "waitlists":
        return reverse("orga:participants-waitlists", kwargs={"slug": meeting.slug})
    # Parsed and re-encoded, so only a query string of ours can come back.
    filters = QueryDict(request.POST.get("filters", "")).urlencode()
    url = reverse("orga:participants", kwargs={"slug": meeting.slug})
    return f"{url}?{filters}" if filters else url


def _name(registration: Registration) -> str:
    return registration.full_name or registration.email


def _outcome(action: str, registration: Registration) -> str:
    """What happened, in words naming the person."""
    name = _name(registration)
    if action == "approve" and registration.status == Status.WAITLISTED:
        return _(
            "%(name)s is approved; the meeting is full, so they are on the waitlist "
            "and have been emailed."
        ) % {"name": name}
    return {
        "approve": _("%(name)s is approved, has a seat and has been emailed."),
        "reject": _("%(name)s is rejected and has been emailed."),
        "promote": _("%(name)s has moved from the waitlist into a seat and has been emailed."),
        "cancel": _("The registration of %(name)s is cancelled and they have been emailed."),
        "resend": _("%(name)s has been emailed their private link again."),
    }[action] % {"name": name}


def _refused(registration: Registration, reason: str) -> str:
    return _("Nothing changed for %(name)s: %(reason)s") % {
        "name": _name(registration),
        "reason": reason,
    }


@organizer_required
def participant_list(request, meeting):
    filterset = _filtered(request, meeting)
    valid = not filterset.is_bound or filterset.is_valid()
    registrations = filterset.qs if valid else Registration.objects.none()
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "orga/participants.html",
        {
            "meeting": meeting,
            "section": "participants",
            "filter": filterset,
            "page": page,
            "filters": filters.urlencode(),
            "bulk_form": BulkActionForm(meeting=meeting),
            "reject_form": RejectForm(),
            "actions": ACTIONS,
            "Status": Status,
        },
        status=200 if valid else 400,
    )


@require_POST
@organizer_required
def participant_action(request, meeting, pk: int, action: str):
    """One action on one person, answered with a message naming them."""
    if action not in ACTIONS:
        raise Http404("No such action.")
    registration = get_object_or_404(
        Registration.objects.select_related("meeting"), meeting=meeting, pk=pk
    )
    reason = ""
    if ACTIONS[action].takes_reason:
        form = RejectForm(request.POST)
        if not form.is_valid():
            for error in form.errors["reason"]:
                messages.error(request, _refused(registration, error))
            return redirect(_back(request, meeting))
        reason = form.cleaned_data["reason"]
    try:
        registration = registration_act(action=action, registration=registration, reason=reason)
    except RegistrationError as exc:
        messages.error(request, _refused(registration, exc.message))
    else:
        messages.success(request, _outcome(action, registration))
    return redirect(_back(request, meeting))


@require_POST
@organizer_required
def participant_bulk(request, meeting):
    """Selected people: first a confirmation page saying who is emailed, then (confirm) the act."""
    form = BulkActionForm(request.POST, meeting=meeting)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(request, meeting))
    name = form.cleaned_data["action"]
    action = BULK_ACTIONS[name]
    people = list(form.cleaned_data["selected"])
    reason = form.cleaned_data["reason"] if action.takes_reason else ""
    if request.POST.get("confirm") != "yes":
        plan = registrations_bulk_plan(action=name, registrations=people)
        return render(
            request,
            "orga/participants_bulk_confirm.html",
            {
                "meeting": meeting,
                "section": "participants",
                "action": action,
                "plan": plan,
                "reason": reason,
                "filters": QueryDict(request.POST.get("filters", "")).urlencode(),
                "back_url": _back(request, meeting),
            },
        )
    done, refused = registrations_bulk_act(action=name, registrations=people, reason=reason)
    summary = _("%(action)s: %(done)d done, %(refused)d refused.") % {
        "action": action.label,
        "done": len(done),
        "refused": len(refused),
    }
    if done:
        messages.success(request, summary)
    else:
        messages.warning(request, summary)
    for registration, why in refused:
        messages.warning(request, _refused(registration, why))
    return redirect(_back(request, meeting))


@organizer_required
def participant_export(request, meeting, fmt: str):
    """The filtered list as CSV or XLSX (the same filters as the page)."""
    filterset = _filtered(request, meeting)
    if filterset.is_bound and not filterset.is_valid():
        return participant_list(request, meeting.slug)
    rows = participant_table(meeting=meeting, registrations=filterset.qs)
    stamp = timezone.localtime(timezone.now(), meeting.tzinfo).strftime("%Y%m%d-%H%M")
    filename = f"participants-{meeting.slug}-{stamp}.{fmt}"
    if fmt == "csv":
        # A BOM, so spreadsheet programs read the file as UTF-8.
        response = HttpResponse("\ufeff" + table_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            table_xlsx(rows, title="Participants"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@organizer_required
def participant_waitlists(request, meeting):
    """The meeting's waitlist and each bookable session's, first arrival first."""
    return render(
        request,
        "orga/participants_waitlists.html",
        {
            "meeting": meeting,
            "section": "participants",
            "waitlist": meeting_waitlist(meeting=meeting),
            "sessions": session_waitlists(meeting=meeting),
        },
    )
