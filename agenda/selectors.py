"""Reads of the agenda that the pages, the API, the board and the exporters share.

The ``select_related``/``prefetch_related`` of a session list is decided here,
once, so the number of queries does not grow with the number of sessions.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone, translation

from agenda.board import MAX_ROOMS, BoardGrid, board_grid
from agenda.models import Session, SessionSpeaker, Speaker, Track
from agenda.seats import with_seats_left
from events.models import Meeting, Room


def day_bounds(meeting: Meeting, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Midnight to midnight of ``day`` in the meeting's time zone."""
    return day_bounds_in(meeting.tzinfo, day)


def day_bounds_in(zone: dt.tzinfo, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Midnight to midnight of ``day`` in ``zone``."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def _speaker_links() -> Prefetch:
    return Prefetch(
        "speaker_links",
        queryset=SessionSpeaker.objects.select_related("speaker__organization").order_by(
            "position", "pk"
        ),
    )


def with_translation(queryset: QuerySet[Session]) -> QuerySet[Session]:
    """Each session's translation into the reader's (the active) language, if it has one,
    joined in (no extra query): ``translated_language``, ``translated_title``,
    ``translated_abstract``, None without one. Pages show it (the ``session_text`` tags);
    the API, exports and emails read the original fields and never look at it."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return queryset.annotate(
        reader_translation=FilteredRelation(
            "translations", condition=Q(translations__language=language)
        )
    ).annotate(
        translated_language=F("reader_translation__language"),
        translated_title=F("reader_translation__title"),
        translated_abstract=F("reader_translation__abstract"),
    )


def session_list(*, meeting: Meeting) -> QuerySet[Session]:
    """Every session of the meeting (drafts too: organizers only), ready to render, with
    the reader's translation (``with_translation``) and ``seats_left`` (``agenda.seats``:
    the seats badge of the cards).

    Narrowed by ``?track=&room=&kind=&day=`` through ``agenda.filters.SessionFilterSet``.
    """
    return with_seats_left(
        with_translation(
            Session.objects.filter(meeting=meeting)
            .select_related("track", "room")
            .prefetch_related(_speaker_links())
            .order_by("starts_at", "room__position", "title", "pk")
        )
    )


def session_list_public(*, meeting: Meeting) -> QuerySet[Session]:
    """Published sessions of a meeting: confirmed and cancelled (marked), never drafts."""
    return session_list(meeting=meeting).filter(
        status__in=[Session.Status.CONFIRMED, Session.Status.CANCELLED]
    )


def session_get_visible(*, meeting: Meeting, pk: int, organizer: bool) -> Session:
    """One session for its page; drafts are 404 except for the meeting's organizers."""
    queryset = session_list(meeting=meeting) if organizer else session_list_public(meeting=meeting)
    try:
        session = queryset.get(pk=pk)
    except Session.DoesNotExist as exc:
        raise Http404("No such session.") from exc
    session.meeting = meeting
    return session


def speaker_list_public(*, meeting: Meeting) -> QuerySet[Speaker]:
    """Speakers who appear in at least one published session."""
    listed = Session.objects.filter(
        speaker_links__speaker=OuterRef("pk"),
        status__in=[Session.Status.CONFIRMED, Session.Status.CANCELLED],
    )
    return (
        Speaker.objects.filter(meeting=meeting)
        .filter(Exists(listed))
        .select_related("organization")
        .order_by("name", "pk")
    )


def speaker_list(*, meeting: Meeting) -> QuerySet[Speaker]:
    return (
        Speaker.objects.filter(meeting=meeting)
        .select_related("organization")
        .order_by("name", "pk")
    )


