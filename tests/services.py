"""Which real services this test run has, and what to do when one is missing.

On a laptop a test that needs PostgreSQL or Redis is skipped with a reason;
in CI (CI=true) the same test fails, so a missing service can never turn a
run green.
"""

import os
import socket
from urllib.parse import urlsplit

import pytest
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(what: str) -> None:
    message = f"needs {what}"
    if IN_CI:
        pytest.fail(f"{message} — required in CI", pytrace=False)
    pytest.skip(message)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def require_postgres() -> None:
    if not is_postgres():
        missing("PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/intercluster")


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def require_broker() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://") or not reachable(url):
        missing("Redis as the Celery broker: set CELERY_BROKER_URL=redis://127.0.0.1:6379/1")
    return url
