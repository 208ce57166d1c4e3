"""Benchmark: concurrent HTTP registrations against gunicorn on PostgreSQL.

    python bench/registration.py                      # 500 registrations, 32 at a time
    python bench/registration.py --requests 2000 --concurrency 64 --workers 4
    CELERY_BROKER_URL=redis://127.0.0.1:6379/9 python bench/registration.py  # real worker

What it does, all on 127.0.0.1:

1. creates a fresh PostgreSQL database (``--admin-url``; or uses
   ``--database-url`` as it is) and migrates it;
2. creates one published meeting with ``--seats`` seats and one session that
   needs booking with ``--session-seats`` seats;
3. starts an SMTP sink (aiosmtpd) and gunicorn (``--workers`` sync workers,
   DEBUG off, a random SECRET_KEY, the registration throttle lifted). Emails
   go through the outbox: with ``CELERY_BROKER_URL`` set a real
   ``celery worker`` sends them, otherwise tasks run eagerly in gunicorn
   after each commit (the embedded mode);
4. fires ``--requests`` registrations (each a distinct person choosing the
   session) from ``--concurrency`` threads, one HTTP connection per request,
   against ``POST /api/v1/meetings/<slug>/registrations/``;
5. prints registrations per second, p50/p95/p99 latency, the status codes,
   the final counts from the database (confirmed, waitlisted, bookings,
   duplicates, emails) and the emails the SMTP server received;
6. stops everything and drops the database it created.

Numbers are printed, never asserted; see docs/benchmarks.md.
"""

import os
import sys

# bench/calendar.py shadows the standard library's calendar module, which the
# email package (and so http.client) imports: take this folder off the path first.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]

import argparse  # noqa: E402
import collections  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import secrets  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

import psycopg  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

SETUP = """
import datetime as dt, json
from django.utils import timezone
from events.models import Meeting, Room, Venue
from agenda.models import Session
venue = Venue.objects.create(name="Baluarte", city="Pamplona", country="Spain")
room = Room.objects.create(venue=venue, name="Sala de Cámara", capacity=1000)
start = timezone.localdate() + dt.timedelta(days=60)
meeting = Meeting.objects.create(
    slug="bench", title="Benchmark meeting", starts_on=start, ends_on=start,
    timezone="Europe/Madrid", venue=venue, status=Meeting.Status.PUBLISHED,
    registration_opens_at=timezone.now() - dt.timedelta(days=1),
    registration_closes_at=timezone.now() + dt.timedelta(days=30),
    capacity={seats}, contact_email="info@example.org",
)
at = dt.datetime.combine(start, dt.time(10), tzinfo=meeting.tzinfo)
session = Session.objects.create(
    meeting=meeting, title="Workshop", room=room, starts_at=at,
    ends_at=at + dt.timedelta(hours=1), capacity={session_seats}, requires_booking=True,
    status=Session.Status.CONFIRMED,
)
print(json.dumps({{"slug": meeting.slug, "session": session.pk}}))
"""

