"""Concurrent writers on PostgreSQL: the meeting lock, the exclusion constraint, the lock wait."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from rest_framework.test import APIClient

from agenda.models import Session
from agenda.services import AgendaBusy, AgendaError, session_create
from events.models import Meeting
from tests.factories import (
    MeetingFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    UserFactory,
    at,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_thread(target, *args):
    """Run ``target`` in a thread with its own database connection; return (thread, outcome)."""
    outcome = {}

    def run():
        try:
            outcome["value"] = target(*args)
        except Exception as exc:  # the test inspects it
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_two_writers_same_room_and_time_exactly_one_wins():
    """Two organizers put a session into one room at one time at once: one is saved, the
    other gets the clean conflict error naming the winner."""
    meeting = MeetingFactory()
    room = RoomFactory(venue=meeting.venue, name="Auditorio")
    barrier = threading.Barrier(2)

    def write(title):
        barrier.wait()
        return session_create(
            meeting=meeting,
            title=title,
            room=room,
            starts_at=at(meeting, 0, "09:30"),
            ends_at=at(meeting, 0, "10:00"),
        )

    runs = [in_thread(write, title) for title in ("First", "Second")]
    for thread, _ in runs:
        thread.join(10)

    outcomes = [outcome for _, outcome in runs]
    winners = [o["value"] for o in outcomes if "value" in o]
    errors = [o["error"] for o in outcomes if "error" in o]
    assert len(winners) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], AgendaError)
    assert str(errors[0]).startswith(f"Room Auditorio is taken by '{winners[0].title}'")
    assert list(Session.objects.values_list("title", flat=True)) == [winners[0].title]


def test_exclusion_constraint_violation_becomes_the_same_clean_error():
    """A writer of another meeting at the same venue is not serialized by the meeting lock;
    its uncommitted session is invisible to the service's check, so the database's exclusion
    constraint refuses the insert, and the service turns that into the named conflict."""
    first = MeetingFactory()
    second = MeetingFactory(venue=first.venue, starts_on=first.starts_on)
    room = RoomFactory(venue=first.venue, name="Sala Pamplona")
    inserted = threading.Event()

    def hold_an_uncommitted_session():
        with transaction.atomic():
            Session.objects.create(
                meeting=first,
                title="Held",
                room=room,
                starts_at=at(first, 0, "11:00"),
                ends_at=at(first, 0, "12:00"),
                status=Session.Status.CONFIRMED,
            )
            inserted.set()
            # Commit only once the other writer is waiting on our row.
            for _ in range(100):
                if _waiting_on_a_lock():
                    break
                threading.Event().wait(0.05)

    thread, outcome = in_thread(hold_an_uncommitted_session)
    assert inserted.wait(10)

    with pytest.raises(AgendaError) as error:
        session_create(
            meeting=second,
            title="Late",
            room=room,
            starts_at=at(second, 0, "11:30"),
            ends_at=at(second, 0, "12:30"),
        )
    thread.join(10)

    assert "error" not in outcome
    assert str(error.value) == (
        f"Room Sala Pamplona is taken by 'Held' 11:00–12:00 "
        f"({first.starts_on:%a} {first.starts_on.day} {first.starts_on:%b})."
    )
    assert list(Session.objects.values_list("title", flat=True)) == ["Held"]


def _waiting_on_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def test_lock_wait_is_bounded_and_becomes_busy(settings):
    """While another transaction holds the meeting, a write waits LOCK_TIMEOUT_MS and then
    answers 'busy, try again' instead of hanging or failing with a database error."""
    settings.LOCK_TIMEOUT_MS = 200
    meeting = MeetingFactory()
    locked, release = threading.Event(), threading.Event()

    def hold_the_meeting():
        with transaction.atomic():
            Meeting.objects.select_for_update().get(pk=meeting.pk)
            locked.set()
            release.wait(10)

    thread, _ = in_thread(hold_the_meeting)
    assert locked.wait(10)
    try:
        with pytest.raises(AgendaBusy) as error:
            session_create(meeting=meeting, title="Waiting")
    finally:
        release.set()
        thread.join(10)

    assert str(error.value) == "The agenda is being changed by someone else; try again."
    assert not Session.objects.filter(title="Waiting").exists()


def test_cancelled_sessions_do_not_hold_the_room_in_the_database():
    """The exclusion constraint ignores cancelled sessions, as the services do."""
    meeting = MeetingFactory()
    room = RoomFactory(venue=meeting.venue)
    SessionFactory(meeting=meeting, room=room, status=Session.Status.CANCELLED)
    session = session_create(
        meeting=meeting,
        title="Replacement",
        room=room,
        starts_at=at(meeting, 0, "10:00"),
        ends_at=at(meeting, 0, "11:00"),
    )
    assert session.pk is not None


def test_api_answers_503_busy_while_the_meeting_is_locked(settings, organizer, meeting):
    """A write that cannot get the meeting lock in time is a 503 with a readable detail."""
    settings.LOCK_TIMEOUT_MS = 200
    locked, release = threading.Event(), threading.Event()

    def hold_the_meeting():
        with transaction.atomic():
            Meeting.objects.select_for_update().get(pk=meeting.pk)
            locked.set()
            release.wait(10)

    thread, _ = in_thread(hold_the_meeting)
    assert locked.wait(10)
    api = APIClient()
    api.force_authenticate(organizer)
    try:
        response = api.post(
            f"/api/v1/meetings/{meeting.slug}/sessions/", {"title": "Waiting"}, format="json"
        )
    finally:
        release.set()
        thread.join(10)

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json() == {"detail": "The agenda is being changed by someone else; try again."}
    assert not Session.objects.filter(title="Waiting").exists()


def test_admin_save_while_the_meeting_is_locked_keeps_nothing_and_says_so(settings, meeting):
    """The admin's save waits for the meeting lock in vain: the whole save (session and its
    speakers inline) is rolled back and the organizer reads why, instead of a 500."""
    settings.LOCK_TIMEOUT_MS = 200
    session = SessionFactory(meeting=meeting, title="Kept", starts_at=at(meeting, 0, "10:00"))
    speaker = SpeakerFactory(meeting=meeting)
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    local = session.starts_at.astimezone(meeting.tzinfo)
    local_end = session.ends_at.astimezone(meeting.tzinfo)
    data = {
        "title": "Changed",
        "kind": session.kind,
        "status": session.status,
        "starts_at": f"{local:%Y-%m-%dT%H:%M}",
        "ends_at": f"{local_end:%Y-%m-%dT%H:%M}",
        "speaker_links-TOTAL_FORMS": "1",
        "speaker_links-INITIAL_FORMS": "0",
        "speaker_links-0-speaker": speaker.pk,
        "speaker_links-0-role": "speaker",
        "speaker_links-0-position": "0",
    }
    locked, release = threading.Event(), threading.Event()

    def hold_the_meeting():
        with transaction.atomic():
            Meeting.objects.select_for_update().get(pk=meeting.pk)
            locked.set()
            release.wait(10)

    thread, _ = in_thread(hold_the_meeting)
    assert locked.wait(10)
    url = f"/admin/agenda/session/{session.pk}/change/"
    try:
        response = client.post(url, data)
    finally:
        release.set()
        thread.join(10)

    assert (response.status_code, response["Location"]) == (302, url)
    messages = [str(m) for m in client.get(url).context["messages"]]
    assert messages == ["Not saved: The agenda is being changed by someone else; try again."]
    session.refresh_from_db()
    assert (session.title, session.speaker_links.count()) == ("Kept", 0)
