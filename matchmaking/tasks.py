"""Celery tasks of matchmaking. The scheduler's task lives beside its enqueue
(``matchmaking.services.scheduling``), as the outbox's does in ``mail.services``."""

from matchmaking.services.scheduling import schedule_meetings

__all__ = ["schedule_meetings"]
