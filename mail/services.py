"""The email outbox: every email is a row written in the transaction that causes it.

``outbox_message_create`` is called by services inside their transaction; once
that transaction commits, the send task (``send_outbox_message``, defined here
beside the enqueue that publishes it) is enqueued. The task calls
``outbox_message_send``, which locks the row, sends only if it is still
pending, and marks it sent or failed. A broker that cannot be reached only
delays the email: the periodic sweep (``outbox_pending_requeue``,
``mail/tasks.py``) enqueues what is left. Delivery is at least once with a very
small window for a duplicate (docs/deployment.md, "Email delivery"); every
attempt carries the same Message-ID so a receiver can drop one.

The row lock is held across the SMTP conversation, on purpose. pretix instead
marks a row in flight in a short transaction and sends outside it; then a
worker that dies mid-send leaves a row in flight that only a timeout can judge
(mark it failed: maybe lost; send again: maybe doubled). Here the database is
the judge: while the lock is held the row is being sent (the sweep and the
agenda-notice batching skip locked rows), and a dead worker's connection drops
its lock, so the row is pending again and sent once more, which the stable
Message-ID covers. The price is one open transaction per send in progress,
bounded by ``EMAIL_TIMEOUT`` and the worker concurrency.
"""

import logging
import smtplib
import time
from datetime import datetime, timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from mail.models import OutboxMessage
from mail.render import email_build

logger = logging.getLogger(__name__)

# After this many failed attempts a message is marked failed and shown to organizers.
MAX_ATTEMPTS = 8

# Per process: until this monotonic time, do not try the broker (it just failed).
_broker_paused_until = 0.0


class TransientEmailError(Exception):
    """Sending failed in a way that may work later (server down, 4xx reply)."""

    def __init__(self, message: str, *, retry_in: int):
        super().__init__(message)
        self.retry_in = retry_in


def retry_delay_seconds(attempts: int) -> int:
    """Wait after the n-th failed attempt: 30 s, 1 min, 2 min, 4 min … at most 30 min.

    The base and the cap are settings (OUTBOX_RETRY_BASE_SECONDS,
    OUTBOX_RETRY_MAX_SECONDS) so the integration tests can retry in seconds.
    """
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.OUTBOX_RETRY_MAX_SECONDS)


def outbox_message_create(
    *,
    kind: OutboxMessage.Kind,
    recipient: str,
    dedupe_key: str,
    meeting=None,
    registration=None,
    session=None,
    payload: dict[str, Any] | None = None,
    send_after: datetime | None = None,
    new_key: bool = False,
    key_locked: bool = False,
) -> OutboxMessage | None:
    """Write one email to send, once per ``dedupe_key``; enqueue it after commit.

    Must run inside the caller's transaction, so the email exists if and only
    if the change that causes it is committed. With ``send_after`` the email
    waits until then (its task is published with that countdown; the sweep
    covers a lost one).

    ``new_key=True``: the caller knows no row can hold this key yet (it names a
    row or an instant created in this very transaction), so the row is a plain
    INSERT, without get_or_create's SELECT and savepoint. The unique key still
    guards it: a collision would be an IntegrityError that rolls the whole
    transaction back, never a second email.

    ``key_locked=True``: every writer of this key holds a row lock the caller
    holds too, so nobody can insert it meanwhile: one lookup, then a plain
    INSERT when it is absent (two queries instead of get_or_create's four; the
    unique key still guards it). Returns None when the row already existed.
    """
    values = {
        "kind": kind,
        "recipient": recipient,
        "meeting": meeting,
        "registration": registration,
        "session": session,
        "payload": payload or {},
        "send_after": send_after,
    }
    if key_locked:
        if OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        new_key = True
    if new_key:
        message, created = OutboxMessage.objects.create(dedupe_key=dedupe_key, **values), True
    else:
        message, created = OutboxMessage.objects.get_or_create(
            dedupe_key=dedupe_key, defaults=values
        )
    if created:
        countdown = (
            max(int((send_after - timezone.now()).total_seconds()) + 1, 0) if send_after else None
        )
        transaction.on_commit(
            lambda: outbox_message_enqueue(message_id=message.pk, countdown=countdown)
        )
    return message


