"""Pages at scale (issue 14): server time and SQL queries of the agenda page, the sessions API,
the organizer's participants page and its CSV and XLSX export.

Run by hand; prints numbers, asserts nothing about time:

    .venv/bin/python bench/pages.py                      # SQLite file under /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/pages.py
    BENCH_SESSIONS=5000 BENCH_REGISTRATIONS=10000 BENCH_RUNS=3 .venv/bin/python bench/pages.py

Meetings of 200, 1,000 and 5,000 sessions over two days (rooms × 20 half-hour slots a day,
five tracks, two speakers a session, the kinds in turn): the busiest day's agenda page (half the
sessions) and the sessions API (a page of 50, and ``page_size=500``). Meetings of 1,000 and
10,000 registrations (one organisation in 40, one booking each of 20 sessions): the participants
page (50 a page), the CSV and the XLSX export of all of them. Each line: the median and best of
BENCH_RUNS requests through Django's test client (after one to warm up), the SQL queries of one
request, and the bytes. The **floor** lines measure, in the same run, what the framework costs
with nothing of ours: a template rendering the same number of plain ``<article>`` cards from a
list of dicts, ``csv.writer`` over the same rows as tuples, and openpyxl's write-only mode over
them, so the ratios hold on a noisy machine.
"""

import csv
import io
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

# bench/ holds a calendar.py: take the folder off the path before anything imports the
# standard library's calendar module, and put the project on it.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/intercluster-bench-pages.sqlite3")
warnings.filterwarnings("ignore", message="No directory at")

import datetime as dt  # noqa: E402
import zoneinfo  # noqa: E402

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from agenda.models import Session, SessionSpeaker, Speaker, Track  # noqa: E402
from events.models import Meeting, MeetingOrganizer, Organization, Room, Venue  # noqa: E402
from registrations.models import Registration, SessionBooking  # noqa: E402

SESSIONS = [int(n) for n in os.environ.get("BENCH_SESSIONS", "200,1000,5000").split(",") if n]
REGISTRATIONS = [
    int(n) for n in os.environ.get("BENCH_REGISTRATIONS", "1000,10000").split(",") if n
]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SLOTS_PER_DAY = 20
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
FIRST_DAY = dt.date(2030, 3, 5)
KINDS = [Session.Kind.TALK, Session.Kind.PANEL, Session.Kind.WORKSHOP, Session.Kind.GOOD_PRACTICE]
ORGANIZER = "bench-pages-organizer"


def drop(slug: str) -> None:
    """What an earlier run left: bookings, registrations, the meeting, its venue."""
    SessionBooking.objects.filter(registration__meeting__slug=slug).delete()
    Registration.objects.filter(meeting__slug=slug).delete()
    Meeting.objects.filter(slug=slug).delete()
    Venue.objects.filter(name=slug).delete()


def make_meeting(slug: str, count: int) -> Meeting:
    """A published two-day meeting with ``count`` sessions in rooms × 20 slots a day."""
    drop(slug)
    venue = Venue.objects.create(name=slug, city="Pamplona")
    meeting = Meeting.objects.create(
        slug=slug,
        title=f"Benchmark meeting ({count} sessions)",
        starts_on=FIRST_DAY,
        ends_on=FIRST_DAY + dt.timedelta(days=1),
        timezone="Europe/Madrid",
        venue=venue,
        status=Meeting.Status.PUBLISHED,
    )
    room_count = -(-count // (2 * SLOTS_PER_DAY))
    rooms = Room.objects.bulk_create(
        Room(venue=venue, name=f"Room {i}", capacity=100, position=i) for i in range(room_count)
    )
    tracks = Track.objects.bulk_create(
        Track(meeting=meeting, name=f"Track {i}", slug=f"track-{i}", position=i) for i in range(5)
    )
    speakers = Speaker.objects.bulk_create(
        Speaker(meeting=meeting, slug=f"speaker-{i}", name=f"Speaker {i}") for i in range(200)
    )
    sessions = []
    for index in range(count):
        day, rest = divmod(index, count // 2 or 1)
        slot, room = divmod(rest, room_count)
        minutes = 30 * (slot % SLOTS_PER_DAY) + (60 if slot % SLOTS_PER_DAY >= 10 else 0)
        starts = dt.datetime.combine(
            FIRST_DAY + dt.timedelta(days=min(day, 1)), dt.time(8), tzinfo=MADRID
        ) + dt.timedelta(minutes=minutes)
        sessions.append(
            Session(
                meeting=meeting,
                title=f"Session {index}: clusters working together",
                abstract="How clusters from different regions start joint projects. " * 3,
                kind=KINDS[index % len(KINDS)],
                track=tracks[index % len(tracks)],
                room=rooms[room],
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=30),
                status=Session.Status.CONFIRMED,
                requires_booking=index < 20,
                capacity=50 if index < 20 else None,
            )
        )
    sessions = Session.objects.bulk_create(sessions, batch_size=1000)
    SessionSpeaker.objects.bulk_create(
        (
            SessionSpeaker(session=s, speaker=speakers[(i + k) % len(speakers)], position=k)
            for i, s in enumerate(sessions)
            for k in range(2)
        ),
        batch_size=2000,
    )
    return meeting


def add_registrations(meeting: Meeting, count: int) -> None:
    """``count`` confirmed people, one organisation in 40, one booking each of 20 sessions."""
    organizations = Organization.objects.bulk_create(
        Organization(name=f"{meeting.slug} cluster {i}", short_name=f"C{i}") for i in range(40)
    )
    sessions = list(Session.objects.filter(meeting=meeting, requires_booking=True))
    now = timezone.now()
    registrations = Registration.objects.bulk_create(
        (
            Registration(
                meeting=meeting,
                token_hash=f"{meeting.slug}-t-{i}",
                token_sealed="-",
                feed_token_hash=f"{meeting.slug}-f-{i}",
                feed_token_sealed="-",
                first_name=f"Ane{i}",
                last_name=f"Etxeberria {i}",
                email=f"person{i}@example.org",
                organization=organizations[i % len(organizations)],
                job_title="Cluster manager",
                region="ES-NA",
                status=Registration.Status.CONFIRMED,
                consent_processing_at=now,
                consent_text_version="2026-01",
            )
            for i in range(count)
        ),
        batch_size=1000,
    )
    SessionBooking.objects.bulk_create(
        (
            SessionBooking(registration=r, session=sessions[i % len(sessions)])
            for i, r in enumerate(registrations)
        ),
        batch_size=2000,
    )


def timed(client: Client, url: str) -> tuple[float, float, int, int]:
    """Median and best ms of RUNS requests (after one to warm up), queries of one, bytes."""
    client.get(url)
    runs = []
    size = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        runs.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(body)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return statistics.median(runs), min(runs), len(queries), size


def floor(work) -> tuple[float, float]:
    work()
    runs = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), min(runs)


