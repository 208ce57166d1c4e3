"""Session writes (agenda/services/sessions.py): sequence, cancel, restore, delete."""

import pytest

from agenda.models import Session
from agenda.services import (
    AgendaError,
    session_cancel,
    session_create,
    session_delete,
    session_move,
    session_restore,
    session_update,
)
from events.models import Meeting
from tests.factories import (
    SessionFactory,
    at,
)

pytestmark = pytest.mark.django_db


def test_session_create_in_a_free_room_is_a_draft(meeting, room):
    """A new session is saved as a draft with sequence 0."""
    session = session_create(
        meeting=meeting,
        title="Welcome",
        room=room,
        starts_at=at(meeting, 0, "09:00"),
        ends_at=at(meeting, 0, "09:30"),
    )
    assert (session.status, session.sequence) == (Session.Status.DRAFT, 0)
    assert Session.objects.get(pk=session.pk).title == "Welcome"


def test_session_move_keeps_the_length_and_bumps_sequence(meeting, room, opening, notices):
    """Moving in a published meeting bumps sequence once and calls the attendee hook."""
    session = session_move(session=opening, room=room, starts_at=at(meeting, 1, "16:00"))
    assert (session.starts_at, session.ends_at) == (
        at(meeting, 1, "16:00"),
        at(meeting, 1, "16:30"),
    )
    assert session.sequence == 1
    assert Session.objects.get(pk=opening.pk).sequence == 1
    assert notices == [(opening.pk, "moved")]


def test_title_change_does_not_bump_sequence(opening, notices):
    session = session_update(session=opening, data={"title": "Welcome"})
    assert (session.title, session.sequence) == ("Welcome", 0)
    assert notices == []


def test_changes_in_a_draft_meeting_do_not_bump_sequence(meeting, opening, notices):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFT)
    opening.meeting.refresh_from_db()
    session = session_move(session=opening, room=opening.room, starts_at=at(meeting, 0, "15:00"))
    assert session.sequence == 0
    assert notices == []


def test_cancel_and_restore_bump_sequence_each_time(opening, notices):
    cancelled = session_cancel(session=opening)
    restored = session_restore(session=opening)
    assert (cancelled.status, restored.status) == ("cancelled", "confirmed")
    assert restored.sequence == 2
    assert notices == [(opening.pk, "cancelled"), (opening.pk, "restored")]


def test_restore_into_a_room_taken_meanwhile_is_refused(meeting, room, opening):
    session_cancel(session=opening)
    SessionFactory(
        meeting=meeting, room=room, title="Replacement", starts_at=at(meeting, 0, "09:00")
    )
    with pytest.raises(AgendaError) as error:
        session_restore(session=opening)
    assert str(error.value).startswith("Room Auditorio is taken by 'Replacement'")
    opening.refresh_from_db()
    assert opening.status == Session.Status.CANCELLED


def test_restore_of_a_live_session_is_refused(opening):
    with pytest.raises(AgendaError) as error:
        session_restore(session=opening)
    assert str(error.value).endswith("is not cancelled.")


def test_public_session_cannot_be_deleted(opening):
    with pytest.raises(AgendaError) as error:
        session_delete(session=opening)
    assert "cancel it instead" in str(error.value)
    assert Session.objects.filter(pk=opening.pk).exists()


def test_draft_session_can_be_deleted(meeting):
    draft = SessionFactory(meeting=meeting, status=Session.Status.DRAFT)
    session_delete(session=draft)
    assert not Session.objects.filter(pk=draft.pk).exists()


def test_unknown_fields_are_refused(opening):
    with pytest.raises(AgendaError) as error:
        session_update(session=opening, data={"sequence": 9})
    assert str(error.value) == "These fields cannot be changed: sequence."
