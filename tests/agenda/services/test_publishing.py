"""Publishing the agenda (agenda/services/publishing.py)."""

import pytest

from agenda.models import Session
from agenda.services import (
    agenda_publish,
)
from events.models import Meeting
from tests.factories import (
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def test_agenda_publish_confirms_scheduled_drafts_and_publishes_the_meeting(meeting, room):
    """Publishing confirms drafts with a time, leaves timeless drafts, publishes a draft meeting."""
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFT)
    meeting.refresh_from_db()
    scheduled = SessionFactory(meeting=meeting, room=room, status=Session.Status.DRAFT)
    timeless = SessionFactory(
        meeting=meeting, room=None, starts_at=None, ends_at=None, status=Session.Status.DRAFT
    )

    result = agenda_publish(meeting=meeting)

    assert [s.pk for s in result.confirmed] == [scheduled.pk]
    assert [s.pk for s in result.left_in_draft] == [timeless.pk]
    assert result.meeting_published is True
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PUBLISHED
    assert Session.objects.get(pk=scheduled.pk).status == Session.Status.CONFIRMED
    assert Session.objects.get(pk=scheduled.pk).sequence == 0
    assert Session.objects.get(pk=timeless.pk).status == Session.Status.DRAFT


def test_agenda_publish_in_a_published_meeting_bumps_and_notifies(meeting, room, notices):
    draft = SessionFactory(meeting=meeting, room=room, status=Session.Status.DRAFT)
    result = agenda_publish(meeting=meeting)
    assert result.meeting_published is False
    assert Session.objects.get(pk=draft.pk).sequence == 1
    assert notices == [(draft.pk, "confirmed")]
