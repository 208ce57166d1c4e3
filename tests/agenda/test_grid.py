"""The agenda grid (agenda/grid.py): rows, columns and placement, exact values, no database."""

import datetime as dt
import zoneinfo

from agenda.grid import build_grid, grid_css
from agenda.models import Session
from events.models import Room

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
DAY = dt.date(2019, 12, 10)
AUDITORIO = Room(pk=1, name="Auditorio", position=1)
CIUDADELA = Room(pk=2, name="Sala Ciudadela", position=2)
# Same position as Ciudadela: the name decides.
ANEXO = Room(pk=3, name="Anexo", position=2)


def session(title, start, end, room=None, *, kind="talk", status="confirmed", day=DAY, pk=None):
    moment = dt.datetime.combine
    return Session(
        pk=pk or abs(hash(title)) % 10**6,
        title=title,
        kind=kind,
        room=room,
        status=status,
        starts_at=moment(day, dt.time.fromisoformat(start), tzinfo=MADRID),
        ends_at=moment(day, dt.time.fromisoformat(end), tzinfo=MADRID),
    )


def placed(grid):
    """{title: (row, rows, column, columns)} for every placement."""
    return {p.session.title: (p.row, p.rows, p.column, p.columns) for p in grid.placements}


def test_sessions_take_their_room_column_and_their_duration_in_five_minute_rows():
    grid = build_grid(
        [
            session("Opening", "09:30", "10:00", AUDITORIO),
            session("Keynote", "10:00", "11:00", AUDITORIO),
            session("Good practice", "10:00", "10:45", CIUDADELA),
            session("Side talk", "10:10", "10:37", ANEXO),
        ],
        zone=MADRID,
    )
    # Rooms by position, then name; the grid starts at 09:00, the full hour of the first session.
    assert [(c.label, c.first, c.lanes) for c in grid.columns] == [
        ("Auditorio", 2, 1),
        ("Anexo", 3, 1),
        ("Sala Ciudadela", 4, 1),
    ]
    assert (grid.lanes, grid.rows, grid.width) == (3, 24, 4)
    assert placed(grid) == {
        "Opening": (8, 6, 2, 1),  # 09:30 is row 6 of the day (after the header row)
        "Keynote": (14, 12, 2, 1),  # an hour: twice the half-hour opening
        "Side talk": (16, 6, 3, 1),  # 10:10–10:37 covers the rows 10:10 to 10:40
        "Good practice": (14, 9, 4, 1),
    }


def test_a_break_spans_every_room_once_and_a_roomless_session_too():
    grid = build_grid(
        [
            session("Talk A", "09:00", "10:00", AUDITORIO),
            session("Talk B", "09:00", "10:00", CIUDADELA),
            session("Coffee", "10:00", "10:30", CIUDADELA, kind="break"),
            session("Photo", "10:30", "10:45"),
        ],
        zone=MADRID,
    )
    assert [c.label for c in grid.columns] == ["Auditorio", "Sala Ciudadela"]
    assert placed(grid)["Coffee"] == (14, 6, 2, 2)
    assert placed(grid)["Photo"] == (20, 3, 2, 2)
    assert [p.session.title for p in grid.placements if p.spans_all] == ["Coffee", "Photo"]


def test_a_break_that_something_overlaps_stays_in_its_room_and_roomless_ones_go_to_other_places():
    grid = build_grid(
        [
            session("Workshop", "10:00", "12:00", AUDITORIO),
            session("Coffee", "11:00", "11:30", CIUDADELA, kind="break"),
            session("Walk", "11:00", "11:30"),
        ],
        zone=MADRID,
    )
    assert [(c.label, c.first) for c in grid.columns] == [
        ("Auditorio", 2),
        ("Sala Ciudadela", 3),
        ("Other places", 4),
    ]
    assert placed(grid) == {
        "Workshop": (2, 24, 2, 1),
        "Coffee": (14, 6, 3, 1),
        "Walk": (14, 6, 4, 1),
    }
    assert not any(p.spans_all for p in grid.placements)


def test_a_day_of_breaks_only_spans_one_all_rooms_column():
    grid = build_grid([session("Coffee", "10:00", "10:30", CIUDADELA, kind="break")], zone=MADRID)
    assert [(c.room, c.label, c.first, c.lanes) for c in grid.columns] == [
        (None, "All rooms", 2, 1)
    ]
    assert placed(grid) == {"Coffee": (2, 6, 2, 1)}


def test_overlapping_sessions_in_one_room_stand_side_by_side_and_others_keep_the_width():
    grid = build_grid(
        [
            session("Long", "10:00", "12:00", AUDITORIO),
            session("Clash 1", "10:30", "11:00", AUDITORIO),
            session("Clash 2", "11:00", "11:30", AUDITORIO),
            session("After", "12:00", "13:00", AUDITORIO),
            session("Next door", "10:00", "11:00", CIUDADELA),
        ],
        zone=MADRID,
    )
    assert [(c.label, c.first, c.lanes) for c in grid.columns] == [
        ("Auditorio", 2, 2),
        ("Sala Ciudadela", 4, 1),
    ]
    assert placed(grid) == {
        "Long": (2, 24, 2, 1),
        "Clash 1": (8, 6, 3, 1),
        "Clash 2": (14, 6, 3, 1),
        "After": (26, 12, 2, 2),  # nothing beside it: the room's whole width
        "Next door": (2, 12, 4, 1),
    }


