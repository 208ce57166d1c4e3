"""One day of the agenda as a rooms × time grid: where each session goes.

Pure (no queries): it takes the day's sessions, their rooms already loaded,
and gives CSS grid lines — rows of five minutes from the full hour of the
first session, a column per room, a session from its start row to its end
row. The page (``agenda/agenda.html``) renders the numbers as classes
(``gr-14 gs-12 gc-3 gw-1``) and ``grid_css`` writes the rules for the values
that page uses, in a ``<style>`` block with the response's CSP nonce: the
policy allows no inline style attributes, and a style block grows with the
size of the grid (rows, columns), not with the number of sessions.

The rules:

- Columns are the rooms that hold a session of the day, by room position,
  then name. A room's column has one lane, or more when sessions in it
  overlap (bad data): they stand side by side, all visible.
- A break, or a session without a room, spans every column, once — unless
  something else on the grid overlaps it; then a break stays in its own
  room, and a session without a room goes to an "Other places" column.
- The grid starts on the full hour at or before the first session and ends
  on the full hour at or after the last one's end, at most ``MAX_ROWS`` rows (a longer session is
  cut at the bottom; its card still says its times).
- ``groups`` are the same placements by start time, in reading order: the
  order of the page's HTML, which is the list that phones show.
"""

import datetime as dt
import math
from bisect import bisect_left
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agenda.models import Session
from events.models import Room

ROW = dt.timedelta(minutes=5)
ROWS_PER_HOUR = 12
ROWS_PER_MARK = 6  # a time label every half hour
# A day, plus the hour a daylight-saving change adds and a little spill past midnight.
MAX_ROWS = 26 * ROWS_PER_HOUR
# Grid lines: row 1 holds the room headers, column 1 the times.
FIRST_ROW = 2
FIRST_COLUMN = 2

OTHER_PLACES = _("Other places")
ALL_ROOMS = _("All rooms")


@dataclass(frozen=True)
class Column:
    """A room (or the place of sessions without one) and its lanes, from grid line ``first``."""

    room: Room | None
    label: str | Promise
    first: int
    lanes: int


@dataclass(frozen=True)
class Placement:
    """Where one session's card goes: grid lines, and whether it is on now."""

    session: Session
    row: int
    rows: int
    column: int
    columns: int
    spans_all: bool = False
    now: bool = False

    @property
    def position(self) -> str:
        """The card's grid classes (``grid_css`` holds their rules) as one string: the template
        would otherwise localise four numbers per card, 9 % of a big day's render."""
        return f"gr-{self.row} gs-{self.rows} gc-{self.column} gw-{self.columns}"


@dataclass(frozen=True)
class TimeMark:
    """A label of the time column (every half hour), in the meeting's zone."""

    at: dt.datetime
    row: int
    rows: int


@dataclass
class StartGroup:
    """The sessions that start at the same time: a heading and its cards on a phone."""

    starts_at: dt.datetime
    items: list[Placement] = field(default_factory=list)


@dataclass(frozen=True)
class Grid:
    columns: list[Column]
    lanes: int  # columns of the grid after the time column
    rows: int  # five-minute rows after the header row
    marks: list[TimeMark]
    groups: list[StartGroup]
    now_row: int | None = None  # the row of ``now`` when it falls on this grid
    now_before: int | None = None  # the group the "now" marker precedes in reading order

    @property
    def width(self) -> int:
        """Grid columns with the time column: what a line across the whole grid spans."""
        return self.lanes + 1

    @property
    def placements(self) -> list[Placement]:
        return [item for group in self.groups for item in group.items]


@dataclass(eq=False)  # cells are compared (and hashed) by identity
class _Cell:
    session: Session
    first: int  # rows from the top of the grid, 0-based, end excluded
    last: int
    lane: int = 0
    width: int = 1


def _sort_key(session: Session) -> tuple:
    return (session.starts_at, session.ends_at, session.title, session.pk or 0)


def _room_key(room: Room) -> tuple:
    return (room.position, room.name, room.pk or 0)


