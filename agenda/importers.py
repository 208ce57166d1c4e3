"""Agenda import and export as CSV or JSON (columns in docs/agenda-import.md).

Import creates or updates sessions by their external id through the same
services as every other write, all or nothing: every bad row is reported with
its line and reason, and if there is one, nothing is saved.
"""

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from agenda import services
from agenda.models import Session, SessionSpeaker, Speaker, Track
from agenda.selectors import session_list
from events.models import Meeting, Room

COLUMNS = [
    "external_id",
    "title",
    "kind",
    "status",
    "date",
    "start",
    "end",
    "room",
    "track",
    "capacity",
    "requires_booking",
    "speakers",
    "abstract",
]
REQUIRED = {"external_id", "title"}
TEXT = [name for name in COLUMNS if name not in ("capacity", "requires_booking", "speakers")]
MAX_CAPACITY = 2_147_483_647  # the capacity column is a (positive) integer
TRUE = {"yes", "true", "1", "y"}
FALSE = {"no", "false", "0", "n", ""}


class ImportFailed(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class RowError(Exception):
    pass


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0


# --- reading files ---------------------------------------------------------------------


def parse_upload(name: str, content: bytes) -> list[tuple[str, dict[str, Any]]]:
    """(where, row) pairs from a .csv or .json file; ``where`` is 'line 3' or 'item 2'."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(["The file is not UTF-8 text."]) from exc
    if name.lower().endswith(".json"):
        return parse_json(text)
    if name.lower().endswith(".csv"):
        return parse_csv(text)
    raise ImportFailed(["Give a .csv or a .json file."])


def parse_csv(text: str) -> list[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = REQUIRED - set(reader.fieldnames or [])
    if missing:
        raise ImportFailed([f"line 1: missing columns: {', '.join(sorted(missing))}."])
    unknown = set(reader.fieldnames or []) - set(COLUMNS)
    if unknown:
        raise ImportFailed([f"line 1: unknown columns: {', '.join(sorted(unknown))}."])
    return [(f"line {reader.line_num}", dict(row)) for row in reader]


def parse_json(text: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed([f"line {exc.lineno}: not valid JSON ({exc.msg})."]) from exc
    except ValueError as exc:  # e.g. a number of more than 4300 digits
        raise ImportFailed([f"not valid JSON ({exc})."]) from exc
    if isinstance(data, dict):
        data = data.get("sessions")
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ImportFailed(['Give a list of sessions, or {"sessions": [...]}.'])
    rows = []
    for number, item in enumerate(data, start=1):
        unknown = set(item) - set(COLUMNS)
        if unknown:
            raise ImportFailed([f"item {number}: unknown keys: {', '.join(sorted(unknown))}."])
        rows.append((f"item {number}", item))
    return rows


# --- one row ---------------------------------------------------------------------------------


def _check(row: dict) -> None:
    """Refuse what the columns cannot hold before any service sees it: text that is not a
    string, longer than its column or with a NUL character; a speakers list of non-strings."""
    for name in TEXT:
        value = row.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise RowError(f"{name} must be text, not {type(value).__name__}")
        if "\x00" in value:
            raise RowError(f"{name} contains a NUL character")
        limit = _max_length(name)
        if limit is not None and len(value.strip()) > limit:
            raise RowError(f"{name} is longer than {limit} characters")
    speakers = row.get("speakers")
    if isinstance(speakers, list) and not all(isinstance(item, str) for item in speakers):
        raise RowError("speakers must be a list of text")


def _max_length(name: str) -> int | None:
    """The Session column's max_length for the columns stored as they are."""
    if name in ("external_id", "title"):
        return Session._meta.get_field(name).max_length
    return None


def _capacity(row: dict) -> int | None:
    """Empty/null, or a whole number 0..2147483647 (ASCII digits in CSV, a number in JSON)."""
    value = row.get("capacity")
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
    else:
        raise RowError(f"capacity must be a whole number, not {type(value).__name__}")
    shown = text if len(text) <= 20 else text[:20] + "…"
    if not (text.isascii() and text.isdigit()):
        raise RowError(f"capacity {shown!r} is not a whole number")
    if len(text) > len(str(MAX_CAPACITY)) or int(text) > MAX_CAPACITY:
        raise RowError(f"capacity {shown} is more than {MAX_CAPACITY}")
    return int(text)


def _text(row: dict, name: str) -> str:
    value = row.get(name)
    return "" if value is None else str(value).strip()


def _times(meeting: Meeting, row: dict) -> tuple[dt.datetime | None, dt.datetime | None]:
    date, start, end = _text(row, "date"), _text(row, "start"), _text(row, "end")
    if not (date or start or end):
        return None, None
    if not (date and start and end):
        raise RowError("give date, start and end together (or none of them)")
    try:
        day = dt.date.fromisoformat(date)
    except ValueError as exc:
        raise RowError(f"date {date!r} is not YYYY-MM-DD") from exc
    try:
        starts, ends = dt.time.fromisoformat(start), dt.time.fromisoformat(end)
    except ValueError as exc:
        raise RowError(f"start/end {start!r}/{end!r} are not HH:MM") from exc
    starts_at = timezone.make_aware(dt.datetime.combine(day, starts), meeting.tzinfo)
    ends_at = timezone.make_aware(dt.datetime.combine(day, ends), meeting.tzinfo)
    return starts_at, ends_at


def _speakers(row: dict, by_slug: dict[str, Speaker]) -> list[tuple[Speaker, str]] | None:
    """``ane:moderator;iker`` (CSV) or ``["ane:moderator", "iker"]`` (JSON); None = untouched."""
    if "speakers" not in row:
        return None
    value = row["speakers"]
    items = value if isinstance(value, list) else str(value or "").split(";")
    people = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        slug, _, role = item.partition(":")
        role = role or SessionSpeaker.Role.SPEAKER
        if slug not in by_slug:
            raise RowError(f"unknown speaker {slug!r}")
        if role not in SessionSpeaker.Role.values:
            raise RowError(f"unknown role {role!r} for {slug}")
        people.append((by_slug[slug], role))
    return people


def _fields(meeting: Meeting, row: dict, rooms: dict, tracks: dict) -> dict[str, Any]:
    title = _text(row, "title")
    if not title:
        raise RowError("title is empty")
    kind = _text(row, "kind") or Session.Kind.TALK
    if kind not in Session.Kind.values:
        raise RowError(f"unknown kind {kind!r}")
    status = _text(row, "status") or Session.Status.DRAFT
    if status not in Session.Status.values:
        raise RowError(f"unknown status {status!r}")
    room_name, track_slug = _text(row, "room"), _text(row, "track")
    if room_name and room_name not in rooms:
        raise RowError(f"no room {room_name!r} at the venue")
    if track_slug and track_slug not in tracks:
        raise RowError(f"no track {track_slug!r}")
    capacity = _capacity(row)
    booking = row.get("requires_booking")
    if not isinstance(booking, bool):
        text = _text(row, "requires_booking").lower()
        if text not in TRUE | FALSE:
            raise RowError(f"requires_booking {text!r} is not yes or no")
        booking = text in TRUE
    starts_at, ends_at = _times(meeting, row)
    return {
        "title": title,
        "kind": kind,
        "status": status,
        "abstract": _text(row, "abstract"),
        "room": rooms.get(room_name),
        "track": tracks.get(track_slug),
        "capacity": capacity,
        "requires_booking": booking,
        "starts_at": starts_at,
        "ends_at": ends_at,
    }


# --- import and export -------------------------------------------------------------------------


@transaction.atomic
def import_agenda(*, meeting: Meeting, rows: list[tuple[str, dict[str, Any]]]) -> ImportReport:
    """Create or update each row's session by external id; all rows or none."""
    rooms = {room.name: room for room in Room.objects.filter(venue_id=meeting.venue_id)}
    tracks = {track.slug: track for track in Track.objects.filter(meeting=meeting)}
    speakers = {speaker.slug: speaker for speaker in Speaker.objects.filter(meeting=meeting)}
    existing = {
        session.external_id or f"session-{session.pk}": session
        for session in Session.objects.filter(meeting=meeting).select_related("meeting")
    }
    report, problems, seen = ImportReport(), [], set()
    for where, row in rows:
        try:
            _check(row)
            external_id = _text(row, "external_id")
            if not external_id:
                raise RowError("external_id is empty")
            if external_id in seen:
                raise RowError(f"external_id {external_id!r} appears twice")
            seen.add(external_id)
            with transaction.atomic():  # a failed row leaves the others' work usable
                data = _fields(meeting, row, rooms, tracks)
                people = _speakers(row, speakers)
                session = existing.get(external_id)
                if session is None:
                    session = services.session_create(
                        meeting=meeting, external_id=external_id, **data
                    )
                    report.created += 1
                else:
                    data["external_id"] = external_id
                    session = services.session_update(session=session, data=data)
                    report.updated += 1
                if people is not None:
                    services.session_speakers_set(session=session, speakers=people)
        except (RowError, services.AgendaError) as exc:
            problems.append(f"{where}: {exc}")
    if problems:
        raise ImportFailed(problems)
    return report


def export_rows(*, meeting: Meeting) -> list[dict[str, Any]]:
    """Every session of the meeting (drafts too) in the import's format, JSON-typed."""
    rows = []
    for session in session_list(meeting=meeting).order_by("starts_at", "external_id", "pk"):
        start = end = None
        if session.starts_at is not None:
            start = timezone.localtime(session.starts_at, meeting.tzinfo)
            end = timezone.localtime(session.ends_at, meeting.tzinfo)
        rows.append(
            {
                "external_id": session.external_id or f"session-{session.pk}",
                "title": session.title,
                "kind": session.kind,
                "status": session.status,
                "date": start.date().isoformat() if start else "",
                "start": start.strftime("%H:%M") if start else "",
                "end": end.strftime("%H:%M") if end else "",
                "room": session.room.name if session.room_id else "",
                "track": session.track.slug if session.track_id else "",
                "capacity": session.capacity,
                "requires_booking": session.requires_booking,
                "speakers": [
                    f"{link.speaker.slug}:{link.role}" for link in session.speaker_links.all()
                ],
                "abstract": session.abstract,
            }
        )
    return rows


def export_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                **row,
                "capacity": "" if row["capacity"] is None else row["capacity"],
                "requires_booking": "yes" if row["requires_booking"] else "no",
                "speakers": ";".join(row["speakers"]),
            }
        )
    return out.getvalue()


def export_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps({"sessions": rows}, ensure_ascii=False, indent=2) + "\n"