def test_time_marks_every_half_hour_and_groups_by_start_in_reading_order():
    grid = build_grid(
        [
            session("Later", "10:15", "10:45", AUDITORIO),
            session("B first", "09:40", "10:00", CIUDADELA),
            session("A first", "09:40", "10:00", AUDITORIO),
        ],
        zone=MADRID,
    )
    assert [(m.at.strftime("%H:%M"), m.row, m.rows) for m in grid.marks] == [
        ("09:00", 2, 6),
        ("09:30", 8, 6),
        ("10:00", 14, 6),
        ("10:30", 20, 6),
    ]
    assert [
        (g.starts_at.astimezone(MADRID).strftime("%H:%M"), [p.session.title for p in g.items])
        for g in grid.groups
    ] == [("09:40", ["A first", "B first"]), ("10:15", ["Later"])]


def test_now_marks_the_sessions_on_and_the_row_and_where_the_marker_reads():
    now = dt.datetime(2019, 12, 10, 10, 12, tzinfo=MADRID)
    grid = build_grid(
        [
            session("Done", "09:00", "10:00", AUDITORIO),
            session("On", "10:00", "11:00", AUDITORIO, pk=1),
            session("Called off", "10:00", "11:00", CIUDADELA, status="cancelled", pk=2),
            session("Soon", "10:30", "11:00", CIUDADELA),
        ],
        zone=MADRID,
        now=now,
    )
    assert [p.session.title for p in grid.placements if p.now] == ["On"]
    assert grid.now_row == 2 + 14  # 10:10–10:15 is the 15th five-minute row from 09:00
    assert grid.now_before == 1  # before the 10:00 group: the first still running


def test_now_outside_the_grid_marks_nothing():
    grid = build_grid(
        [session("Talk", "10:00", "11:00", AUDITORIO)],
        zone=MADRID,
        now=dt.datetime(2019, 12, 10, 11, 0, tzinfo=MADRID),
    )
    assert (grid.now_row, grid.now_before) == (None, None)
    assert not any(p.now for p in grid.placements)


def test_the_night_daylight_saving_time_ends_has_an_hour_more_of_rows():
    """27 October 2019, Madrid: 03:00 CEST became 02:00 CET; rows are real time."""
    night = dt.date(2019, 10, 27)
    grid = build_grid([session("Night shift", "01:00", "04:00", AUDITORIO, day=night)], zone=MADRID)
    assert placed(grid) == {"Night shift": (2, 48, 2, 1)}
    assert [m.at.strftime("%H:%M") for m in grid.marks][:7] == [
        "01:00",
        "01:30",
        "02:00",
        "02:30",
        "02:00",
        "02:30",
        "03:00",
    ]


def test_a_session_longer_than_the_grid_is_cut_at_the_bottom():
    start = dt.datetime(2019, 12, 10, 9, 0, tzinfo=MADRID)
    marathon = session("Hackathon", "09:00", "10:00", AUDITORIO)
    marathon.ends_at = start + dt.timedelta(hours=48)
    grid = build_grid([marathon], zone=MADRID)
    assert grid.rows == 26 * 12
    assert placed(grid) == {"Hackathon": (2, 26 * 12, 2, 1)}


def test_no_sessions_no_grid_no_style():
    grid = build_grid([], zone=MADRID)
    assert (grid.columns, grid.groups, grid.rows) == ([], [], 0)
    assert grid_css(grid) == ""


def test_grid_css_has_the_template_and_only_the_placement_rules_the_page_uses():
    grid = build_grid(
        [
            session("Talk", "10:00", "10:30", AUDITORIO),
            session("Panel", "10:00", "11:00", CIUDADELA),
        ],
        zone=MADRID,
        now=dt.datetime(2019, 12, 10, 10, 20, tzinfo=MADRID),
    )
    assert grid_css(grid).splitlines() == [
        ".agenda-grid{grid-template-columns:var(--grid-time-width)"
        " repeat(2,minmax(var(--grid-lane-width),1fr));"
        "grid-template-rows:auto repeat(12,var(--grid-row))}",
        ".gr-1{grid-row-start:1}",
        ".gr-2{grid-row-start:2}",
        ".gr-6{grid-row-start:6}",  # now, 10:20
        ".gr-8{grid-row-start:8}",
        ".gs-1{grid-row-end:span 1}",
        ".gs-6{grid-row-end:span 6}",
        ".gs-12{grid-row-end:span 12}",
        ".gc-1{grid-column-start:1}",
        ".gc-2{grid-column-start:2}",
        ".gc-3{grid-column-start:3}",
        ".gw-1{grid-column-end:span 1}",
        ".gw-3{grid-column-end:span 3}",
    ]
