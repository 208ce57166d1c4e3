"""Pure iCalendar builders (RFC 5545): feeds, single sessions and email invitations.

Every VEVENT is made by :func:`session_vevent`, and only there, so a session
has the same UID, times and text in the whole agenda, a filtered feed, its own
file, a personal feed and an email. Nothing here queries the database: the
callers pass sessions with ``meeting``, ``room__venue``, ``track`` and
``speaker_links__speaker__organization`` already loaded (see
``agenda/exporters/selectors.py``).

Text goes in through :func:`events.text.one_line` (properties and parameters that
are one line: a line break there breaks the content line, and icalendar refuses
some) and :func:`events.text.multi_line` (DESCRIPTION), here and only here:
rows written before the text rules may hold anything, and one bad title must
not stop a feed or an email.
"""

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext
from icalendar import (
    Calendar,
    Component,
    Event,
    Timezone,
    vCalAddress,
    vCategory,
    vDDDTypes,
    vDuration,
    vInt,
    vText,
    vUri,
)
from icalendar.timezone import tzp

from agenda.export_rows import ExportPerson, ExportSession, export_session
from agenda.models import Session, SessionSpeaker
from events.models import Meeting
from events.text import multi_line, one_line

PRODID = "-//Intercluster//Intercluster calendars//EN"
# How often subscribed clients should poll (RFC 7986 REFRESH-INTERVAL and the
# older X-PUBLISHED-TTL that Outlook and Apple Calendar read).
REFRESH_INTERVAL = dt.timedelta(hours=1)


class Method:
    """iTIP methods (RFC 5546) we emit."""

    PUBLISH = "PUBLISH"
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


def meeting_page_url(meeting: Meeting) -> str:
    return f"{settings.SITE_URL}/meetings/{meeting.slug}/"


def session_page_url(session: Session | ExportSession) -> str:
    """Absolute URL of the session's page (the agenda:session-detail route)."""
    return f"{settings.SITE_URL}/meetings/{session.meeting.slug}/sessions/{session.pk}/"


def session_uid(session: Session | ExportSession) -> str:
    """Stable for the session's whole life: clients match updates and cancellations by it."""
    return f"session-{session.pk}@{settings.SITE_DOMAIN}"


def location_text(room_name: str, venue_address: str) -> str:
    return ", ".join(part for part in (room_name, venue_address) if part)


def session_location(session: Session) -> str:
    venue = session.room.venue if session.room_id else session.meeting.venue
    return location_text(
        session.room.name if session.room_id else "",
        venue.full_address if venue is not None else "",
    )


@dataclass(frozen=True)
class Wording:
    """The translated words of a VEVENT, looked up once per calendar in the active
    language rather than once per session (a lookup costs more than the rest of a line)."""

    cancelled: str
    cancelled_title: str
    with_people: str
    kinds: dict[str, str]
    roles: dict[str, str]

    @classmethod
    def current(cls) -> "Wording":
        return cls(
            cancelled=gettext("This session has been cancelled."),
            cancelled_title=gettext("Cancelled: %(title)s"),
            with_people=gettext("With: %(people)s"),
            # Session.Kind(...).label: get_kind_display() rebuilds the choices on every call.
            kinds={kind.value: str(kind.label) for kind in Session.Kind},
            roles={role.value: str(role.label).lower() for role in SessionSpeaker.Role},
        )


def speaker_text(people: Iterable[ExportPerson], wording: Wording) -> str:
    """Public names only, e.g. 'Ana Echeverría (FNC, moderator), Laura Gimeno (CAAR)'."""
    texts = []
    for person in people:
        details = [one_line(person.organization)] if person.organization else []
        if person.role != SessionSpeaker.Role.SPEAKER:
            details.append(wording.roles[person.role])
        name = one_line(person.name)
        texts.append(f"{name} ({', '.join(details)})" if details else name)
    return ", ".join(texts)


def description_text(
    *, cancelled: bool, abstract: str, speakers: str, url: str, wording: Wording
) -> str:
    parts = []
    if cancelled:
        parts.append(wording.cancelled)
    if abstract:
        parts.append(abstract)
    if speakers:
        parts.append(wording.with_people % {"people": speakers})
    parts.append(url)
    return "\n\n".join(parts)


def session_description(session: Session) -> str:
    people = [
        ExportPerson(
            name=link.speaker.name,
            slug="",
            bio="",
            organization=str(link.speaker.organization) if link.speaker.organization_id else "",
            role=link.role,
        )
        for link in session.speaker_links.all()
    ]
    wording = Wording.current()
    return description_text(
        cancelled=is_cancelled(session),
        abstract=session.abstract,
        speakers=speaker_text(people, wording),
        url=session_page_url(session),
        wording=wording,
    )


