"""The agenda rules (agenda/services/rules.py), as every write enforces them."""

import datetime as dt

import pytest

from agenda.models import Session, SessionSpeaker
from agenda.services import (
    AgendaError,
    session_cancel,
    session_create,
    session_move,
    session_speaker_add,
)
from tests.factories import (
    MeetingFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    TrackFactory,
    at,
)

pytestmark = pytest.mark.django_db


def test_session_create_in_a_taken_room_names_the_conflict(meeting, room, opening):
    """An overlapping session in the same room is refused, naming the session in meeting time."""
    with pytest.raises(AgendaError) as error:
        session_create(
            meeting=meeting,
            title="Clash",
            room=room,
            starts_at=at(meeting, 0, "09:45"),
            ends_at=at(meeting, 0, "10:15"),
        )
    day = meeting.starts_on
    assert str(error.value) == (
        f"Room Auditorio is taken by 'Opening' 09:30–10:00 ({day:%a} {day.day} {day:%b})."
    )
    assert Session.objects.filter(title="Clash").count() == 0


def test_session_create_back_to_back_in_one_room_is_fine(meeting, room, opening):
    """Touching intervals do not overlap: 10:00 starts when 'Opening' ends."""
    session = session_create(
        meeting=meeting,
        title="Next",
        room=room,
        starts_at=at(meeting, 0, "10:00"),
        ends_at=at(meeting, 0, "10:30"),
    )
    assert session.pk is not None


def test_cancelled_session_frees_its_room(meeting, room, opening):
    """A cancelled session no longer holds its room."""
    session_cancel(session=opening)
    session = session_create(
        meeting=meeting,
        title="Instead",
        room=room,
        starts_at=at(meeting, 0, "09:30"),
        ends_at=at(meeting, 0, "10:00"),
    )
    assert session.room == room


def test_session_outside_the_meeting_days_is_refused(meeting, room):
    """The day after the last day is outside the meeting, in the meeting's time zone."""
    with pytest.raises(AgendaError) as error:
        session_create(
            meeting=meeting,
            title="Late",
            room=room,
            starts_at=at(meeting, 1, "23:30"),
            ends_at=at(meeting, 2, "00:30"),
        )
    assert str(error.value) == (
        f"A session must lie within the meeting's days ({meeting.starts_on:%d %b %Y}–"
        f"{meeting.ends_on:%d %b %Y}, Europe/Madrid)."
    )


def test_session_at_midnight_utc_but_before_midnight_madrid_is_refused(meeting, room):
    """23:30 UTC the evening before day one is 00:30 Madrid on day one, so it is inside;
    22:30 UTC the evening before is 23:30 Madrid the day before, so it is outside."""
    day_before = dt.datetime.combine(
        meeting.starts_on - dt.timedelta(days=1), dt.time(22, 30), tzinfo=dt.UTC
    )
    with pytest.raises(AgendaError):
        session_create(
            meeting=meeting,
            title="Too early",
            starts_at=day_before,
            ends_at=day_before + dt.timedelta(minutes=30),
        )
    inside = day_before + dt.timedelta(hours=1)
    session = session_create(
        meeting=meeting,
        title="Just inside",
        starts_at=inside,
        ends_at=inside + dt.timedelta(hours=1),
    )
    assert session.pk is not None


def test_session_ending_before_it_starts_is_refused(meeting, room):
    with pytest.raises(AgendaError) as error:
        session_create(
            meeting=meeting,
            title="Backwards",
            starts_at=at(meeting, 0, "11:00"),
            ends_at=at(meeting, 0, "10:00"),
        )
    assert str(error.value) == "A session must end after it starts."


def test_session_with_only_a_start_is_refused(meeting):
    with pytest.raises(AgendaError) as error:
        session_create(meeting=meeting, title="Half", starts_at=at(meeting, 0, "11:00"))
    assert str(error.value) == "Give both a start and an end time, or neither."


def test_session_capacity_beyond_its_room_is_refused(meeting, room):
    with pytest.raises(AgendaError) as error:
        session_create(meeting=meeting, title="Big", room=room, capacity=201)
    assert str(error.value) == "A capacity of 201 does not fit room Auditorio (200 seats)."


def test_room_of_another_venue_is_refused(meeting):
    elsewhere = RoomFactory(name="Far away")
    with pytest.raises(AgendaError) as error:
        session_create(
            meeting=meeting,
            title="Lost",
            room=elsewhere,
            starts_at=at(meeting, 0, "09:00"),
            ends_at=at(meeting, 0, "10:00"),
        )
    assert str(error.value) == "Room Far away is not at this meeting's venue."


def test_room_of_another_venue_is_refused_without_a_time_too(meeting):
    with pytest.raises(AgendaError) as error:
        session_create(meeting=meeting, title="Lost", room=RoomFactory(name="Far away"))
    assert str(error.value) == "Room Far away is not at this meeting's venue."


def test_track_of_another_meeting_is_refused(meeting):
    track = TrackFactory(name="Foreign")
    with pytest.raises(AgendaError) as error:
        session_create(meeting=meeting, title="Mixed", track=track)
    assert str(error.value) == "Track Foreign belongs to another meeting."


def test_room_shared_with_another_meeting_at_the_venue_is_checked(meeting, room, opening):
    """Two meetings at one venue share its rooms; the check spans both."""
    other = MeetingFactory(venue=meeting.venue, starts_on=meeting.starts_on)
    with pytest.raises(AgendaError) as error:
        session_create(
            meeting=other,
            title="Neighbour",
            room=room,
            starts_at=at(meeting, 0, "09:00"),
            ends_at=at(meeting, 0, "10:00"),
        )
    assert str(error.value).startswith("Room Auditorio is taken by 'Opening'")


def test_speaker_in_two_overlapping_sessions_is_refused(meeting, opening):
    """Adding a speaker to a session overlapping one of theirs names that session."""
    speaker = SpeakerFactory(meeting=meeting, name="Ane Etxeberria")
    SessionSpeakerFactory(session=opening, speaker=speaker)
    panel = SessionFactory(
        meeting=meeting,
        title="Panel",
        starts_at=at(meeting, 0, "09:45"),
        ends_at=at(meeting, 0, "11:00"),
    )
    with pytest.raises(AgendaError) as error:
        session_speaker_add(session=panel, speaker=speaker)
    day = meeting.starts_on
    assert str(error.value) == (
        f"Ane Etxeberria already speaks in 'Opening' 09:30–10:00 ({day:%a} {day.day} {day:%b})."
    )
    assert not SessionSpeaker.objects.filter(session=panel).exists()


def test_moving_a_session_onto_its_speakers_other_session_is_refused(meeting, opening):
    speaker = SpeakerFactory(meeting=meeting, name="Iker")
    SessionSpeakerFactory(session=opening, speaker=speaker)
    later = SessionFactory(meeting=meeting, title="Later", starts_at=at(meeting, 0, "12:00"))
    SessionSpeakerFactory(session=later, speaker=speaker)
    with pytest.raises(AgendaError) as error:
        session_move(session=later, room=later.room, starts_at=at(meeting, 0, "09:00"))
    assert str(error.value).startswith("Iker already speaks in 'Opening'")
    later.refresh_from_db()
    assert later.starts_at == at(meeting, 0, "12:00")
