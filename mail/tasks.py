"""Celery tasks of the outbox: the sweep. The send task lives beside its enqueue (``services``)."""

from celery import shared_task

from mail.services import outbox_pending_requeue, send_outbox_message

__all__ = ["send_outbox_message", "sweep_outbox"]


# The name from when the outbox lived in registrations: beat schedules and
# queued tasks keep working across the deploy.
@shared_task(name="registrations.sweep_outbox", acks_late=True)
def sweep_outbox() -> int:
    """Re-enqueue pending emails whose task was lost; Celery beat runs it every minute."""
    return outbox_pending_requeue()
