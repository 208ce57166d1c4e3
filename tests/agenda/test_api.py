"""The agenda API: public reads, organizer writes through the services, filters, query counts."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from agenda.models import Session, SessionSpeaker, Track
from agenda.services import AgendaBusy
from events.models import Meeting
from tests.factories import (
    MeetingOrganizerFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
    at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def room(meeting):
    return RoomFactory(venue=meeting.venue, name="Auditorio", capacity=200)


@pytest.fixture
def organizer_api(api, organizer):
    token = Token.objects.create(user=organizer)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api


def sessions_url(meeting, suffix=""):
    return f"/api/v1/meetings/{meeting.slug}/sessions/{suffix}"


def payload(meeting, room, **extra):
    return {
        "title": "Opening",
        "kind": "keynote",
        "room": room.pk,
        "starts_at": at(meeting, 0, "09:30").isoformat(),
        "ends_at": at(meeting, 0, "10:00").isoformat(),
        "status": "confirmed",
        **extra,
    }


def test_anonymous_sees_confirmed_and_cancelled_sessions_not_drafts(api, meeting):
    SessionFactory(meeting=meeting, title="Live")
    SessionFactory(meeting=meeting, title="Gone", status=Session.Status.CANCELLED)
    SessionFactory(meeting=meeting, title="Secret", status=Session.Status.DRAFT)

    response = api.get(sessions_url(meeting))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert sorted((s["title"], s["status"]) for s in body["results"]) == [
        ("Gone", "cancelled"),
        ("Live", "confirmed"),
    ]


def test_organizer_sees_drafts_too(organizer_api, meeting):
    SessionFactory(meeting=meeting, title="Secret", status=Session.Status.DRAFT)
    response = organizer_api.get(sessions_url(meeting))
    assert [s["title"] for s in response.json()["results"]] == ["Secret"]


def test_session_shows_speakers_without_their_private_email(api, meeting):
    link = SessionSpeakerFactory(session=SessionFactory(meeting=meeting))
    response = api.get(sessions_url(meeting, f"{link.session.pk}/"))
    body = response.json()
    assert body["speakers"] == [
        {
            "slug": link.speaker.slug,
            "name": link.speaker.name,
            "organization": None,
            "role": "speaker",
            "position": 0,
        }
    ]
    assert "private.example.org" not in response.content.decode()


def test_filters_by_day_track_room_and_kind(api, meeting, room):
    track = TrackFactory(meeting=meeting, slug="industry")
    SessionFactory(meeting=meeting, title="Day one talk", track=track, room=room)
    SessionFactory(
        meeting=meeting, title="Day two panel", kind="panel", starts_at=at(meeting, 1, "10:00")
    )

    def titles(query):
        return [s["title"] for s in api.get(sessions_url(meeting) + query).json()["results"]]

    assert titles(f"?day={meeting.ends_on:%Y-%m-%d}") == ["Day two panel"]
    assert titles("?track=industry") == ["Day one talk"]
    assert titles(f"?room={room.pk}") == ["Day one talk"]
    assert titles("?kind=panel") == ["Day two panel"]


def test_bad_filter_is_a_400_naming_the_field(api, meeting):
    response = api.get(sessions_url(meeting) + "?day=tomorrow&kind=party")
    assert response.status_code == 400
    assert set(response.json()) == {"day", "kind"}


def test_pagination_with_page_size(api, meeting):
    for hour in ("09:00", "10:00", "11:00"):
        SessionFactory(meeting=meeting, starts_at=at(meeting, 0, hour))
    body = api.get(sessions_url(meeting) + "?page_size=2").json()
    assert (body["count"], len(body["results"]), body["next"] is not None) == (3, 2, True)


@pytest.mark.parametrize("count", [1, 50])
def test_session_list_query_count_is_flat(api, meeting, django_assert_num_queries, count):
    """Meeting, count, page, speaker links: 4 queries for 1 session and for 50."""
    rooms = [RoomFactory(venue=meeting.venue) for _ in range(5)]
    track = TrackFactory(meeting=meeting)
    for i in range(count):
        session = SessionFactory(
            meeting=meeting,
            room=rooms[i % 5],
            track=track,
            starts_at=at(meeting, i % 2, f"{8 + i // 10:02d}:00"),
        )
        SessionSpeakerFactory(session=session)
    with django_assert_num_queries(4):
        response = api.get(sessions_url(meeting) + "?page_size=100")
    assert len(response.json()["results"]) == count


def test_anonymous_write_is_401(api, meeting, room):
    response = api.post(sessions_url(meeting), payload(meeting, room), format="json")
    assert response.status_code == 401
    assert not Session.objects.exists()


def test_participant_write_is_403(api, meeting, room):
    api.force_authenticate(UserFactory())
    response = api.post(sessions_url(meeting), payload(meeting, room), format="json")
    assert response.status_code == 403
    assert not Session.objects.exists()


def test_organizer_of_another_meeting_write_is_403(api, meeting, room):
    other = UserFactory()
    MeetingOrganizerFactory(user=other)
    api.force_authenticate(other)
    response = api.post(sessions_url(meeting), payload(meeting, room), format="json")
    assert response.status_code == 403
    assert not Session.objects.exists()


def test_organizer_creates_a_session_with_a_token(organizer_api, meeting, room):
    response = organizer_api.post(sessions_url(meeting), payload(meeting, room), format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["room"], body["status"]) == (
        "Opening",
        {"id": room.pk, "name": "Auditorio"},
        "confirmed",
    )
    assert Session.objects.get().title == "Opening"


def test_overlapping_post_is_a_400_naming_the_conflict(organizer_api, meeting, room):
    organizer_api.post(sessions_url(meeting), payload(meeting, room), format="json")
    response = organizer_api.post(
        sessions_url(meeting),
        payload(meeting, room, title="Clash", starts_at=at(meeting, 0, "09:45").isoformat()),
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            f"Room Auditorio is taken by 'Opening' 09:30–10:00 "
            f"({meeting.starts_on:%a} {meeting.starts_on.day} {meeting.starts_on:%b})."
        ]
    }
    assert Session.objects.count() == 1


def test_overlapping_patch_is_a_400_and_changes_nothing(organizer_api, meeting, room):
    SessionFactory(
        meeting=meeting,
        room=room,
        title="Opening",
        starts_at=at(meeting, 0, "09:30"),
        ends_at=at(meeting, 0, "10:00"),
    )
    other = SessionFactory(meeting=meeting, room=room, starts_at=at(meeting, 0, "12:00"))
    response = organizer_api.patch(
        sessions_url(meeting, f"{other.pk}/"),
        {"starts_at": at(meeting, 0, "09:00").isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"][0].startswith("Room Auditorio is taken by 'Opening'")
    other.refresh_from_db()
    assert (other.starts_at, other.sequence) == (at(meeting, 0, "12:00"), 0)


def test_patch_moving_a_session_bumps_sequence(organizer_api, meeting, room):
    session = SessionFactory(meeting=meeting, room=room)
    response = organizer_api.patch(
        sessions_url(meeting, f"{session.pk}/"),
        {
            "starts_at": at(meeting, 1, "10:00").isoformat(),
            "ends_at": at(meeting, 1, "11:00").isoformat(),
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["sequence"] == 1


def test_room_of_another_venue_is_a_400_field_error(organizer_api, meeting):
    foreign = RoomFactory()
    response = organizer_api.post(sessions_url(meeting), payload(meeting, foreign), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["room"]


def test_cancel_and_restore_actions(organizer_api, meeting):
    session = SessionFactory(meeting=meeting)
    cancelled = organizer_api.post(sessions_url(meeting, f"{session.pk}/cancel/"))
    restored = organizer_api.post(sessions_url(meeting, f"{session.pk}/restore/"))
    assert (cancelled.json()["status"], restored.json()["status"]) == ("cancelled", "confirmed")
    assert restored.json()["sequence"] == 2


def test_deleting_a_public_session_is_a_400(organizer_api, meeting):
    session = SessionFactory(meeting=meeting)
    response = organizer_api.delete(sessions_url(meeting, f"{session.pk}/"))
    assert response.status_code == 400
    assert Session.objects.filter(pk=session.pk).exists()


def test_speakers_added_reordered_removed_through_the_api(organizer_api, meeting):
    session = SessionFactory(meeting=meeting)
    ane = SpeakerFactory(meeting=meeting, slug="ane")
    iker = SpeakerFactory(meeting=meeting, slug="iker")
    url = sessions_url(meeting, f"{session.pk}/speakers/")
    organizer_api.post(url, {"speaker": "ane"}, format="json")
    organizer_api.post(url, {"speaker": "iker", "role": "moderator"}, format="json")

    response = organizer_api.post(url + "order/", {"speakers": ["iker", "ane"]}, format="json")
    assert [s["slug"] for s in response.json()["speakers"]] == ["iker", "ane"]

    assert organizer_api.delete(url + "iker/").status_code == 204
    assert list(session.speakers.all()) == [ane]
    assert iker.sessions.count() == 0


def test_speakers_public_list_hides_emails_and_unlisted_speakers(api, meeting):
    listed = SessionSpeakerFactory(session=SessionFactory(meeting=meeting)).speaker
    SessionSpeakerFactory(session=SessionFactory(meeting=meeting, status=Session.Status.DRAFT))
    response = api.get(f"/api/v1/meetings/{meeting.slug}/speakers/")
    results = response.json()["results"]
    assert [s["slug"] for s in results] == [listed.slug]
    assert "email" not in results[0]


def test_organizer_sees_speaker_emails_and_creates_speakers(organizer_api, meeting):
    response = organizer_api.post(
        f"/api/v1/meetings/{meeting.slug}/speakers/",
        {"slug": "ane", "name": "Ane", "email": "ane@private.example.org"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["email"] == "ane@private.example.org"


@pytest.mark.parametrize("count", [1, 5])
def test_speaker_list_query_count_is_flat(api, meeting, django_assert_num_queries, count):
    for _ in range(count):
        SessionSpeakerFactory(session=SessionFactory(meeting=meeting))
    with django_assert_num_queries(3):
        response = api.get(f"/api/v1/meetings/{meeting.slug}/speakers/")
    assert len(response.json()["results"]) == count


def test_tracks_and_rooms_are_listed(api, meeting, room):
    TrackFactory(meeting=meeting, slug="industry", name="Industry")
    tracks = api.get(f"/api/v1/meetings/{meeting.slug}/tracks/").json()["results"]
    rooms = api.get(f"/api/v1/meetings/{meeting.slug}/rooms/").json()["results"]
    assert [t["slug"] for t in tracks] == ["industry"]
    assert rooms == [
        {"id": room.pk, "name": "Auditorio", "capacity": 200, "position": room.position}
    ]


def test_organizer_creates_a_track_and_duplicates_are_400(organizer_api, meeting):
    url = f"/api/v1/meetings/{meeting.slug}/tracks/"
    first = organizer_api.post(url, {"slug": "industry", "name": "Industry"}, format="json")
    again = organizer_api.post(url, {"slug": "industry", "name": "Other"}, format="json")
    assert first.status_code == 201
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["Industry already uses the slug 'industry'."]}


def test_draft_meeting_agenda_is_404_for_the_public(api, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFT)
    assert api.get(sessions_url(meeting)).status_code == 404


def test_schema_describes_the_sessions_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    paths = response.json()["paths"]
    assert "/api/v1/meetings/{slug}/sessions/" in paths
    assert "/api/v1/meetings/{slug}/speakers/" in paths


def test_times_without_offset_are_meeting_time_and_answers_carry_the_offset(
    organizer_api, meeting, room
):
    """'09:30' without an offset is 09:30 in Madrid; the answer says 09:30+01:00 (or +02:00)."""
    day = meeting.starts_on.isoformat()
    response = organizer_api.post(
        sessions_url(meeting),
        {"title": "Local", "room": room.pk, "starts_at": f"{day}T09:30", "ends_at": f"{day}T10:00"},
        format="json",
    )
    assert response.status_code == 201
    expected = at(meeting, 0, "09:30")
    assert Session.objects.get().starts_at == expected
    assert response.json()["starts_at"] == expected.isoformat()
    assert response.json()["starts_at"].startswith(f"{day}T09:30:00+0")


@pytest.mark.parametrize("count", [1, 3])
def test_track_and_room_lists_query_count_is_flat(api, meeting, django_assert_num_queries, count):
    """Meeting, count, page: 3 queries each, whatever the length."""
    for _ in range(count):
        TrackFactory(meeting=meeting)
        RoomFactory(venue=meeting.venue)
    with django_assert_num_queries(3):
        tracks = api.get(f"/api/v1/meetings/{meeting.slug}/tracks/").json()["results"]
    with django_assert_num_queries(3):
        rooms = api.get(f"/api/v1/meetings/{meeting.slug}/rooms/").json()["results"]
    assert (len(tracks), len(rooms)) == (count, count)


HUGE = "99999999999999999999999"
TOO_BIG_INT = "Ensure this value is less than or equal to 2147483647."
TOO_BIG_SMALLINT = "Ensure this value is less than or equal to 32767."


def test_room_filter_beyond_an_id_column_is_a_400_naming_the_field(api, meeting):
    """?room= larger than any id is a bad filter like ?room=abc, not a database overflow."""
    response = api.get(sessions_url(meeting) + f"?room={HUGE}")
    assert response.status_code == 400
    assert response.json() == {"room": [TOO_BIG_INT]}


@pytest.mark.parametrize("capacity", [2**31, 2**40, 10**30])
def test_session_capacity_beyond_the_column_is_a_400_and_nothing_written(
    organizer_api, meeting, room, capacity
):
    response = organizer_api.post(
        sessions_url(meeting), payload(meeting, room, capacity=capacity), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"capacity": [TOO_BIG_INT]}
    assert not Session.objects.exists()


def test_session_capacity_at_the_column_limit_is_accepted(organizer_api, meeting):
    response = organizer_api.post(
        sessions_url(meeting), {"title": "Huge hall", "capacity": 2**31 - 1}, format="json"
    )
    assert response.status_code == 201
    assert Session.objects.get().capacity == 2147483647


def test_track_position_beyond_the_column_is_a_400_and_nothing_written(organizer_api, meeting):
    response = organizer_api.post(
        f"/api/v1/meetings/{meeting.slug}/tracks/",
        {"slug": "industry", "name": "Industry", "position": 2**40},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"position": [TOO_BIG_SMALLINT]}
    assert not Track.objects.exists()


def test_speaker_position_beyond_the_column_is_a_400_and_nothing_written(organizer_api, meeting):
    session = SessionFactory(meeting=meeting)
    SpeakerFactory(meeting=meeting, slug="ane")
    response = organizer_api.post(
        sessions_url(meeting, f"{session.pk}/speakers/"),
        {"speaker": "ane", "position": 2**40},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"position": [TOO_BIG_SMALLINT]}
    assert not SessionSpeaker.objects.exists()


def test_busy_error_is_a_503_with_retry_after():
    """The agenda API's "busy" answer tells clients when to try again, as the docstring and
    the registrations API do (the whole request is exercised in test_concurrency)."""
    response = api_settings.EXCEPTION_HANDLER(AgendaBusy(), {})
    assert (response.status_code, response["Retry-After"]) == (503, "2")
    assert response.data == {"detail": "The agenda is being changed by someone else; try again."}
