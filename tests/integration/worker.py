"""A real Celery worker process for integration tests.

It runs against the same test database and Redis as the test process, with
the settings module the tests use; tests that use it must commit their data
(``django_db(transaction=True)``) so the worker sees it.
"""

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app
from tests.services import require_broker, require_postgres

ROOT = Path(__file__).resolve().parents[2]
_numbers = itertools.count(1)


def database_url_of_test_db() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{quote(db['USER'])}{password}@{host}:{port}/{db['NAME']}"


class Worker:
    """One ``celery worker`` in its own process group, with one task at a time.

    ``extra_env`` overrides settings read from the environment, e.g. the SMTP
    server (``EMAIL_HOST``/``EMAIL_PORT``) or short retry delays. ``pool`` is
    ``solo`` (the task runs in the main process) or ``prefork`` (in a child;
    the main process keeps talking to the broker, as in production).
    """

    def __init__(self, extra_env: dict[str, str] | None = None, pool: str = "solo"):
        self.extra_env = extra_env or {}
        self.pool = pool
        self.process: subprocess.Popen | None = None
        tmp = Path(os.environ.get("TMPDIR", "/tmp"))
        self.log_path = tmp / f"celery-worker-{os.getpid()}-{next(_numbers)}.log"

    def start(self) -> "Worker":
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": database_url_of_test_db(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "REDIS_URL": settings.REDIS_URL,
            **self.extra_env,
        }
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                f"--pool={self.pool}",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def stop(self, kill: bool = False) -> None:
        if self.log.closed:
            return
        if self.process and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its pool children too
                self.process.wait()
        self.log.close()

    def kill(self) -> None:
        """SIGKILL to the worker and its pool children: a crash, nothing gets to clean up."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()

    def output(self) -> str:
        return self.log_path.read_text()

    def wait_for(self, condition: Callable[[], bool], timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            if self.process and self.process.poll() is not None:
                raise AssertionError(f"worker exited:\n{self.output()}")
            time.sleep(0.1)
        return False


@pytest.fixture
def celery_worker(transactional_db):
    require_postgres()
    require_broker()
    app.control.purge()
    worker = Worker().start()
    yield worker
    worker.stop()


@pytest.fixture
def start_worker(transactional_db):
    """Start workers with extra environment: ``start_worker(EMAIL_PORT="2525")``."""
    require_postgres()
    require_broker()
    app.control.purge()
    workers: list[Worker] = []

    def start(pool: str = "solo", **extra_env: str) -> Worker:
        worker = Worker(extra_env, pool=pool).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
