"""A real web process for integration tests: gunicorn serving the site from the test database.

The environment is the test's choice (a broken ``CELERY_BROKER_URL``, a
cache behind a proxy), so the test sees what a web process in production
would do — after-commit publishes, rate-limit cache calls — from the outside,
over HTTP. Tests that use it must commit their data (``django_db(transaction=True)``).
"""

import contextlib
import http.client
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass

from tests.integration.broker import closed_port
from tests.integration.worker import ROOT, database_url_of_test_db


@dataclass
class Answer:
    status: int
    body: bytes
    elapsed: float  # wall time of the whole request, seconds

    def json(self):
        return json.loads(self.body)


class WebServer:
    """One gunicorn worker on 127.0.0.1 (a free port), stopped by ``stop()``."""

    def __init__(self, **extra_env: str) -> None:
        self.port = closed_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                "--workers=1",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings_test",
                "DATABASE_URL": database_url_of_test_db(),
                "PYTHONWARNINGS": "ignore:No directory at",
                **extra_env,
            },
        )

    def wait_until_serving(self, path: str = "/api/v1/meetings/", headers=None) -> "WebServer":
        # Starting is not what these tests time: a busy machine (the suite's other streams)
        # can take a while to import Django and the app.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("gunicorn exited during startup")
            with contextlib.suppress(OSError):
                if self.request("GET", path, headers=headers, timeout=5).status == 200:
                    return self
            time.sleep(0.1)
        self.stop()
        raise AssertionError("gunicorn did not start")

    def request(
        self,
        method: str,
        path: str,
        body: str | bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> Answer:
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        return Answer(response.status, content, time.monotonic() - started)

    def post_json(self, path: str, data: dict) -> Answer:
        return self.request("POST", path, json.dumps(data), {"Content-Type": "application/json"})

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
