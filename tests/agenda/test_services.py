"""The agenda rules, as the services enforce them (SQLite and PostgreSQL alike)."""

import datetime as dt

import pytest

from agenda import services
from agenda.models import Session, SessionSpeaker
from agenda.services import (
    AgendaError,
    agenda_publish,
    session_cancel,
    session_create,
    session_delete,
    session_move,
    session_restore,
    session_speaker_add,
    session_speaker_remove,
    session_speakers_reorder,
    session_update,
    speaker_create,
    track_create,
)
from events.models import Meeting
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


@pytest.fixture
def room(meeting):
    return RoomFactory(venue=meeting.venue, name="Auditorio", capacity=200)


@pytest.fixture
def opening(meeting, room):
    return SessionFactory(
        meeting=meeting,
        room=room,
        title="Opening",
        starts_at=at(meeting, 0, "09:30"),
        ends_at=at(meeting, 0, "10:00"),
    )


@pytest.fixture
def notices(monkeypatch):
    """Record the calls to the attendee hook (our own no-op function, not a network edge)."""
    calls = []

    def record(*, session, change, previous=None):
        calls.append((session.pk, change))

    monkeypatch.setattr(services, "notify_session_changed", record)
    return calls


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
    assert str(error.value) == (
        f"Ane Etxeberria already speaks in 'Opening' 09:30–10:00 ({meeting.starts_on:%a} {meeting.starts_on.day} {meeting.starts_on:%b})."
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


def test_speakers_are_added_removed_and_reordered(meeting, opening):
    first, second = SpeakerFactory(meeting=meeting), SpeakerFactory(meeting=meeting)
    session_speaker_add(session=opening, speaker=first)
    session_speaker_add(session=opening, speaker=second, role=SessionSpeaker.Role.MODERATOR)

    session_speakers_reorder(session=opening, speakers=[second, first])
    order = list(opening.speaker_links.values_list("speaker_id", "role", "position"))
    assert order == [(second.pk, "moderator", 0), (first.pk, "speaker", 1)]

    session_speaker_remove(session=opening, speaker=second)
    assert list(opening.speaker_links.values_list("speaker_id", flat=True)) == [first.pk]


def test_reorder_must_name_every_speaker(meeting, opening):
    speaker = SpeakerFactory(meeting=meeting)
    session_speaker_add(session=opening, speaker=speaker)
    with pytest.raises(AgendaError) as error:
        session_speakers_reorder(session=opening, speakers=[])
    assert str(error.value) == "Give every speaker of the session exactly once to reorder them."


def test_speaker_of_another_meeting_cannot_be_added(opening):
    with pytest.raises(AgendaError) as error:
        session_speaker_add(session=opening, speaker=SpeakerFactory(name="Stranger"))
    assert str(error.value) == "Stranger is a speaker of another meeting."


def test_speaker_and_track_slugs_are_unique_per_meeting(meeting):
    speaker_create(meeting=meeting, name="Ane", slug="ane")
    track_create(meeting=meeting, name="Industry", slug="industry")
    with pytest.raises(AgendaError) as speaker_error:
        speaker_create(meeting=meeting, name="Another Ane", slug="ane")
    with pytest.raises(AgendaError) as track_error:
        track_create(meeting=meeting, name="Industry", slug="industry-2")
    assert str(speaker_error.value) == "Ane already uses the slug 'ane'."
    assert str(track_error.value) == "Industry already uses the name 'Industry'."


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


def test_unknown_fields_are_refused(opening):
    with pytest.raises(AgendaError) as error:
        session_update(session=opening, data={"sequence": 9})
    assert str(error.value) == "These fields cannot be changed: sequence."
