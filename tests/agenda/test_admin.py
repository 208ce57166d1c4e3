"""The agenda admin: scoped to a staff user's meetings, writes through the services."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from agenda.models import Session
from tests.factories import RoomFactory, SessionFactory, SpeakerFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(organizer):
    organizer.is_staff = True
    organizer.save()
    organizer.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["agenda", "events"])
    )
    return organizer


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def room(meeting):
    return RoomFactory(venue=meeting.venue, name="Auditorio")


def change_data(session, **extra):
    meeting = session.meeting
    data = {
        "meeting": meeting.pk,
        "title": session.title,
        "kind": session.kind,
        "status": session.status,
        "track": "",
        "abstract": "",
        "room": session.room_id or "",
        "starts_at_0": session.starts_at.astimezone(meeting.tzinfo).strftime("%Y-%m-%d"),
        "starts_at_1": session.starts_at.astimezone(meeting.tzinfo).strftime("%H:%M"),
        "ends_at_0": session.ends_at.astimezone(meeting.tzinfo).strftime("%Y-%m-%d"),
        "ends_at_1": session.ends_at.astimezone(meeting.tzinfo).strftime("%H:%M"),
        "capacity": "",
        "external_id": "",
        "speaker_links-TOTAL_FORMS": "0",
        "speaker_links-INITIAL_FORMS": "0",
        "speaker_links-MIN_NUM_FORMS": "0",
        "speaker_links-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_staff_organizer_sees_only_their_meetings_sessions(admin_client, meeting):
    SessionFactory(meeting=meeting, title="Ours")
    SessionFactory(title="Theirs")
    html = admin_client.get("/admin/agenda/session/").content.decode()
    assert "Ours" in html
    assert "Theirs" not in html


def test_day_filter_uses_the_meeting_time_zone(admin_client, meeting):
    SessionFactory(meeting=meeting, title="Early", starts_at=at(meeting, 1, "00:30"))
    SessionFactory(meeting=meeting, title="Day one", starts_at=at(meeting, 0, "10:00"))
    response = admin_client.get(f"/admin/agenda/session/?day={meeting.ends_on}")
    assert [s.title for s in response.context["cl"].result_list] == ["Early"]


def test_admin_change_is_read_in_meeting_time_and_bumps_sequence(admin_client, meeting, room):
    session = SessionFactory(meeting=meeting, room=room, starts_at=at(meeting, 0, "10:00"))
    response = admin_client.post(
        f"/admin/agenda/session/{session.pk}/change/",
        change_data(session, starts_at_1="12:00", ends_at_1="13:00"),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.starts_at, session.sequence) == (at(meeting, 0, "12:00"), 1)


def test_admin_conflict_is_a_form_error_naming_the_session(admin_client, meeting, room):
    SessionFactory(meeting=meeting, room=room, title="Opening", starts_at=at(meeting, 0, "09:30"))
    session = SessionFactory(meeting=meeting, room=room, starts_at=at(meeting, 0, "14:00"))
    response = admin_client.post(
        f"/admin/agenda/session/{session.pk}/change/",
        change_data(session, starts_at_1="09:45", ends_at_1="10:15"),
    )
    assert response.status_code == 200
    assert "Room Auditorio is taken by &#x27;Opening&#x27;" in response.content.decode()
    session.refresh_from_db()
    assert session.starts_at == at(meeting, 0, "14:00")


def test_admin_speaker_inline_refuses_a_double_booked_speaker(admin_client, meeting, room):
    speaker = SpeakerFactory(meeting=meeting, name="Ane")
    busy = SessionFactory(meeting=meeting, title="Busy", starts_at=at(meeting, 0, "10:00"))
    busy.speaker_links.create(speaker=speaker)
    session = SessionFactory(meeting=meeting, room=room, starts_at=at(meeting, 0, "10:30"))
    data = change_data(
        session,
        **{
            "speaker_links-TOTAL_FORMS": "1",
            "speaker_links-0-speaker": speaker.pk,
            "speaker_links-0-role": "speaker",
            "speaker_links-0-position": "0",
        },
    )
    response = admin_client.post(f"/admin/agenda/session/{session.pk}/change/", data)
    assert response.status_code == 200
    assert "Ane already speaks in &#x27;Busy&#x27;" in response.content.decode()
    assert not session.speaker_links.exists()


def test_meeting_admin_lists_its_sessions_inline(admin_client, meeting):
    SessionFactory(meeting=meeting, title="Inline me")
    response = admin_client.get(f"/admin/events/meeting/{meeting.pk}/change/")
    assert response.status_code == 200
    assert "Inline me" in response.content.decode()


def test_admin_cancel_action_goes_through_the_service(admin_client, meeting):
    session = SessionFactory(meeting=meeting)
    admin_client.post(
        "/admin/agenda/session/",
        {"action": "cancel_sessions", "_selected_action": [session.pk]},
    )
    session.refresh_from_db()
    assert (session.status, session.sequence) == (Session.Status.CANCELLED, 1)


def test_admin_add_reads_times_in_the_chosen_meetings_zone(admin_client, meeting, room):
    data = change_data(
        SessionFactory.build(meeting=meeting, room=room, title="Added"),
        starts_at_1="16:00",
        ends_at_1="17:00",
    )
    response = admin_client.post("/admin/agenda/session/add/", data)
    assert response.status_code == 302
    added = Session.objects.get(title="Added")
    assert (added.starts_at, added.status) == (at(meeting, 0, "16:00"), "confirmed")


def test_admin_session_list_shows_meeting_time(admin_client, meeting):
    """A 09:30 Madrid session is listed at 09:30 with its zone name, not at its UTC hour."""
    session = SessionFactory(meeting=meeting, starts_at=at(meeting, 0, "09:30"))
    zone = session.starts_at.tzname()  # CET or CEST, depending on the fixture's dates
    utc_hour = session.starts_at.astimezone(dt.UTC)
    html = admin_client.get("/admin/agenda/session/").content.decode()
    assert f"{meeting.starts_on:%a %d %b %Y}, 09:30 {zone}" in html
    assert f"{utc_hour:%H:%M}" not in html
    assert f"{utc_hour.hour}:30 a.m." not in html
