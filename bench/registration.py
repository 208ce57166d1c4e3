"""Benchmark: registrations under load against gunicorn on PostgreSQL, beside their floors.

    python bench/registration.py                      # 500 requests per phase, 32 clients
    python bench/registration.py --workers 8 --requests 1000
    python bench/registration.py --worker-class gthread --workers 2 --threads 8
    CELERY_BROKER_URL=redis://127.0.0.1:6379/9 python bench/registration.py  # real worker

What it does, all on 127.0.0.1, in ONE run (so the ratios hold on a noisy machine):

1. creates a fresh PostgreSQL database (``--admin-url``, named
   ``--db-prefix``<pid>; or uses ``--database-url`` as it is) and migrates it;
2. creates three published meetings: ``hot`` with ``--seats`` seats (every
   registration locks the meeting row: the hot row) and one session that
   needs booking with ``--session-seats`` seats (everyone chooses it);
   ``free`` without a capacity and no session chosen; ``warm`` for warming up;
3. starts an SMTP sink (aiosmtpd) and gunicorn (``--workers`` workers of
   ``--worker-class``, DEBUG off, a random SECRET_KEY, the registration
   throttles lifted) with bench/floor_settings.py: the production settings
   and URLs plus ``POST /bench/floor/``, an empty DRF APIView answering 201
   (the framework's floor; nothing bench-only is in production URLs).
   Emails go through the outbox: with ``CELERY_BROKER_URL`` set a real
   ``celery worker`` sends them, otherwise tasks run eagerly in gunicorn
   after each commit (the embedded mode);
4. measures, each with ``--requests`` requests from ``--concurrency`` threads
   and one HTTP connection per request: the floor, registrations on ``hot``,
   registrations on ``free``, the floor again (the floor is their mean);
   then the bare-SQL hot-row floor: ``--concurrency`` psycopg threads doing
   BEGIN; SELECT … FOR UPDATE on one row; INSERT; COMMIT;
5. prints, side by side, requests/s and p50/p95/p99 for each phase, the
   ratios to the floors (targets: registrations ≥ 50 % of the framework
   floor with p95 < 300 ms; the hot-row registrations ≥ 25 % of the bare-SQL
   floor), and the checks after the worker drains: exactly ``--seats``
   confirmed and the rest waitlisted on ``hot``, everyone confirmed on
   ``free``, nobody twice, no 5xx, every outbox row sent and exactly one
   email per person at the SMTP server; ``CHECKS FAILED`` otherwise;
6. stops everything and drops the database it created.

Numbers are printed, never asserted; see docs/benchmarks.md
("Registrations under load") and docs/deployment.md ("Worker model").
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
start = timezone.localdate() + dt.timedelta(days=60)
sessions = {{}}
for slug, capacity in (("hot", {seats}), ("free", None), ("warm", None)):
    meeting = Meeting.objects.create(
        slug=slug, title=f"Benchmark meeting {{slug}}", starts_on=start, ends_on=start,
        timezone="Europe/Madrid", venue=venue, status=Meeting.Status.PUBLISHED,
        registration_opens_at=timezone.now() - dt.timedelta(days=1),
        registration_closes_at=timezone.now() + dt.timedelta(days=30),
        capacity=capacity, contact_email="info@example.org",
    )
    room = Room.objects.create(venue=venue, name=f"Sala {{slug}}", capacity=1000)
    at = dt.datetime.combine(start, dt.time(10), tzinfo=meeting.tzinfo)
    sessions[slug] = Session.objects.create(
        meeting=meeting, title="Workshop", room=room, starts_at=at,
        ends_at=at + dt.timedelta(hours=1), capacity={session_seats}, requires_booking=True,
        status=Session.Status.CONFIRMED,
    ).pk
print(json.dumps(sessions))
"""

COUNTS = """
import json
from django.db.models import Count
from django.db.models.functions import Lower
from mail.models import OutboxMessage
from registrations.models import Registration, SessionBooking
counts = {"outbox": dict(OutboxMessage.objects.values_list("status").annotate(n=Count("pk")))}
for slug in ("hot", "free", "warm"):
    registrations = Registration.objects.filter(meeting__slug=slug)
    counts[slug] = {
        "registrations": dict(registrations.values_list("status").annotate(n=Count("pk"))),
        "bookings": dict(
            SessionBooking.objects.filter(registration__meeting__slug=slug)
            .values_list("status").annotate(n=Count("pk"))
        ),
        "emails_over_once": registrations.values(e=Lower("email")).annotate(n=Count("pk"))
            .filter(n__gt=1).count(),
    }
print(json.dumps(counts))
"""

