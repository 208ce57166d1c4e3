"""What each registrations email says: subject, plain text and HTML, in the meeting's language.

A kind is a set of templates under ``registrations/templates/registrations/email/``:
``<kind>_subject.txt``, ``<kind>.txt`` and ``<kind>.html`` (the HTML extends
``email/base.html``), plus the calendars it carries (``invitations.py``).
``RegistrationsConfig.ready()`` registers ``build_email`` with mail for every
kind in ``KINDS``; mail wraps the content (sender, Message-ID, calendars) and sends it.

Rows written before the text rules may hold line breaks, controls or direction
marks in any field: the subject goes through ``events.text.one_line`` and a
contact address that is not one valid address gives no Reply-To, so one bad field never
stops a message (the calendars clean their own text, ``agenda.ical``).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from events.text import one_line
from mail.models import OutboxMessage
from mail.render import email_assemble, register
from registrations.invitations import agenda_update_sessions, invitations_for

Kind = OutboxMessage.Kind

# The kinds registrations writes and builds (later apps register their own).
KINDS = [
    Kind.REGISTRATION_RECEIVED,
    Kind.REGISTRATION_CONFIRMED,
    Kind.REGISTRATION_WAITLISTED,
    Kind.REGISTRATION_PROMOTED,
    Kind.REGISTRATION_REJECTED,
    Kind.REGISTRATION_CANCELLED,
    Kind.REGISTRATION_HOLD_RELEASED,
    Kind.PRIVATE_LINK,
    Kind.BOOKING_CONFIRMED,
    Kind.BOOKING_WAITLISTED,
    Kind.BOOKING_PROMOTED,
    Kind.BOOKING_CANCELLED,
    Kind.AGENDA_UPDATE,
    Kind.MEETING_CANCELLED,
    Kind.MEETING_REMINDER,
    Kind.PARTICIPANT_MESSAGE,
]

# What a preview shows for the recipient's private link: the organizer's page never
# holds a real token (the link is full control of that person's registration).
PREVIEW_PRIVATE_LINK = _("(their personal link)")


def email_context(message: OutboxMessage, *, preview: bool = False) -> dict:
    registration = message.registration
    private_link = None
    if registration:
        private_link = (
            str(PREVIEW_PRIVATE_LINK)
            if preview
            else f"{settings.SITE_URL}{registration.get_absolute_url()}"
        )
    return {
        "message": message,
        "meeting": message.meeting,
        "registration": registration,
        "session": message.session,
        "payload": message.payload,
        "site_url": settings.SITE_URL,
        "private_link": private_link,
        "changed_sessions": (
            agenda_update_sessions(message) if message.kind == Kind.AGENDA_UPDATE else []
        ),
    }


def email_language(message: OutboxMessage) -> str:
    if message.registration and message.registration.language:
        return message.registration.language
    if message.meeting:
        return message.meeting.language
    return settings.LANGUAGE_CODE


def build_email(message: OutboxMessage, *, preview: bool = False) -> EmailMultiAlternatives:
    """The email as sent; ``preview``: the same, with a placeholder for the private link."""
    base = f"registrations/email/{message.kind}"
    with translation.override(email_language(message)):
        context = email_context(message, preview=preview)
        subject = one_line(render_to_string(f"{base}_subject.txt", context))
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
        invitations = invitations_for(message)
    return email_assemble(
        message,
        subject=subject,
        text=text,
        html=html,
        calendars=[(invitation.filename, invitation.calendar) for invitation in invitations],
    )


def email_builders_register() -> None:
    """Tell mail how to build every registrations kind (from ``RegistrationsConfig.ready``)."""
    register(*KINDS, builder=build_email)
