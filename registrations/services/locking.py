"""The capacity lock: one short transaction that holds the meeting row, then session rows.

Every write that can change who holds a seat runs inside ``capacity_lock``:
it locks the Meeting row first and then any Session rows in id order, so two
writers never wait on each other in opposite orders. On PostgreSQL the wait
is bounded by ``settings.LOCK_TIMEOUT_MS``; a timeout rolls everything back
and becomes ``RegistrationBusy``. SQLite serialises writers by itself.
"""

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from agenda.models import Session
from events.models import Meeting
from registrations.services.errors import RegistrationBusy

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL SQLSTATE for a lock_timeout


class CapacityLock:
    """The rows locked by one capacity transaction."""

    def __init__(self, meeting: Meeting):
        self.meeting = meeting
        self.sessions: dict[int, Session] = {}

    def lock_sessions(self, session_ids: Iterable[int]) -> dict[int, Session]:
        """Lock (once) and return these sessions of the meeting, taken in id order."""
        session_ids = list(session_ids)
        missing = sorted(set(session_ids) - set(self.sessions))
        if missing:
            queryset = Session.objects.select_related("room").filter(
                pk__in=missing, meeting=self.meeting
            )
            if locking_enabled():
                queryset = queryset.select_for_update(of=("self",))
            for session in queryset.order_by("pk"):
                self.sessions[session.pk] = session
        return {pk: self.sessions[pk] for pk in session_ids if pk in self.sessions}


def locking_enabled() -> bool:
    # Only the negative control of the concurrency tests turns this off.
    return settings.REGISTRATION_CAPACITY_LOCKING


def is_lock_timeout(exc: OperationalError) -> bool:
    if getattr(exc.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
        return True
    # SQLite (embedded mode): the write lock was not free within its timeout.
    return connection.vendor == "sqlite" and "database is locked" in str(exc)


@contextmanager
def capacity_lock(*, meeting_id: int, session_ids: Iterable[int] = ()) -> Iterator[CapacityLock]:
    """Open the outermost transaction and lock the meeting, then the given sessions."""
    try:
        with transaction.atomic(durable=True):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = {int(settings.LOCK_TIMEOUT_MS)}")
            queryset = Meeting.objects.filter(pk=meeting_id)
            if locking_enabled():
                queryset = queryset.select_for_update(of=("self",))
            lock = CapacityLock(queryset.select_related("venue").get())
            lock.lock_sessions(session_ids)
            yield lock
    except OperationalError as exc:
        if is_lock_timeout(exc):
            raise RegistrationBusy(_("We are busy right now: please try again.")) from exc
        raise


def retry_when_busy(attempts: int = 2) -> Callable:
    """Run the whole service again when its lock wait timed out (it changed nothing)."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(attempts):
                try:
                    return func(*args, **kwargs)
                except RegistrationBusy:
                    if attempt == attempts - 1:
                        raise
            raise AssertionError("unreachable")

        return wrapper

    return decorate
