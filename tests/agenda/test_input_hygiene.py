"""The agenda refuses unsafe one-line text and over-long texts, in the API and the services."""

import pytest
from rest_framework.test import APIClient

from agenda import services
from agenda.models import Session, Speaker, Track
from events.models import Meeting
from tests.factories import RoomFactory, SessionFactory, SpeakerFactory, at

pytestmark = pytest.mark.django_db

ONE_LINE_ERROR = (
    "Use one line of plain text: no line breaks, control characters or invisible direction marks."
)
MEGABYTE = "x" * 1_000_000


@pytest.fixture
def organizer_api(organizer):
    client = APIClient()
    client.force_authenticate(organizer)
    return client


def session_body(meeting, **changes):
    room = RoomFactory(venue=meeting.venue)
    return {
        "title": "Opening",
        "room": room.pk,
        "starts_at": at(meeting, 0, "09:30").isoformat(),
        "ends_at": at(meeting, 0, "10:00").isoformat(),
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"title": "Opening\r\nBcc: x@evil.example"}, {"title": [ONE_LINE_ERROR]}),
        ({"title": "Opening \u202eevil"}, {"title": [ONE_LINE_ERROR]}),
        ({"title": "Opening\x1b[31m"}, {"title": [ONE_LINE_ERROR]}),
        ({"external_id": "a\u200bb"}, {"external_id": [ONE_LINE_ERROR]}),
        (
            {"abstract": MEGABYTE},
            {"abstract": ["Ensure this field has no more than 10000 characters."]},
        ),
    ],
)
def test_api_session_with_bad_text_answers_400_and_writes_nothing(
    organizer_api, meeting, changes, errors
):
    response = organizer_api.post(
        f"/api/v1/meetings/{meeting.slug}/sessions/",
        session_body(meeting, **changes),
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == errors
    assert Session.objects.count() == 0


def test_api_session_abstract_keeps_its_line_breaks(organizer_api, meeting):
    abstract = "First paragraph.\n\nSecond one,\nwith a break." + "x" * 9_950

    response = organizer_api.post(
        f"/api/v1/meetings/{meeting.slug}/sessions/",
        session_body(meeting, abstract=abstract),
        format="json",
    )

    assert response.status_code == 201
    assert Session.objects.get().abstract == abstract


def test_api_session_patch_with_a_newline_in_the_title_changes_nothing(organizer_api, meeting):
    session = SessionFactory(meeting=meeting, title="Opening")

    response = organizer_api.patch(
        f"/api/v1/meetings/{meeting.slug}/sessions/{session.pk}/",
        {"title": "Opening\nSecond line"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"title": [ONE_LINE_ERROR]}
    session.refresh_from_db()
    assert session.title == "Opening"


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"name": "Ana\x07"}, {"name": [ONE_LINE_ERROR]}),
        ({"job_title": "CEO\r\nBcc: x@evil.example"}, {"job_title": [ONE_LINE_ERROR]}),
        ({"bio": MEGABYTE}, {"bio": ["Ensure this field has no more than 10000 characters."]}),
        (
            {"email": "ana@[127.0.0.1]"},
            {"email": ["Use an email address with a domain name, not an IP address."]},
        ),
    ],
)
def test_api_speaker_with_bad_text_answers_400(organizer_api, meeting, changes, errors):
    body = {"slug": "ana", "name": "Ana", **changes}

    response = organizer_api.post(f"/api/v1/meetings/{meeting.slug}/speakers/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert Speaker.objects.count() == 0


def test_api_track_with_a_bidi_override_answers_400(organizer_api, meeting):
    response = organizer_api.post(
        f"/api/v1/meetings/{meeting.slug}/tracks/",
        {"slug": "t", "name": "Industry \u202e4.0"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"name": [ONE_LINE_ERROR]}
    assert Track.objects.count() == 0


def test_api_meeting_description_of_a_megabyte_is_refused(organizer_api, meeting):
    before = meeting.description

    response = organizer_api.patch(
        f"/api/v1/meetings/{meeting.slug}/", {"description": MEGABYTE}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "description": ["Ensure this field has no more than 10000 characters."]
    }
    assert Meeting.objects.get(pk=meeting.pk).description == before


def test_api_meeting_title_with_a_newline_is_refused(organizer_api, meeting):
    response = organizer_api.patch(
        f"/api/v1/meetings/{meeting.slug}/", {"title": "Intercluster\n2027"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"title": [ONE_LINE_ERROR]}


# --- the services, for every other caller (board, importers, admin actions) ---------------


def test_session_create_refuses_a_newline_in_the_title_naming_the_field(meeting):
    with pytest.raises(services.AgendaError) as caught:
        services.session_create(meeting=meeting, title="Opening\nBcc: x@evil.example")

    assert caught.value.field == "title"
    assert str(caught.value) == f"Title: {ONE_LINE_ERROR}"
    assert Session.objects.count() == 0


def test_session_update_refuses_an_abstract_over_the_limit(meeting):
    session = SessionFactory(meeting=meeting, abstract="Short.")

    with pytest.raises(services.AgendaError) as caught:
        services.session_update(session=session, data={"abstract": "x" * 10_001})

    assert caught.value.field == "abstract"
    assert (
        str(caught.value)
        == "Abstract: Ensure this value has at most 10000 characters (it has 10001)."
    )
    session.refresh_from_db()
    assert session.abstract == "Short."


def test_speaker_update_refuses_a_zero_width_space_in_the_name(meeting):
    speaker = SpeakerFactory(meeting=meeting, name="Ana")

    with pytest.raises(services.AgendaError) as caught:
        services.speaker_update(speaker=speaker, data={"name": "A\u200bna"})

    assert (caught.value.field, str(caught.value)) == ("name", f"Name: {ONE_LINE_ERROR}")
    speaker.refresh_from_db()
    assert speaker.name == "Ana"


def test_track_names_differing_only_by_nfc_nfd_clash(meeting):
    services.track_create(meeting=meeting, name="Energ\u00eda", slug="energia")

    with pytest.raises(services.AgendaError):
        services.track_create(meeting=meeting, name="Energi\u0301a", slug="energia-2")

    assert list(Track.objects.values_list("name", flat=True)) == ["Energía"]
