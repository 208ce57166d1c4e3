"""Agenda page and sessions API with 200 and 2,000 sessions: render time and query count.

Run by hand; prints numbers, asserts nothing about time:

    /tmp/venv0/bin/python bench/agenda.py                 # SQLite (a throwaway test DB)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/intercluster \
        /tmp/venv0/bin/python bench/agenda.py

It creates a throwaway test database (test_<name>), builds a two-day meeting
with N sessions (rooms x 30-minute slots, one speaker each), and times each
request REPEAT times through Django's test client (median and best).
"""

import datetime as dt
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
# WhiteNoise looks for collected static files, which a benchmark does not need.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from agenda.models import Session, SessionSpeaker, Speaker, Track  # noqa: E402
from events.models import Meeting, Room, Venue  # noqa: E402

REPEAT = 5
SIZES = (200, 2000)
SLOTS_PER_DAY = 20  # 08:00-18:00 in 30-minute slots


def build(size: int):
    venue = Venue.objects.create(name=f"Bench venue {size}", city="Pamplona")
    meeting = Meeting.objects.create(
        slug=f"bench-{size}",
        title=f"Bench {size}",
        starts_on=dt.date(2030, 3, 5),
        ends_on=dt.date(2030, 3, 6),
        venue=venue,
        status=Meeting.Status.PUBLISHED,
    )
    room_count = size // (2 * SLOTS_PER_DAY)
    rooms = Room.objects.bulk_create(
        Room(venue=venue, name=f"Room {i}", capacity=100, position=i) for i in range(room_count)
    )
    tracks = Track.objects.bulk_create(
        Track(meeting=meeting, name=f"Track {i}", slug=f"track-{i}", position=i) for i in range(5)
    )
    sessions = []
    for day in range(2):
        for slot in range(SLOTS_PER_DAY):
            start = dt.datetime.combine(
                meeting.starts_on + dt.timedelta(days=day), dt.time(8), tzinfo=meeting.tzinfo
            ) + dt.timedelta(minutes=30 * slot)
            for room in rooms:
                sessions.append(
                    Session(
                        meeting=meeting,
                        title=f"Session {day}-{slot}-{room.position}",
                        abstract="Clusters working together. " * 5,
                        room=room,
                        track=tracks[len(sessions) % 5],
                        starts_at=start,
                        ends_at=start + dt.timedelta(minutes=30),
                        status=Session.Status.CONFIRMED,
                    )
                )
    sessions = Session.objects.bulk_create(sessions)
    speakers = Speaker.objects.bulk_create(
        Speaker(meeting=meeting, name=f"Speaker {i}", slug=f"speaker-{i}")
        for i in range(len(sessions))
    )
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(session=s, speaker=p) for s, p in zip(sessions, speakers, strict=True)
    )
    return meeting


def measure(client: Client, url: str) -> tuple[float, float, int, int]:
    timings = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), min(timings), len(queries), len(response.content)


def main() -> None:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        client = Client()
        print(f"database: {connection.vendor}, {REPEAT} runs each, times in ms")
        print(
            f"{'sessions':>8}  {'request':<44} {'median':>8} {'best':>8} {'queries':>7} {'KB':>6}"
        )
        for size in SIZES:
            meeting = build(size)
            urls = [
                f"/meetings/{meeting.slug}/agenda/",
                f"/meetings/{meeting.slug}/agenda/?track=track-1",
                f"/api/v1/meetings/{meeting.slug}/sessions/",
                f"/api/v1/meetings/{meeting.slug}/sessions/?page_size=500",
                f"/api/v1/meetings/{meeting.slug}/sessions/?day=2030-03-06&page=2",
            ]
            for url in urls:
                median, best, queries, size_bytes = measure(client, url)
                short = url.replace(f"/meetings/{meeting.slug}", "…")
                print(
                    f"{size:>8}  {short:<44} {median:>8.1f} {best:>8.1f} {queries:>7}"
                    f" {size_bytes / 1024:>6.0f}"
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
