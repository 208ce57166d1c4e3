"""What the calendar and schedule builders read about a session, as plain values.

The builders (``agenda/ical.py``, ``agenda/frab.py``) take :class:`ExportSession`
rows, never model instances. A feed of thousands of sessions loads them with
:func:`export_sessions`: two ``values_list`` queries (sessions with their room,
venue and track; speaker links with speaker and organization), whatever the
number of sessions, and no model objects — building those was a fifth of a
large feed's time. A single session (an email's invitation, a web-calendar
link) is turned into the same row by :func:`export_session`, so every path
builds the same text from the same values.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import DateTimeField, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from agenda.models import Session, SessionSpeaker
from events.models import Meeting, Venue

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(slots=True, frozen=True)
class ExportPerson:
    """One speaker of a session, public fields only (never an email address)."""

    name: str
    slug: str
    bio: str
    organization: str  # the organization's short name, else its name; "" for none
    role: str  # SessionSpeaker.Role value


@dataclass(slots=True)
class ExportSession:
    pk: int
    meeting: Meeting
    title: str
    abstract: str
    kind: str
    status: str
    sequence: int
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    # When anything shown with the session last changed (session, meeting, place,
    # track, people), in whole seconds as calendars carry it.
    last_modified: dt.datetime
    room_id: int | None = None
    room_name: str = ""
    room_position: int = 0
    room_capacity: int | None = None
    venue_id: int | None = None
    # The room's venue, else the meeting's: its full address, "" for none.
    venue_address: str = ""
    track_name: str | None = None
    people: list[ExportPerson] = field(default_factory=list)

    @property
    def is_scheduled(self) -> bool:
        return self.starts_at is not None and self.room_id is not None


def _max_stamp(stamps) -> dt.datetime:
    return max(stamp for stamp in stamps if stamp is not None).replace(microsecond=0)


def export_session(session: Session) -> ExportSession:
    """One session with ``room__venue``, ``track`` and ``speaker_links__speaker__organization``
    loaded (``agenda.selectors.sessions_with_details``), as the builders' row."""
    meeting = session.meeting
    stamps = [session.updated_at, meeting.updated_at]
    room = session.room if session.room_id else None
    venue = room.venue if room is not None else meeting.venue if meeting.venue_id else None
    if venue is not None:
        stamps.append(venue.updated_at)
    if room is not None:
        stamps.append(room.updated_at)
    if session.track_id:
        stamps.append(session.track.updated_at)
    people = []
    for link in session.speaker_links.all():
        speaker = link.speaker
        stamps += [link.updated_at, speaker.updated_at]
        organization = ""
        if speaker.organization_id:
            stamps.append(speaker.organization.updated_at)
            organization = str(speaker.organization)
        people.append(
            ExportPerson(
                name=speaker.name,
                slug=speaker.slug,
                bio=speaker.bio,
                organization=organization,
                role=link.role,
            )
        )
    return ExportSession(
        pk=session.pk,
        meeting=meeting,
        title=session.title,
        abstract=session.abstract,
        kind=session.kind,
        status=session.status,
        sequence=session.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        last_modified=_max_stamp(stamps),
        room_id=session.room_id,
        room_name=room.name if room is not None else "",
        room_position=room.position if room is not None else 0,
        room_capacity=room.capacity if room is not None else None,
        venue_id=room.venue_id if room is not None else None,
        venue_address=venue.full_address if venue is not None else "",
        track_name=session.track.name if session.track_id else None,
        people=people,
    )


SESSION_COLUMNS = (
    "pk",
    "title",
    "abstract",
    "kind",
    "status",
    "sequence",
    "starts_at",
    "ends_at",
    "room_id",
    "room__name",
    "room__position",
    "room__capacity",
    "room__venue_id",
    "room__venue__name",
    "room__venue__address",
    "room__venue__city",
    "room__venue__country",
    "track_id",
    "track__name",
)
LINK_COLUMNS = (
    "session_id",
    "role",
    "speaker__name",
    "speaker__slug",
    "speaker__bio",
    "speaker__organization_id",
    "speaker__organization__name",
    "speaker__organization__short_name",
)