def _top_of_hour(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    local = moment.astimezone(zone)
    return local.replace(minute=0, second=0, microsecond=0).astimezone(dt.UTC)


def _rows_between(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start) / ROW


def _lay_out_lanes(cells: list[_Cell]) -> int:
    """Give each cell of one column a lane (first free from the left) and a width
    (the free lanes to its right); the number of lanes used."""
    lane_ends: list[int] = []
    lanes: list[list[_Cell]] = []
    for cell in sorted(cells, key=lambda c: (c.first, -c.last, _sort_key(c.session))):
        index = next((i for i, end in enumerate(lane_ends) if end <= cell.first), len(lane_ends))
        if index == len(lane_ends):
            lane_ends.append(0)
            lanes.append([])
        cell.lane = index
        lane_ends[index] = cell.last
        lanes[index].append(cell)
    # Within a lane cells do not overlap and are in order: the one starting last
    # before a cell's end is the only one that can overlap it.
    starts = [[c.first for c in lane] for lane in lanes]
    for cell in cells:
        for index in range(cell.lane + 1, len(lanes)):
            before = bisect_left(starts[index], cell.last) - 1
            if before >= 0 and lanes[index][before].last > cell.first:
                break
            cell.width += 1
    return max(len(lanes), 1)


def build_grid(sessions: list[Session], *, zone: dt.tzinfo, now: dt.datetime | None = None) -> Grid:
    """The grid of one day's ``sessions`` (timed, with ``room`` loaded) in ``zone``."""
    timed = sorted((s for s in sessions if s.starts_at is not None), key=_sort_key)
    if not timed:
        return Grid(columns=[], lanes=0, rows=0, marks=[], groups=[])
    origin = _top_of_hour(timed[0].starts_at, zone)
    latest = max(s.ends_at for s in timed)
    rows = math.ceil(_rows_between(origin, latest) / ROWS_PER_HOUR) * ROWS_PER_HOUR
    rows = max(ROWS_PER_HOUR, min(rows, MAX_ROWS))
    cells = []
    for session in timed:
        first = min(math.floor(_rows_between(origin, session.starts_at)), rows - 1)
        last = min(math.ceil(_rows_between(origin, session.ends_at)), rows)
        cells.append(_Cell(session, first, max(last, first + 1)))

    spanning = _spanning(cells, rows)
    columns, column_of = _columns([c for c in cells if c not in spanning])
    lanes = sum(column.lanes for column in columns)

    def placement(cell: _Cell) -> Placement:
        session = cell.session
        return Placement(
            session=session,
            row=FIRST_ROW + cell.first,
            rows=cell.last - cell.first,
            column=column_of.get(cell, FIRST_COLUMN),
            columns=lanes if cell in spanning else cell.width,
            spans_all=cell in spanning,
            now=now is not None
            and session.status == Session.Status.CONFIRMED
            and session.starts_at <= now < session.ends_at,
        )

    # Reading order (the phone's list): by start, then column, as the selector sorts.
    groups: dict[dt.datetime, StartGroup] = {}
    for cell in sorted(cells, key=lambda c: (c.session.starts_at, column_of.get(c, 0))):
        start = cell.session.starts_at
        groups.setdefault(start, StartGroup(start)).items.append(placement(cell))
    group_list = list(groups.values())

    now_row = now_before = None
    if now is not None and origin <= now < origin + rows * ROW:
        now_row = FIRST_ROW + math.floor(_rows_between(origin, now))
        # On a phone the marker comes before the first sessions still on or to come.
        now_before = next(
            (i for i, g in enumerate(group_list) if any(p.session.ends_at > now for p in g.items)),
            len(group_list),
        )
    marks = [
        TimeMark(
            at=(origin + step * ROW).astimezone(zone),
            row=FIRST_ROW + step,
            rows=min(ROWS_PER_MARK, rows - step),
        )
        for step in range(0, rows, ROWS_PER_MARK)
    ]
    return Grid(
        columns=columns,
        lanes=lanes,
        rows=rows,
        marks=marks,
        groups=group_list,
        now_row=now_row,
        now_before=now_before,
    )


def _spanning(cells: list[_Cell], rows: int) -> set[_Cell]:
    """The breaks and roomless sessions that span every column: those that nothing
    else on the grid overlaps (the earlier one wins between two of them)."""
    wants_span = [c for c in cells if c.session.kind == Session.Kind.BREAK or not c.session.room_id]
    taken = [False] * rows
    for cell in set(cells) - set(wants_span):
        taken[cell.first : cell.last] = [True] * (cell.last - cell.first)
    spanning = set()
    for cell in wants_span:
        if not any(taken[cell.first : cell.last]):
            spanning.add(cell)
            taken[cell.first : cell.last] = [True] * (cell.last - cell.first)
    return spanning


def _columns(cells: list[_Cell]) -> tuple[list[Column], dict[_Cell, int]]:
    """A column per room in room order, "Other places" last; each cell's grid line."""
    by_room: dict[int | None, list[_Cell]] = {}
    for cell in cells:
        by_room.setdefault(cell.session.room_id, []).append(cell)
    rooms = sorted((by_room[key][0].session.room for key in by_room if key), key=_room_key)
    places: list[tuple[Room | None, str | Promise, list[_Cell]]] = [
        (room, room.name, by_room[room.pk]) for room in rooms
    ]
    if None in by_room:
        places.append((None, OTHER_PLACES, by_room[None]))
    if not places:  # only spanning sessions: one column for them to span
        places.append((None, ALL_ROOMS, []))
    columns = []
    column_of = {}
    line = FIRST_COLUMN
    for room, label, room_cells in places:
        lanes = _lay_out_lanes(room_cells)
        columns.append(Column(room=room, label=label, first=line, lanes=lanes))
        column_of.update((cell, line + cell.lane) for cell in room_cells)
        line += lanes
    return columns, column_of


def grid_css(grid: Grid) -> str:
    """The rules for this grid: its template, and the placement classes its page uses.

    Only integers go in; nothing a person typed ever reaches the style block.
    """
    if not grid.groups:
        return ""
    boxes = [(1, 1, 1, 1), (FIRST_ROW, grid.rows, 1, 1)]  # the corner, the time column
    boxes += [(1, 1, c.first, c.lanes) for c in grid.columns]
    boxes += [(m.row, m.rows, 1, grid.width) for m in grid.marks]  # lines across the grid
    boxes += [(p.row, p.rows, p.column, p.columns) for p in grid.placements]
    if grid.now_row is not None:
        boxes.append((grid.now_row, 1, 1, grid.width))
    rows, heights, columns, widths = (sorted({box[i] for box in boxes}) for i in range(4))
    rules = [
        ".agenda-grid{grid-template-columns:var(--grid-time-width)"
        f" repeat({grid.lanes},minmax(var(--grid-lane-width),1fr));"
        f"grid-template-rows:auto repeat({grid.rows},var(--grid-row))}}"
    ]
    rules += [f".gr-{n}{{grid-row-start:{n}}}" for n in rows]
    rules += [f".gs-{n}{{grid-row-end:span {n}}}" for n in heights]
    rules += [f".gc-{n}{{grid-column-start:{n}}}" for n in columns]
    rules += [f".gw-{n}{{grid-column-end:span {n}}}" for n in widths]
    return "\n".join(rules)
