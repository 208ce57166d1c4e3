"""The shared reads: what the public sees and how a day is cut (in the meeting's zone)."""

import pytest

from agenda import selectors
from agenda.models import Session
from tests.factories import SessionFactory, at

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
