"""Changes that email people, asked first: cancel or restore a session, cancel the meeting.

GET shows what will happen and how many people will be told; only the POST of
that page acts, through the same services as everywhere else.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda import services as agenda_services
from agenda.models import Session
from events.decorators import organizer_required
from events.models import Meeting
from events.services import MeetingError, meeting_update
from registrations.services.agenda_notices import session_change_audience
from registrations.services.meeting_notices import meeting_cancellation_audience

SHOWN_NAMES = 50


def _board_url(meeting: Meeting, session: Session) -> str:
    url = reverse("agenda:board", kwargs={"slug": meeting.slug})
    if session.starts_at is None:
        return url
    return f"{url}?day={timezone.localtime(session.starts_at, meeting.tzinfo).date()}"


def _confirm(request, meeting, *, heading, explanation, audience, button, back, danger=True):
    people = list(audience[:SHOWN_NAMES])
    count = audience.count()
    return render(
        request,
        "orga/confirm.html",
        {
            "meeting": meeting,
            "heading": heading,
            "explanation": explanation,
            "count": count,
            "people": people,
            "more": max(count - SHOWN_NAMES, 0),
            "button": button,
            "back": back,
            "danger": danger,
        },
    )


@organizer_required
def session_status(request, meeting, pk: int, action: str):
    """Cancel (``action="cancel"``) or restore a session, after saying who will be emailed."""
    session = get_object_or_404(Session, meeting=meeting, pk=pk)
    back = _board_url(meeting, session)
    if request.method == "POST":
        service = {
            "cancel": agenda_services.session_cancel,
            "restore": agenda_services.session_restore,
        }[action]
        try:
            session = service(session=session)
        except agenda_services.AgendaError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(status)s: %(session)s.")
                % {
                    "status": session.get_status_display(),
                    "session": agenda_services.describe(session),
                },
            )
        return redirect(back)
    if action == "cancel":
        heading = _("Cancel %(session)s?") % {"session": session.title}
        explanation = _(
            "The session stays on the agenda marked as cancelled, its room is freed, and "
            "the calendars of the people below remove it."
        )
        button = _("Cancel the session")
    else:
        heading = _("Restore %(session)s?") % {"session": session.title}
        explanation = _("The session is confirmed again, in its room and time if still free.")
        button = _("Restore the session")
    return _confirm(
        request,
        meeting,
        heading=heading,
        explanation=explanation,
        audience=session_change_audience(session=session),
        button=button,
        back=back,
        danger=action == "cancel",
    )


@organizer_required
def meeting_cancel(request, meeting):
    """Cancel the whole meeting: everyone registered is emailed a cancellation."""
    back = reverse("orga:dashboard", kwargs={"slug": meeting.slug})
    if meeting.status == Meeting.Status.CANCELLED:
        messages.warning(request, _("This meeting is already cancelled."))
        return redirect(back)
    if request.method == "POST":
        try:
            meeting_update(meeting=meeting, data={"status": Meeting.Status.CANCELLED})
        except MeetingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The meeting is cancelled; everyone registered is told."))
        return redirect(back)
    return _confirm(
        request,
        meeting,
        heading=_("Cancel %(meeting)s?") % {"meeting": meeting.title},
        explanation=_(
            "The meeting's page says it is cancelled, registration closes, and everyone "
            "registered (pending, confirmed or waitlisted) gets a cancellation with a "
            "calendar update."
        ),
        audience=meeting_cancellation_audience(meeting=meeting),
        button=_("Cancel the meeting"),
        back=back,
    )
