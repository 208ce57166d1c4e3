"""Every form that edits a time or a date, opened and saved untouched, changes nothing.

The bug this guards against: the admin's session form showed 09:30 Madrid as
08:30 (UTC) and read it back as 08:30 Madrid, so pressing Save moved the session
an hour (two in summer) and emailed its attendees. Here each form is opened,
parsed as a browser would (tests/roundtrip.py) and submitted as shown, in a
winter and a summer meeting; the database rows, the outbox and every session's
``sequence`` must be exactly as before.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.utils.formats import date_format

from agenda.models import Session, SessionSpeaker, SessionTranslation
from events.models import Meeting
from mail.models import OutboxMessage
from registrations.models import Registration, SessionBooking
from tests.factories import (
    MADRID,
    MeetingFactory,
    MeetingOrganizerFactory,
    RegistrationFactory,
    RoomFactory,
    SessionBookingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    TrackFactory,
    UserFactory,
    at,
)
from tests.roundtrip import admin_resubmit, form_pairs, resubmit

pytestmark = pytest.mark.django_db

SEASONS = {
    # CET (UTC+1) and CEST (UTC+2): the shift a wrong zone causes differs.
    "winter": dt.date(2027, 1, 19),
    "summer": dt.date(2027, 7, 6),
}


@pytest.fixture(params=sorted(SEASONS))
def world(request):
    """A published meeting with a registration window, a session at 09:30 booked by an
    attendee (written in English, translated into Spanish), a session with odd seconds (as
    the API may store), and a staff organizer."""
    first_day = SEASONS[request.param]
    meeting = MeetingFactory(
        slug=f"meeting-{request.param}",
        starts_on=first_day,
        ends_on=first_day + dt.timedelta(days=1),
        registration_opens_at=dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC),
        registration_closes_at=dt.datetime.combine(
            first_day - dt.timedelta(days=2), dt.time(18, 45), tzinfo=MADRID
        ),
    )
    user = UserFactory(username=f"org-{request.param}", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["agenda", "events", "registrations"])
    )
    MeetingOrganizerFactory(meeting=meeting, user=user)
    room = RoomFactory(venue=meeting.venue, name="Auditorio")
    track = TrackFactory(meeting=meeting, name="Industry")
    opening = SessionFactory(
        meeting=meeting,
        title="Opening",
        room=room,
        track=track,
        starts_at=at(meeting, 0, "09:30"),
        ends_at=at(meeting, 0, "10:00"),
        capacity=30,
        requires_booking=True,
        abstract="Welcome.\nTwo lines.",
        language="en",
    )
    SessionTranslation.objects.create(
        session=opening, language="es", title="Apertura", abstract="Bienvenida.\nDos líneas."
    )
    odd = SessionFactory(
        meeting=meeting,
        title="Odd seconds",
        room=RoomFactory(venue=meeting.venue, name="Sala 2"),
        starts_at=at(meeting, 1, "16:15:07.250000"),
        ends_at=at(meeting, 1, "17:00:59"),
    )
    SessionSpeakerFactory(session=opening)
    attendee = RegistrationFactory(meeting=meeting, job_title="Manager", region="ES-NC")
    SessionBookingFactory(registration=attendee, session=opening)
    return {"meeting": meeting, "user": user, "sessions": [opening, odd], "attendee": attendee}


def snapshot() -> dict:
    """Every row a form save could touch, every column (``updated_at`` included)."""
    models = [
        Meeting,
        Session,
        SessionSpeaker,
        SessionTranslation,
        Registration,
        SessionBooking,
        OutboxMessage,
    ]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


@pytest.fixture
def organizer_client(client, world):
    client.force_login(world["user"])
    return client


def assert_untouched(before: dict) -> None:
    after = snapshot()
    changed = [
        (model, row["id"], name, row[name], new[name])
        for model, rows in before.items()
        for row, new in zip(rows, after[model], strict=False)
        for name in row
        if row[name] != new[name]
    ]
    assert changed == []
    assert {model: len(rows) for model, rows in after.items()} == {
        model: len(rows) for model, rows in before.items()
    }
    assert OutboxMessage.objects.count() == 0


def test_admin_session_form_saved_untouched_changes_nothing(organizer_client, world):
    for session in world["sessions"]:
        before = snapshot()
        response = admin_resubmit(organizer_client, session)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert_untouched(before)


def test_admin_session_form_shows_meeting_time(organizer_client, world):
    """What the form shows is the meeting's wall clock, not UTC."""
    opening = world["sessions"][0]
    pairs = dict(
        form_pairs(
            organizer_client.get(f"/admin/agenda/session/{opening.pk}/change/").content,
            form_id="session_form",
        )
    )
    day = world["meeting"].starts_on
    assert (pairs["starts_at"], pairs["ends_at"]) == (f"{day}T09:30", f"{day}T10:00")


