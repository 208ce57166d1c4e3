"""Does the answer's time tell whether an email is already registered? First vs repeat.

Run by hand; prints numbers, asserts nothing:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/intercluster \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/registration_timing.py --runs 400

It creates a throwaway test database (test_<name>), one published meeting
with a capacity (seat holds on) and one seat-limited session, registers
``--runs`` people once (the "registered" emails), then POSTs
``/api/v1/meetings/<slug>/registrations/`` through Django's test client
(no network, so the difference is not hidden in HTTP noise) ``--runs`` times
with a new email and ``--runs`` times with a registered one, in a shuffled
order, the same body otherwise (the same session chosen). Each repeat email
is used once, so each repeat is the first in its link window and writes its
outbox row, as a first registration does; a last series repeats emails a
second time within the window (no email is written then: the link is sent
at most once per 10 minutes), shown for completeness.

With CELERY_BROKER_URL the emails are published to the broker as in
production (no worker needed; the queue is left to expire with the broker
database, use a scratch one). Without it tasks run eagerly inside the
request (the embedded mode) and the times include building and "sending"
(to memory) each email, which differs by kind.

Per series: median, p10, p90 (ms) and the SQL queries of one request, and the
floor measured in the same process and run, interleaved with the others: an
empty DRF POST view (JSON parser, no authentication, no throttle, no
database) through the same client and middleware, i.e. what the framework
costs before our code runs. ``--floor-only-first`` is not needed: the floor
series is shuffled in with the two registration series.
The rate limits are lifted (every request comes from one address) and the
per-domain limit counted with a limit nobody reaches, so its query runs.
"""

import os
import sys

# bench/calendar.py shadows the standard library's calendar module, which the
# email package imports: take this folder off the path first.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]

import argparse  # noqa: E402
import cProfile  # noqa: E402
import pstats  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("THROTTLE_REGISTRATIONS", "100000000/min")
os.environ.setdefault("THROTTLE_REGISTRATIONS_MEETING", "100000000/min")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402
import json  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.permissions import AllowAny  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

from agenda.models import Session  # noqa: E402
from config import urls  # noqa: E402
from events.models import Meeting, Room, Venue  # noqa: E402
from events.parsers import JSONParser  # noqa: E402

FLOOR_PATH = "/api/v1/bench-floor/"


