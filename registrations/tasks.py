"""Celery tasks: thin wrappers that take ids and call services."""

import logging

from celery import shared_task

from registrations.outbox import TransientEmailError, outbox_message_send, outbox_pending_requeue

logger = logging.getLogger(__name__)


@shared_task(
    name="registrations.send_outbox_message",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,  # the outbox row counts attempts and decides when to give up
)
def send_outbox_message(self, message_id: int) -> None:
    try:
        outbox_message_send(message_id=message_id)
    except TransientEmailError as exc:
        if self.request.is_eager:
            # No broker (embedded mode): an eager retry would run again at once.
            # The row stays pending with its next_attempt_at for the sweep.
            logger.warning("Outbox message %s not sent yet: %s", message_id, exc)
            return
        raise self.retry(exc=exc, countdown=exc.retry_in) from exc


@shared_task(name="registrations.sweep_outbox", acks_late=True)
def sweep_outbox() -> int:
    """Re-enqueue pending emails whose task was lost; Celery beat runs it every minute."""
    return outbox_pending_requeue()
