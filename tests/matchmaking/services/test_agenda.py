"""A matchmaking session moved, shortened or cancelled on the agenda."""

import datetime as dt

import pytest

from agenda.services import AgendaError, session_update
from mail.models import OutboxMessage
from matchmaking.models import MeetingRequest, SlotSeat
from matchmaking.services.requests import request_accept, request_create
from tests.matchmaking.b2b import b2b_meeting, first_session, person, slots

pytestmark = pytest.mark.django_db


def schedule(meeting, position: int) -> MeetingRequest:
    ana, ben = person(meeting), person(meeting)
    request = request_create(requester=ana, recipient=ben)
    return request_accept(request=request, by=ben, slot_id=slots(meeting)[position].pk)


def test_moving_the_session_moves_its_slots_and_meetings_and_tells_both_people():
    meeting = b2b_meeting()
    request = schedule(meeting, 1)
    session = first_session(meeting).session
    hour = dt.timedelta(hours=1)

    session_update(
        session=session,
        data={"starts_at": session.starts_at + hour, "ends_at": session.ends_at + hour},
    )

    request.refresh_from_db()
    assert request.slot.starts_at == session.starts_at + hour + dt.timedelta(minutes=20)
    assert request.sequence == 1
    moved = OutboxMessage.objects.filter(
        kind="b2b_meeting_scheduled", payload__request=request.pk, payload__moved=True
    )
    assert moved.count() == 2


def test_shortening_the_session_under_a_scheduled_meeting_is_refused():
    meeting = b2b_meeting()
    schedule(meeting, 2)
    session = first_session(meeting).session
    with pytest.raises(AgendaError, match="slots the new times leave out"):
        session_update(
            session=session, data={"ends_at": session.ends_at - dt.timedelta(minutes=20)}
        )
    assert len(slots(meeting)) == 3


def test_shortening_an_empty_part_removes_those_slots():
    meeting = b2b_meeting()
    schedule(meeting, 0)
    session = first_session(meeting).session
    session_update(session=session, data={"ends_at": session.ends_at - dt.timedelta(minutes=40)})
    assert [slot.position for slot in slots(meeting)] == [0]


def test_cancelling_the_session_cancels_its_meetings():
    meeting = b2b_meeting()
    request = schedule(meeting, 0)
    session_update(session=first_session(meeting).session, data={"status": "cancelled"})
    request.refresh_from_db()
    assert request.status == "cancelled"
    assert not SlotSeat.objects.exists()
    assert OutboxMessage.objects.filter(kind="b2b_meeting_cancelled").count() == 2