def outbox_messages_create_many(
    messages: list[OutboxMessage], *, countdown: int | None = None
) -> list[OutboxMessage]:
    """Write many new emails in one query (unique dedupe keys the caller chose); enqueue
    them after commit. For fan-outs to every attendee, inside the causing transaction."""
    created = OutboxMessage.objects.bulk_create(messages)
    ids = [message.pk for message in created]

    def enqueue() -> None:
        for message_id in ids:
            outbox_message_enqueue(message_id=message_id, countdown=countdown)

    transaction.on_commit(enqueue)
    return created


def outbox_message_enqueue(*, message_id: int, countdown: int | None = None) -> bool:
    """Hand the message to the broker; never raises (the sweep retries later).

    Runs in the web request after its commit, so it must be quick even when
    the broker is gone: one publish, bounded by the 1 s connect and socket
    timeouts in settings. After a failure this process does not try again for
    OUTBOX_BROKER_PAUSE_SECONDS, so an outage costs one request at most a
    second, and the requests after it nothing (docs/benchmarks.md).
    """
    global _broker_paused_until
    if time.monotonic() < _broker_paused_until:
        logger.info("Broker paused; outbox message %s is left to the sweep", message_id)
        return False
    try:
        send_outbox_message.apply_async((message_id,), countdown=countdown)
    except Exception:  # broker down, DNS, timeouts: the sweep will pick it up
        _broker_paused_until = time.monotonic() + settings.OUTBOX_BROKER_PAUSE_SECONDS
        logger.warning("Could not enqueue outbox message %s; the sweep will retry", message_id)
        return False
    return True


@shared_task(
    # The name from when the outbox lived in registrations: tasks already queued keep running.
    name="registrations.send_outbox_message",
    bind=True,
    # Acknowledged only after it ran: a worker that dies mid-send leaves the
    # task with the broker, which hands it to another worker.
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,  # the outbox row counts attempts and decides when to give up
)
def send_outbox_message(self, message_id: int) -> None:
    try:
        outbox_message_send(message_id=message_id)
    except TransientEmailError as exc:
        if self.request.is_eager or exc.retry_in >= settings.CELERY_VISIBILITY_TIMEOUT:
            # Eager (no broker): a retry would run again at once. A countdown
            # longer than Redis' visibility timeout would be redelivered while
            # still waiting. Either way the row keeps its next_attempt_at and
            # the sweep enqueues it when it is due.
            logger.info("Outbox message %s left to the sweep: %s", message_id, exc)
            return
        raise self.retry(exc=exc, countdown=exc.retry_in) from exc


