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

Next to each build it measures, in the same run, the raw-library floor over the
same data as plain Python values (no ORM, no Django): ``icalendar`` adding the
same properties to the same VEVENTs (plus the calendar header and its VTIMEZONE)
and serialising them; ``json.dumps`` of the same dictionary; and the XML writer
we use (``agenda.frab.schedule_xml``, ElementTree) over the same dictionary. It
prints our build in-process (``exporter.get_data``, queries included), the
floor, their ratio, and whether the floor's bytes equal ours (they should).
"""

import os
import sys

# This file is called calendar.py: take its folder off the path before anything imports
# the standard library's calendar module (the email package does).
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
sys.path.insert(0, os.path.dirname(HERE))

import datetime as dt  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
import zoneinfo  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/intercluster-bench-calendar.sqlite3")

import django  # noqa: E402
import factory  # noqa: E402

django.setup()

import icalendar  # noqa: E402
import vobject  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

from agenda import frab  # noqa: E402
from agenda.exporters import views  # noqa: E402
from agenda.exporters.base import exporters  # noqa: E402
from agenda.models import Session, SessionSpeaker, Speaker, Track  # noqa: E402
from events.models import Meeting, Room, Venue  # noqa: E402
from matchmaking.services.requests import request_accept, request_create  # noqa: E402
from registrations.models import Registration, SessionBooking  # noqa: E402
from tests import factories  # noqa: E402
from tests.factories import (  # noqa: E402
    SessionBookingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    at,
)
from tests.matchmaking.b2b import b2b_meeting, b2b_session_add, person  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "200,1000,5000").split(",")]
SLOTS_PER_DAY = 50  # 15-minute sessions from 08:00 in every room
REPEAT = 5
# Ours and the floor alternate, so both see the same load; the medians' ratio is the result.
FLOOR_REPEAT = int(os.environ.get("BENCH_FLOOR_REPEAT", "9"))
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


def median_ms(function, repeat: int = REPEAT) -> tuple[float, object]:
    runs = []
    result = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000, result


def build_in_process(identifier: str, url: str, **kwargs):
    """The export's own build as the view runs it (queries included, garbage collection
    paused), without the HTTP layer and the cache."""
    exporter = exporters[identifier](RequestFactory().get(url), **kwargs)
    exporter.prepare()
    version = exporter.version()
    return lambda: views.build(exporter, version)


ICS_TEXT = {"UID", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "STATUS", "TRANSP"}


def ics_plain_data(content: bytes) -> tuple[dict, list[list[tuple[str, object]]]]:
    """Our calendar back as plain Python values: what the floor builds from."""
    calendar = icalendar.Calendar.from_ical(content)
    header = {
        "name": str(calendar["X-WR-CALNAME"]),
        "tzid": str(calendar["X-WR-TIMEZONE"]),
        "timezone": calendar.walk("VTIMEZONE")[0],
    }
    events = []
    for event in calendar.walk("VEVENT"):
        props = []
        for name, value in event.property_items(recursive=False)[1:]:
            if name in ("BEGIN", "END"):
                continue
            if name in ICS_TEXT:
                value = str(value)
            elif name == "CATEGORIES":
                value = [str(category) for category in value.cats]
            elif name == "SEQUENCE":
                value = int(value)
            else:
                value = value.dt
            props.append((name.lower(), value))
        events.append(props)
    return header, events


def ics_floor(header: dict, events: list) -> bytes:
    """icalendar alone: the same calendar from plain values, one ``add`` per property."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Intercluster//Intercluster calendars//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", header["name"])
    calendar.add("name", header["name"])
    calendar.add("x-wr-timezone", header["tzid"])
    years = [props[2][1].year for props in events] or [2026]
    calendar.add_component(
        icalendar.Timezone.from_tzid(
            header["tzid"],
            first_date=dt.date(min(years), 1, 1),
            last_date=dt.date(max(years) + 2, 1, 1),
        )
    )
    for props in events:
        event = icalendar.Event()
        for name, value in props:
            event.add(name, value)
        calendar.add_component(event)
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(dt.timedelta(hours=1)))
    return calendar.to_ical()


def floor_for(name: str, content: bytes):
    """A function building the same bytes from plain data with the library alone."""
    if name.endswith(".ics"):
        header, events = ics_plain_data(content)
        return lambda: ics_floor(header, events)
    data = json.loads(content) if name.endswith(".json") else None
    if name.endswith(".json"):
        return lambda: json.dumps(data, ensure_ascii=False).encode()
    return None


def check_calendar(content: bytes, expected: int) -> str:
    events = icalendar.Calendar.from_ical(content).walk("VEVENT")
    other = vobject.readOne(content.decode())
    other_events = other.contents.get("vevent", [])
    ok = len(events) == expected == len(other_events)
    return "ok" if ok else f"MISMATCH icalendar={len(events)} vobject={len(other_events)}"