BARE_SQL_SETUP = """
CREATE TABLE bench_hot_row (id integer PRIMARY KEY, taken integer NOT NULL DEFAULT 0);
INSERT INTO bench_hot_row (id) VALUES (1);
CREATE TABLE bench_hot_insert (
    id bigserial PRIMARY KEY, row_id integer NOT NULL, email text NOT NULL,
    created timestamptz NOT NULL DEFAULT now()
);
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


def wait_until_serving(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
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
    sys.exit(f"gunicorn did not answer within {timeout:.0f} s")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def person(email: str, session_id: int | None) -> dict:
    return {
        "first_name": "Bench",
        "last_name": email.split("@")[0],
        "email": email,
        "organization": "Cluster Bench",
        "job_title": "Engineer",
        "region": "ES-NC",
        "sessions": [session_id] if session_id else [],
        "consent_processing": True,
        "consent_listing": False,
    }


Phase = collections.namedtuple("Phase", "name rate p50 p95 p99 codes wall")


def fire(name: str, count: int, concurrency: int, send, time_limit: float) -> Phase:
    """Call ``send(n)`` (→ status, seconds) ``count`` times from ``concurrency`` threads."""
    deadline = time.monotonic() + time_limit

    def one(n: int) -> tuple[int, float]:
        if time.monotonic() > deadline:
            return -1, 0.0
        return send(n)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, range(count)))
    wall = time.perf_counter() - started
    sent = [(s, t) for s, t in results if s != -1]
    latencies = [t * 1000 for _, t in sent] or [0.0]
    return Phase(
        name,
        len(sent) / wall,
        percentile(latencies, 0.50),
        percentile(latencies, 0.95),
        percentile(latencies, 0.99),
        collections.Counter(s for s, _ in sent),
        wall,
    )


def bare_sql_floor(database_url: str, count: int, concurrency: int) -> Phase:
    """The hot row in bare SQL: BEGIN; SELECT … FOR UPDATE; INSERT; COMMIT, per thread."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(BARE_SQL_SETUP)
    local = threading.local()
    connections: list[psycopg.Connection] = []
    guard = threading.Lock()

    def transaction(n: int) -> tuple[int, float]:
        if not hasattr(local, "connection"):
            local.connection = psycopg.connect(database_url)
            with guard:
                connections.append(local.connection)
        started = time.perf_counter()
        with local.connection.transaction():
            local.connection.execute("SELECT taken FROM bench_hot_row WHERE id = 1 FOR UPDATE")
            local.connection.execute(
                "INSERT INTO bench_hot_insert (row_id, email) VALUES (1, %s)",
                (f"sql{n}@example.org",),
            )
        return 200, time.perf_counter() - started

    try:
        # Connect every thread first (one transaction each), then measure.
        fire("warm", concurrency * 2, concurrency, transaction, 60)
        return fire("bare-SQL hot row", count, concurrency, transaction, 60)
    finally:
        for connection in connections:
            connection.close()


PGBOUNCER_INI = """
[databases]
* = host={host} port={port}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen}
unix_socket_dir =
auth_type = trust
auth_file = {folder}/users.txt
pool_mode = transaction
default_pool_size = {pool}
max_client_conn = 1000
ignore_startup_parameters = extra_float_digits,options
"""