class FloorView(APIView):
    """The framework's floor: parse the JSON body, answer 202, touch nothing else."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    parser_classes = [JSONParser]

    def post(self, request):
        request.data  # noqa: B018 -- parse the body, as the registration view does
        return Response({"detail": "ok"}, status=202)


def floor_route() -> None:
    urls.urlpatterns.insert(0, path(FLOOR_PATH.lstrip("/"), FloorView.as_view()))
    clear_url_caches()


def build():
    venue = Venue.objects.create(name="Baluarte", city="Pamplona", country="Spain")
    room = Room.objects.create(venue=venue, name="Sala", capacity=100_000)
    start = timezone.localdate() + dt.timedelta(days=60)
    meeting = Meeting.objects.create(
        slug="timing",
        title="Timing meeting",
        starts_on=start,
        ends_on=start,
        timezone="Europe/Madrid",
        venue=venue,
        status=Meeting.Status.PUBLISHED,
        capacity=100_000,
        contact_email="info@example.org",
    )
    at = dt.datetime.combine(start, dt.time(10), tzinfo=meeting.tzinfo)
    session = Session.objects.create(
        meeting=meeting,
        title="Workshop",
        room=room,
        starts_at=at,
        ends_at=at + dt.timedelta(hours=1),
        capacity=100_000,
        requires_booking=True,
        status=Session.Status.CONFIRMED,
    )
    return meeting, session


def body(email: str, session_id: int) -> str:
    return json.dumps(
        {
            "first_name": "Bench",
            "last_name": "Person",
            "email": email,
            "organization": "Cluster Bench",
            "job_title": "Engineer",
            "region": "ES-NC",
            "sessions": [session_id],
            "consent_processing": True,
        }
    )


# The CPU time this process spent on the last request (ms): on a loaded machine the
# wall time mostly measures waiting for a core; this measures our work.
LAST_CPU = [0.0]


def timed_post(client: Client, path: str, data: str) -> float:
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.post(path, data, content_type="application/json")
    elapsed = (time.perf_counter() - started) * 1000
    LAST_CPU[0] = (time.process_time() - cpu_started) * 1000
    if response.status_code != 202:
        sys.exit(f"expected 202, got {response.status_code}: {response.content[:300]!r}")
    return elapsed


SHOW_QUERIES = False


def queries_of(client: Client, path: str, data: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        timed_post(client, path, data)
    if SHOW_QUERIES:
        print(f"--- {len(captured)} queries")
        for query in captured:
            print("   ", query["sql"][:110])
    return len(captured)


# Where a registration's time goes: (label, file fragment, function name); cumulative
# times of these entry points (they do not nest into each other, except as noted).
SHARES = [
    ("SQL round trips (execute, incl. waits)", "psycopg/cursor.py", "execute"),
    ("COMMIT", "psycopg/connection.py", "commit"),
    ("ORM SQL compiling", "django/db/models/sql/compiler.py", "as_sql"),
    ("rate limits (Redis)", "core/throttling.py", "allow_request"),
    ("broker publish (after commit)", "mail/services.py", "outbox_message_enqueue"),
    ("email build (eager task)", "mail/render.py", "email_build"),
    ("serializer validation", "rest_framework/serializers.py", "is_valid"),
    ("token generation", "registrations/tokens.py", "new_token"),
]


def print_shares(stats: pstats.Stats, count: int) -> None:
    total = max(v[3] for v in stats.stats.values())
    print(f"cProfile of {count} first registrations: {total / count * 1000:.2f} ms each")
    for label, fragment, name in SHARES:
        seconds = sum(
            v[3] for (file, _, func), v in stats.stats.items() if fragment in file and func == name
        )
        print(f"  {label:<42} {seconds / count * 1000:7.2f} ms {seconds / total:6.1%}")
    print("  (SQL compiling runs outside execute; the email build is inside the eager task)")


def row(name: str, times: list[float], queries: int) -> str:
    deciles = statistics.quantiles(times, n=10)
    return (
        f"{name:<34} {len(times):>5} {statistics.median(times):>8.2f} "
        f"{deciles[0]:>8.2f} {deciles[-1]:>8.2f} {queries:>7}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300, help="requests per series")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show-queries", action="store_true", help="print each path's SQL")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="cProfile N first registrations"
    )
    args = parser.parse_args()
    global SHOW_QUERIES
    SHOW_QUERIES = args.show_queries

    setup_test_environment()
    # The per-domain limit runs its count, with a limit no run reaches.
    settings.REGISTRATIONS_PER_DOMAIN_PER_HOUR = 10**9
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        meeting, session = build()
        client = Client()
        path = f"/api/v1/meetings/{meeting.slug}/registrations/"
        # Warm-up (imports, template and query caches), then the registered emails.
        for n in range(20):
            timed_post(client, path, body(f"warmup{n}@example.org", session.pk))
        for n in range(args.runs + 1):
            timed_post(client, path, body(f"known{n}@example.org", session.pk))
        first_queries = queries_of(client, path, body("probe-new@example.org", session.pk))
        repeat_queries = queries_of(client, path, body(f"known{args.runs}@example.org", session.pk))

        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for n in range(args.profile):
                timed_post(client, path, body(f"profiled{n}@example.org", session.pk))
            profiler.disable()
            print_shares(pstats.Stats(profiler), args.profile)
        floor_route()
        sql_floor = []
        for _ in range(args.runs):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            sql_floor.append((time.perf_counter() - started) * 1000)
        for n in range(20):
            timed_post(client, FLOOR_PATH, body(f"warmup{n}@example.org", session.pk))
        floor_queries = queries_of(client, FLOOR_PATH, body("floor@example.org", session.pk))

        order = ["first"] * args.runs + ["repeat"] * args.runs + ["floor"] * args.runs
        random.Random(args.seed).shuffle(order)
        times: dict[str, list[float]] = {"first": [], "repeat": [], "floor": []}
        cpu: dict[str, list[float]] = {"first": [], "repeat": [], "floor": []}
        counters = {"first": 0, "repeat": 0, "floor": 0}
        for kind in order:
            n = counters[kind]
            counters[kind] += 1
            if kind == "floor":
                times[kind].append(timed_post(client, FLOOR_PATH, body("floor@x.org", session.pk)))
            else:
                email = f"new{n}@example.org" if kind == "first" else f"known{n}@example.org"
                times[kind].append(timed_post(client, path, body(email, session.pk)))
            cpu[kind].append(LAST_CPU[0])
        # The same registered emails again, inside the 10-minute link window.
        again = [
            timed_post(client, path, body(f"known{n}@example.org", session.pk))
            for n in range(args.runs)
        ]
        again_queries = queries_of(client, path, body("known0@example.org", session.pk))

        mode = "broker (publish only)" if settings.CELERY_BROKER_URL else "eager (embedded mode)"
        print(f"database: {connection.vendor}; emails: {mode}; times in ms")
        print(f"{'series':<34} {'runs':>5} {'median':>8} {'p10':>8} {'p90':>8} {'queries':>7}")
        print(row("first registration", times["first"], first_queries))
        print(row("repeat (first in its window)", times["repeat"], repeat_queries))
        print(row("repeat again (same window)", again, again_queries))
        print(row("floor: empty DRF POST", times["floor"], floor_queries))
        print(row("floor: one SQL round trip", sql_floor, 1))
        print(f"load average: {os.getloadavg()[0]:.1f}; CPU time of this process (ms):")
        print(row("  first registration", cpu["first"], first_queries))
        print(row("  repeat (first in its window)", cpu["repeat"], repeat_queries))
        print(row("  floor: empty DRF POST", cpu["floor"], floor_queries))
        difference = statistics.median(times["repeat"]) - statistics.median(times["first"])
        print(f"median repeat - median first: {difference:+.2f} ms")
        first, floor = statistics.median(times["first"]), statistics.median(times["floor"])
        print(
            f"first registration: {first:.2f} ms = floor {floor:.2f} ms + ours "
            f"{first - floor:.2f} ms ({first / floor:.1f}x the floor)"
        )
        trip = statistics.median(sql_floor)
        print(
            f"of which {first_queries} SQL round trips at the floor: "
            f"{first_queries * trip:.2f} ms; "
            f"the rest: {first - floor - first_queries * trip:.2f} ms"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
