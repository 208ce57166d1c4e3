"""A meeting's new days, zone or venue must still hold its scheduled sessions."""

import datetime as dt

import pytest

from agenda.models import Session
from events.services import MeetingError, meeting_update
from tests.admin_forms import admin_change_meeting
from tests.factories import SessionFactory, UserFactory, VenueFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def opening(meeting):
    return SessionFactory(meeting=meeting, title="Opening")  # day 1, 10:00–11:00 Madrid


def patch(client, meeting, data):
    return client.patch(f"/api/v1/meetings/{meeting.slug}/", data, content_type="application/json")


def test_moving_the_days_away_from_a_session_is_refused_naming_it(
    client, meeting, organizer, opening
):
    client.force_login(organizer)
    later = meeting.starts_on + dt.timedelta(days=30)

    response = patch(client, meeting, {"starts_on": str(later), "ends_on": str(later)})

    assert response.status_code == 400
    (message,) = response.json()["non_field_errors"]
    assert message.startswith("'Opening' 10:00–11:00")
    assert message.endswith("would fall outside the meeting's days; move or cancel it first.")
    meeting.refresh_from_db()
    assert meeting.starts_on != later


def test_a_zone_that_shifts_a_session_out_of_the_days_is_refused(client, meeting, organizer):
    SessionFactory(
        meeting=meeting, starts_at=at(meeting, 0, "00:30"), ends_at=at(meeting, 0, "01:30")
    )
    client.force_login(organizer)

    response = patch(client, meeting, {"timezone": "Atlantic/Canary"})  # one hour behind Madrid

    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.timezone == "Europe/Madrid"


def test_another_venue_is_refused_while_sessions_use_rooms_of_this_one(meeting, opening):
    other = VenueFactory()

    with pytest.raises(MeetingError) as excinfo:
        meeting_update(meeting=meeting, data={"venue": other})

    assert str(excinfo.value) == (
        f"'Opening' is in room {opening.room.name} of another venue; move it first."
    )
    meeting.refresh_from_db()
    assert meeting.venue_id != other.pk


def test_extending_the_days_or_cancelled_sessions_do_not_block(client, meeting, organizer, opening):
    Session.objects.filter(pk=opening.pk).update(status=Session.Status.CANCELLED)
    SessionFactory(
        meeting=meeting, starts_at=at(meeting, 1, "10:00"), ends_at=at(meeting, 1, "11:00")
    )
    client.force_login(organizer)

    response = patch(client, meeting, {"ends_on": str(meeting.ends_on + dt.timedelta(days=1))})
    assert response.status_code == 200
    response = patch(client, meeting, {"starts_on": str(meeting.starts_on + dt.timedelta(days=1))})
    assert response.status_code == 200


def test_the_admin_refuses_it_too_with_the_same_message(client, meeting, opening):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    later = meeting.starts_on + dt.timedelta(days=30)

    response = admin_change_meeting(client, meeting, starts_on=str(later), ends_on=str(later))

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert any("'Opening'" in error and "outside the meeting's days" in error for error in errors)
    meeting.refresh_from_db()
    assert meeting.starts_on != later


def test_the_admin_refuses_another_venue(client, meeting, opening):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    other = VenueFactory()

    response = admin_change_meeting(client, meeting, venue=other.pk)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert any("of another venue" in error for error in errors)