CARD_FLOOR = engines["django"].from_string(
    '{% for s in cards %}<article class="session-card"><p>{{ s.kind }} · {{ s.track }}</p>'
    '<h3><a href="{{ s.url }}">{{ s.title }}</a></h3><p>{{ s.starts }}–{{ s.ends }} · {{ s.room }}'
    '</p><p><a href="{{ s.a }}">{{ s.b }}</a>, <a href="{{ s.a }}">{{ s.b }}</a></p></article>'
    "{% endfor %}"
)


def card_floor(cards: int):
    rows = [
        {
            "kind": "Talk",
            "track": "Track 1",
            "url": f"/meetings/x/sessions/{i}/",
            "title": f"Session {i}: clusters working together",
            "starts": "10:00",
            "ends": "10:30",
            "room": "Room 1",
            "a": "/meetings/x/speakers/s/",
            "b": "Speaker 1",
        }
        for i in range(cards)
    ]
    return lambda: CARD_FLOOR.render({"cards": rows})


def table_floor(count: int, fmt: str):
    rows = [
        (
            f"Ane{i}",
            f"Etxeberria {i}",
            f"person{i}@example.org",
            "Cluster",
            "Cluster manager",
            "Navarra",
            "Confirmed",
            "2030-03-01 10:00",
            "Session 1 (booked)",
            "",
        )
        for i in range(count)
    ]

    def write_csv():
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue()

    def write_xlsx():
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title="Participants")
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    return write_csv if fmt == "csv" else write_xlsx


def line(size: int, name: str, median: float, best: float, queries, nbytes, floor_ms=None):
    ratio = f"{median / floor_ms:>6.1f}" if floor_ms else f"{'':>6}"
    queries = f"{queries:>7}" if queries is not None else f"{'':>7}"
    nbytes = f"{nbytes:>11,}" if nbytes is not None else f"{'':>11}"
    print(
        f"{size:>7,} {name:<34} {median:>9.1f} {best:>9.1f} {queries} {nbytes} {ratio}", flush=True
    )


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    user_model = get_user_model()
    user_model.objects.filter(username=ORGANIZER).delete()
    organizer = user_model.objects.create_user(username=ORGANIZER, password="-")
    client = Client()
    client.force_login(organizer)
    print(f"database: {connection.vendor}; {RUNS} runs; times in ms; ratio = median / floor")
    print(
        f"{'size':>7} {'request':<34} {'median':>9} {'best':>9} {'queries':>7} {'bytes':>11}"
        f" {'ratio':>6}"
    )
    for count in SESSIONS:
        meeting = make_meeting(f"bench-pages-s{count}", count)
        cards = count // 2
        floor_ms, floor_best = floor(card_floor(cards))
        line(count, f"floor: {cards} plain cards", floor_ms, floor_best, None, None)
        median, best, queries, size = timed(
            client, f"/meetings/{meeting.slug}/agenda/?day={FIRST_DAY:%Y-%m-%d}"
        )
        line(count, "agenda page (busiest day)", median, best, queries, size, floor_ms)
        median, best, queries, size = timed(client, f"/api/v1/meetings/{meeting.slug}/sessions/")
        line(count, "sessions API (50)", median, best, queries, size)
        median, best, queries, size = timed(
            client, f"/api/v1/meetings/{meeting.slug}/sessions/?page_size=500"
        )
        line(count, "sessions API page_size=500", median, best, queries, size)
        drop(meeting.slug)
    for count in REGISTRATIONS:
        meeting = make_meeting(f"bench-pages-r{count}", 200)
        MeetingOrganizer.objects.create(meeting=meeting, user=organizer)
        add_registrations(meeting, count)
        base = f"/meetings/{meeting.slug}/manage/participants/"
        median, best, queries, size = timed(client, base)
        line(count, "participants page (50)", median, best, queries, size)
        median, best, queries, size = timed(client, base + "?page=last")
        line(count, "participants page (last)", median, best, queries, size)
        for fmt in ("csv", "xlsx"):
            floor_ms, floor_best = floor(table_floor(count, fmt))
            line(count, f"floor: {fmt} writer, {count} tuples", floor_ms, floor_best, None, None)
            median, best, queries, size = timed(client, f"{base}export.{fmt}")
            line(count, f"{fmt.upper()} export", median, best, queries, size, floor_ms)
        drop(meeting.slug)
        Organization.objects.filter(name__startswith=f"{meeting.slug} ").delete()
    user_model.objects.filter(username=ORGANIZER).delete()


if __name__ == "__main__":
    main()
