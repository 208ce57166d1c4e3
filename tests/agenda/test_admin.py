"""The agenda admin: scoped to a staff user's meetings, writes through the services."""

import datetime as dt

import pytest
from django.contrib import admin as django_admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory

from agenda.admin import SessionSpeakerInline
from agenda.models import Session
from agenda.services import AgendaError
from tests.factories import (
    MeetingFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    UserFactory,
    at,
)

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


def change_data(session, *, start: str | None = None, end: str | None = None, **extra):
    """Hand-made form data with the times typed as an organizer does (meeting time, the
    session's days); tests/agenda/test_admin_roundtrip.py posts back what the page shows."""
    meeting = session.meeting
    local_start = session.starts_at.astimezone(meeting.tzinfo)
    local_end = session.ends_at.astimezone(meeting.tzinfo)
    data = {
        "meeting": meeting.pk,
        "title": session.title,
        "kind": session.kind,
        "status": session.status,
        "track": "",
        "abstract": "",
        "room": session.room_id or "",
        "starts_at": f"{local_start:%Y-%m-%d}T{start or f'{local_start:%H:%M}'}",
        "ends_at": f"{local_end:%Y-%m-%d}T{end or f'{local_end:%H:%M}'}",
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
        change_data(session, start="12:00", end="13:00"),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.starts_at, session.sequence) == (at(meeting, 0, "12:00"), 1)