def _newest(*fields: str, optional: tuple[str, ...] = ()) -> Greatest:
    """The newest of these stamps, computed by the database: one datetime per row to
    convert instead of one per joined table. NULL stamps (no track, no organization)
    count as the epoch: SQLite's MAX() is NULL as soon as one argument is."""
    epoch = Value(EPOCH, output_field=DateTimeField())
    return Greatest(
        *fields,
        *(Coalesce(name, epoch, output_field=DateTimeField()) for name in optional),
        output_field=DateTimeField(),
    )


# The session, its room and the room's venue (the meeting's venue when it has no room
# is added by the caller), its track.
SESSION_STAMP = _newest(
    "updated_at", optional=("room__updated_at", "room__venue__updated_at", "track__updated_at")
)
# The link, its speaker, the speaker's organization.
LINK_STAMP = _newest(
    "updated_at", "speaker__updated_at", optional=("speaker__organization__updated_at",)
)


def export_sessions(sessions: QuerySet[Session], *, meeting: Meeting) -> list[ExportSession]:
    """The sessions as builders' rows, in agenda order, in two queries whatever their number.

    ``meeting`` is the sessions' meeting, already loaded with its venue.
    """
    rows = list(
        sessions.order_by("starts_at", "room__position", "title", "pk").values_list(
            *SESSION_COLUMNS, SESSION_STAMP
        )
    )
    if not rows:
        return []
    people: dict[int, list[tuple[ExportPerson, list]]] = {}
    links = (
        SessionSpeaker.objects.filter(session_id__in=[row[0] for row in rows])
        .order_by("position", "pk")
        .values_list(*LINK_COLUMNS, LINK_STAMP)
    )
    for (
        session_id,
        role,
        name,
        slug,
        bio,
        organization_id,
        organization_name,
        organization_short,
        link_stamp,
    ) in links:
        person = ExportPerson(
            name=name,
            slug=slug,
            bio=bio,
            # Organization.__str__
            organization=(organization_short or organization_name) if organization_id else "",
            role=role,
        )
        people.setdefault(session_id, []).append((person, link_stamp))
    meeting_venue = meeting.venue if meeting.venue_id else None
    meeting_stamps = [meeting.updated_at]
    addresses: dict[int, str] = {}
    result = []
    for (
        pk,
        title,
        abstract,
        kind,
        status,
        sequence,
        starts_at,
        ends_at,
        room_id,
        room_name,
        room_position,
        room_capacity,
        venue_id,
        venue_name,
        venue_street,
        venue_city,
        venue_country,
        track_id,
        track_name,
        session_stamp,
    ) in rows:
        stamps = [session_stamp, *meeting_stamps]
        if room_id is not None:
            address = addresses.get(venue_id)
            if address is None:
                address = addresses[venue_id] = Venue(
                    name=venue_name, address=venue_street, city=venue_city, country=venue_country
                ).full_address
        elif meeting_venue is not None:
            stamps.append(meeting_venue.updated_at)
            address = meeting_venue.full_address
        else:
            address = ""
        session_people = []
        for person, link_stamp in people.get(pk, ()):
            session_people.append(person)
            stamps.append(link_stamp)
        result.append(
            ExportSession(
                pk=pk,
                meeting=meeting,
                title=title,
                abstract=abstract,
                kind=kind,
                status=status,
                sequence=sequence,
                starts_at=starts_at,
                ends_at=ends_at,
                last_modified=max(stamps).replace(microsecond=0),
                room_id=room_id,
                room_name=room_name or "",
                room_position=room_position or 0,
                room_capacity=room_capacity,
                venue_id=venue_id,
                venue_address=address,
                track_name=track_name if track_id is not None else None,
                people=session_people,
            )
        )
    return result
