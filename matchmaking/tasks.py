"""Celery tasks of the B2B meetings. The scheduler's task lives beside its enqueue
(``matchmaking.services.scheduling``), as the outbox's does in ``mail.services``; the rest are
thin wrappers around their services."""

from celery import shared_task

from matchmaking.services.outcome_reminders import outcome_reminders_send
from matchmaking.services.scheduling import schedule_meetings

__all__ = ["schedule_meetings", "send_outcome_reminders"]


@shared_task(name="matchmaking.send_outcome_reminders", acks_late=True)
def send_outcome_reminders() -> int:
    """Ask "how did your meetings go?" the day after; Celery beat runs it every hour."""
    return outcome_reminders_send()
