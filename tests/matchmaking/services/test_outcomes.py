"""What came of a meeting: only its two people, only once it started, a clean note."""

import datetime as dt

import pytest

from matchmaking.models import MeetingOutcome
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.outcomes import outcome_record
from matchmaking.services.requests import (
    request_accept,
    request_cancel,
    request_create,
    request_decline,
)
from tests.matchmaking.b2b import b2b_meeting, person, slots
from tests.matchmaking.outcomes import meet, past_b2b_meeting

pytestmark = pytest.mark.django_db

HOSTILE_NOTE = "=cmd|' /C calc'!A0\r\nBEL\x07 ESC\x1b[31m \u202eevil\u202c zero\u200bwidth"


@pytest.fixture
def past():
    """A meeting yesterday: Ana and Ben met at its first slot; Eve is a third participant."""
    meeting = past_b2b_meeting()
    ana, ben, eve = person(meeting), person(meeting), person(meeting)
    return meeting, ana, ben, eve, meet(ana, ben, slots(meeting)[0])


def test_each_of_the_two_records_their_own_answer_updated_in_place(past):
    meeting, ana, ben, eve, request = past
    outcome_record(request=request, registration=ana, held=True, result="partnership", note="Yes")
    outcome_record(request=request, registration=ben, held=False)
    again = outcome_record(
        request=request, registration=ana, held=True, result="follow_up", note=" Call in May. "
    )

    rows = MeetingOutcome.objects.filter(request=request).order_by("registration_id")
    assert [(row.registration_id, row.held, row.result, row.note) for row in rows] == [
        (ana.pk, True, "follow_up", "Call in May."),
        (ben.pk, False, "", ""),
    ]
    assert again.pk == rows[0].pk


def test_the_same_answer_again_writes_nothing(past):
    meeting, ana, ben, eve, request = past
    first = outcome_record(request=request, registration=ana, held=True, result="nothing")
    outcome_record(request=request, registration=ana, held=True, result="nothing")
    assert MeetingOutcome.objects.get(pk=first.pk).updated_at == first.updated_at


def test_someone_else_cannot_record_a_meeting(past):
    meeting, ana, ben, eve, request = past
    with pytest.raises(MatchmakingError, match="Only the two people"):
        outcome_record(request=request, registration=eve, held=True)
    other_meeting = past_b2b_meeting()
    stranger = person(other_meeting)
    with pytest.raises(MatchmakingError, match="Only the two people"):
        outcome_record(request=request, registration=stranger, held=True)
    assert not MeetingOutcome.objects.exists()


def test_a_meeting_that_has_not_started_cannot_be_recorded():
    meeting = b2b_meeting()
    ana, ben = person(meeting), person(meeting)
    slot = slots(meeting)[0]
    request = request_accept(
        request=request_create(requester=ana, recipient=ben), by=ben, slot_id=slot.pk
    )
    with pytest.raises(MatchmakingError, match="not started yet"):
        outcome_record(request=request, registration=ana, held=True)
    # From the slot's start on, it can.
    outcome_record(request=request, registration=ana, held=True, now=slot.starts_at)
    assert MeetingOutcome.objects.filter(request=request).count() == 1


@pytest.mark.parametrize("status", ["requested", "accepted", "declined", "cancelled"])
def test_only_a_scheduled_meeting_can_be_recorded(status):
    meeting = b2b_meeting(scheduling_mode="organizers")
    ana, ben = person(meeting), person(meeting)
    request = request_create(requester=ana, recipient=ben)
    if status == "accepted":
        request = request_accept(request=request, by=ben)
    elif status == "declined":
        request = request_decline(request=request, by=ben)
    elif status == "cancelled":
        request = request_cancel(request=request, by=ana)
    later = slots(meeting)[-1].ends_at + dt.timedelta(days=1)
    with pytest.raises(MatchmakingError, match="Only a scheduled meeting"):
        outcome_record(request=request, registration=ana, held=True, now=later)
    assert not MeetingOutcome.objects.exists()


def test_an_outcome_only_when_the_meeting_took_place(past):
    meeting, ana, ben, eve, request = past
    with pytest.raises(MatchmakingError, match="did not take place") as error:
        outcome_record(request=request, registration=ana, held=False, result="partnership")
    assert error.value.field == "result"
    with pytest.raises(MatchmakingError, match="Choose one of the outcomes") as error:
        outcome_record(request=request, registration=ana, held=True, result="world_peace")
    assert error.value.field == "result"
    with pytest.raises(MatchmakingError, match="took place") as error:
        outcome_record(request=request, registration=ana, held="yes")
    assert error.value.field == "held"
    assert not MeetingOutcome.objects.exists()


def test_a_hostile_note_is_cleaned_and_a_long_one_refused(past):
    meeting, ana, ben, eve, request = past
    outcome = outcome_record(request=request, registration=ana, held=True, note=HOSTILE_NOTE)
    assert outcome.note == "=cmd|' /C calc'!A0\nBEL ESC[31m evil zerowidth"

    with pytest.raises(MatchmakingError, match="under 1000 characters") as error:
        outcome_record(request=request, registration=ben, held=True, note="x" * 1001)
    assert error.value.field == "note"
    assert not MeetingOutcome.objects.filter(registration=ben).exists()