def start_pgbouncer(database_url: str, pool: int) -> tuple[subprocess.Popen, str]:
    """pgbouncer (Debian's /usr/sbin/pgbouncer) in transaction mode in front of the database."""
    parts = urlsplit(database_url)
    listen = free_port()
    folder = Path(tempfile.mkdtemp(prefix="bench-pgbouncer-"))
    folder.chmod(0o755)  # pgbouncer runs as postgres when started by root
    (folder / "users.txt").write_text(f'"{parts.username}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        PGBOUNCER_INI.format(
            host=parts.hostname, port=parts.port or 5432, listen=listen, folder=folder, pool=pool
        )
    )
    for file in folder.iterdir():
        file.chmod(0o644)
    command = ["pgbouncer", str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "postgres"]
    log = (folder / "pgbouncer.log").open("w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    netloc = f"{parts.username}@127.0.0.1:{listen}"
    url = urlunsplit(parts._replace(netloc=netloc))
    deadline = time.monotonic() + 10
    while True:
        try:
            psycopg.connect(url).close()
            return process, url
        except psycopg.OperationalError:
            if time.monotonic() > deadline or process.poll() is not None:
                sys.exit("pgbouncer did not start")
            time.sleep(0.2)


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
    parser.add_argument("--requests", type=int, default=500, help="per phase")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (2 or more)")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument(
        "--pgbouncer",
        type=int,
        metavar="POOL",
        help="gunicorn and the worker reach PostgreSQL through pgbouncer (transaction "
        "mode, POOL server connections); the bare-SQL floor does not",
    )
    parser.add_argument(
        "--worker-after-load",
        action="store_true",
        help="with CELERY_BROKER_URL: start the Celery worker only after the load "
        "(the emails wait in the broker), to see what the worker costs the web",
    )
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--session-seats", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=300, help="per phase (s)")
    parser.add_argument(
        "--admin-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL server where a throwaway database is created",
    )
    parser.add_argument("--db-prefix", default="intercluster_bench_")
    parser.add_argument("--database-url", help="use this (empty) database as it is (not dropped)")
    args = parser.parse_args()
    if args.workers < 2:
        parser.error("--workers must be 2 or more")
    if not 1 <= args.requests <= 100_000:
        parser.error("--requests must be between 1 and 100000")

    created_db = None
    database_url = args.database_url
    if not database_url:
        created_db = f"{args.db_prefix}{os.getpid()}"
        with psycopg.connect(args.admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{created_db}"')
        database_url = with_database(args.admin_url, created_db)

    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    sink = SmtpCounter()
    port = free_port()
    var_dir = tempfile.mkdtemp(prefix="intercluster-bench-")
    env = {
        **os.environ,
        # Production settings with bench/floor_urls.py as the URLconf (the floor view).
        "DJANGO_SETTINGS_MODULE": "bench.floor_settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "VAR_DIR": var_dir,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "CELERY_BROKER_URL": broker_url,
        # One client address sends everything: lift the per-client throttles.
        "THROTTLE_REGISTRATIONS": "1000000/min",
        "THROTTLE_REGISTRATIONS_MEETING": "1000000/min",
        # Everyone is @example.org: the per-domain limit still counts, nobody reaches it.
        "REGISTRATIONS_PER_DOMAIN_PER_HOUR": "1000000000",
        "LOG_LEVEL": "ERROR",
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    server = worker = bouncer = None
    try:
        manage(env, "migrate", "--noinput")
        sessions = manage_json(
            env, SETUP.format(seats=args.seats, session_seats=args.session_seats)
        )
        sink.start()
        web_env = env
        if args.pgbouncer:
            bouncer, bouncer_url = start_pgbouncer(database_url, args.pgbouncer)
            web_env = {**env, "DATABASE_URL": bouncer_url, "BENCH_PGBOUNCER": "1"}
        gunicorn = [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={args.workers}",
            f"--worker-class={args.worker_class}",
            f"--threads={args.threads}",
            "--timeout=60",
            "--log-level=warning",
        ]
        server = subprocess.Popen(gunicorn, cwd=ROOT, env=web_env)

        def start_worker() -> subprocess.Popen:
            worker_log = Path(var_dir) / "worker.log"
            print(f"celery worker log: {worker_log}")
            return subprocess.Popen(
                [PYTHON, "-m", "celery", "-A", "config", "worker", "--loglevel=WARNING"],
                cwd=ROOT,
                env=web_env,
                stdout=worker_log.open("w"),
                stderr=subprocess.STDOUT,
            )

        if broker_url and not args.worker_after_load:
            worker = start_worker()
        wait_until_serving(port, server)

        def path(slug: str) -> str:
            return f"/api/v1/meetings/{slug}/registrations/"

        status, _, content = post_json(port, path("hot"), {}, timeout=10)
        if status in (404, 405):
            sys.exit(f"POST {path('hot')} answered {status}: the registration API is not there.")
        if status != 400:
            sys.exit(f"An empty registration should be a 400, got {status}: {content[:500]!r}")

        def floor(n: int) -> tuple[int, float]:
            status, elapsed, _ = post_json(port, "/bench/floor/", {"n": n}, 60)
            return status, elapsed

        def registrant(slug: str, session: int | None):
            def register(n: int) -> tuple[int, float]:
                body = person(f"{slug}{n}@example.org", session)
                status, elapsed, _ = post_json(port, path(slug), body, 60)
                return status, elapsed

            return register

        mode = f"real Celery worker ({broker_url})" if broker_url else "eager tasks in gunicorn"
        model = f"{args.workers} {args.worker_class} workers" + (
            f" × {args.threads} threads" if args.worker_class == "gthread" else ""
        )
        if args.pgbouncer:
            model += f", pgbouncer (transaction mode, pool {args.pgbouncer})"
        print(
            f"gunicorn {model}; {args.requests} requests per phase, {args.concurrency} "
            f"clients; hot: {args.seats} seats + a {args.session_seats}-seat session; "
            f"emails: {mode}"
        )
        # Warm every worker (imports, connections) on the floor and a spare meeting.
        warm_count = max(2 * args.workers * args.threads, args.concurrency)
        fire("warm", 2 * warm_count, args.concurrency, floor, 60)
        fire("warm", warm_count, args.concurrency, registrant("warm", None), 60)

        n, limit = args.requests, args.time_limit
        phases = [
            fire("framework floor (1)", n, args.concurrency, floor, limit),
            fire(
                "registrations, hot row",
                n,
                args.concurrency,
                registrant("hot", sessions["hot"]),
                limit,
            ),
            fire(
                "registrations, no capacity", n, args.concurrency, registrant("free", None), limit
            ),
            fire("framework floor (2)", n, args.concurrency, floor, limit),
        ]
        sql = bare_sql_floor(database_url, max(n, 2000), args.concurrency)
        report(phases, sql)
        if broker_url and args.worker_after_load:
            worker = start_worker()

        email_deadline = time.monotonic() + 180
        while True:
            counts = manage_json(env, COUNTS)
            if not counts["outbox"].get("pending") or time.monotonic() > email_deadline:
                break
            time.sleep(1)
        sent = {
            "warm": warm_count,
            "hot": sum(phases[1].codes.values()),
            "free": sum(phases[2].codes.values()),
        }
        check(counts, sent, args.seats, args.session_seats, phases, sink)
    finally:
        stop(worker)
        stop(server)
        stop(bouncer)
        sink.stop()
        if created_db:
            with psycopg.connect(args.admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{created_db}" WITH (FORCE)')


def report(phases: list[Phase], sql: Phase) -> None:
    floor = statistics.fmean([phases[0].rate, phases[3].rate])
    print()
    print(f"{'phase':<28} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  codes")
    for phase in [*phases, sql]:
        print(
            f"{phase.name:<28} {phase.rate:>8.1f} {phase.p50:>7.0f} {phase.p95:>7.0f} "
            f"{phase.p99:>7.0f}  {dict(sorted(phase.codes.items()))}"
        )
    print()
    print(f"framework floor (mean)       {floor:.1f} req/s")
    for phase in phases[1:3]:
        ratio = phase.rate / floor
        verdict = "ok" if ratio >= 0.5 and phase.p95 < 300 else "below target"
        print(
            f"{phase.name:<28} {ratio:>6.1%} of the framework floor (target ≥ 50 %), "
            f"p95 {phase.p95:.0f} ms (target < 300): {verdict}"
        )
    ratio = phases[1].rate / sql.rate
    print(
        f"hot-row section              {ratio:>6.1%} of the bare-SQL floor "
        f"({phases[1].rate:.1f} vs {sql.rate:.0f} tx/s; target ≥ 25 %): "
        f"{'ok' if ratio >= 0.25 else 'below target'}"
    )


def check(counts: dict, sent: dict, seats: int, session_seats: int, phases, sink) -> None:
    problems = []
    for phase in phases:
        bad = {code: k for code, k in phase.codes.items() if code >= 500 or code <= 0}
        if bad:
            problems.append(f"{phase.name}: {bad}")
    for slug in ("hot", "free", "warm"):
        got = counts[slug]
        print(
            f"{slug:<5} sent {sent[slug]:>5}  registrations {got['registrations']}  "
            f"bookings {got['bookings']}  same email twice {got['emails_over_once']}"
        )
        statuses = got["registrations"]
        if sum(statuses.values()) != sent[slug]:
            problems.append(f"{slug}: {sum(statuses.values())} registrations for {sent[slug]} sent")
        if got["emails_over_once"]:
            problems.append(f"{slug}: someone registered twice")
    hot = counts["hot"]["registrations"]
    want_confirmed = min(seats, sent["hot"])
    if hot.get("confirmed", 0) != want_confirmed or hot.get("waitlisted", 0) != (
        sent["hot"] - want_confirmed
    ):
        problems.append(f"hot: want {want_confirmed} confirmed, the rest waitlisted; got {hot}")
    booked = counts["hot"]["bookings"].get("booked", 0)
    if booked != min(session_seats, want_confirmed):
        problems.append(f"hot: {booked} session seats booked for {session_seats}")
    for slug in ("free", "warm"):
        if counts[slug]["registrations"].get("confirmed", 0) != sent[slug]:
            problems.append(f"{slug}: not everyone confirmed")
    print(f"outbox             {counts['outbox']}")
    if set(counts["outbox"]) - {"sent"}:
        problems.append(f"outbox not drained: {counts['outbox']}")
    with sink.lock:
        received = dict(sink.received)
    copies = collections.Counter(received.values())
    print(
        f"SMTP received      {sum(received.values())} emails for {len(received)} people; "
        f"copies per person {dict(sorted(copies.items()))}"
    )
    expected = {f"{slug}{n}@example.org" for slug in sent for n in range(sent[slug])}
    if set(received) != expected or set(copies) != {1}:
        missing = len(expected - set(received))
        problems.append(f"emails: {missing} people without one, copies {dict(copies)}")
    if problems:
        print("CHECKS FAILED: " + "; ".join(problems))
    else:
        print("checks             ok: exact counts, no 5xx, one email each")


if __name__ == "__main__":
    main()
