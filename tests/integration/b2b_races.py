"""What the B2B races share: writes that overlap for sure, and calls released together.

``slow_seat_inserts``: a trigger of the test database makes each slot-seat INSERT sleep
inside its transaction, between a writer's checks and its commit, so concurrent writers
overlap whatever the machine's speed. ``race``: every call at once, one thread and one
database connection each, behind a barrier.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, connections

from matchmaking.models import SlotSeat
from matchmaking.services.errors import MatchmakingError


@contextmanager
def slow_seat_inserts(milliseconds: int) -> Iterator[None]:
    table = SlotSeat._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION test_slow_seat() RETURNS trigger AS $$ "
            f"BEGIN PERFORM pg_sleep({milliseconds / 1000}); RETURN NEW; END $$ "
            "LANGUAGE plpgsql"
        )
        cursor.execute(
            f"CREATE TRIGGER test_slow_seat BEFORE INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION test_slow_seat()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS test_slow_seat ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS test_slow_seat()")


def race(calls: list[Callable[[], object]]) -> list[str]:
    """Run every call at once, one thread and connection each; "ok" or the error's text."""
    results: list[str | None] = [None] * len(calls)
    start = threading.Barrier(len(calls))
    unexpected: list[BaseException] = []

    def run(index, call):
        try:
            start.wait()
            call()
            results[index] = "ok"
        except MatchmakingError as exc:
            results[index] = exc.message
        except BaseException as exc:  # reported in the main thread
            unexpected.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert unexpected == []
    return results
