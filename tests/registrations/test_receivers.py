"""The registrations' answers to the agenda's and events' signals (registrations/receivers.py):
written in the transaction of the change, so a rolled-back change leaves nothing."""

import pytest
from django.db import transaction

from agenda.models import Session
from agenda.services import AgendaError, session_move, session_update
from events.models import Meeting
from events.services import meeting_update
from mail.models import OutboxMessage
from registrations.services import registration_create
from tests.factories import RoomFactory, SessionFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(meeting):
    return SessionFactory(
        meeting=meeting,
        title="Joint projects",
        requires_booking=True,
        capacity=20,
        room=RoomFactory(venue=meeting.venue, name="Taconera"),
        starts_at=at(meeting, 0, "12:00"),
        ends_at=at(meeting, 0, "13:00"),
    )


@pytest.fixture
def booked(meeting, workshop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return registration_create(
            meeting=meeting,
            first_name="Ane",
            last_name="Goñi",
            email="ane@example.org",
            session_ids=[workshop.pk],
            consent_processing=True,
            language="en",
        )


def agenda_updates(registration):
    return OutboxMessage.objects.filter(kind="agenda_update", registration=registration)


def test_a_session_move_writes_the_agenda_update_row_in_its_own_transaction(
    meeting, workshop, booked
):
    """Inside the move's transaction the notice row already exists; rolled back, it is gone."""
    with pytest.raises(RuntimeError), transaction.atomic():
        session_move(session=workshop, room=workshop.room, starts_at=at(meeting, 0, "15:00"))
        assert agenda_updates(booked).count() == 1
        raise RuntimeError("roll back")

    assert agenda_updates(booked).count() == 0
    assert Session.objects.get(pk=workshop.pk).starts_at == at(meeting, 0, "12:00")


def test_a_committed_session_move_keeps_its_agenda_update_row(meeting, workshop, booked):
    session_move(session=workshop, room=workshop.room, starts_at=at(meeting, 0, "15:00"))

    assert agenda_updates(booked).count() == 1


def test_fewer_seats_than_held_is_refused_through_the_receiver(workshop, booked):
    """Registrations veto the agenda change with the agenda's own error; nothing is saved."""
    with pytest.raises(AgendaError) as error:
        session_update(session=workshop, data={"capacity": 0})

    assert str(error.value).startswith("1 people hold a seat in 'Joint projects'")
    assert Session.objects.get(pk=workshop.pk).capacity == 20


def test_a_rolled_back_meeting_cancellation_writes_no_notice(meeting, booked):
    with pytest.raises(RuntimeError), transaction.atomic():
        meeting_update(meeting=meeting, data={"status": Meeting.Status.CANCELLED})
        assert OutboxMessage.objects.filter(kind="meeting_cancelled").count() == 1
        raise RuntimeError("roll back")

    assert OutboxMessage.objects.filter(kind="meeting_cancelled").count() == 0
