"""Pure builders of the frab/c3voc schedule (schedule.json and schedule.xml).

The format pretalx and frab emit and conference apps (Giggity, ConfClerk,
EventFahrplan) read; validated in tests against the voc/schedule XSD and JSON
schema (tests/schemas/). The XML is written from the same dictionary as the
JSON, so both always say the same thing.

Cancelled sessions are left out: the format has no status, and apps such as
EventFahrplan show a session that disappears from a schedule as cancelled.
"""

import datetime as dt
import hashlib
import re
import uuid
from dataclasses import dataclass, field
from xml.etree import ElementTree as etree

from django.conf import settings
from django.utils.text import slugify

from agenda.export_rows import ExportSession
from agenda.ical import is_cancelled, meeting_page_url, session_page_url, session_uid
from agenda.models import Track
from events.models import Meeting

GENERATOR = {"name": "intercluster", "version": "0.1"}
TIMESLOT = "00:05"
NAMESPACE_URL_BYTES = uuid.NAMESPACE_URL.bytes
SLUG_RE = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]$")  # what both schemas accept for a track slug


def acronym(meeting: Meeting) -> str:
    """The slug as the schema's acronym wants it: 'intercluster-2019' → 'intercluster_2019'."""
    value = re.sub(r"[^a-z0-9_]", "_", meeting.slug.lower())
    return value.ljust(4, "_")


def hh_mm(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def room_guid(room_id: int) -> str:
    return guid(f"{settings.SITE_URL}/rooms/{room_id}")


def guid(name: str) -> str:
    """``str(uuid.uuid5(uuid.NAMESPACE_URL, name))``, without the UUID object in between."""
    digest = bytearray(hashlib.sha1(NAMESPACE_URL_BYTES + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def event_guid(session: ExportSession) -> str:
    """Deterministic from the iCalendar UID: same session, same guid, in every export."""
    return guid(session_uid(session))


@dataclass
class Context:
    """What every event of one schedule shares, worked out once per schedule."""

    meeting: Meeting
    tz: dt.tzinfo
    acronym: str
    speaker_guids: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, meeting: Meeting) -> "Context":
        return cls(meeting=meeting, tz=meeting.tzinfo, acronym=acronym(meeting))

    def speaker_guid(self, slug: str) -> str:
        value = self.speaker_guids.get(slug)
        if value is None:
            value = self.speaker_guids[slug] = guid(
                f"{settings.SITE_URL}/meetings/{self.meeting.slug}/speakers/{slug}/"
            )
        return value


def event_slug(session: ExportSession, context: Context) -> str:
    title = slugify(session.title)[:50].strip("-_") or "session"
    return f"{context.acronym}-{session.pk}-{title}"


def persons(session: ExportSession, context: Context) -> list[dict]:
    """Public names and biographies only; never an email address."""
    return [
        {
            "name": person.name,
            "guid": context.speaker_guid(person.slug),
            "biography": person.bio or None,
        }
        for person in session.people
    ]


def event(session: ExportSession, context: Context) -> dict:
    starts = session.starts_at.astimezone(context.tz)
    ends = session.ends_at.astimezone(context.tz)
    return {
        "id": session.pk,
        "guid": event_guid(session),
        "date": starts.isoformat(),
        "start": f"{starts.hour:02d}:{starts.minute:02d}",
        "end": ends.isoformat(),
        # Elapsed time, so a session across a DST change lasts what it really lasts.
        "duration": hh_mm(session.ends_at - session.starts_at),
        "room": session.room_name,
        "slug": event_slug(session, context),
        "url": session_page_url(session),
        "title": session.title,
        "subtitle": "",
        "track": session.track_name,
        "type": session.kind,
        "language": context.meeting.language,
        "abstract": session.abstract,
        "description": None,
        "persons": persons(session, context),
        "links": [],
    }


def build_schedule(
    *, meeting: Meeting, sessions: list[ExportSession], tracks: list[Track], version: str
) -> dict:
    """The schedule as a dictionary ready for json.dumps (and for :func:`schedule_xml`)."""
    shown = [s for s in sessions if s.is_scheduled and not is_cancelled(s)]
    rooms = sorted(
        {
            s.room_id: (s.venue_id, s.room_position, s.room_name, s.room_id, s.room_capacity)
            for s in shown
        }.values(),
        key=lambda room: room[:3],  # venue, position, name; stable, as the agenda shows them
    )
    context = Context.of(meeting)
    tz = context.tz
    by_day: dict[dt.date, list[ExportSession]] = {}
    for session in shown:
        by_day.setdefault(session.starts_at.astimezone(tz).date(), []).append(session)
    days = []
    for index, day in enumerate(meeting.days, start=1):
        by_room: dict[str, list[dict]] = {room[2]: [] for room in rooms}
        for session in by_day.get(day, ()):
            by_room[session.room_name].append(event(session, context))
        days.append(
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": dt.datetime.combine(day, dt.time.min, tzinfo=tz).isoformat(),
                "day_end": dt.datetime.combine(day, dt.time(23, 59), tzinfo=tz).isoformat(),
                "rooms": by_room,
            }
        )
    track_list = []
    for track in tracks:
        entry = {"name": track.name, "color": track.colour}
        if SLUG_RE.match(track.slug):
            entry["slug"] = track.slug
        track_list.append(entry)
    conference = {
        "acronym": acronym(meeting),
        "title": meeting.title,
        "description": meeting.description,
        "start": meeting.starts_on.isoformat(),
        "end": meeting.ends_on.isoformat(),
        "daysCount": len(meeting.days),
        "timeslot_duration": TIMESLOT,
        "time_zone_name": meeting.timezone,
        "url": meeting_page_url(meeting),
        "tracks": track_list,
        "rooms": [
            {"name": name, "guid": room_guid(room_id), "capacity": capacity}
            for _, _, name, room_id, capacity in rooms
        ],
        "days": days,
    }
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": GENERATOR,
        "schedule": {
            "version": version,
            "base_url": f"{settings.SITE_URL}/",
            "conference": conference,
        },
    }


