"""The email outbox: every email is a row written in the transaction that causes it.

``outbox_message_create`` is called by services inside their transaction; once
that transaction commits, the send task is enqueued. The task calls
``outbox_message_send``, which locks the row, sends only if it is still
pending, and marks it sent. A broker that cannot be reached only delays the
email: the periodic sweep (``outbox_pending_requeue``) enqueues what is left.
"""

import logging
import smtplib
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from registrations.models import OutboxMessage

logger = logging.getLogger(__name__)

# After this many failed attempts a message is marked failed and shown to organizers.
MAX_ATTEMPTS = 8


class TransientEmailError(Exception):
    """Sending failed in a way that may work later (server down, 4xx reply)."""

    def __init__(self, message: str, *, retry_in: int):
        super().__init__(message)
        self.retry_in = retry_in


def retry_delay_seconds(attempts: int) -> int:
    """Wait after the n-th failed attempt: 30 s, 1 min, 2 min, 4 min … at most 30 min."""
    return min(30 * 2 ** max(attempts - 1, 0), 1800)


def outbox_message_create(
    *,
    kind: str,
    recipient: str,
    dedupe_key: str,
    meeting=None,
    registration=None,
    session=None,
    payload: dict[str, Any] | None = None,
) -> OutboxMessage:
    """Write one email to send, once per ``dedupe_key``; enqueue it after commit.

    Must run inside the caller's transaction, so the email exists if and only
    if the change that causes it is committed.
    """
    message, created = OutboxMessage.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "kind": kind,
            "recipient": recipient,
            "meeting": meeting,
            "registration": registration,
            "session": session,
            "payload": payload or {},
        },
    )
    if created:
        transaction.on_commit(lambda: outbox_message_enqueue(message_id=message.pk))
    return message


def outbox_message_enqueue(*, message_id: int) -> bool:
    """Hand the message to the broker; never raises (the sweep retries later)."""
    from registrations.tasks import send_outbox_message

    try:
        send_outbox_message.delay(message_id)
    except Exception:  # broker down, DNS, timeouts: the sweep will pick it up
        logger.warning("Could not enqueue outbox message %s; the sweep will retry", message_id)
        return False
    return True


def outbox_message_send(*, message_id: int) -> OutboxMessage | None:
    """Send the message if it is still pending. Safe to call any number of times.

    The row stays locked while the email is handed to the SMTP server, so two
    workers given the same message send it once: the second waits, then finds
    it sent. Raises TransientEmailError (after recording the attempt) when a
    retry may help; a permanent refusal marks the message failed.
    """
    from registrations.emails import build_email

    error: Exception | None = None
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(of=("self",))
            .select_related("meeting", "registration", "session")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.status != OutboxMessage.Status.PENDING:
            return message
        message.attempts += 1
        try:
            build_email(message).send(fail_silently=False)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            if _is_transient(exc):
                error = exc
            else:
                _mark_failed(message, exc)
                return message
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            error = exc
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            message.save(
                update_fields=["status", "sent_at", "attempts", "last_error", "updated_at"]
            )
            return message

        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        retry_in = retry_delay_seconds(message.attempts)
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxMessage.Status.FAILED
            message.next_attempt_at = None
        else:
            message.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
        message.save(
            update_fields=["status", "attempts", "last_error", "next_attempt_at", "updated_at"]
        )
    if message.status == OutboxMessage.Status.FAILED:
        return message
    raise TransientEmailError(message.last_error, retry_in=retry_in) from error


def outbox_pending_requeue(*, grace_seconds: int = 60, limit: int = 500) -> int:
    """Enqueue pending messages that no task has sent in time (broker outage, lost worker).

    A message is due ``grace_seconds`` after it was written, or after its
    scheduled retry; until then its own task is expected to handle it.
    """
    cutoff = timezone.now() - timedelta(seconds=grace_seconds)
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        .filter(
            Q(next_attempt_at__isnull=True, created_at__lt=cutoff) | Q(next_attempt_at__lt=cutoff)
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(outbox_message_enqueue(message_id=pk) for pk in ids)


def outbox_message_retry(*, message: OutboxMessage) -> OutboxMessage:
    """An organizer asks to try a failed message again."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(of=("self",)).get(pk=message.pk)
        if message.status == OutboxMessage.Status.FAILED:
            message.status = OutboxMessage.Status.PENDING
            message.attempts = 0
            message.next_attempt_at = None
            message.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
            transaction.on_commit(lambda: outbox_message_enqueue(message_id=message.pk))
    return message


def _is_transient(exc: smtplib.SMTPException) -> bool:
    codes = []
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
    elif isinstance(exc, smtplib.SMTPResponseException):
        codes = [exc.smtp_code]
    return any(400 <= code < 500 for code in codes)


def _mark_failed(message: OutboxMessage, exc: Exception) -> None:
    message.status = OutboxMessage.Status.FAILED
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    message.save(update_fields=["status", "attempts", "last_error", "updated_at"])
