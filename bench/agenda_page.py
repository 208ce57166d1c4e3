"""The agenda page at scale: HTML weight, server time and first paint in Chromium.

Run by hand; prints numbers, asserts nothing about time:

    .venv/bin/python bench/agenda_page.py                  # SQLite file under /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/agenda_page.py
    BENCH_SIZES=5000 BENCH_RUNS=3 .venv/bin/python bench/agenda_page.py

For meetings of 200, 1,000 and 5,000 sessions over two days (rooms × 20
half-hour slots a day, 08:00–13:00 and 14:00–19:00, with a lunch break for
the whole venue between; five tracks, two speakers a session) it requests the
busiest day's agenda page, and the same day filtered to one track, and prints:

- **bytes** and **gzip** (level 6) of the HTML, **style**: the bytes of its grid
  style block (``agenda.grid.grid_css``), and the SQL queries;
- **server ms**: the median of BENCH_RUNS requests through Django's test client;
- **HTML ms**: when the browser has the whole HTML (``responseEnd``), then
  **FP / FCP ms**: first paint and first contentful paint in headless Chromium
  (``performance.getEntriesByType("paint")``), and **load ms** (the load event),
  all from the start of the navigation,
  medians of BENCH_RUNS fresh page loads from a live server on 127.0.0.1
  (Django's threaded LiveServerThread, static files from the finders, DEBUG off);
- **nodes**: the elements of the rendered page.
"""

import gzip
import os
import re
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
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/intercluster-bench-agenda-page.sqlite3")
# Playwright's sync API runs an event loop in this thread; the ORM is used here too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
warnings.filterwarnings("ignore", message="No directory at")

import datetime as dt  # noqa: E402
import zoneinfo  # noqa: E402

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from agenda.models import Session, SessionSpeaker, Speaker, Track  # noqa: E402
from events.models import Meeting, Room, Venue  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "200,1000,5000").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SLOTS_PER_DAY = 20
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
FIRST_DAY = dt.date(2030, 3, 5)
KINDS = [Session.Kind.TALK, Session.Kind.PANEL, Session.Kind.WORKSHOP, Session.Kind.GOOD_PRACTICE]


def slot_start(day: int, slot: int) -> dt.datetime:
    """Half-hour slots from 08:00, with the hour from 13:00 left for lunch."""
    minutes = 30 * slot + (60 if slot >= SLOTS_PER_DAY // 2 else 0)
    start = dt.datetime.combine(FIRST_DAY + dt.timedelta(days=day), dt.time(8), tzinfo=MADRID)
    return start + dt.timedelta(minutes=minutes)


def drop(slug: str) -> None:
    """What an earlier run left: the meeting, then its venue and rooms."""
    Meeting.objects.filter(slug=slug).delete()
    Venue.objects.filter(name=slug).delete()


def make_meeting(count: int) -> Meeting:
    slug = f"bench-page-{count}"
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
        starts = slot_start(min(day, 1), slot % SLOTS_PER_DAY)
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
            )
        )
    for day in range(2):
        lunch = slot_start(day, 0).replace(hour=13)
        sessions.append(
            Session(
                meeting=meeting,
                title="Lunch",
                kind=Session.Kind.BREAK,
                starts_at=lunch,
                ends_at=lunch + dt.timedelta(hours=1),
                status=Session.Status.CONFIRMED,
            )
        )
    sessions = Session.objects.bulk_create(sessions, batch_size=1000)
    SessionSpeaker.objects.bulk_create(
        (
            SessionSpeaker(session=s, speaker=speakers[(i + k) % len(speakers)], position=k)
            for i, s in enumerate(sessions)
            if s.kind != Session.Kind.BREAK
            for k in range(2)
        ),
        batch_size=2000,
    )
    return meeting


def server_side(client: Client, url: str) -> tuple[float, int, bytes]:
    """Median ms of RUNS requests (after one to warm up), the queries of one, and the HTML."""
    client.get(url)
    runs = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        runs.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(runs), len(queries), response.content


PAINT = """() => {
  const paint = Object.fromEntries(
    performance.getEntriesByType("paint").map((entry) => [entry.name, entry.startTime]));
  const nav = performance.getEntriesByType("navigation")[0];
  return {html: nav.responseEnd, fp: paint["first-paint"], fcp: paint["first-contentful-paint"],
          load: nav.loadEventEnd, nodes: document.getElementsByTagName("*").length};
}"""


def browser_side(browser, url: str) -> dict[str, float]:
    """Medians of RUNS fresh loads (a new context each: nothing cached), after one to warm up."""
    samples = []
    for _ in range(RUNS + 1):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.goto(url, wait_until="load", timeout=120_000)
        page.wait_for_function(
            "() => performance.getEntriesByType('navigation')[0].loadEventEnd > 0"
            " && performance.getEntriesByType('paint').length >= 2"
        )
        samples.append(page.evaluate(PAINT))
        context.close()
    return {key: statistics.median(s[key] for s in samples[1:]) for key in samples[0]}


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    server = LiveServerThread("127.0.0.1", StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    client = Client()
    print(f"database: {connection.vendor}; medians of {RUNS} runs; times in ms")
    print(
        f"{'sessions':>8} {'page':<22} {'cards':>5} {'bytes':>10} {'gzip':>8} {'style':>6}"
        f" {'queries':>7}"
        f" {'server':>8} {'HTML':>7} {'FP':>7} {'FCP':>7} {'load':>7} {'nodes':>7}"
    )
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            for count in SIZES:
                meeting = make_meeting(count)
                day = f"?day={FIRST_DAY:%Y-%m-%d}"
                for name, query in (
                    ("busiest day", day),
                    ("busiest day, 1 track", f"{day}&track=track-1"),
                ):
                    url = f"/meetings/{meeting.slug}/agenda/{query}"
                    server_ms, queries, html = server_side(client, url)
                    cards = html.count(b'class="session-card')
                    style = re.search(rb"<style nonce=[^>]*>([^<]*agenda-grid[^<]*)</style>", html)
                    paint = browser_side(browser, base + url)
                    print(
                        f"{count:>8} {name:<22} {cards:>5} {len(html):>10,}"
                        f" {len(gzip.compress(html, compresslevel=6)):>8,}"
                        f" {len(style.group(1)) if style else 0:>6,} {queries:>7}"
                        f" {server_ms:>8.1f} {paint['html']:>7.0f} {paint['fp']:>7.0f}"
                        f" {paint['fcp']:>7.0f}"
                        f" {paint['load']:>7.0f} {paint['nodes']:>7,}",
                        flush=True,
                    )
                drop(meeting.slug)
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
