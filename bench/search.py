"""Agenda search and seats left with 200, 1,000 and 5,000 sessions: time and query count.

Run by hand; prints numbers, asserts nothing about time:

    .venv/bin/python bench/search.py                 # SQLite (a throwaway test DB)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/intercluster \
        .venv/bin/python bench/search.py

It creates a throwaway test database (test_<name>), builds a two-day meeting
with N sessions whose titles and abstracts mix Spanish and English words (one
speaker each, 60 organisations; one session in three needs booking and has
bookings), and times each request REPEAT times through Django's test client
(median and best): searches that find a few, many and no rows, and the agenda
page and registration form, which carry the seats-left annotation.
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

# bench/ holds a calendar.py: take the folder off the path before anything imports the
# standard library's calendar module (the email package does).
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
# WhiteNoise looks for collected static files, which a benchmark does not need.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from agenda.models import Session, SessionSpeaker, Speaker  # noqa: E402
from events.models import Meeting, Organization, Room, Venue  # noqa: E402
from registrations.models import Registration, SessionBooking  # noqa: E402

REPEAT = 5
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "200,1000,5000").split(",")]
SLOTS_PER_DAY = 25
# Filler: 3,000 made-up words, so that a real word is as rare as in real abstracts.
FILLER = [
    f"{a}{b}{c}"
    for a in ("ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru")
    for b in ("ca", "de", "fi", "go", "hu", "ja", "ke", "li", "mo", "nu")
    for c in (
        "ro",
        "sa",
        "te",
        "vi",
        "xo",
        "ya",
        "zu",
        "bo",
        "cu",
        "da",
        "fe",
        "gi",
        "ho",
        "ju",
        "ka",
        "le",
        "mi",
        "no",
        "pu",
        "qa",
        "re",
        "si",
        "to",
        "uv",
        "we",
        "xi",
        "yo",
        "za",
        "ab",
        "eb",
    )
]
# Real phrases, each in one session out of ``every``.
PHRASES = [
    (2, "clusters"),
    (25, "consorcios europeos de cooperación"),
    (40, "smart factories and value chain"),
    (50, "hidrógeno verde"),
]
QUERIES = [
    "hidrogeno",  # 2 %, accent left out
    "consorcio europeo",  # 4 %, Spanish singular for plural
    "smart factory",  # 2.5 %, English singular for plural
    "clusters",  # half of the sessions
    "Organisation 7",  # a speaker by her organisation
    "zeppelin",  # nothing
]


def text(rng: random.Random, index: int, words: int) -> str:
    parts = rng.choices(FILLER, k=words)
    for every, phrase in PHRASES:
        if index % every == 0:
            parts.insert(rng.randrange(len(parts)), phrase)
    return " ".join(parts)


def build(size: int) -> Meeting:
    rng = random.Random(size)
    venue = Venue.objects.create(name=f"Bench venue {size}", city="Pamplona")
    meeting = Meeting.objects.create(
        slug=f"bench-{size}",
        title=f"Bench {size}",
        starts_on=dt.date(2030, 3, 5),
        ends_on=dt.date(2030, 3, 6),
        venue=venue,
        status=Meeting.Status.PUBLISHED,
        registration_opens_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        capacity=None,
    )
    room_count = -(-size // (2 * SLOTS_PER_DAY))
    rooms = Room.objects.bulk_create(
        Room(venue=venue, name=f"Room {i}", capacity=30, position=i) for i in range(room_count)
    )
    sessions = []
    for day in range(2):
        for slot in range(SLOTS_PER_DAY):
            start = dt.datetime.combine(
                meeting.starts_on + dt.timedelta(days=day), dt.time(8), tzinfo=meeting.tzinfo
            ) + dt.timedelta(minutes=20 * slot)
            for room in rooms:
                if len(sessions) == size:
                    break
                sessions.append(
                    Session(
                        meeting=meeting,
                        title=text(rng, len(sessions) + 1, 4).capitalize(),
                        abstract=text(rng, len(sessions), 80) + ".",
                        room=room,
                        starts_at=start,
                        ends_at=start + dt.timedelta(minutes=20),
                        requires_booking=len(sessions) % 3 == 0,
                        status=Session.Status.CONFIRMED,
                    )
                )
    sessions = Session.objects.bulk_create(sessions)
    organizations = [
        Organization.objects.get_or_create(name=f"Organisation {i} cluster")[0] for i in range(60)
    ]
    speakers = Speaker.objects.bulk_create(
        Speaker(
            meeting=meeting,
            name=f"Speaker {i}",
            slug=f"speaker-{i}",
            bio=text(rng, i + 3, 30),
            organization=organizations[i % 60],
        )
        for i in range(len(sessions))
    )
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(session=s, speaker=p) for s, p in zip(sessions, speakers, strict=True)
    )
    registrations = [  # one by one: save() makes their tokens
        Registration.objects.create(
            meeting=meeting,
            first_name="P",
            last_name=str(i),
            email=f"p{i}-{size}@example.org",
            status=Registration.Status.CONFIRMED,
            consent_processing_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
            consent_text_version="bench",
        )
        for i in range(200)
    ]
    SessionBooking.objects.bulk_create(
        SessionBooking(registration=registration, session=session)
        for session in sessions[::3]
        for registration in rng.sample(registrations, rng.randint(0, 30))
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would, after such a load
    return meeting


def measure(client: Client, url: str, data=None) -> tuple[float, float, int, int]:
    timings = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, data)
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
            f"{'sessions':>8}  {'request':<40} {'median':>8} {'best':>8} {'queries':>7}"
            f" {'KB':>6} {'found':>5}"
        )
        for size in SIZES:
            meeting = build(size)
            base = f"/meetings/{meeting.slug}"
            requests = [(f"{base}/search/", {"q": query}) for query in QUERIES]
            requests += [(f"{base}/agenda/", None), (f"{base}/register/", None)]
            for url, data in requests:
                median, best, queries, size_bytes = measure(client, url, data)
                found = ""
                if data:
                    results = client.get(url, data).context["results"]
                    found = str(results.count)
                label = url.replace(base, "…") + (f"?q={data['q']}" if data else "")
                print(
                    f"{size:>8}  {label:<40} {median:>8.1f} {best:>8.1f} {queries:>7}"
                    f" {size_bytes / 1024:>6.0f} {found:>5}"
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