def is_cancelled(session: Session | ExportSession) -> bool:
    """Cancelled itself, or part of a cancelled meeting."""
    return (
        session.status == Session.Status.CANCELLED
        or session.meeting.status == Meeting.Status.CANCELLED
    )


def summary_text(title: str, *, cancelled: bool, wording: Wording) -> str:
    # Some clients ignore STATUS:CANCELLED, so the title says it too.
    if cancelled:
        return wording.cancelled_title % {"title": title}
    return title


TEXT_CONFIRMED = vText("CONFIRMED")
TEXT_CANCELLED = vText("CANCELLED")
TEXT_OPAQUE = vText("OPAQUE")
TEXT_TRANSPARENT = vText("TRANSPARENT")


def session_vevent(
    session: Session | ExportSession,
    *,
    stamp: dt.datetime | None = None,
    sequence_bump: int = 0,
    wording: Wording | None = None,
) -> Event:
    """The one VEVENT of a session. ``stamp`` defaults to its last change, so it is stable.

    The properties are set as icalendar's own value types, which is what
    ``Event.add`` makes of these Python values, without its per-call type
    lookups: a feed of thousands of sessions spends its time in serialising.
    """
    row = session if isinstance(session, ExportSession) else export_session(session)
    wording = wording or Wording.current()
    meeting = row.meeting
    tz = meeting.tzinfo
    last_modified = row.last_modified
    cancelled = is_cancelled(row)
    url = session_page_url(row)
    event = Event()
    event["UID"] = vText(session_uid(row))
    # Event.add turns these two into UTC the same way.
    event["DTSTAMP"] = vDDDTypes(tzp.localize_utc(stamp or last_modified))
    # The meeting's IANA zone as TZID (never a bare 'GMT' label); VTIMEZONE added per calendar.
    event["DTSTART"] = vDDDTypes(row.starts_at.astimezone(tz))
    event["DTEND"] = vDDDTypes(row.ends_at.astimezone(tz))
    event["SEQUENCE"] = vInt(row.sequence + sequence_bump)
    event["LAST-MODIFIED"] = vDDDTypes(tzp.localize_utc(last_modified))
    event["SUMMARY"] = vText(
        one_line(summary_text(row.title, cancelled=cancelled, wording=wording))
    )
    description = description_text(
        cancelled=cancelled,
        abstract=row.abstract,
        speakers=speaker_text(row.people, wording),
        url=url,
        wording=wording,
    )
    event["DESCRIPTION"] = vText(multi_line(description))
    if location := one_line(location_text(row.room_name, row.venue_address)):
        event["LOCATION"] = vText(location)
    event["URL"] = vUri(url)
    categories = [one_line(row.track_name)] if row.track_name is not None else []
    categories.append(wording.kinds[row.kind])
    event["CATEGORIES"] = vCategory([category for category in categories if category])
    event["STATUS"] = TEXT_CANCELLED if cancelled else TEXT_CONFIRMED
    event["TRANSP"] = TEXT_TRANSPARENT if cancelled else TEXT_OPAQUE
    return event


@functools.lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, end_year: int) -> Timezone:
    """The zone's VTIMEZONE from 1 January of ``first_year`` to that of ``end_year``.

    Built once per process and shared by every calendar (it is only serialised, never
    changed): describing a zone's transitions costs more than a small personal feed.
    """
    return Timezone.from_tzid(
        tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(end_year, 1, 1)
    )


