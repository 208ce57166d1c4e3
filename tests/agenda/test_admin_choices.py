"""Every choice list of the agenda admin is scoped to the meeting; other meetings' drafts
are never listed. A staff user who creates a meeting in the admin organizes it."""

import datetime as dt

import pytest

from agenda.models import Session
from demo.management.commands.seed_demo import organizers_group
from events.models import Meeting, MeetingOrganizer
from tests.factories import MeetingFactory, RoomFactory, SessionFactory, TrackFactory, UserFactory
from tests.roundtrip import select_options, submit

pytestmark = pytest.mark.django_db

SESSION_FORM = {"form_id": "session_form"}


@pytest.fixture
def staff_client(client, organizer):
    organizer.is_staff = True
    organizer.save()
    organizer.groups.add(organizers_group())
    client.force_login(organizer)
    return client


@pytest.fixture
def secret(db):
    """Another organizer's draft meeting, with a track and a room at its own venue."""
    draft = MeetingFactory(slug="secret", title="Secret draft", status=Meeting.Status.DRAFT)
    TrackFactory(meeting=draft, name="Secret track")
    RoomFactory(venue=draft.venue, name="Secret room")
    return draft


def test_add_form_for_a_chosen_meeting_lists_its_tracks_and_rooms_only(
    staff_client, meeting, secret
):
    track = TrackFactory(meeting=meeting, name="Industry")
    room = RoomFactory(venue=meeting.venue, name="Auditorio")

    page = staff_client.get("/admin/agenda/session/add/", {"meeting": meeting.pk})

    assert select_options(page.content, "track", **SESSION_FORM) == [
        ("", "---------"),
        (str(track.pk), "Industry"),
    ]
    assert select_options(page.content, "room", **SESSION_FORM) == [
        ("", "---------"),
        (str(room.pk), "Auditorio"),
    ]
    assert select_options(page.content, "meeting", **SESSION_FORM) == [
        ("", "---------"),
        (str(meeting.pk), meeting.title),
    ]


def test_add_form_before_a_meeting_is_chosen_lists_his_meetings_tracks_named_with_them(
    staff_client, meeting, secret
):
    track = TrackFactory(meeting=meeting, name="Industry")
    room = RoomFactory(venue=meeting.venue, name="Auditorio")

    page = staff_client.get("/admin/agenda/session/add/")

    assert select_options(page.content, "track", **SESSION_FORM) == [
        ("", "---------"),
        (str(track.pk), f"{meeting.title}: Industry"),
    ]
    assert select_options(page.content, "room", **SESSION_FORM) == [
        ("", "---------"),
        (str(room.pk), f"{meeting.venue}: Auditorio"),
    ]
    assert "Secret" not in page.content.decode()


def test_add_form_refuses_another_meetings_track_and_creates_nothing(staff_client, meeting, secret):
    page = staff_client.get("/admin/agenda/session/add/", {"meeting": meeting.pk})

    response = submit(
        staff_client,
        page,
        "session_form",
        press="_save",
        title="Smuggled",
        track=str(secret.tracks.get().pk),
        room=str(secret.venue.rooms.get().pk),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"track", "room"}
    assert Session.objects.count() == 0


def test_add_form_saved_as_shown_creates_the_session_in_the_chosen_meeting(staff_client, meeting):
    track = TrackFactory(meeting=meeting, name="Industry")
    page = staff_client.get("/admin/agenda/session/add/", {"meeting": meeting.pk})

    response = submit(
        staff_client, page, "session_form", press="_save", title="Opening", track=str(track.pk)
    )

    assert response.status_code == 302
    assert list(Session.objects.values_list("meeting_id", "title", "track_id")) == [
        (meeting.pk, "Opening", track.pk)
    ]


def test_change_form_lists_the_sessions_meeting_tracks_and_rooms_only(
    staff_client, meeting, secret
):
    track = TrackFactory(meeting=meeting, name="Industry")
    session = SessionFactory(meeting=meeting, track=track)
    TrackFactory(name="Published elsewhere")  # a public meeting's: still not this one's

    page = staff_client.get(f"/admin/agenda/session/{session.pk}/change/")

    assert [label for _v, label in select_options(page.content, "track", **SESSION_FORM)] == [
        "---------",
        "Industry",
    ]
    assert [label for _v, label in select_options(page.content, "room", **SESSION_FORM)] == [
        "---------",
        session.room.name,
    ]


@pytest.mark.parametrize("path", ["agenda/session", "agenda/track", "agenda/speaker"])
def test_list_filters_name_only_his_meetings(staff_client, meeting, secret, path):
    SessionFactory(meeting=secret)

    page = staff_client.get(f"/admin/{path}/")

    assert page.status_code == 200
    assert "Secret" not in page.content.decode()


def test_a_staff_user_who_adds_a_meeting_organizes_it(staff_client):
    page = staff_client.get("/admin/events/meeting/add/")
    start = dt.date.today() + dt.timedelta(days=90)

    response = submit(
        staff_client,
        page,
        "meeting_form",
        press="_save",
        title="Spring meeting",
        slug="spring",
        starts_on=start.isoformat(),
        ends_on=start.isoformat(),
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get(slug="spring")
    roles = MeetingOrganizer.objects.values_list("meeting__slug", "user__username", "role")
    assert list(roles) == [("spring", "org", "organizer")]
    assert list(staff_client.get("/admin/events/meeting/").context["cl"].queryset) == [meeting]


def test_a_superuser_who_adds_a_meeting_gets_no_role_on_it(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get("/admin/events/meeting/add/")
    start = dt.date.today() + dt.timedelta(days=90)

    response = submit(
        client,
        page,
        "meeting_form",
        press="_save",
        title="Spring meeting",
        slug="spring",
        starts_on=start.isoformat(),
        ends_on=start.isoformat(),
    )

    assert response.status_code == 302
    assert MeetingOrganizer.objects.count() == 0