COUNTS = """
import json
from django.db.models import Count
from django.db.models.functions import Lower
from mail.models import OutboxMessage
from registrations.models import Registration, SessionBooking
registrations = Registration.objects.filter(meeting__slug="bench")
print(json.dumps({
    "registrations": dict(registrations.values_list("status").annotate(n=Count("pk"))),
    "bookings": dict(
        SessionBooking.objects.filter(registration__meeting__slug="bench")
        .values_list("status").annotate(n=Count("pk"))
    ),
    "emails_over_once": registrations.values(e=Lower("email")).annotate(n=Count("pk"))
        .filter(n__gt=1).count(),
    "outbox": dict(OutboxMessage.objects.values_list("status").annotate(n=Count("pk"))),
}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage_json(env: dict[str, str], code: str) -> dict:
    """Run ``code`` in ``manage.py shell``; its last line of output is JSON."""
    return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


class SmtpCounter:
    """A real SMTP server that counts what it accepted, per recipient."""

    def __init__(self) -> None:
        self.received: collections.Counter[str] = collections.Counter()
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.running = False

    def start(self) -> None:
        self.controller.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.controller.stop()
            self.running = False

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received[recipient.lower()] += 1
        return "250 OK"


def post_json(port: int, path: str, body: dict, timeout: float) -> tuple[int, float, bytes]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "POST",
            path,
            body=json.dumps(body),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        response = connection.getresponse()
        content = response.read()
        return response.status, time.perf_counter() - started, content
    except OSError as exc:
        return 0, time.perf_counter() - started, str(exc).encode()
    finally:
        connection.close()


def wait_until_serving(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn exited during startup; see its output above")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/meetings/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer within 30 s")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def person(n: int, session_id: int) -> dict:
    return {
        "first_name": "Bench",
        "last_name": f"Person {n}",
        "email": f"bench{n}@example.org",
        "organization": "Cluster Bench",
        "job_title": "Engineer",
        "region": "ES-NC",
        "sessions": [session_id],
        "consent_processing": True,
        "consent_listing": False,
    }


def stop(process: subprocess.Popen | None) -> None:
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (2 or more)")
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--session-seats", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=300, help="stop sending after (s)")
    parser.add_argument(
        "--admin-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL server where a throwaway database is created",
    )
    parser.add_argument("--database-url", help="use this database as it is (not dropped)")
    args = parser.parse_args()
    if args.workers < 2:
        parser.error("--workers must be 2 or more")
    if not 1 <= args.requests <= 100_000:
        parser.error("--requests must be between 1 and 100000")

    created_db = None
    database_url = args.database_url
    if not database_url:
        created_db = f"intercluster_bench_{os.getpid()}"
        with psycopg.connect(args.admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{created_db}"')
        database_url = with_database(args.admin_url, created_db)

    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    sink = SmtpCounter()
    port = free_port()
    var_dir = tempfile.mkdtemp(prefix="intercluster-bench-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "VAR_DIR": var_dir,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "CELERY_BROKER_URL": broker_url,
        # One client address sends everything: lift the per-client throttle.
        "THROTTLE_REGISTRATIONS": "1000000/min",
        "LOG_LEVEL": "ERROR",
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    server = worker = None
    try:
        manage(env, "migrate", "--noinput")
        created = manage_json(env, SETUP.format(seats=args.seats, session_seats=args.session_seats))
        path = f"/api/v1/meetings/{created['slug']}/registrations/"
        sink.start()
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={args.workers}",
                "--timeout=60",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        if broker_url:
            worker_log = Path(var_dir) / "worker.log"
            print(f"celery worker log: {worker_log}")
            worker = subprocess.Popen(
                [PYTHON, "-m", "celery", "-A", "config", "worker", "--loglevel=WARNING"],
                cwd=ROOT,
                env=env,
                stdout=worker_log.open("w"),
                stderr=subprocess.STDOUT,
            )
        wait_until_serving(port, server)

        status, _, content = post_json(port, path, {}, timeout=10)
        if status in (404, 405):
            sys.exit(
                f"POST {path} answered {status}: the registration API is not there. "
                "This benchmark needs the registration endpoint of issue 4 (run it after "
                "that branch is merged)."
            )
        if status != 400:
            sys.exit(f"An empty registration should be a 400, got {status}: {content[:500]!r}")

        mode = f"real Celery worker ({broker_url})" if broker_url else "eager tasks in gunicorn"
        print(
            f"{args.requests} registrations, {args.concurrency} at a time, gunicorn "
            f"{args.workers} sync workers, meeting seats {args.seats}, session seats "
            f"{args.session_seats}, emails: {mode}"
        )
        results: list[tuple[int, float]] = []
        deadline = time.monotonic() + args.time_limit

        def register(n: int) -> tuple[int, float]:
            if time.monotonic() > deadline:
                return -1, 0.0
            status, elapsed, _ = post_json(port, path, person(n, created["session"]), 60)
            return status, elapsed

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(register, range(args.requests)))
        wall = time.perf_counter() - started

        sent = [(s, t) for s, t in results if s != -1]
        latencies = [t * 1000 for _, t in sent]
        codes = collections.Counter(s for s, _ in sent)
        print(f"wall time          {wall:.2f} s")
        print(f"registrations/s    {len(sent) / wall:.1f}")
        print(
            f"latency ms         p50 {percentile(latencies, 0.50):.0f}  "
            f"p95 {percentile(latencies, 0.95):.0f}  p99 {percentile(latencies, 0.99):.0f}  "
            f"max {max(latencies):.0f}  mean {statistics.fmean(latencies):.0f}"
        )
        print(f"status codes       {dict(sorted(codes.items()))}")
        if len(sent) < len(results):
            print(f"not sent           {len(results) - len(sent)} (time limit)")

        email_deadline = time.monotonic() + 120
        while True:
            counts = manage_json(env, COUNTS)
            if not counts["outbox"].get("pending") or time.monotonic() > email_deadline:
                break
            time.sleep(1)
        print(f"registrations      {counts['registrations']}")
        print(f"session bookings   {counts['bookings']}")
        print(f"same email twice   {counts['emails_over_once']}")
        print(f"outbox             {counts['outbox']}")
        with sink.lock:
            copies = collections.Counter(sink.received.values())
        print(
            f"SMTP received      {sum(sink.received.values())} emails for "
            f"{len(sink.received)} people; copies per person {dict(sorted(copies.items()))}"
        )
        confirmed = counts["registrations"].get("confirmed", 0)
        if confirmed > args.seats:
            print(f"OVERBOOKED: {confirmed} confirmed for {args.seats} seats")
    finally:
        stop(worker)
        stop(server)
        sink.stop()
        if created_db:
            with psycopg.connect(args.admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{created_db}" WITH (FORCE)')


if __name__ == "__main__":
    main()
