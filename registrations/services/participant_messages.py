"""Organizers write to participants: one message, one outbox row per recipient, once."""

import hashlib
import uuid
from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agenda.models import Session
from events.models import Meeting
from mail.models import OutboxMessage
from mail.services import outbox_messages_create_many
from registrations.audience import audience_registrations
from registrations.emails import build_email
from registrations.models import ParticipantMessage, Registration
from registrations.services.errors import RegistrationError

KIND = OutboxMessage.Kind.PARTICIPANT_MESSAGE


class MessageSent(NamedTuple):
    message: ParticipantMessage
    # False when this confirmation had already been sent (a double click, a resubmitted form).
    created: bool


def dedupe_key(message: ParticipantMessage, registration: Registration) -> str:
    return f"participant-message:{message.pk}:{registration.pk}"


def audience_digest(registrations: Iterable[Registration]) -> str:
    """Who exactly the preview counted: sha256 of the sorted registration ids."""
    ids = sorted(registration.pk for registration in registrations)
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()


def participant_message_send(
    *,
    meeting: Meeting,
    subject: str,
    body: str,
    statuses: list[str],
    session: Session | None = None,
    region: str = "",
    created_by=None,
    token: uuid.UUID | None = None,
    expected_count: int | None = None,
    expected_digest: str | None = None,
) -> MessageSent:
    """Save the message and write one email per person in the audience, in one transaction.

    ``token`` identifies the confirmation the organizer pressed: the same token
    again returns the message already sent and writes nothing. With
    ``expected_count`` (the number the preview showed) a changed audience is
    refused, so nobody is emailed who was not counted; with ``expected_digest``
    (``audience_digest`` of the previewed people) so is the same number of other people.
    """
    message = _message_checked(
        meeting=meeting,
        subject=subject,
        body=body,
        statuses=statuses,
        session=session,
        region=region,
        created_by=created_by,
        token=token or uuid.uuid4(),
    )
    already = ParticipantMessage.objects.filter(token=message.token).first()
    if already is not None:
        return _sent_before(already, meeting)
    try:
        with transaction.atomic(durable=True):
            recipients = list(
                audience_registrations(
                    meeting=meeting, statuses=statuses, session=session, region=region
                )
            )
            if not recipients:
                raise RegistrationError(_("Nobody matches this audience: no message was sent."))
            if (expected_count is not None and len(recipients) != expected_count) or (
                expected_digest is not None and audience_digest(recipients) != expected_digest
            ):
                raise RegistrationError(
                    ngettext(
                        "The audience has changed since the preview: it is now %(count)d "
                        "person. Check the preview again; nothing was sent.",
                        "The audience has changed since the preview: it is now %(count)d "
                        "people. Check the preview again; nothing was sent.",
                        len(recipients),
                    )
                    % {"count": len(recipients)}
                )
            message.recipient_count = len(recipients)
            message.save()
            outbox_messages_create_many(
                [
                    OutboxMessage(
                        kind=KIND,
                        recipient=registration.email,
                        meeting=meeting,
                        registration=registration,
                        participant_message=message,
                        dedupe_key=dedupe_key(message, registration),
                    )
                    for registration in recipients
                ]
            )
    except IntegrityError:
        # The same confirmation committed by a concurrent request first.
        already = ParticipantMessage.objects.filter(token=message.token).first()
        if already is None:
            raise
        return _sent_before(already, meeting)
    return MessageSent(message, created=True)


def _sent_before(message: ParticipantMessage, meeting: Meeting) -> MessageSent:
    if message.meeting_id != meeting.pk:
        # Not a token this meeting's forms gave out: say nothing about the other message.
        raise RegistrationError(_("This confirmation is not valid any more: preview again."))
    return MessageSent(message, created=False)


def _message_checked(*, meeting, subject, body, statuses, session, region, created_by, token):
    """The unsaved message, or RegistrationError naming the first field that is wrong."""
    known = set(Registration.Status.values)
    if not statuses or not set(statuses) <= known:
        raise RegistrationError(_("Choose at least one registration status."), field="statuses")
    if session is not None and session.meeting_id != meeting.pk:
        raise RegistrationError(_("Choose a session of this meeting."), field="session")
    message = ParticipantMessage(
        meeting=meeting,
        token=token,
        subject=subject.strip(),
        body=normalize_newlines(body),
        audience_statuses=[status for status in Registration.Status.values if status in statuses],
        audience_session=session,
        audience_region=region,
        created_by=created_by if created_by and created_by.is_authenticated else None,
    )
    try:
        message.full_clean(exclude=["meeting", "token", "audience_session", "created_by"])
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise RegistrationError(" ".join(errors), field=field) from exc
    return message


def participant_message_preview(
    *, meeting: Meeting, subject: str, body: str, registration: Registration
) -> EmailMultiAlternatives:
    """The email this registration would receive, built by the real templates; writes nothing.

    Only the private link is a placeholder: the organizer's page never holds the token.
    """
    message = ParticipantMessage(meeting=meeting, subject=subject, body=normalize_newlines(body))
    email = OutboxMessage(
        kind=KIND,
        recipient=registration.email,
        meeting=meeting,
        registration=registration,
        participant_message=message,
        dedupe_key="participant-message:preview",
    )
    return build_email(email, preview=True)


def normalize_newlines(text: str) -> str:
    """Line breaks as the browser may send them (CR LF, CR) become LF, as kept."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