def outbox_message_send(*, message_id: int) -> OutboxMessage | None:
    """Send the message if it is still pending. Safe to call any number of times.

    The row stays locked while the email is handed to the SMTP server. A
    second task for the same message (a redelivery, a sweep) skips a row that
    is locked, because its holder is sending it right now, and returns a row
    that is no longer pending. If the holder dies, the database drops its
    lock with its connection and the row is pending again.

    Every attempt ends in one of three states: sent; pending with
    ``next_attempt_at`` set and TransientEmailError raised (retry may help);
    failed, with the error kept for organizers (permanent refusal, a message
    that cannot be built, or MAX_ATTEMPTS reached).
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("meeting", "registration", "session")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.status != OutboxMessage.Status.PENDING:
            return message
        if message.send_after and message.send_after > timezone.now():
            return message  # too early (an early redelivery): its own task or the sweep comes back
        message.attempts += 1
        try:
            email_build(message=message).send(fail_silently=False)
        except DatabaseError:
            raise  # the row is untouched; the task fails and the sweep tries again
        except Exception as exc:
            _record_failure(message, exc)
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            message.next_attempt_at = None
            message.save(
                update_fields=[
                    "status",
                    "sent_at",
                    "attempts",
                    "last_error",
                    "next_attempt_at",
                    "updated_at",
                ]
            )
            return message
    if message.status == OutboxMessage.Status.PENDING:
        retry_in = int((message.next_attempt_at - timezone.now()).total_seconds() + 0.5)
        raise TransientEmailError(message.last_error, retry_in=max(retry_in, 0))
    return message


def outbox_pending_requeue(
    *, grace_seconds: int | None = None, lease_seconds: int = 300, limit: int = 500
) -> int:
    """Enqueue pending messages that no task has sent in time (broker outage, lost worker).

    A message is due ``grace_seconds`` after it was written, or after its
    scheduled retry; until then its own task is expected to handle it. Rows
    being sent right now (locked) are skipped. Each enqueued row gets a lease
    (``next_attempt_at`` moved ``lease_seconds`` ahead), so a backlog in the
    queue is not enqueued again on every sweep. Returns how many were enqueued.
    """
    if grace_seconds is None:
        grace_seconds = settings.OUTBOX_SWEEP_GRACE_SECONDS
    now = timezone.now()
    cutoff = now - timedelta(seconds=grace_seconds)
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxMessage.Status.PENDING)
            .filter(
                Q(next_attempt_at__isnull=True, created_at__lte=cutoff)
                | Q(next_attempt_at__lte=cutoff)
            )
            .filter(Q(send_after__isnull=True) | Q(send_after__lte=cutoff))
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        OutboxMessage.objects.filter(pk__in=ids).update(
            next_attempt_at=now + timedelta(seconds=lease_seconds), updated_at=now
        )
    enqueued = 0
    for position, pk in enumerate(ids):
        if not outbox_message_enqueue(message_id=pk):
            # The broker is gone again: give the rest back to the next sweep
            # instead of waiting for a timeout per message.
            OutboxMessage.objects.filter(
                pk__in=ids[position:], status=OutboxMessage.Status.PENDING
            ).update(next_attempt_at=cutoff)
            break
        enqueued += 1
    return enqueued


def outbox_message_retry(*, message: OutboxMessage) -> OutboxMessage:
    """An organizer asks to send a message again now: a failed one gets fresh attempts.

    A pending message is enqueued at once instead of waiting for its backoff
    (or, for a batched agenda notice, for the end of its batching window);
    a sent one is left alone (a new email is a new message with its own key).
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.status == OutboxMessage.Status.SENT:
            return message
        if message.status == OutboxMessage.Status.FAILED:
            message.status = OutboxMessage.Status.PENDING
            message.attempts = 0
        message.next_attempt_at = None
        message.send_after = None
        message.save(
            update_fields=["status", "attempts", "next_attempt_at", "send_after", "updated_at"]
        )
        transaction.on_commit(lambda: outbox_message_enqueue(message_id=message.pk))
    return message


def outbox_failed_retry(*, meeting) -> int:
    """Give every failed email of the meeting fresh attempts; returns how many."""
    failed = OutboxMessage.objects.filter(meeting=meeting, status=OutboxMessage.Status.FAILED)
    count = 0
    for message in failed.order_by("pk"):
        if outbox_message_retry(message=message).status == OutboxMessage.Status.PENDING:
            count += 1
    return count


def is_transient(exc: Exception) -> bool:
    """Whether sending again later may succeed.

    Network errors, timeouts and 4xx replies are transient; so is a refused
    login (535), which an operator fixes in the settings without losing mail.
    A 5xx refusal of the sender, a recipient or the data is permanent, and
    anything else (a template error, a malformed address) would fail again.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _reply in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return True
    if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, smtplib.SMTPException | OSError)


def _record_failure(message: OutboxMessage, exc: Exception) -> None:
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if is_transient(exc) and message.attempts < MAX_ATTEMPTS:
        delay = retry_delay_seconds(message.attempts)
        message.next_attempt_at = timezone.now() + timedelta(seconds=delay)
        logger.warning(
            "Outbox message %s: attempt %s failed (%s); next in %s s",
            message.pk,
            message.attempts,
            message.last_error,
            delay,
        )
    else:
        message.status = OutboxMessage.Status.FAILED
        message.next_attempt_at = None
        logger.error(
            "Outbox message %s failed after %s attempt(s): %s",
            message.pk,
            message.attempts,
            message.last_error,
            exc_info=not is_transient(exc),
        )
    message.save(
        update_fields=["status", "attempts", "last_error", "next_attempt_at", "updated_at"]
    )