def test_admin_session_form_edit_is_read_in_meeting_time(organizer_client, world):
    """Changing only the start moves it to exactly the wall time typed, in the meeting zone."""
    opening = world["sessions"][0]
    day = world["meeting"].starts_on
    response = admin_resubmit(
        organizer_client, opening, starts_at=f"{day}T11:00", ends_at=f"{day}T11:30"
    )
    assert response.status_code == 302
    opening.refresh_from_db()
    assert (opening.starts_at, opening.ends_at) == (
        at(world["meeting"], 0, "11:00"),
        at(world["meeting"], 0, "11:30"),
    )
    assert opening.sequence == 1


def test_admin_meeting_form_saved_untouched_changes_nothing(organizer_client, world):
    before = snapshot()
    response = admin_resubmit(organizer_client, world["meeting"])
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_untouched(before)


def test_admin_meeting_form_shows_the_registration_window_in_meeting_time(organizer_client, world):
    meeting = world["meeting"]
    pairs = dict(
        form_pairs(
            organizer_client.get(f"/admin/events/meeting/{meeting.pk}/change/").content,
            form_id="meeting_form",
        )
    )
    closes = meeting.registration_closes_at.astimezone(meeting.tzinfo)
    assert pairs["registration_closes_at"] == f"{closes:%Y-%m-%d}T18:45"
    assert pairs["registration_opens_at"] == "2026-11-02T10:30"  # 09:30 UTC in November


def test_admin_registration_form_saved_untouched_changes_nothing(organizer_client, world):
    before = snapshot()
    response = admin_resubmit(organizer_client, world["attendee"])
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_untouched(before)


def test_admin_registration_page_shows_its_times_in_meeting_time(organizer_client, world):
    """Read-only times (consent, registered at) are in the meeting's zone on the page."""
    attendee = world["attendee"]
    attendee.checked_in_at = at(world["meeting"], 0, "08:55")
    attendee.save(update_fields=["checked_in_at"])
    html = organizer_client.get(f"/admin/registrations/registration/{attendee.pk}/change/")
    text = html.content.decode()
    local = attendee.checked_in_at.astimezone(world["meeting"].tzinfo)
    utc = attendee.checked_in_at.astimezone(dt.UTC)
    assert date_format(local, "DATETIME_FORMAT") in text
    assert date_format(utc, "DATETIME_FORMAT") not in text


def test_board_session_form_saved_untouched_changes_nothing(organizer_client, world):
    meeting = world["meeting"]
    for session in world["sessions"]:
        before = snapshot()
        url = f"/meetings/{meeting.slug}/board/sessions/{session.pk}/"
        response = resubmit(organizer_client, url, choice={"form_id": "session-form"})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert_untouched(before)


def test_board_move_forms_submitted_as_shown_change_nothing(organizer_client, world):
    meeting = world["meeting"]
    for day, session in zip(meeting.days, world["sessions"], strict=True):
        before = snapshot()
        url = f"/meetings/{meeting.slug}/board/?day={day}"
        response = resubmit(
            organizer_client, url, choice={"action": f"/board/sessions/{session.pk}/move/"}
        )
        assert response.status_code == 302
        assert_untouched(before)


def test_board_move_reads_the_meeting_time(organizer_client, world):
    meeting = world["meeting"]
    opening = world["sessions"][0]
    url = f"/meetings/{meeting.slug}/board/?day={meeting.starts_on}"
    resubmit(
        organizer_client,
        url,
        choice={"action": f"/board/sessions/{opening.pk}/move/"},
        starts_at=f"{meeting.starts_on}T12:00",
    )
    opening.refresh_from_db()
    assert (opening.starts_at, opening.sequence) == (at(meeting, 0, "12:00"), 1)
    assert OutboxMessage.objects.filter(kind="agenda_update").count() == 1


