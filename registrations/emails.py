"""What each outbox message looks like: subject, plain text and HTML, in the meeting's language.

A kind is a set of templates under ``registrations/templates/registrations/email/``:
``<kind>_subject.txt``, ``<kind>.txt`` and ``<kind>.html`` (the HTML extends
``email/base.html``). The calendars an email carries (``invitations.py``)
go in twice: as the ``text/calendar; method=…`` alternative that mail clients
turn into an invitation, and as an .ics attachment for the others.

Rows written before the text rules may hold line breaks, controls or direction
marks in any field: the subject goes through ``events.text.one_line`` and a
contact address that is not one valid address gives no Reply-To, so one bad field never
stops a message (the calendars clean their own text, ``agenda.ical``).
"""

import hashlib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agenda.ical import calendar_mime
from events.text import one_line
from registrations.invitations import AGENDA_UPDATE, agenda_update_sessions, invitations_for
from registrations.models import OutboxMessage


def message_id(message: OutboxMessage) -> str:
    """The same Message-ID on every attempt, so a receiver can drop a duplicate delivery."""
    digest = hashlib.sha256(message.dedupe_key.encode()).hexdigest()[:32]
    return f"<{digest}@{settings.SITE_DOMAIN}>"


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
            agenda_update_sessions(message) if message.kind == AGENDA_UPDATE else []
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
    address = message.meeting.contact_address if message.meeting else ""
    reply_to = [address] if address else []
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        reply_to=reply_to,
        headers={"Message-ID": message_id(message)},
    )
    email.attach_alternative(html, "text/html")
    for position, invitation in enumerate(invitations):
        data, mimetype = calendar_mime(invitation.calendar)
        if position == 0:
            # One calendar alternative per message (RFC 6047): the first, the main change.
            email.attach_alternative(data.decode(), mimetype)
        # Bytes, so the attachment is UTF-8 as built (a str would be re-encoded).
        email.attach(invitation.filename, data, "application/ics")
    return email
