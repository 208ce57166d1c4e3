"""The shared reads: what the public sees and how a day is cut (in the meeting's zone)."""

import datetime as dt

import pytest

from agenda import selectors
from agenda.models import Session
from tests.factories import SessionFactory, TrackFactory, at

pytestmark = pytest.mark.django_db


def test_session_list_public_leaves_drafts_out(meeting):
    live = SessionFactory(meeting=meeting)
    gone = SessionFactory(meeting=meeting, status=Session.Status.CANCELLED)
    SessionFactory(meeting=meeting, status=Session.Status.DRAFT)
    assert set(selectors.session_list_public(meeting=meeting)) == {live, gone}


def test_day_is_cut_at_midnight_in_the_meeting_time_zone(meeting):
    """00:30 Madrid on day two is 23:30 UTC on day one: it belongs to day two."""
    late = SessionFactory(
        meeting=meeting,
        starts_at=at(meeting, 1, "00:30"),
        ends_at=at(meeting, 1, "01:00"),
        room=None,
    )
    assert late.starts_at.astimezone(dt.UTC).date() == meeting.starts_on
    day_two = selectors.session_list_public(meeting=meeting, day=meeting.ends_on)
    day_one = selectors.session_list_public(meeting=meeting, day=meeting.starts_on)
    assert (list(day_two), list(day_one)) == ([late], [])


def test_filters_combine(meeting):
    track = TrackFactory(meeting=meeting, slug="industry")
    hit = SessionFactory(meeting=meeting, track=track, kind="panel")
    SessionFactory(meeting=meeting, track=track, kind="talk", starts_at=at(meeting, 0, "12:00"))
    found = selectors.session_list_public(meeting=meeting, track="industry", kind="panel")
    assert list(found) == [hit]


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