def calendar_build(*, meeting: Meeting, name: str, method: str, events: list[Event]) -> Calendar:
    """A calendar of these events in the meeting's zone (its VTIMEZONE included)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    name = one_line(name)
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-timezone", meeting.timezone)
    # The meeting's zone is always described, so even an empty feed has one component
    # (RFC 5545 requires at least one) and every TZID used has its VTIMEZONE.
    # Whole years around the events: both DST changes of each year are described, so a
    # client that keeps one definition per TZID still gets every date right.
    # (Years, not instants: an all-day meeting event starts on a date.)
    first = min([event.start.year for event in events] or [meeting.starts_at.year])
    last = max([event.end.year for event in events] or [meeting.ends_at.year])
    calendar.add_component(vtimezone(meeting.timezone, first, last + 2))
    for event in events:
        calendar.add_component(event)
    return calendar


def build_feed(
    *,
    sessions: Iterable[Session | ExportSession],
    meeting: Meeting,
    name: str,
    extra: Iterable[Event] = (),
) -> Calendar:
    """A subscribable METHOD:PUBLISH calendar of sessions (timed ones only) of one meeting,
    then ``extra`` events (a person's 1:1 meetings, made by the app that owns them)."""
    wording = Wording.current()
    events = [session_vevent(session, wording=wording) for session in sessions if session.starts_at]
    events += list(extra)
    calendar = calendar_build(meeting=meeting, name=name, method=Method.PUBLISH, events=events)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    return calendar


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{settings.SITE_DOMAIN}"


def meeting_vevent(meeting: Meeting, *, sequence: int = 0) -> Event:
    """The one VEVENT of a meeting as a whole: its days, as an all-day event.

    Registration confirmations carry it, so the meeting is in the attendee's
    calendar even before they choose any session.
    """
    last_modified = meeting.updated_at.replace(microsecond=0)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", last_modified.astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_on)
    event.add("dtend", meeting.ends_on + dt.timedelta(days=1))  # DATE end is exclusive
    event.add("sequence", sequence)
    event.add("last-modified", last_modified.astimezone(dt.UTC))
    cancelled = meeting.status == Meeting.Status.CANCELLED
    title = one_line(meeting.title)
    event.add("summary", gettext("Cancelled: %(title)s") % {"title": title} if cancelled else title)
    event.add("description", meeting_page_url(meeting))
    if meeting.venue_id and (location := one_line(meeting.venue.full_address)):
        event.add("location", location)
    event.add("url", meeting_page_url(meeting))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # a whole-days frame; the sessions hold the time
    return event


def build_invitation(
    *,
    sessions: Iterable[Session],
    meeting: Meeting,
    method: str,
    attendee_email: str,
    attendee_name: str,
    organizer_email: str,
    sequence_bumps: Mapping[int, int] | None = None,
    meeting_sequence: int | None = None,
) -> Calendar:
    """An iTIP REQUEST (booking, update) or CANCEL for one attendee, to attach to an email.

    ``sequence_bumps`` (per session id) raises SEQUENCE above what the attendee
    already has when the change itself did not bump the session's own counter
    (a cancelled booking, then a new booking).
    With ``meeting_sequence`` the meeting's own all-day event comes first.
    """
    if method not in (Method.REQUEST, Method.CANCEL):
        raise ValueError(f"An invitation is a REQUEST or a CANCEL, not {method!r}.")
    organizer = vCalAddress(f"mailto:{one_line(organizer_email)}")
    organizer.params["CN"] = vText(one_line(meeting.title))
    events = (
        [] if meeting_sequence is None else [meeting_vevent(meeting, sequence=meeting_sequence)]
    )
    wording = Wording.current()
    for session in sessions:
        if session.starts_at:
            bump = sequence_bumps.get(session.pk, 0) if sequence_bumps else 0
            events.append(session_vevent(session, sequence_bump=bump, wording=wording))
    for event in events:
        event.add("organizer", organizer)
        attendee = vCalAddress(f"mailto:{one_line(attendee_email)}")
        attendee.params["CN"] = vText(one_line(attendee_name))
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText("ACCEPTED")
        attendee.params["RSVP"] = vText("FALSE")
        event.add("attendee", attendee)
        if method == Method.CANCEL:
            event["STATUS"] = vText("CANCELLED")
    return calendar_build(meeting=meeting, name=meeting.title, method=method, events=events)


FOLD_OCTETS = 74  # icalendar folds a content line before it reaches 75 octets
ESCAPES = b"\\^"  # a TEXT escape (backslash) or an RFC 6868 parameter escape (caret)


def fold(line: bytes) -> bytes:
    """icalendar's line folding (``icalendar.parser.string.foldline``), on UTF-8 bytes.

    Each line holds as many whole characters as fit in 74 octets, and a backslash or
    caret that ends a line moves to the next one (an escape is never split). The same
    bytes as icalendar's own folding, which walks the line a character at a time and
    was a quarter of a large feed's build.
    """
    size = len(line)
    if size <= FOLD_OCTETS:
        return line
    chunks = []
    start = 0
    while size - start > FOLD_OCTETS:
        end = start + FOLD_OCTETS
        while (line[end] & 0xC0) == 0x80:  # inside a multi-byte character: keep it whole
            end -= 1
        if line[end - 1] in ESCAPES and end - 1 > start:
            end -= 1
        chunks.append(line[start:end])
        start = end
    chunks.append(line[start:])
    return b"\r\n ".join(chunks)


def calendar_bytes(calendar: Component) -> bytes:
    """``calendar.to_ical()``, byte for byte, with :func:`fold` for the folding."""
    lines = calendar.content_lines()
    return b"\r\n".join(fold(line.encode()) for line in lines if line) + b"\r\n"


def calendar_mime(calendar: Calendar) -> tuple[bytes, str]:
    """The calendar's bytes and the MIME type whose ``method`` equals its METHOD (RFC 6047).

    Without a charset: Django's email part adds ``charset="utf-8"`` itself.
    """
    method = str(calendar["METHOD"])
    return calendar_bytes(calendar), f"text/calendar; method={method}"