def test_admin_conflict_is_a_form_error_naming_the_session(admin_client, meeting, room):
    SessionFactory(meeting=meeting, room=room, title="Opening", starts_at=at(meeting, 0, "09:30"))
    session = SessionFactory(meeting=meeting, room=room, starts_at=at(meeting, 0, "14:00"))
    response = admin_client.post(
        f"/admin/agenda/session/{session.pk}/change/",
        change_data(session, start="09:45", end="10:15"),
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
        start="16:00",
        end="17:00",
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


# --- the speakers inline: its choices, and saving through the services -----------------------


@pytest.fixture
def superuser_client(client):
    client.force_login(
        UserFactory(username="root", is_staff=True, is_superuser=True, email="root@example.org")
    )
    return client


def speaker_rows(*rows, initial=0):
    """Inline form data: each row is (speaker, role, position[, link, delete])."""
    data = {
        "speaker_links-TOTAL_FORMS": str(len(rows)),
        "speaker_links-INITIAL_FORMS": str(initial),
    }
    for index, (speaker, role, position, *existing) in enumerate(rows):
        prefix = f"speaker_links-{index}"
        data.update({f"{prefix}-speaker": speaker.pk, f"{prefix}-role": role})
        data[f"{prefix}-position"] = str(position)
        if existing:
            link, delete = existing
            data[f"{prefix}-id"] = link.pk
            data[f"{prefix}-session"] = link.session_id
            if delete:
                data[f"{prefix}-DELETE"] = "on"
    return data


def test_superuser_cannot_add_a_speaker_of_another_meeting(superuser_client, meeting, room):
    """The inline offers only the session's meeting's speakers: a posted foreign speaker is a
    form error and nothing of the save is kept."""
    session = SessionFactory(meeting=meeting, room=room, title="Kept")
    foreign = SpeakerFactory(name="Fiona")
    data = change_data(session, title="Changed", **speaker_rows((foreign, "speaker", 0)))
    response = superuser_client.post(f"/admin/agenda/session/{session.pk}/change/", data)
    assert response.status_code == 200
    assert "Choose a speaker of this session&#x27;s meeting." in response.content.decode()
    session.refresh_from_db()
    assert (session.title, session.speaker_links.count()) == ("Kept", 0)


def test_superuser_add_form_refuses_a_speaker_of_another_meeting(superuser_client, meeting, room):
    """On the add form (speakers of every meeting offered to a superuser) the speaker must
    belong to the chosen meeting; the refusal names them and no session is created."""
    foreign = SpeakerFactory(name="Fiona")
    session = SessionFactory.build(meeting=meeting, room=room, starts_at=at(meeting, 0, "10:00"))
    session.ends_at = session.starts_at + dt.timedelta(hours=1)
    data = change_data(session, title="New one", **speaker_rows((foreign, "speaker", 0)))
    response = superuser_client.post("/admin/agenda/session/add/", data)
    assert response.status_code == 200
    assert "Fiona is a speaker of another meeting." in response.content.decode()
    assert not Session.objects.filter(title="New one").exists()


def test_meeting_is_read_only_on_the_change_form(superuser_client, meeting, room):
    """A session stays in its meeting: a posted other meeting is ignored, not half-applied."""
    session = SessionFactory(meeting=meeting, room=room, title="Kept")
    other = MeetingFactory()
    response = superuser_client.post(
        f"/admin/agenda/session/{session.pk}/change/",
        change_data(session, meeting=other.pk, title="Changed"),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title, session.meeting_id) == ("Changed", meeting.pk)


def test_a_refusal_while_saving_speakers_propagates_and_writes_nothing(meeting, room):
    """Between the form's check and the save someone else books the speaker at that time:
    the service refuses naming the clash (the admin turns that into a rollback and a
    message; see test_concurrency for the whole request)."""
    speaker = SpeakerFactory(meeting=meeting, name="Ane")
    session = SessionFactory(meeting=meeting, room=room, starts_at=at(meeting, 0, "10:00"))
    request = RequestFactory().get("/")
    request.user = UserFactory(username="root", is_staff=True, is_superuser=True)
    inline = SessionSpeakerInline(Session, django_admin.site)
    FormSet = inline.get_formset(request, session)
    data = speaker_rows((speaker, "speaker", 0))
    formset = FormSet({**data, "speaker_links-INITIAL_FORMS": "0"}, instance=session)
    assert formset.is_valid()
    rival = SessionFactory(meeting=meeting, title="Rival", starts_at=at(meeting, 0, "10:30"))
    rival.speaker_links.create(speaker=speaker)
    with pytest.raises(AgendaError) as error:
        formset.save_through_services(session)
    assert str(error.value).startswith("Ane already speaks in 'Rival'")
    assert not session.speaker_links.exists()


def test_staff_organizer_is_offered_only_their_meetings_speakers(admin_client, meeting):
    """Change and add forms list the speakers of the organizer's meeting, no one else's."""
    SpeakerFactory(meeting=meeting, name="Ane Ours")
    SpeakerFactory(name="Fiona Theirs")
    session = SessionFactory(meeting=meeting)
    for url in (f"/admin/agenda/session/{session.pk}/change/", "/admin/agenda/session/add/"):
        response = admin_client.get(url)
        formset = response.context["inline_admin_formsets"][0].formset
        names = [s.name for s in formset.form.base_fields["speaker"].queryset]
        assert names == ["Ane Ours"]
        html = response.content.decode()
        assert "Ane Ours" in html
        assert "Fiona Theirs" not in html


def test_speaker_busy_in_another_meetings_session_is_refused_naming_it(admin_client, meeting, room):
    """A speaker already speaking at that time (even in another meeting) cannot be added."""
    speaker = SpeakerFactory(meeting=meeting, name="Ane")
    busy = SessionFactory(meeting=meeting, title="Panel", starts_at=at(meeting, 0, "10:15"))
    busy.speaker_links.create(speaker=speaker)
    session = SessionFactory(meeting=meeting, room=room, starts_at=at(meeting, 0, "10:00"))
    data = change_data(session, **speaker_rows((speaker, "speaker", 0)))
    response = admin_client.post(f"/admin/agenda/session/{session.pk}/change/", data)
    assert response.status_code == 200
    assert "Ane already speaks in &#x27;Panel&#x27;" in response.content.decode()
    assert not session.speaker_links.exists()


def test_add_remove_and_reorder_go_through_and_keep_the_rest(admin_client, meeting, room):
    """Removing one speaker, adding one in front and keeping one: the kept link is the same
    row (only its position moves), and the session's sequence is not bumped."""
    ane, bea, cruz = (SpeakerFactory(meeting=meeting, name=n) for n in ("Ane", "Bea", "Cruz"))
    session = SessionFactory(meeting=meeting, room=room)
    link_ane = session.speaker_links.create(speaker=ane, position=0)
    link_bea = session.speaker_links.create(speaker=bea, position=1)
    sequence = session.sequence
    rows = speaker_rows(
        (ane, "speaker", 0, link_ane, True),
        (bea, "speaker", 1, link_bea, False),
        (cruz, "moderator", 0),
        initial=2,
    )
    response = admin_client.post(
        f"/admin/agenda/session/{session.pk}/change/", change_data(session, **rows)
    )
    assert response.status_code == 302
    links = list(session.speaker_links.order_by("position"))
    assert [(link.speaker.name, link.role, link.position) for link in links] == [
        ("Cruz", "moderator", 0),
        ("Bea", "speaker", 1),
    ]
    assert links[1].pk == link_bea.pk
    session.refresh_from_db()
    assert session.sequence == sequence


def test_reorder_only_swaps_positions(admin_client, meeting, room):
    """Changing only the order keeps both link rows and swaps their positions."""
    ane, bea = (SpeakerFactory(meeting=meeting, name=n) for n in ("Ane", "Bea"))
    session = SessionFactory(meeting=meeting, room=room)
    link_ane = session.speaker_links.create(speaker=ane, position=0)
    link_bea = session.speaker_links.create(speaker=bea, position=1)
    rows = speaker_rows(
        (ane, "speaker", 1, link_ane, False), (bea, "speaker", 0, link_bea, False), initial=2
    )
    response = admin_client.post(
        f"/admin/agenda/session/{session.pk}/change/", change_data(session, **rows)
    )
    assert response.status_code == 302
    assert list(session.speaker_links.values_list("pk", "position").order_by("position")) == [
        (link_bea.pk, 0),
        (link_ane.pk, 1),
    ]


@pytest.mark.parametrize("day", ["9999-12-31", "not-a-day"])
def test_session_list_with_a_day_it_cannot_read_shows_the_admins_error_page(
    admin_client, meeting, day
):
    SessionFactory(meeting=meeting)  # the day filter is offered (and applied) only with days

    response = admin_client.get("/admin/agenda/session/", {"day": day})

    assert response.status_code == 302
    assert response.url == "/admin/agenda/session/?e=1"