def _text(parent: etree.Element, tag: str, value) -> etree.Element:
    element = etree.SubElement(parent, tag)
    element.text = "" if value is None else str(value)
    return element


def schedule_xml(data: dict) -> bytes:
    """The same schedule as frab's schedule.xml."""
    schedule = data["schedule"]
    conference = schedule["conference"]
    root = etree.Element("schedule")
    etree.SubElement(root, "generator", name=GENERATOR["name"], version=GENERATOR["version"])
    _text(root, "version", schedule["version"])
    conf = etree.SubElement(root, "conference")
    _text(conf, "acronym", conference["acronym"])
    _text(conf, "title", conference["title"])
    _text(conf, "start", conference["start"])
    _text(conf, "end", conference["end"])
    _text(conf, "days", conference["daysCount"])
    _text(conf, "timeslot_duration", conference["timeslot_duration"])
    _text(conf, "base_url", schedule["base_url"])
    _text(conf, "url", conference["url"])
    _text(conf, "time_zone_name", conference["time_zone_name"])
    for track in conference["tracks"]:
        attributes = {"name": track["name"], "color": track["color"]}
        if "slug" in track:
            attributes["slug"] = track["slug"]
        etree.SubElement(conf, "track", **attributes).text = track["name"]
    guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = etree.SubElement(
            root,
            "day",
            index=str(day["index"]),
            date=day["date"],
            start=day["day_start"],
            end=day["day_end"],
        )
        for room_name, events in day["rooms"].items():
            room_element = etree.SubElement(
                day_element, "room", name=room_name, guid=guids[room_name]
            )
            for item in events:
                _event_xml(room_element, item)
    etree.indent(root)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def _event_xml(parent: etree.Element, item: dict) -> None:
    element = etree.SubElement(parent, "event", id=str(item["id"]), guid=item["guid"])
    for tag in ("date", "start", "duration", "room", "slug", "url", "title", "subtitle"):
        _text(element, tag, item[tag])
    _text(element, "track", item["track"])
    _text(element, "type", item["type"])
    _text(element, "language", item["language"])
    _text(element, "abstract", item["abstract"])
    _text(element, "description", item["description"])
    people = etree.SubElement(element, "persons")
    for person in item["persons"]:
        etree.SubElement(people, "person", guid=person["guid"]).text = person["name"]
    etree.SubElement(element, "links")
