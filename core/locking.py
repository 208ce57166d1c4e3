"""Bounded lock waits, and "somebody else holds it" as a clean ``Busy`` error.

Every write that locks rows (the meeting row first, then session rows in id
order: ``agenda.locking``) waits at most ``settings.LOCK_TIMEOUT_MS`` on
PostgreSQL. A wait that runs out, or a deadlock that PostgreSQL breaks by
failing one side, rolls the transaction back: nothing was written, so the
service may run again (``retry_when_busy``) and then tells the person to try
again (a ``Busy`` subclass of the app whose service it was). SQLite (the
embedded mode) serialises writers by itself; its "database is locked" after
its own timeout means the same.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection

from core.errors import Busy

# PostgreSQL's SQLSTATEs for "lock_timeout expired" and "deadlock detected": both
# mean another writer holds what we need, and trying again is the cure.
BUSY_SQLSTATES = frozenset({"55P03", "40P01"})


def lock_timeout() -> None:
    """Bound this transaction's lock waits (PostgreSQL; call inside the transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # SET LOCAL takes no bind parameters; the value is an int from settings.
            cursor.execute(f"SET LOCAL lock_timeout = {int(settings.LOCK_TIMEOUT_MS)}")


def is_busy(exc: OperationalError) -> bool:
    """Whether this database error means "another writer holds the lock" (nothing written)."""
    if getattr(exc.__cause__, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    # SQLite (embedded mode): the write lock was not free within its timeout.
    return connection.vendor == "sqlite" and "database is locked" in str(exc)


@contextmanager
def busy_as(busy: Callable[[], Busy]) -> Iterator[None]:
    """Turn a busy ``OperationalError`` inside the block into ``busy()``; others pass."""
    try:
        yield
    except OperationalError as exc:
        if is_busy(exc):
            raise busy() from exc
        raise


def retry_when_busy(attempts: int = 2) -> Callable:
    """Run the whole service again when it was busy (it changed nothing), then give up.

    Only for services that open the outermost transaction themselves: a retry
    inside a rolled-back outer transaction could not succeed.
    """

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(attempts):
                try:
                    return func(*args, **kwargs)
                except Busy:
                    if attempt == attempts - 1:
                        raise
            raise AssertionError("unreachable")

        return wrapper

    return decorate
