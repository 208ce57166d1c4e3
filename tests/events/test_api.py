import io

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.models import Meeting
from tests.factories import MeetingFactory, MeetingOrganizerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_anonymous_lists_published_meetings_only(api):
    MeetingFactory(slug="public-one")
    MeetingFactory(slug="draft-one", status=Meeting.Status.DRAFT)

    response = api.get("/api/v1/meetings/")

    assert response.status_code == 200
    assert [m["slug"] for m in response.json()["results"]] == ["public-one"]


def test_anonymous_reads_one_meeting_with_its_organisations(api, meeting):
    response = api.get(f"/api/v1/meetings/{meeting.slug}/")
    body = response.json()
    assert response.status_code == 200
    assert body["slug"] == meeting.slug
    assert body["timezone"] == "Europe/Madrid"
    assert body["registration_open"] is True
    assert body["organizations"] == []


def test_anonymous_cannot_change_a_meeting(api, meeting):
    response = api.patch(f"/api/v1/meetings/{meeting.slug}/", {"title": "Hacked"}, format="json")
    assert response.status_code == 401
    meeting.refresh_from_db()
    assert meeting.title != "Hacked"


def test_organizer_of_another_meeting_is_refused(api, meeting):
    other = UserFactory()
    MeetingOrganizerFactory(user=other)  # organizes some other meeting
    token = Token.objects.create(user=other)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api.patch(f"/api/v1/meetings/{meeting.slug}/", {"title": "Hacked"}, format="json")

    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.title != "Hacked"


def test_organizer_updates_their_meeting_with_a_token(api, meeting, organizer):
    token = Token.objects.create(user=organizer)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api.patch(
        f"/api/v1/meetings/{meeting.slug}/", {"title": "Renamed", "capacity": 300}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"
    meeting.refresh_from_db()
    assert (meeting.title, meeting.capacity) == ("Renamed", 300)


def test_organizer_update_with_bad_dates_is_a_400_naming_the_field(api, meeting, organizer):
    api.force_authenticate(organizer)
    before = meeting.ends_on

    response = api.patch(
        f"/api/v1/meetings/{meeting.slug}/",
        {
            "ends_on": (
                meeting.starts_on.replace(day=1) if meeting.starts_on.day > 1 else "2000-01-01"
            )
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"ends_on": ["The last day cannot be before the first day."]}
    meeting.refresh_from_db()
    assert meeting.ends_on == before


def test_organizer_update_with_wrong_types_is_a_400(api, meeting, organizer):
    api.force_authenticate(organizer)
    response = api.patch(
        f"/api/v1/meetings/{meeting.slug}/",
        {"capacity": "lots", "timezone": "Mars/Base"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"capacity", "timezone"}


def test_draft_meeting_is_404_in_the_api_for_the_public(api):
    MeetingFactory(slug="draft", status=Meeting.Status.DRAFT)
    assert api.get("/api/v1/meetings/draft/").status_code == 404


def test_drf_create_token_gives_an_organizer_a_working_api_token(api, meeting, organizer):
    out = io.StringIO()
    call_command("drf_create_token", organizer.username, stdout=out)
    key = Token.objects.get(user=organizer).key
    assert key in out.getvalue()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api.patch(f"/api/v1/meetings/{meeting.slug}/", {"capacity": 120}, format="json")

    assert response.status_code == 200
    assert response.json()["capacity"] == 120
