"""Benchmark the calendar and schedule exports. Run by hand; prints numbers, asserts nothing.

    python bench/calendar.py                 # SQLite file under /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python bench/calendar.py

For meetings of 200, 1,000 and 5,000 sessions (each with a track, a room and
two speakers) it times a full GET of agenda.ics, schedule.json, schedule.xml
and a personal feed (one booking in ten sessions) through the whole Django
stack with an empty export cache ("build"), the same request answered from the
export cache ("cached": another client, no ETag), and the 304 answer to a
repeated request with the ETag. It also parses
every calendar back with icalendar and with vobject (an independent parser)
and checks that every session is there.
"""

import os
import sys

# This file is called calendar.py: take its folder off the path before anything imports
# the standard library's calendar module (the email package does).
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
sys.path.insert(0, os.path.dirname(HERE))

import datetime as dt  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
import zoneinfo  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/intercluster-bench-calendar.sqlite3")

import django  # noqa: E402

django.setup()

import icalendar  # noqa: E402
import vobject  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from agenda.models import Session, SessionSpeaker, Speaker, Track  # noqa: E402
from events.models import Meeting, Room, Venue  # noqa: E402
from registrations.models import Registration, SessionBooking  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "200,1000,5000").split(",")]
SLOTS_PER_DAY = 50  # 15-minute sessions from 08:00 in every room
REPEAT = 5
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def make_meeting(count: int) -> tuple[Meeting, Registration]:
    slug = f"bench-{count}"
    Registration.objects.filter(meeting__slug=slug).delete()  # registrations PROTECT meetings
    Meeting.objects.filter(slug=slug).delete()
    venue, _ = Venue.objects.get_or_create(name="Bench venue", city="Pamplona")
    meeting = Meeting.objects.create(
        slug=slug,
        title=f"Benchmark meeting ({count} sessions)",
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 2),
        timezone="Europe/Madrid",
        venue=venue,
        status=Meeting.Status.PUBLISHED,
    )
    room_count = -(-count // (2 * SLOTS_PER_DAY))
    rooms = [
        Room.objects.get_or_create(venue=venue, name=f"Room {i}", defaults={"position": i})[0]
        for i in range(room_count)
    ]
    tracks = Track.objects.bulk_create(
        Track(meeting=meeting, name=f"Track {i}", slug=f"track-{i}", position=i) for i in range(8)
    )
    speakers = Speaker.objects.bulk_create(
        Speaker(meeting=meeting, slug=f"speaker-{i}", name=f"Speaker {i}", bio="Cluster manager.")
        for i in range(200)
    )
    sessions = []
    for index in range(count):
        room = rooms[index % room_count]
        slot = index // room_count
        day, position = divmod(slot, SLOTS_PER_DAY)
        starts = dt.datetime.combine(
            meeting.starts_on + dt.timedelta(days=day), dt.time(8), tzinfo=MADRID
        ) + dt.timedelta(minutes=15 * position)
        sessions.append(
            Session(
                meeting=meeting,
                title=f"Session {index}: clusters working together",
                abstract="How clusters from different regions start joint projects. " * 3,
                kind=Session.Kind.TALK,
                track=tracks[index % len(tracks)],
                room=room,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=15),
                status=Session.Status.CONFIRMED,
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
    registration = Registration.objects.create(
        meeting=meeting,
        first_name="Ane",
        last_name="Bench",
        email=f"ane-{count}@example.org",
        status=Registration.Status.CONFIRMED,
        consent_processing_at=timezone.now(),
        consent_text_version="bench",
    )
    SessionBooking.objects.bulk_create(
        SessionBooking(registration=registration, session=s) for s in sessions[::10]
    )
    return meeting, registration


def timed(client: Client, url: str, *, cold: bool = False, **headers) -> tuple[float, object]:
    """Median milliseconds of REPEAT requests; ``cold`` empties the export cache before each."""
    runs = []
    for _ in range(REPEAT):
        if cold:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url, **headers)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000, response


def count_queries(client: Client, url: str) -> int:
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    cache.clear()
    with connection.execute_wrapper(count):
        client.get(url)
    return len(queries)


def check_calendar(content: bytes, expected: int) -> str:
    events = icalendar.Calendar.from_ical(content).walk("VEVENT")
    other = vobject.readOne(content.decode())
    other_events = other.contents.get("vevent", [])
    ok = len(events) == expected == len(other_events)
    return "ok" if ok else f"MISMATCH icalendar={len(events)} vobject={len(other_events)}"


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    warnings.filterwarnings("ignore", message="No directory at")
    call_command("migrate", verbosity=0)
    client = Client()
    print(f"database: {connection.vendor}; median of {REPEAT} requests through the Django stack")
    header = (
        f"{'sessions':>8} {'export':<14} {'bytes':>10} {'build ms':>9} {'cached ms':>9} "
        f"{'304 ms':>7} queries parsed"
    )
    print(header)
    for count in SIZES:
        meeting, registration = make_meeting(count)
        exports = [
            ("agenda.ics", f"/meetings/{meeting.slug}/agenda.ics", count),
            ("schedule.json", f"/meetings/{meeting.slug}/schedule.json", None),
            ("schedule.xml", f"/meetings/{meeting.slug}/schedule.xml", None),
            ("personal .ics", f"/calendar/{registration.feed_token}.ics", len(range(0, count, 10))),
        ]
        for name, url, events in exports:
            build_ms, response = timed(client, url, cold=True)
            cached_ms, _ = timed(client, url)
            not_modified_ms, cached = timed(client, url, HTTP_IF_NONE_MATCH=response["ETag"])
            assert response.status_code == 200 and cached.status_code == 304
            check = check_calendar(response.content, events) if events else ""
            print(
                f"{count:>8} {name:<14} {len(response.content):>10,} {build_ms:>9.1f} "
                f"{cached_ms:>9.1f} {not_modified_ms:>7.1f} {count_queries(client, url):>7} {check}"
            )
        Registration.objects.filter(meeting=meeting).delete()
        meeting.delete()


if __name__ == "__main__":
    main()
