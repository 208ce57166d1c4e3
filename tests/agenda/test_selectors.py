"""The shared reads: what the public sees and how a day is cut (in the meeting's zone)."""

import datetime as dt

import pytest

from agenda import selectors
from agenda.models import Session
from tests.factories import RoomFactory, SessionFactory, at

pytestmark = pytest.mark.django_db


def test_session_list_public_leaves_drafts_out(meeting):
    live = SessionFactory(meeting=meeting)
    gone = SessionFactory(meeting=meeting, status=Session.Status.CANCELLED)
    SessionFactory(meeting=meeting, status=Session.Status.DRAFT)
    assert set(selectors.session_list_public(meeting=meeting)) == {live, gone}


def test_agenda_summary_counts_confirmed_sessions_per_day(meeting):
    SessionFactory(meeting=meeting)
    SessionFactory(meeting=meeting, starts_at=at(meeting, 0, "12:00"))
    SessionFactory(meeting=meeting, starts_at=at(meeting, 1, "12:00"))
    SessionFactory(
        meeting=meeting, status=Session.Status.CANCELLED, starts_at=at(meeting, 1, "09:00")
    )
    summary = selectors.agenda_summary(meeting=meeting)
    assert summary.days == {meeting.starts_on: 2, meeting.ends_on: 1}
    assert summary.total == 3
    assert len(summary.upcoming) == 3


def test_now_and_next_per_room_during_the_meeting(meeting):
    """At 11:20 on the first day (Madrid): what is on in each room, and the next one today."""
    first = RoomFactory(venue=meeting.venue, name="B", position=2)
    second = RoomFactory(venue=meeting.venue, name="A", position=2)
    auditorio = RoomFactory(venue=meeting.venue, name="Auditorio", position=1)
    on = SessionFactory(
        meeting=meeting, title="Panel", room=auditorio, starts_at=at(meeting, 0, "11:00")
    )
    SessionFactory(meeting=meeting, title="Done", room=auditorio, starts_at=at(meeting, 0, "09:00"))
    after = SessionFactory(
        meeting=meeting, title="Talk", room=auditorio, starts_at=at(meeting, 0, "12:00")
    )
    SessionFactory(
        meeting=meeting, title="Later", room=auditorio, starts_at=at(meeting, 0, "13:00")
    )
    SessionFactory(
        meeting=meeting,
        title="Off",
        room=first,
        starts_at=at(meeting, 0, "11:00"),
        status=Session.Status.CANCELLED,
    )
    workshop = SessionFactory(
        meeting=meeting, title="Workshop", room=first, starts_at=at(meeting, 0, "15:00")
    )
    SessionFactory(
        meeting=meeting, title="Tomorrow", room=second, starts_at=at(meeting, 1, "09:00")
    )
    walk = SessionFactory(
        meeting=meeting, title="Walk", room=None, starts_at=at(meeting, 0, "11:15")
    )
    photo = SessionFactory(
        meeting=meeting, title="Photo", room=None, starts_at=at(meeting, 0, "12:30")
    )
    SessionFactory(meeting=meeting, title="Dinner", room=None, starts_at=at(meeting, 0, "21:00"))

    rows = selectors.now_and_next(meeting=meeting, now=at(meeting, 0, "11:20"))

    assert [(row.room, row.now, row.next) for row in rows] == [
        (auditorio, [on], [after]),
        (first, [], [workshop]),  # room "B": "A" (same position) has nothing today
        (None, [walk], [photo]),
    ]


def test_now_and_next_is_empty_outside_the_meeting_without_a_query(
    meeting, django_assert_num_queries
):
    SessionFactory(meeting=meeting)
    with django_assert_num_queries(0):
        assert (
            selectors.now_and_next(meeting=meeting, now=meeting.starts_at - dt.timedelta(seconds=1))
            == []
        )
        assert selectors.now_and_next(meeting=meeting, now=meeting.ends_at) == []


@pytest.mark.parametrize("rooms", [1, 4])
def test_now_and_next_takes_two_queries_whatever_the_rooms(
    meeting, django_assert_num_queries, rooms
):
    for position in range(rooms):
        room = RoomFactory(venue=meeting.venue, position=position)
        for hour in ("09:00", "10:00", "11:00"):
            SessionFactory(meeting=meeting, room=room, starts_at=at(meeting, 0, hour))
    with django_assert_num_queries(2):
        rows = selectors.now_and_next(meeting=meeting, now=at(meeting, 0, "10:30"))
    assert [(len(row.now), len(row.next)) for row in rows] == [(1, 1)] * rooms
