"""Celery tasks: thin wrappers that take ids and call the outbox services."""

import logging

from celery import shared_task
from django.conf import settings

from registrations.outbox import TransientEmailError, outbox_message_send, outbox_pending_requeue
from registrations.services.holds import seat_holds_release
from registrations.services.reminders import meeting_reminders_send

logger = logging.getLogger(__name__)


@shared_task(
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


@shared_task(name="registrations.sweep_outbox", acks_late=True)
def sweep_outbox() -> int:
    """Re-enqueue pending emails whose task was lost; Celery beat runs it every minute."""
    return outbox_pending_requeue()


@shared_task(name="registrations.send_meeting_reminders", acks_late=True)
def send_meeting_reminders() -> int:
    """Reminders for meetings that start soon; Celery beat runs it every hour."""
    return meeting_reminders_send()


@shared_task(name="registrations.release_seat_holds", acks_late=True)
def release_seat_holds() -> int:
    """Seats held for links nobody opened in time go to the waitlist; beat runs it every minute."""
    return seat_holds_release()
