"""Send the B2B schedule and print it: ``/meetings/<slug>/manage/b2b/send/``.

The page says who would get the schedule now and how many meetings it holds,
what was placed since the last schedule sent ("not announced yet"), and every
schedule sent with how its emails went. Each of "send the preliminary / final
schedule" is asked first on a page with the email as the first person will see
it; the confirmation sends once (``matchmaking.services.releases``). The PDFs:
a person's schedule, and a session's table sheets to put on the tables.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.decorators import organizer_required
from matchmaking.models import B2BSession, ScheduleRelease
from matchmaking.pdf import (
    pdf_response,
    person_schedule_pdf,
    table_sheets_filename,
    table_sheets_pdf,
)
from matchmaking.schedule_emails import schedule_email_preview
from matchmaking.schedules import (
    release_summary,
    sheet_sessions,
    table_sheets,
)
from matchmaking.selectors import matchmaking_get
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.releases import ReleaseAlreadySent, schedule_release
from orga.b2b_send_forms import ScheduleReleaseForm
from registrations.models import Registration

SECTION = "matchmaking"
Kind = ScheduleRelease.Kind


def _send_url(meeting) -> str:
    return reverse("orga:b2b-send", kwargs={"slug": meeting.slug})


@organizer_required
def send_page(request, meeting):
    summary = release_summary(meeting=meeting)
    return render(
        request,
        "orga/b2b/send.html",
        {
            "meeting": meeting,
            "section": SECTION,
            "tab": "send",
            "enabled": matchmaking_get(meeting=meeting) is not None,
            "summary": summary,
            "audience": [
                (registration, summary.audience.meetings_of.get(registration.pk, 0))
                for registration in summary.audience.registrations
            ],
            "sessions": list(sheet_sessions(meeting=meeting)),
        },
    )


def _confirm_page(request, meeting, kind: str, *, error: str = "", status: int = 200):
    """What sending now would do, the email as the first person will see it, and the form
    that confirms exactly that."""
    summary = release_summary(meeting=meeting)
    audience = summary.audience
    enabled = matchmaking_get(meeting=meeting) is not None
    form = email = None
    if enabled and audience.registrations and audience.meetings:
        form = ScheduleReleaseForm(
            initial={
                "after": summary.last.pk if summary.last else 0,
                "expected_recipients": len(audience.registrations),
                "expected_meetings": audience.meetings,
            }
        )
        email = schedule_email_preview(
            registration=audience.registrations[0], final=kind == Kind.FINAL
        )
    return render(
        request,
        "orga/b2b/send_confirm.html",
        {
            "meeting": meeting,
            "section": SECTION,
            "tab": "send",
            "kind": kind,
            "final": kind == Kind.FINAL,
            "enabled": enabled,
            "summary": summary,
            "form": form,
            "error": error,
            "email": email,
            "email_html": email.alternatives[0].content if email else "",
            "attachments": [name for name, _data, _type in email.attachments] if email else [],
        },
        status=status,
    )


@organizer_required
def send_confirm(request, meeting, kind: str):
    """GET: asks first. POST: sends what was asked, once."""
    if kind not in Kind.values:
        raise Http404("No such schedule.")
    if request.method != "POST":
        return _confirm_page(request, meeting, kind)
    form = ScheduleReleaseForm(request.POST)
    if not form.is_valid():
        return _confirm_page(
            request,
            meeting,
            kind,
            error=_("The confirmation was incomplete: look again."),
            status=400,
        )
    try:
        release = schedule_release(
            meeting=meeting, kind=kind, sent_by=request.user, **form.cleaned_data
        )
    except ReleaseAlreadySent:
        messages.info(request, _("This schedule had already been sent; it was not sent again."))
        return redirect(_send_url(meeting))
    except MatchmakingError as exc:
        return _confirm_page(request, meeting, kind, error=exc.message, status=409)
    text = (
        ngettext(
            "The final schedule is on its way to %(count)d person.",
            "The final schedule is on its way to %(count)d people.",
            release.recipients,
        )
        if kind == Kind.FINAL
        else ngettext(
            "The preliminary schedule is on its way to %(count)d person.",
            "The preliminary schedule is on its way to %(count)d people.",
            release.recipients,
        )
    )
    messages.success(request, text % {"count": release.recipients})
    return redirect(_send_url(meeting))


@organizer_required
def person_schedule_download(request, meeting, pk: int):
    """One participant's schedule, in their language."""
    registration = get_object_or_404(
        Registration.objects.select_related("meeting"), pk=pk, meeting=meeting
    )
    data, filename = person_schedule_pdf(registration)
    return pdf_response(data, filename.replace(".pdf", f"-{registration.pk}.pdf"))


@organizer_required
def table_sheets_download(request, meeting, pk: int):
    """A matchmaking session's table sheets, one page per table, in the meeting's language."""
    b2b_session = get_object_or_404(
        B2BSession.objects.select_related("session__room", "meeting"), pk=pk, meeting=meeting
    )
    with translation.override(meeting.language):
        sheets = table_sheets(b2b_session=b2b_session)
    return pdf_response(
        table_sheets_pdf(sheets, language=meeting.language), table_sheets_filename(sheets)
    )