def test_a_time_that_does_not_exist_in_the_meeting_zone_is_refused(organizer_client):
    """02:30 on the spring-forward night never happens in Madrid: a field error, no save."""
    meeting = MeetingFactory(
        slug="spring", starts_on=dt.date(2027, 3, 28), ends_on=dt.date(2027, 3, 28)
    )
    user = UserFactory(username="spring-org")
    MeetingOrganizerFactory(meeting=meeting, user=user)
    organizer_client.force_login(user)
    session = SessionFactory(meeting=meeting, title="Night owl", starts_at=at(meeting, 0, "05:00"))
    response = resubmit(
        organizer_client,
        f"/meetings/spring/board/sessions/{session.pk}/",
        choice={"form_id": "session-form"},
        starts_at="2027-03-28T02:30",
        ends_at="2027-03-28T04:00",
    )
    assert response.status_code == 200
    assert "does not exist in Europe/Madrid" in response.content.decode()
    session.refresh_from_db()
    assert session.starts_at == at(meeting, 0, "05:00")


def test_a_time_the_clocks_pass_twice_saves_untouched_in_the_admin(client):
    """02:30 happens twice in Madrid on 31 October 2027: a session at the second one, saved
    untouched in the admin (which renders in the meeting's zone), stays exactly there."""
    meeting = MeetingFactory(
        slug="autumn", starts_on=dt.date(2027, 10, 31), ends_on=dt.date(2027, 10, 31)
    )
    user = UserFactory(username="autumn-org", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="agenda"))
    MeetingOrganizerFactory(meeting=meeting, user=user)
    client.force_login(user)
    second = dt.datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=MADRID)
    session = SessionFactory(
        meeting=meeting, starts_at=second, ends_at=second + dt.timedelta(hours=2)
    )
    before = snapshot()

    response = admin_resubmit(client, session)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert_untouched(before)
    session.refresh_from_db()
    assert session.starts_at == second.astimezone(dt.UTC)


def test_a_new_zone_keeps_the_registration_window_nobody_touched(organizer_client, world):
    """Changing the meeting's zone in the admin keeps the instants of a window left as shown
    (as the sessions keep theirs); only what is typed is read in the new zone."""
    meeting = world["meeting"]
    opens, closes = meeting.registration_opens_at, meeting.registration_closes_at
    response = admin_resubmit(organizer_client, meeting, timezone="Atlantic/Canary")
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert (meeting.timezone, meeting.registration_opens_at, meeting.registration_closes_at) == (
        "Atlantic/Canary",
        opens,
        closes,
    )


def test_admin_registration_list_shows_meeting_time(organizer_client, world):
    """The list renders in the server's UTC; its times are shown in the meeting's zone."""
    attendee = world["attendee"]
    arrived = at(world["meeting"], 0, "07:05") - dt.timedelta(days=40)
    Registration.objects.filter(pk=attendee.pk).update(created_at=arrived)
    text = organizer_client.get("/admin/registrations/registration/").content.decode()
    local = arrived.astimezone(MADRID)
    assert f"{local:%H:%M} {local.tzname()}" in text
    assert f"{arrived.astimezone(dt.UTC):%H:%M}" not in text


def test_admin_meeting_form_edit_of_the_registration_window_is_read_in_meeting_time(
    organizer_client, world
):
    """One minute later on each end of the window: exactly that instant, in the meeting zone."""
    meeting = world["meeting"]
    closes_day = meeting.registration_closes_at.astimezone(meeting.tzinfo).date()
    response = admin_resubmit(
        organizer_client,
        meeting,
        registration_opens_at="2026-11-02T10:31",
        registration_closes_at=f"{closes_day}T18:46",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert meeting.registration_opens_at == dt.datetime(2026, 11, 2, 9, 31, tzinfo=dt.UTC)
    assert meeting.registration_closes_at == dt.datetime.combine(
        SEASONS[meeting.slug.removeprefix("meeting-")] - dt.timedelta(days=2),
        dt.time(18, 46),
        tzinfo=MADRID,
    )
    assert OutboxMessage.objects.count() == 0


def test_board_session_form_edit_is_read_in_meeting_time(organizer_client, world):
    """One minute later on the board's edit form: exactly that instant, the end kept."""
    meeting = world["meeting"]
    opening = world["sessions"][0]
    response = resubmit(
        organizer_client,
        f"/meetings/{meeting.slug}/board/sessions/{opening.pk}/",
        choice={"form_id": "session-form"},
        starts_at=f"{meeting.starts_on}T09:31",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    opening.refresh_from_db()
    assert (opening.starts_at, opening.ends_at) == (
        at(meeting, 0, "09:31"),
        at(meeting, 0, "10:00"),
    )
    assert opening.starts_at == dt.datetime.combine(
        meeting.starts_on, dt.time(9, 31), tzinfo=MADRID
    )
    assert opening.sequence == 1
