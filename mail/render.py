"""How an outbox row becomes an email: one builder per kind, registered by the app that owns it.

mail knows the envelope: sender, recipient, Reply-To, the Message-ID that is
the same on every attempt, and calendars carried twice (as the
``text/calendar; method=…`` alternative that mail clients turn into an
invitation, and as an .ics attachment for the others). The domain apps know
the words: each registers a builder for its kinds in its ``AppConfig.ready()``
(registrations: ``registrations/emails.py``). A row whose kind has no builder
raises ``UnknownKind``, which the send path records as a permanent failure
with that message, so it never loops.
"""

import hashlib
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from icalendar import Calendar

from agenda.ical import calendar_mime
from mail.models import OutboxMessage

# builder(message, preview=...) -> the email; ``preview``: a placeholder for secrets.
Builder = Callable[..., EmailMultiAlternatives]

_builders: dict[str, Builder] = {}


class UnknownKind(LookupError):
    """No builder is registered for the row's kind (an app left out, a kind removed)."""


def register(*kinds: OutboxMessage.Kind, builder: Builder) -> None:
    """Build the emails of these kinds with ``builder``; a kind not in ``Kind`` is refused."""
    for kind in kinds:
        _builders[OutboxMessage.Kind(kind)] = builder


def email_build(*, message: OutboxMessage, preview: bool = False) -> EmailMultiAlternatives:
    """The email for this row, as its kind's builder makes it."""
    builder = _builders.get(message.kind)
    if builder is None:
        raise UnknownKind(f"No email builder is registered for kind {message.kind!r}.")
    return builder(message, preview=preview)


def message_id(message: OutboxMessage) -> str:
    """The same Message-ID on every attempt, so a receiver can drop a duplicate delivery."""
    digest = hashlib.sha256(message.dedupe_key.encode()).hexdigest()[:32]
    return f"<{digest}@{settings.SITE_DOMAIN}>"


def email_assemble(
    message: OutboxMessage,
    *,
    subject: str,
    text: str,
    html: str,
    calendars: Sequence[tuple[str, Calendar]] = (),
    calendar_alternative: bool = True,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> EmailMultiAlternatives:
    """The email around rendered content; ``calendars``: (file name, calendar), main one first.

    The first calendar is also the message's ``text/calendar`` alternative, unless
    ``calendar_alternative`` is False (an email about several events has no main one: each
    is an attachment). ``attachments``: other files, as (file name, bytes, content type).

    A contact address that is not one valid address gives no Reply-To
    (``Meeting.contact_address``), so one bad field never stops a message.
    """
    address = message.meeting.contact_address if message.meeting else ""
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        reply_to=[address] if address else [],
        headers={"Message-ID": message_id(message)},
    )
    email.attach_alternative(html, "text/html")
    for position, (filename, calendar) in enumerate(calendars):
        data, mimetype = calendar_mime(calendar)
        if position == 0 and calendar_alternative:
            # One calendar alternative per message (RFC 6047): the first, the main change.
            email.attach_alternative(data.decode(), mimetype)
        # Bytes, so the attachment is UTF-8 as built (a str would be re-encoded).
        email.attach(filename, data, "application/ics")
    for filename, data, mimetype in attachments:
        email.attach(filename, data, mimetype)
    return email