def speaker_get_public(*, meeting: Meeting, slug: str, organizer: bool = False) -> Speaker:
    """A speaker with their published sessions (all sessions for organizers) in ``talks``."""
    queryset = speaker_list(meeting=meeting) if organizer else speaker_list_public(meeting=meeting)
    try:
        speaker = queryset.get(slug=slug)
    except Speaker.DoesNotExist as exc:
        raise Http404("No such speaker.") from exc
    sessions = session_list(meeting=meeting) if organizer else session_list_public(meeting=meeting)
    speaker.talks = list(sessions.filter(speaker_links__speaker=speaker))
    return speaker


def track_list(*, meeting: Meeting) -> QuerySet[Track]:
    return Track.objects.filter(meeting=meeting).order_by("position", "name")


def room_list(*, meeting: Meeting) -> QuerySet[Room]:
    """The rooms of the meeting's venue (none without a venue)."""
    if meeting.venue_id is None:
        return Room.objects.none()
    return Room.objects.filter(venue_id=meeting.venue_id).order_by("position", "name")


# --- grouped views of a list ---------------------------------------------------------


@dataclass
class Slot:
    """Sessions that start at the same time (a row of the agenda)."""

    starts_at: dt.datetime
    sessions: list[Session] = field(default_factory=list)


def group_by_start(sessions: list[Session]) -> list[Slot]:
    slots: dict[dt.datetime, Slot] = {}
    for session in sessions:
        slots.setdefault(session.starts_at, Slot(session.starts_at)).sessions.append(session)
    return list(slots.values())


def session_days(*, meeting: Meeting, public: bool = True) -> dict[dt.date, int]:
    """How many sessions each meeting day has, in the meeting's time zone (one query)."""
    queryset = Session.objects.filter(meeting=meeting, starts_at__isnull=False)
    if public:
        queryset = queryset.filter(status=Session.Status.CONFIRMED)
    counts = dict.fromkeys(meeting.days, 0)
    for starts_at in queryset.values_list("starts_at", flat=True):
        day = timezone.localtime(starts_at, meeting.tzinfo).date()
        if day in counts:
            counts[day] += 1
    return counts


@dataclass
class RoomNow:
    """What is on in one room (``room`` None: sessions without a room) and what comes next."""

    room: Room | None
    now: list[Session]
    next: list[Session]


def now_and_next(*, meeting: Meeting, now: dt.datetime) -> list[RoomNow]:
    """While the meeting is on: per room, the sessions on at ``now`` and the next ones
    that start later the same day (in the meeting's zone), rooms in their order.

    Two queries whatever the number of rooms and sessions; none outside the meeting.
    """
    if not meeting.starts_at <= now < meeting.ends_at:
        return []
    _, day_end = day_bounds(meeting, timezone.localtime(now, meeting.tzinfo).date())
    confirmed = with_translation(
        Session.objects.filter(meeting=meeting, status=Session.Status.CONFIRMED)
    )
    on_now = confirmed.filter(starts_at__lte=now, ends_at__gt=now)
    # The next ones: later today, with no session of the same room (or of no room)
    # starting between now and them.
    later = confirmed.filter(starts_at__gt=now, starts_at__lt=day_end).annotate(
        place=Coalesce("room_id", Value(0))
    )
    sooner = later.filter(place=OuterRef("place"), starts_at__lt=OuterRef("starts_at"))
    up_next = later.exclude(Exists(sooner))
    rows: dict[int | None, RoomNow] = {}
    for queryset, attribute in ((on_now, "now"), (up_next, "next")):
        for session in queryset.select_related("room").order_by("starts_at", "title", "pk"):
            row = rows.setdefault(session.room_id, RoomNow(session.room, [], []))
            getattr(row, attribute).append(session)
    return sorted(rows.values(), key=lambda row: _room_order(row.room))


def _room_order(room: Room | None) -> tuple[int, int, str]:
    """Rooms by position and name, as everywhere; sessions without a room last."""
    return (1, 0, "") if room is None else (0, room.position, room.name)


@dataclass
class AgendaSummary:
    days: dict[dt.date, int]
    upcoming: list[Session]
    total: int
    live: list[RoomNow] = field(default_factory=list)


