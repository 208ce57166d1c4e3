"""The organizers' board as a time grid: a row per quarter hour, a column per room.

Pure functions of one day's sessions, no queries. ``quarter_rows`` cuts the day's
working span into quarter hours of the meeting's zone; ``board_grid`` puts each
session in the row of its start and the column of its room, spanning the rows its
length covers. ``agenda/static/agenda/board.css`` places the pieces with classes
(``row-N``, ``span-N``, ``col-N``): the CSP allows no inline style attributes.
"""

import bisect
import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from agenda.models import Session
from events.models import Room

QUARTER_MINUTES = 15
DAY_OPENS = dt.time(8, 0)
DAY_CLOSES = dt.time(20, 0)
# Grid line 1 holds the room names; the first time row starts on line 2, and the first
# room on column line 2 (the times are column 1). board.css has a class for each line a
# day can need: at most 100 quarter hours (the 25-hour day the clocks go back) and 60 rooms.
FIRST_LINE = 2
MAX_ROOMS = 60


@dataclass(frozen=True)
class TimeRow:
    """A quarter hour of the board: its instant (UTC) and its wall time in the meeting's zone."""

    starts_at: dt.datetime
    local: dt.datetime
    repeated: bool = False  # a wall time the clocks pass twice (the night they go back)

    @property
    def label(self) -> str:
        """ "10:45"; "02:15 CEST" / "02:15 CET" for the two quarter hours that share a wall time."""
        text = f"{self.local:%H:%M}"
        return f"{text} {self.local.tzname()}" if self.repeated else text

    @property
    def value(self) -> str:
        """The wall time as the Move form's ``starts_at`` field reads it."""
        return f"{self.local:%Y-%m-%dT%H:%M}"

    @property
    def on_the_hour(self) -> bool:
        return self.local.minute == 0

    @property
    def takes_drops(self) -> bool:
        """False for the second pass of a repeated wall time: the Move form would read its
        wall time as the first pass, an hour earlier."""
        return not (self.repeated and self.local.fold)


def _day_quarters(day: dt.date, zone: zoneinfo.ZoneInfo) -> list[TimeRow]:
    """Every quarter hour of ``day`` on the wall clocks of ``zone``, converted to UTC, in order.

    A wall time the clocks skip (spring forward) does not exist and has no row; one they
    pass twice (fall back) has two, one per offset.
    """
    found: dict[dt.datetime, TimeRow] = {}
    for minute in range(0, 24 * 60, QUARTER_MINUTES):
        wall = dt.datetime.combine(day, dt.time(minute // 60, minute % 60))
        instants = set()
        for fold in (0, 1):
            moment = wall.replace(tzinfo=zone, fold=fold).astimezone(dt.UTC)
            if moment.astimezone(zone).replace(tzinfo=None) == wall:
                instants.add(moment)
        for moment in instants:
            found[moment] = TimeRow(moment, moment.astimezone(zone), repeated=len(instants) > 1)
    return [found[moment] for moment in sorted(found)]


def quarter_rows(
    *,
    day: dt.date,
    zone: zoneinfo.ZoneInfo,
    first: dt.datetime | None = None,
    last: dt.datetime | None = None,
    opens: dt.time = DAY_OPENS,
    closes: dt.time = DAY_CLOSES,
) -> list[TimeRow]:
    """The rows of ``day``'s board: from the earlier of ``opens`` and ``first`` (the first
    session's start) to the later of ``closes`` and ``last`` (the last session's end),
    rounded out to quarter hours of ``zone`` and kept within the day.
    """
    quarters = _day_quarters(day, zone)
    instants = [row.starts_at for row in quarters]

    def at_or_after(wall: dt.time) -> int:
        moment = dt.datetime.combine(day, wall, tzinfo=zone).astimezone(dt.UTC)
        return bisect.bisect_left(instants, moment)

    start, end = at_or_after(opens), at_or_after(closes)
    if first is not None:
        start = min(start, max(bisect.bisect_right(instants, first) - 1, 0))
    if last is not None:
        end = max(end, bisect.bisect_left(instants, last))
    return quarters[start:end]


@dataclass
class Column:
    room: Room
    line: int


@dataclass
class Stack:
    """The sessions of one room that start in the same quarter hour, as one grid item."""

    column: Column
    line: int
    span: int
    sessions: list[Session] = field(default_factory=list)
    clashes: bool = False  # overlaps an earlier stack of the same room (see the conflicts)


@dataclass
class GridRow:
    time: TimeRow
    line: int
    stacks: list[Stack] = field(default_factory=list)


@dataclass
class BoardGrid:
    rows: list[GridRow]
    columns: list[Column]

    @property
    def stacks(self) -> list[Stack]:
        return [stack for row in self.rows for stack in row.stacks]

    @property
    def sessions(self) -> list[Session]:
        return [session for stack in self.stacks for session in stack.sessions]


def board_grid(
    *, day: dt.date, zone: zoneinfo.ZoneInfo, rooms: list[Room], sessions: list[Session]
) -> BoardGrid:
    """The day's time grid with ``sessions`` (each with a start and one of ``rooms``) placed.

    A session sits in the row of the quarter hour its start falls in and spans every row
    up to its end (at least one); rows past the day's end are cut off.
    """
    timed = [session for session in sessions if session.starts_at is not None]
    ends = [session.ends_at or session.starts_at for session in timed]
    times = quarter_rows(
        day=day,
        zone=zone,
        first=min((session.starts_at for session in timed), default=None),
        last=max(ends, default=None),
    )
    rows = [GridRow(time, FIRST_LINE + index) for index, time in enumerate(times)]
    columns = {room.pk: Column(room, FIRST_LINE + index) for index, room in enumerate(rooms)}
    instants = [time.starts_at for time in times]
    stacks: dict[tuple[int, int], Stack] = {}
    for session, ends_at in zip(timed, ends, strict=True):
        column = columns[session.room_id]
        index = max(bisect.bisect_right(instants, session.starts_at) - 1, 0)
        span = max(bisect.bisect_left(instants, ends_at) - index, 1)
        stack = stacks.get((index, session.room_id))
        if stack is None:
            stack = stacks[(index, session.room_id)] = Stack(column, rows[index].line, span)
            rows[index].stacks.append(stack)
        stack.span = max(stack.span, span)
        stack.sessions.append(session)
    reaches: dict[int, int] = {}  # room -> the line its stacks so far end on
    for row in rows:
        row.stacks.sort(key=lambda stack: stack.column.line)
        for stack in row.stacks:
            room = stack.column.room.pk
            stack.clashes = stack.line < reaches.get(room, 0)
            reaches[room] = max(reaches.get(room, 0), stack.line + stack.span)
    return BoardGrid(rows=rows, columns=list(columns.values()))
