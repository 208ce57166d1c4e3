"""The board's time grid (agenda/board.py): a row per quarter hour of the day's working
span in the meeting's zone, each session in the row of its start, spanning its length.

Pure functions: no database.
"""

import datetime as dt
import zoneinfo

from agenda.board import board_grid, quarter_rows
from agenda.models import Session
from events.models import Room

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
KATHMANDU = zoneinfo.ZoneInfo("Asia/Kathmandu")  # UTC+05:45, no daylight saving time


def local(day: dt.date, hhmm: str, zone=MADRID, fold: int = 0) -> dt.datetime:
    wall = dt.datetime.combine(day, dt.time.fromisoformat(hhmm))
    return wall.replace(tzinfo=zone, fold=fold)


def utc(rows) -> list[str]:
    return [f"{row.starts_at.astimezone(dt.UTC):%d %H:%M}" for row in rows]


def test_rows_run_from_eight_to_eight_on_an_ordinary_day():
    """10 December in Madrid is UTC+1: 08:00 is 07:00 UTC, the last row 19:45."""
    rows = quarter_rows(day=dt.date(2019, 12, 10), zone=MADRID)

    assert len(rows) == 48
    assert [row.label for row in rows[:5]] == ["08:00", "08:15", "08:30", "08:45", "09:00"]
    assert rows[-1].label == "19:45"
    assert utc(rows[:2]) + utc(rows[-1:]) == ["10 07:00", "10 07:15", "10 18:45"]
    assert (rows[3].value, rows[3].on_the_hour, rows[4].on_the_hour) == (
        "2019-12-10T08:45",
        False,
        True,
    )


def test_rows_stretch_to_the_first_start_and_the_last_end_rounded_out_to_quarters():
    day = dt.date(2019, 12, 10)

    rows = quarter_rows(day=day, zone=MADRID, first=local(day, "07:10"), last=local(day, "21:05"))

    assert (len(rows), rows[0].label, rows[-1].label) == (57, "07:00", "21:00")


def test_rows_stop_at_midnight_for_a_session_that_ends_the_next_day():
    day = dt.date(2019, 12, 10)
    rows = quarter_rows(day=day, zone=MADRID, last=local(day + dt.timedelta(days=1), "01:00"))
    assert (len(rows), rows[-1].label, utc(rows[-1:])) == (64, "23:45", ["10 22:45"])


def test_rows_on_the_spring_forward_day_in_madrid_skip_the_hour_that_does_not_exist():
    """28 March 2027: at 02:00 CET the clocks go to 03:00 CEST."""
    day = dt.date(2027, 3, 28)

    rows = quarter_rows(day=day, zone=MADRID, first=local(day, "01:30"))

    assert [row.label for row in rows[:4]] == ["01:30", "01:45", "03:00", "03:15"]
    assert utc(rows[:4]) == ["28 00:30", "28 00:45", "28 01:00", "28 01:15"]
    assert (len(rows), rows[-1].label, utc(rows[-1:])) == (70, "19:45", ["28 17:45"])


def test_rows_on_the_fall_back_day_in_madrid_have_the_repeated_hour_twice():
    """31 October 2027: at 03:00 CEST the clocks go back to 02:00 CET."""
    day = dt.date(2027, 10, 31)

    rows = quarter_rows(day=day, zone=MADRID, first=local(day, "01:45"))

    assert [row.label for row in rows[:10]] == [
        "01:45",
        "02:00 CEST",
        "02:15 CEST",
        "02:30 CEST",
        "02:45 CEST",
        "02:00 CET",
        "02:15 CET",
        "02:30 CET",
        "02:45 CET",
        "03:00",
    ]
    assert utc(rows[:10]) == [
        "30 23:45",
        "31 00:00",
        "31 00:15",
        "31 00:30",
        "31 00:45",
        "31 01:00",
        "31 01:15",
        "31 01:30",
        "31 01:45",
        "31 02:00",
    ]
    assert (len(rows), rows[-1].label, utc(rows[-1:])) == (77, "19:45", ["31 18:45"])
    # The form reads "02:15" as the first pass: the second takes no drops.
    assert [row.takes_drops for row in rows[:10]] == [True] * 5 + [False] * 4 + [True]


def test_rows_of_a_meeting_in_another_zone_follow_its_wall_clock():
    """Kathmandu is UTC+05:45: its 08:00 is 02:15 UTC, and a session at 07:20 opens 07:15."""
    day = dt.date(2027, 3, 28)  # a DST day in Europe, an ordinary one in Nepal

    rows = quarter_rows(day=day, zone=KATHMANDU, first=local(day, "07:20", KATHMANDU))

    assert [row.label for row in rows[:3]] == ["07:15", "07:30", "07:45"]
    assert utc(rows[:3]) == ["28 01:30", "28 01:45", "28 02:00"]
    assert (len(rows), rows[-1].label, rows[-1].value) == (51, "19:45", "2027-03-28T19:45")


def test_grid_puts_sessions_in_their_start_row_and_room_column_spanning_their_length():
    day = dt.date(2019, 12, 10)
    hall, annex = Room(pk=7, name="Hall"), Room(pk=3, name="Annex")

    def session(pk, room, start, end):
        return Session(pk=pk, room=room, starts_at=local(day, start), ends_at=local(day, end))

    sessions = [
        session(1, hall, "09:30", "10:00"),
        session(2, annex, "10:50", "11:40"),  # off the quarter: from the 10:45 row to 11:30
        session(3, hall, "09:45", "10:30"),  # overlaps the first in the same room
        session(4, hall, "09:30", "09:40"),  # starts with the first: the same grid item
    ]

    grid = board_grid(day=day, zone=MADRID, rooms=[hall, annex], sessions=sessions)

    assert [(column.room.name, column.line) for column in grid.columns] == [
        ("Hall", 2),
        ("Annex", 3),
    ]
    assert [
        (
            row.time.label,
            [
                (stack.column.room.name, stack.line, stack.span, stack.clashes)
                + tuple(s.pk for s in stack.sessions)
                for stack in row.stacks
            ],
        )
        for row in grid.rows
        if row.stacks
    ] == [
        ("09:30", [("Hall", 8, 2, False, 1, 4)]),
        ("09:45", [("Hall", 9, 3, True, 3)]),
        ("10:45", [("Annex", 13, 4, False, 2)]),
    ]
    assert (len(grid.rows), grid.rows[0].line, grid.rows[-1].line) == (48, 2, 49)
