"""core.locking: which database errors mean "busy", and what a busy service does."""

import pytest
from django.db import OperationalError, connection

from core.errors import Busy
from core.locking import busy_as, is_busy, retry_when_busy


class DriverError(Exception):
    """Stands in for the driver's error, which carries the SQLSTATE."""

    def __init__(self, sqlstate: str):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def database_error(sqlstate: str) -> OperationalError:
    error = OperationalError("from the database")
    error.__cause__ = DriverError(sqlstate)
    return error


@pytest.mark.parametrize(("sqlstate", "busy"), [("55P03", True), ("40P01", True), ("53300", False)])
def test_a_lock_timeout_and_a_deadlock_are_busy_other_errors_are_not(sqlstate, busy):
    assert is_busy(database_error(sqlstate)) is busy


@pytest.mark.django_db
def test_sqlites_database_is_locked_is_busy():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own message")
    assert is_busy(OperationalError("database is locked")) is True


def test_busy_as_turns_a_busy_error_into_the_given_one_and_lets_others_pass():
    class AppBusy(Busy):
        pass

    with pytest.raises(AppBusy), busy_as(AppBusy):
        raise database_error("40P01")
    with pytest.raises(OperationalError), busy_as(AppBusy):
        raise database_error("53300")


def test_retry_when_busy_runs_the_service_again_then_gives_up():
    calls = []

    @retry_when_busy(attempts=2)
    def always_busy():
        calls.append(1)
        raise Busy("busy")

    with pytest.raises(Busy):
        always_busy()
    assert len(calls) == 2


def test_retry_when_busy_returns_what_the_second_attempt_returns():
    calls = []

    @retry_when_busy()
    def busy_once():
        calls.append(1)
        if len(calls) == 1:
            raise Busy("busy")
        return "done"

    assert busy_once() == "done"
