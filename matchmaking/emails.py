"""What each B2B email says, and the calendar it carries.

The services write one outbox row per person and event
(``matchmaking.services.requests.notify``): the row's registration is the
recipient, ``payload["request"]`` the MeetingRequest, plus ``sequence`` and,
by kind, ``moved``, ``by_organizer``, ``was_scheduled`` and ``left``. This
builder, registered with mail for the five ``B2B_*`` kinds in
``MatchmakingConfig.ready()``, renders the templates under
``matchmaking/templates/matchmaking/email/`` (``<kind>_subject.txt``,
``<kind>.txt``, ``<kind>.html`` extending registrations' ``email/base.html``)
in the recipient's language (else the meeting's), like registrations' own.

Built when the email is sent, from the request's *current* state: an email about a
meeting moved twice since shows the latest time, and one about a meeting cancelled
since carries the CANCEL (never a REQUEST that would put it back in a calendar).
The other person is named with their organisation and role, never their address.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from events.text import multi_line, one_line
from mail.models import OutboxMessage
from mail.render import email_assemble, register
from matchmaking.ical import (
    b2b_invitation,
    b2b_location,
    b2b_method,
    is_cancelled,
    organisation_of,
    profile_of,
)
from matchmaking.models import MeetingRequest
from matchmaking.selectors import matchmaking_settings, requests_with_details
from registrations.emails import email_context, email_language
from registrations.invitations import organizer_address
from registrations.models import Registration

Kind = OutboxMessage.Kind
Status = MeetingRequest.Status

KINDS = [
    Kind.B2B_REQUEST_RECEIVED,
    Kind.B2B_REQUEST_ACCEPTED,
    Kind.B2B_REQUEST_DECLINED,
    Kind.B2B_MEETING_SCHEDULED,
    Kind.B2B_MEETING_CANCELLED,
]
# Kinds whose email carries the meeting's calendar when it has (or had) a slot.
CALENDAR_KINDS = {Kind.B2B_REQUEST_ACCEPTED, Kind.B2B_MEETING_SCHEDULED}

PREVIEW_MEETINGS_LINK = _("(their meetings page)")


class RequestGone(LookupError):
    """The meeting request of the row no longer exists (deleted with a registration): the
    send path records the row as failed with this message."""


def request_of(message: OutboxMessage) -> MeetingRequest:
    request = (
        requests_with_details(
            MeetingRequest.objects.filter(
                pk=message.payload.get("request"), meeting_id=message.meeting_id
            )
        ).first()
        if message.registration_id and str(message.payload.get("request", "")).isdigit()
        else None
    )
    if request is None or message.registration_id not in (
        request.requester_id,
        request.recipient_id,
    ):
        raise RequestGone(f"The meeting request of outbox message {message.pk} is gone.")
    return request


def my_meetings_url(registration: Registration) -> str:
    """The person's "my meetings" page, behind their private link."""
    try:
        path = reverse("matchmaking:my-meetings", kwargs={"token": registration.token})
    except NoReverseMatch:
        path = f"{registration.get_absolute_url()}meetings/"
    return f"{settings.SITE_URL}{path}"


def cancelled_by(message: OutboxMessage, request: MeetingRequest) -> str:
    """Who cancelled, as the recipient reads it: "organizers", "you", "other", "you_left"
    or "other_left"."""
    payload = message.payload
    if payload.get("by_organizer") or request.cancelled_by_id is None:
        return "organizers"
    yourself = request.cancelled_by_id == message.registration_id
    if payload.get("left"):
        return "you_left" if yourself else "other_left"
    return "you" if yourself else "other"


def b2b_email_context(message: OutboxMessage, *, preview: bool = False) -> dict:
    """Registrations' email context (meeting, recipient, private link) plus the meeting
    request and the other person, every text made safe for the templates."""
    context = email_context(message, preview=preview)
    request = request_of(message)
    registration = message.registration
    other = request.other(registration)
    profile = profile_of(other)
    has_place = request.slot is not None
    context.update(
        request=request,
        # How requests are answered here (what the person asked is to do next).
        matchmaking=matchmaking_settings(meeting=request.meeting),
        other_name=one_line(other.full_name),
        other_organisation=organisation_of(other),
        other_role=one_line(profile.role if profile else other.job_title),
        your_name=one_line(registration.first_name),
        request_message=multi_line(request.message).strip(),
        decline_reason=one_line(request.decline_reason),
        slot=request.slot,
        place=b2b_location(request) if has_place else "",
        session_title=one_line(request.slot.b2b_session.session.title) if has_place else "",
        cancelled=request.status == Status.CANCELLED or (has_place and is_cancelled(request)),
        moved=bool(message.payload.get("moved")),
        cancelled_by=cancelled_by(message, request),
        my_meetings_link=str(PREVIEW_MEETINGS_LINK) if preview else my_meetings_url(registration),
    )
    return context


def calendars_of(message: OutboxMessage, request: MeetingRequest) -> list:
    """The meeting's invitation for the recipient: REQUEST or CANCEL by its current state,
    for the kinds that carry one once the meeting has (or had) a slot."""
    if request.slot is None:
        return []
    wanted = message.kind in CALENDAR_KINDS or (
        message.kind == Kind.B2B_MEETING_CANCELLED and message.payload.get("was_scheduled")
    )
    if not wanted:
        return []
    calendar = b2b_invitation(
        request,
        viewer=message.registration,
        organizer_email=organizer_address(request.meeting),
    )
    filename = "cancel.ics" if b2b_method(request) == "CANCEL" else "invite.ics"
    return [(filename, calendar)]


def build_email(message: OutboxMessage, *, preview: bool = False) -> EmailMultiAlternatives:
    """The email as sent; ``preview``: the same, with placeholders for the private links."""
    base = f"matchmaking/email/{message.kind}"
    with translation.override(email_language(message)):
        context = b2b_email_context(message, preview=preview)
        subject = one_line(render_to_string(f"{base}_subject.txt", context))
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
        calendars = calendars_of(message, context["request"])
    return email_assemble(message, subject=subject, text=text, html=html, calendars=calendars)


def email_builders_register() -> None:
    """Tell mail how to build the B2B kinds (from ``MatchmakingConfig.ready``)."""
    register(*KINDS, builder=build_email)