def agenda_summary(*, meeting: Meeting, now: dt.datetime | None = None) -> AgendaSummary:
    """The meeting page's agenda section: sessions per day, and either what is on now
    and next per room (while the meeting is on) or the next few sessions.

    Two queries before and after the meeting, three or four while it is on.
    """
    now = now or timezone.now()
    days = session_days(meeting=meeting)
    live = now_and_next(meeting=meeting, now=now)
    upcoming = []
    if not live:
        upcoming = list(
            with_translation(
                Session.objects.filter(
                    meeting=meeting, status=Session.Status.CONFIRMED, ends_at__gt=now
                )
            )
            .select_related("room", "track")
            .order_by("starts_at", "room__position", "pk")[:3]
        )
    return AgendaSummary(days=days, upcoming=upcoming, total=sum(days.values()), live=live)


@dataclass
class Board:
    """One day of the organizer board: a time grid (rooms × quarter hours), loose ends aside."""

    day: dt.date
    rooms: list[Room]
    grid: BoardGrid
    elsewhere: list[Session]  # scheduled this day without a room (or in no room of the venue)
    unscheduled: list[Session]  # no time yet (any day)
    conflicts: list[tuple[Session, Session, str]]

    @property
    def sessions(self) -> list[Session]:
        """Every session the board shows (grid, elsewhere, unscheduled)."""
        return self.grid.sessions + self.elsewhere + self.unscheduled


def board_for_day(*, meeting: Meeting, day: dt.date) -> Board:
    """Everything the board shows for one day, in a constant number of queries."""
    rooms = list(room_list(meeting=meeting))
    start, end = day_bounds(meeting, day)
    sessions = list(session_list(meeting=meeting).filter(starts_at__gte=start, starts_at__lt=end))
    unscheduled = list(session_list(meeting=meeting).filter(starts_at__isnull=True))
    # Beyond board.css's columns, a room's sessions are listed aside (still movable).
    columns = {room.pk for room in rooms[:MAX_ROOMS]}
    placed = [session for session in sessions if session.room_id in columns]
    return Board(
        day=day,
        rooms=rooms,
        grid=board_grid(day=day, zone=meeting.tzinfo, rooms=rooms[:MAX_ROOMS], sessions=placed),
        elsewhere=[session for session in sessions if session.room_id not in columns],
        unscheduled=unscheduled,
        conflicts=find_conflicts(sessions),
    )


def find_conflicts(sessions: list[Session]) -> list[tuple[Session, Session, str]]:
    """Pairs of live sessions sharing a room or a speaker at overlapping times.

    The services refuse these, but data written around them (the ORM, an old
    import) can hold some; the board lists them so they get fixed.
    """
    live = [s for s in sessions if s.starts_at is not None and s.status != Session.Status.CANCELLED]
    live.sort(key=lambda s: s.starts_at)
    found = []
    for i, first in enumerate(live):
        first_speakers = {link.speaker_id: link.speaker for link in first.speaker_links.all()}
        for second in live[i + 1 :]:
            if second.starts_at >= first.ends_at:
                break
            if first.room_id and first.room_id == second.room_id:
                found.append((first, second, f"both in {first.room.name}"))
            for link in second.speaker_links.all():
                if link.speaker_id in first_speakers:
                    found.append((first, second, f"{link.speaker.name} in both"))
    return found


def sessions_with_details(sessions: QuerySet[Session], *, meeting: Meeting) -> list[Session]:
    """Load everything the builders read, in two queries whatever the number of sessions."""
    links = SessionSpeaker.objects.select_related("speaker__organization").order_by(
        "position", "pk"
    )
    rows = list(
        sessions.select_related("room__venue", "track")
        .prefetch_related(Prefetch("speaker_links", queryset=links))
        .order_by("starts_at", "room__position", "title", "pk")
    )
    for session in rows:
        # The caller already holds the meeting (with its venue): share it, don't refetch it.
        session.meeting = meeting
    return rows
