"""Input that used to answer 500 in the agenda API answers 400 with a readable message."""

import pytest
from django.utils.formats import date_format
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agenda.models import Session
from tests.factories import RoomFactory, SessionFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer_api(organizer):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=organizer).key}")
    return api


def day(meeting) -> str:
    return date_format(meeting.starts_on, "D j M")


def sessions_url(meeting, suffix=""):
    return f"/api/v1/meetings/{meeting.slug}/sessions/{suffix}"


def test_post_with_an_external_id_used_in_the_meeting_answers_400_on_that_field(
    organizer_api, meeting
):
    SessionFactory(meeting=meeting, title="Opening", external_id="ic-001")

    response = organizer_api.post(
        sessions_url(meeting), {"title": "Second", "external_id": "ic-001"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "external_id": [
            f"External id ic-001 is already used by 'Opening' 10:00–11:00 ({day(meeting)})."
        ]
    }
    assert list(Session.objects.filter(meeting=meeting).values_list("title", flat=True)) == [
        "Opening"
    ]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_changing_the_external_id_to_one_used_in_the_meeting_answers_400(
    organizer_api, meeting, method
):
    SessionFactory(meeting=meeting, title="Opening", external_id="ic-001")
    other = SessionFactory(
        meeting=meeting,
        title="Panel",
        external_id="ic-002",
        starts_at=at(meeting, 0, "12:00"),
        ends_at=at(meeting, 0, "13:00"),
    )

    response = getattr(organizer_api, method)(
        sessions_url(meeting, f"{other.pk}/"),
        {"title": "Panel", "external_id": "ic-001"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "external_id": [
            f"External id ic-001 is already used by 'Opening' 10:00–11:00 ({day(meeting)})."
        ]
    }
    other.refresh_from_db()
    assert (other.title, other.external_id) == ("Panel", "ic-002")


def test_the_same_external_id_in_another_meeting_is_fine(organizer_api, meeting):
    SessionFactory(external_id="ic-001")  # another meeting's

    response = organizer_api.post(
        sessions_url(meeting), {"title": "Opening", "external_id": "ic-001"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["external_id"] == "ic-001"


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_day_without_midnight_bounds_answers_400(meeting, day):
    response = APIClient().get(sessions_url(meeting), {"day": day})

    assert response.status_code == 400
    assert response.json() == {"day": ["Give a day between 0001-01-02 and 9999-12-30."]}


@pytest.mark.parametrize("day", ["9999-12-30", "0001-01-02"])
def test_the_first_and_last_days_that_have_bounds_list_nothing(meeting, day):
    SessionFactory(meeting=meeting)

    response = APIClient().get(sessions_url(meeting), {"day": day})

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_agenda_page_ignores_a_day_without_bounds(client, meeting):
    SessionFactory(meeting=meeting, title="Opening", room=RoomFactory(venue=meeting.venue))

    response = client.get(f"/meetings/{meeting.slug}/agenda/", {"day": "9999-12-31"})

    assert response.status_code == 200
    assert "Opening" in response.content.decode()


def test_organizer_post_nested_2000_deep_answers_400(organizer_api, meeting):
    response = organizer_api.generic(
        "POST", sessions_url(meeting), "[" * 2000 + "]" * 2000, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error: the body is nested too deeply."}
    assert Session.objects.count() == 0
