"""The meeting's seams (events/signals.py): sent inside meeting_update's transaction."""

import pytest

from events.models import Meeting
from events.services import MeetingError, meeting_update
from events.signals import meeting_cancelled, meeting_capacity_raised, meeting_frame_check

pytestmark = pytest.mark.django_db


def test_a_failing_meeting_cancelled_receiver_keeps_the_meeting_published(meeting, connect):
    """The receiver runs inside the transaction: its error undoes the cancellation."""

    def fail(sender, **kwargs):
        raise RuntimeError("receiver failed")

    connect(meeting_cancelled, fail)

    with pytest.raises(RuntimeError):
        meeting_update(meeting=meeting, data={"status": Meeting.Status.CANCELLED})

    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PUBLISHED


def test_a_meeting_frame_check_receiver_refuses_new_days(meeting, connect):
    """A receiver's MeetingError is meeting_update's refusal; nothing is saved."""

    def refuse(sender, *, meeting, **kwargs):
        raise MeetingError("Not these days.")

    connect(meeting_frame_check, refuse)
    first_day = meeting.starts_on

    with pytest.raises(MeetingError) as error:
        meeting_update(meeting=meeting, data={"ends_on": first_day})

    assert str(error.value) == "Not these days."
    assert Meeting.objects.get(pk=meeting.pk).ends_on != first_day


def test_meeting_capacity_raised_is_sent_for_more_places_only(meeting, connect):
    calls = []
    connect(meeting_capacity_raised, lambda sender, *, meeting, **kwargs: calls.append(meeting.pk))

    meeting_update(meeting=meeting, data={"capacity": 50})
    meeting_update(meeting=meeting, data={"capacity": 80})

    assert calls == [meeting.pk]
