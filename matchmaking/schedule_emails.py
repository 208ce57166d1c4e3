"""The preliminary or final schedule email (kind ``B2B_SCHEDULE``), one per person.

``services/releases.py`` writes the rows: the row's registration is the recipient,
``payload["release"]`` the ScheduleRelease, ``payload["final"]`` which schedule it
is. Built when it is sent, from the current state: the person's standing 1:1
meetings and booked agenda sessions in time order (``schedules.personal_schedule``),
and the meetings with a place cancelled since the schedule before this one. It
carries one invitation per meeting (``matchmaking.ical.b2b_invitation``: METHOD:REQUEST
with the meeting's UID and SEQUENCE, or METHOD:CANCEL), and the person's schedule as a
PDF. Several invitations, so none of them is the email's own ``text/calendar`` part:
each is an .ics attachment a client imports.

In the recipient's language (else the meeting's), times in the meeting's zone.
"""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from events.text import one_line
from mail.models import OutboxMessage
from mail.render import email_assemble, register
from matchmaking.emails import PREVIEW_MEETINGS_LINK, my_meetings_url
from matchmaking.ical import b2b_invitation, b2b_method
from matchmaking.models import MeetingRequest, ScheduleRelease
from matchmaking.pdf import CONTENT_TYPE, schedule_filename, schedule_pdf
from matchmaking.schedules import PersonalSchedule, last_release, personal_schedule
from registrations.emails import email_context, email_language
from registrations.invitations import organizer_address
from registrations.models import Registration

KIND = OutboxMessage.Kind.B2B_SCHEDULE


class ReleaseGone(LookupError):
    """The schedule the row was written for no longer exists: recorded as failed."""


def _release_of(message: OutboxMessage) -> ScheduleRelease | None:
    """The row's release; None for a preview (the schedule not sent yet)."""
    release_id = message.payload.get("release")
    if release_id is None:
        return None
    release = (
        ScheduleRelease.objects.filter(pk=release_id, meeting_id=message.meeting_id).first()
        if str(release_id).isdigit()
        else None
    )
    if release is None or message.registration_id is None:
        raise ReleaseGone(f"The schedule of outbox message {message.pk} is gone.")
    return release


def schedule_of(message: OutboxMessage) -> PersonalSchedule:
    """The person's schedule, with the meetings cancelled since the schedule sent before
    this one (ever, for the first)."""
    release = _release_of(message)
    before = release.pk if release is not None else None
    previous = last_release(meeting=message.meeting, before=before)
    return personal_schedule(
        registration=message.registration,
        with_cancelled=True,
        cancelled_since=previous.created_at if previous else None,
    )


def invitations_of(message: OutboxMessage, requests: list[MeetingRequest]) -> list:
    """(file name, calendar) per meeting, as the recipient sees it, in time order."""
    organizer = organizer_address(message.meeting)
    invitations = []
    for request in requests:
        calendar = b2b_invitation(request, viewer=message.registration, organizer_email=organizer)
        prefix = "cancel" if b2b_method(request) == "CANCEL" else "meeting"
        invitations.append((f"{prefix}-{request.pk}.ics", calendar))
    return invitations


def build_email(message: OutboxMessage, *, preview: bool = False) -> EmailMultiAlternatives:
    """The email as sent; ``preview``: the same, with placeholders for the private links."""
    base = f"matchmaking/email/{message.kind}"
    language = email_language(message)
    with translation.override(language):
        schedule = schedule_of(message)
        context = email_context(message, preview=preview)
        context.update(
            schedule=schedule,
            final=bool(message.payload.get("final")),
            your_name=one_line(message.registration.first_name),
            my_meetings_link=(
                str(PREVIEW_MEETINGS_LINK) if preview else my_meetings_url(message.registration)
            ),
        )
        subject = one_line(render_to_string(f"{base}_subject.txt", context))
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
        calendars = invitations_of(message, schedule.requests)
    pdf = schedule_pdf(schedule, language=language)
    return email_assemble(
        message,
        subject=subject,
        text=text,
        html=html,
        calendars=calendars,
        calendar_alternative=False,
        attachments=[(schedule_filename(schedule), pdf, CONTENT_TYPE)],
    )


def schedule_email_preview(*, registration: Registration, final: bool) -> EmailMultiAlternatives:
    """The email this person would get if the schedule were sent now; writes nothing."""
    message = OutboxMessage(
        kind=KIND,
        recipient=registration.email,
        meeting=registration.meeting,
        registration=registration,
        payload={"release": None, "final": final},
        dedupe_key="b2b-schedule:preview",
    )
    return build_email(message, preview=True)


def schedule_email_builder_register() -> None:
    """Tell mail how to build the schedule emails (from ``MatchmakingConfig.ready``)."""
    register(KIND, builder=build_email)