IDENTIFIERS = {
    "agenda.ics": "agenda-ics",
    "schedule.json": "schedule-json",
    "schedule.xml": "schedule-xml",
    "personal .ics": "personal-ics",
}


def measure_floor(count, name, url, content, meeting, registration) -> tuple:
    """Our in-process build and the library floor, interleaved, median of REPEAT each."""
    identifier = IDENTIFIERS[name]
    kwargs = {"token": registration.feed_token} if identifier == "personal-ics" else {}
    if not kwargs:
        kwargs = {"slug": meeting.slug}
    ours = build_in_process(identifier, url, **kwargs)
    if name.endswith(".xml"):
        data = json.loads(client_json(meeting))

        def floor():
            return frab.schedule_xml(data)
    else:
        floor = floor_for(name, content)
    runs = {"ours": [], "floor": [], "ours_cpu": [], "floor_cpu": []}
    same = None
    for _ in range(FLOOR_REPEAT):
        for key, function in (("ours", ours), ("floor", floor)):
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            result = function()
            runs[key].append(time.perf_counter() - wall)
            runs[f"{key}_cpu"].append(time.process_time() - cpu)
            if key == "ours":
                ours_bytes = result
            else:
                same = ours_bytes == result
    medians = {key: statistics.median(values) * 1000 for key, values in runs.items()}
    return count, name, medians, same


def client_json(meeting) -> bytes:
    return Client().get(f"/meetings/{meeting.slug}/schedule.json").content


def print_floors(rows) -> None:
    print(
        f"{'sessions':>8} {'export':<14} {'ours ms':>9} {'floor ms':>9} {'ratio':>6} "
        f"{'ours cpu':>9} {'floor cpu':>9} {'ratio':>6} same bytes"
    )
    for count, name, ms, same in rows:
        print(
            f"{count:>8} {name:<14} {ms['ours']:>9.1f} {ms['floor']:>9.1f} "
            f"{ms['ours'] / ms['floor']:>6.2f} {ms['ours_cpu']:>9.1f} {ms['floor_cpu']:>9.1f} "
            f"{ms['ours_cpu'] / ms['floor_cpu']:>6.2f} {same}"
        )


def personal_feed_case(bookings: int = 50, meetings: int = 20) -> None:
    """The issue's personal feed: a person with 50 booked sessions (two speakers each) and
    20 scheduled 1:1 meetings; a full GET with an empty export cache, median of REPEAT."""
    # The bench's database outlives a run: start the factories past the rows left behind.
    start = int(time.time())
    for value in vars(factories).values():
        if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory):
            value.reset_sequence(start, force=True)
    meeting = b2b_meeting()
    b2b = b2b_session_add(meeting, day=1, start="08:00", minutes=20 * meetings, tables=2)
    slots = list(b2b.slots.order_by("position"))
    ana = person(meeting)
    for index in range(meetings):
        other = person(meeting)
        request = request_create(requester=ana, recipient=other)
        request_accept(request=request, by=other, slot_id=slots[index].pk)
    for index in range(bookings):
        starts = at(meeting, 0, "08:00") + dt.timedelta(minutes=10 * index)
        session = SessionFactory(
            meeting=meeting, starts_at=starts, ends_at=starts + dt.timedelta(minutes=30)
        )
        for position in range(2):
            SessionSpeakerFactory(session=session, position=position)
        SessionBookingFactory(registration=ana, session=session)
    url = f"/calendar/{ana.feed_token}.ics"
    client = Client()
    build_ms, response = timed(client, url, cold=True)
    assert response.status_code == 200
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    print(
        f"personal feed, {bookings} bookings + {meetings} 1:1 meetings: {len(events)} events, "
        f"{len(response.content):,} bytes; full GET with an empty cache {build_ms:.1f} ms "
        f"(target < 50 ms), {count_queries(client, url)} queries"
    )
    print_floors([measure_floor(len(events), "personal .ics", url, response.content, meeting, ana)])


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
    floors = []
    for count in SIZES:
        meeting, registration = make_meeting(count)
        exports = [
            ("agenda.ics", f"/meetings/{meeting.slug}/agenda.ics", count),
            ("schedule.json", f"/meetings/{meeting.slug}/schedule.json", None),
            ("schedule.xml", f"/meetings/{meeting.slug}/schedule.xml", None),
            ("personal .ics", f"/calendar/{registration.feed_token}.ics", len(range(0, count, 10))),
        ]
        print(header)
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
            floors.append(measure_floor(count, name, url, response.content, meeting, registration))
        print_floors(floors[-4:])
        Registration.objects.filter(meeting=meeting).delete()
        meeting.delete()
    personal_feed_case()


if __name__ == "__main__":
    main()
