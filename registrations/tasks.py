"""Celery tasks of registrations: thin wrappers around its periodic services.

The outbox's tasks (send, sweep) are mail's: ``mail/services.py``, ``mail/tasks.py``.
"""

from celery import shared_task

from registrations.services.holds import seat_holds_release
from registrations.services.reminders import meeting_reminders_send


@shared_task(name="registrations.send_meeting_reminders", acks_late=True)
def send_meeting_reminders() -> int:
    """Reminders for meetings that start soon; Celery beat runs it every hour."""
    return meeting_reminders_send()


@shared_task(name="registrations.release_seat_holds", acks_late=True)
def release_seat_holds() -> int:
    """Seats held for links nobody opened in time go to the waitlist; beat runs it every minute."""
    return seat_holds_release()
