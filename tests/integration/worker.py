"""A real Celery worker process for integration tests.

It runs against the same test database and Redis as the test process, with
the settings module the tests use; tests that use it must commit their data
(``django_db(transaction=True)``) so the worker sees it.
"""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tests.services import require_broker, require_postgres

ROOT = Path(__file__).resolve().parents[2]


def database_url_of_test_db() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{quote(db['USER'])}{password}@{host}:{port}/{db['NAME']}"


class Worker:
    def __init__(self, extra_env: dict[str, str] | None = None):
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"celery-worker-{os.getpid()}.log"

    def start(self) -> "Worker":
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": database_url_of_test_db(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "REDIS_URL": settings.REDIS_URL,
            "TEST_CELERY_EAGER": "0",
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
                "--pool=solo",
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
        )
        return self

    def stop(self, kill: bool = False) -> None:
        if self.process and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
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
    from config.celery import app

    app.control.purge()
    app.conf.task_always_eager = False
    worker = Worker().start()
    try:
        yield worker
    finally:
        worker.stop()
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
