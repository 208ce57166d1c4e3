"""Who may call what: a participant with their private link (Bearer), about their own
things and, once confirmed, the others' listed profiles; the meeting's organizers with
their token; nobody else — and a refusal changes nothing."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mail.models import OutboxMessage
from matchmaking.models import Matchmaking, MeetingRequest, Profile, Sector
from matchmaking.services.requests import request_create
from tests.matchmaking.api.conftest import b2b_url, organizer_api, participant_api
from tests.matchmaking.b2b import b2b_meeting, first_session, person, slots

pytestmark = pytest.mark.django_db

ACTORS = [
    "anonymous",
    "bad_token",
    "feed_token",
    "other_meeting",
    "cancelled",
    "waitlisted",
    "unlisted",
    "participant",
    "organizer",
    "other_organizer",
]


@pytest.fixture
def world(meeting, ana, ben):
    other = b2b_meeting()
    request = request_create(requester=ana, recipient=ben)
    unknown = APIClient()
    unknown.credentials(HTTP_AUTHORIZATION="Bearer " + "A" * 43)
    feed = APIClient()
    feed.credentials(HTTP_AUTHORIZATION=f"Bearer {ana.feed_token}")
    clients = {
        "anonymous": APIClient(),
        "bad_token": unknown,
        "feed_token": feed,
        "other_meeting": participant_api(person(other)),
        "cancelled": participant_api(person(meeting, status="cancelled")),
        "waitlisted": participant_api(person(meeting, status="waitlisted")),
        "unlisted": participant_api(person(meeting, listed=False)),
        "participant": participant_api(ana),
        "organizer": organizer_api(meeting),
        "other_organizer": organizer_api(other),
    }
    ids = {
        "ben": ben.b2b_profile.pk,
        "session": first_session(meeting).pk,
        "request": request.pk,
        "sector": Sector.objects.create(meeting=meeting, name="Energy").pk,
    }
    return clients, ids


# Expected answers, in the order of ACTORS.
READS = {
    # One's own things: any registration of the meeting that is not cancelled.
    "profile/": [401, 401, 401, 403, 403, 200, 200, 200, 403, 403],
    "profile/entries/": [401, 401, 401, 403, 403, 200, 200, 200, 403, 403],
    # The others: confirmed participants and organizers.
    "participants/": [401, 401, 401, 403, 403, 403, 200, 200, 200, 403],
    "participants/{ben}/": [401, 401, 401, 403, 403, 403, 200, 200, 200, 403],
    "marketplace/": [401, 401, 401, 403, 403, 403, 200, 200, 200, 403],
    "sessions/{session}/free-slots/?with={ben}": [401, 401, 401, 403, 403, 403, 200, 200, 403, 403],
    # What the meeting's B2B setup is: every participant, and organizers.
    "settings/": [401, 401, 401, 403, 403, 200, 200, 200, 200, 403],
    "sectors/": [401, 401, 401, 403, 403, 200, 200, 200, 200, 403],
    "sectors/{sector}/": [401, 401, 401, 403, 403, 200, 200, 200, 200, 403],
    "sessions/": [401, 401, 401, 403, 403, 200, 200, 200, 200, 403],
    "sessions/{session}/": [401, 401, 401, 403, 403, 200, 200, 200, 200, 403],
    # Requests: one's own (someone else's is not found), or all for organizers.
    "requests/": [401, 401, 401, 403, 403, 200, 200, 200, 200, 403],
    "requests/{request}/": [401, 401, 401, 403, 403, 404, 404, 200, 200, 403],
    "requests/{request}/free-slots/": [401, 401, 401, 403, 403, 404, 404, 200, 200, 403],
    # The organizers' list of every profile.
    "profiles/": [401, 401, 401, 403, 403, 403, 403, 403, 200, 403],
    "profiles/{ben}/": [401, 401, 401, 403, 403, 403, 403, 403, 200, 403],
}


@pytest.mark.parametrize("path", list(READS))
def test_reads_answer_each_kind_of_caller_as_they_should(world, meeting, path):
    clients, ids = world
    url = b2b_url(meeting, path.format(**ids))

    answers = [clients[actor].get(url).status_code for actor in ACTORS]

    assert dict(zip(ACTORS, answers, strict=True)) == dict(zip(ACTORS, READS[path], strict=True))


def test_a_bad_token_is_a_401_naming_the_scheme_and_the_private_link(world, meeting):
    clients, _ids = world
    response = clients["bad_token"].get(b2b_url(meeting, "profile/"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "private-link token is not valid" in response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer a b", "Bearer \u00e9t\u00e9", "Bearer " + "x" * 500, "Bearer a\x00b"],
)
def test_a_malformed_bearer_header_is_a_401_not_a_500(meeting, header):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))

    response = api.get(b2b_url(meeting, "profile/"))

    assert response.status_code == 401


def test_anonymous_learns_the_bearer_scheme(meeting):
    response = APIClient().get(b2b_url(meeting, "participants/"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_another_meetings_participant_is_told_the_link_is_for_another_meeting(world, meeting):
    clients, _ids = world
    response = clients["other_meeting"].get(b2b_url(meeting, "participants/"))
    assert response.json() == {"detail": "This private link is for another meeting."}


def test_a_waitlisted_person_is_told_the_directory_is_for_confirmed_participants(world, meeting):
    clients, _ids = world
    response = clients["waitlisted"].get(b2b_url(meeting, "participants/"))
    assert response.json() == {
        "detail": "The participants' directory is for confirmed participants."
    }


def test_with_matchmaking_off_participants_find_nothing_and_organizers_can_turn_it_on(meeting, ana):
    Matchmaking.objects.filter(meeting=meeting).update(enabled=False)
    as_ana, as_organizer = participant_api(ana), organizer_api(meeting)

    for path in ("profile/", "participants/", "requests/", "sessions/", "settings/"):
        response = as_ana.get(b2b_url(meeting, path))
        assert (path, response.status_code) == (path, 404)
        assert response.json() == {"detail": "This meeting has no B2B meetings."}

    turned_on = as_organizer.patch(b2b_url(meeting, "settings/"), {"enabled": True}, format="json")
    assert turned_on.status_code == 200
    assert as_ana.get(b2b_url(meeting, "participants/")).status_code == 200


def test_a_draft_meeting_is_not_found_even_with_a_valid_link(ana, meeting):
    meeting.status = "draft"
    meeting.save()
    assert participant_api(ana).get(b2b_url(meeting, "profile/")).status_code == 404


# Writes refused, with their bodies: nothing may change.
WRITES = [
    ("post", "requests/", {"recipient": "{ben}"}, ["organizer", "other_organizer", "waitlisted"]),
    ("post", "requests/{request}/accept/", {"slot": "{slot}"}, ["organizer", "participant"]),
    ("post", "requests/{request}/decline/", {}, ["organizer", "other_organizer", "participant"]),
    ("post", "requests/{request}/cancel/", {}, ["other_organizer", "other_meeting", "unlisted"]),
    (
        "post",
        "requests/{request}/schedule/",
        {"slot": "{slot}"},
        ["participant", "other_organizer"],
    ),
    ("put", "settings/", {"enabled": False}, ["participant", "other_organizer"]),
    ("patch", "settings/", {"enabled": False}, ["participant", "other_organizer"]),
    ("post", "sectors/", {"name": "Food"}, ["participant", "other_organizer"]),
    ("patch", "sectors/{sector}/", {"name": "Food"}, ["participant", "other_organizer"]),
    ("delete", "sectors/{sector}/", None, ["participant", "other_organizer"]),
    (
        "post",
        "sessions/",
        {"session": "{agenda}", "slot_minutes": 30, "tables": 3},
        ["participant"],
    ),
    ("patch", "sessions/{session}/", {"tables": 9}, ["participant", "other_organizer"]),
    ("delete", "sessions/{session}/", None, ["participant", "other_organizer"]),
    ("post", "profiles/{ben}/validate/", None, ["participant", "other_organizer"]),
    ("put", "profile/", {"pitch": "Mine"}, ["organizer", "other_meeting", "cancelled"]),
    ("post", "profile/entries/", {"kind": "offer", "title": "X"}, ["organizer", "other_meeting"]),
]


def _state(meeting):
    return (
        list(MeetingRequest.objects.order_by("pk").values_list("status", "updated_at")),
        list(Profile.objects.order_by("pk").values_list("updated_at", "validated_at", "pitch")),
        list(Sector.objects.order_by("pk").values_list("name", "updated_at")),
        list(Matchmaking.objects.values_list("enabled", "updated_at")),
        list(first_session(meeting).tables.values_list("name", flat=True)),
        OutboxMessage.objects.count(),
    )


def _fill(value, ids):
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    if isinstance(value, str) and value.startswith("{"):
        return ids[value.strip("{}")]
    return value


@pytest.mark.parametrize(("method", "path", "body", "refused"), WRITES)
def test_writes_by_the_wrong_people_are_refused_and_change_nothing(
    world, meeting, method, path, body, refused
):
    clients, ids = world
    ids = {**ids, "slot": slots(meeting)[0].pk, "agenda": first_session(meeting).session_id}
    before = _state(meeting)

    for actor in ["anonymous", "bad_token", *refused]:
        response = getattr(clients[actor], method)(
            b2b_url(meeting, path.format(**ids)), _fill(body, ids), format="json"
        )
        assert (actor, response.status_code) in {(actor, code) for code in (400, 401, 403, 404)}
        assert _state(meeting) == before


def test_accepting_ones_own_request_is_refused_with_a_message(world, meeting):
    clients, ids = world
    response = clients["participant"].post(
        b2b_url(meeting, f"requests/{ids['request']}/accept/"),
        {"slot": slots(meeting)[0].pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Only the person asked can accept this request."]
    }


def test_bearer_requests_are_rate_limited_like_the_private_link(meeting, ana, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "private_link": "3/min",
        },
    }
    guesser = APIClient()
    guesser.credentials(HTTP_AUTHORIZATION="Bearer " + "B" * 43)
    answers = [guesser.get(b2b_url(meeting, "profile/")).status_code for _ in range(4)]

    assert answers == [401, 401, 401, 429]
    refused = participant_api(ana).get(b2b_url(meeting, "profile/"))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1


def test_the_organizer_of_one_meeting_reads_no_profile_of_another(meeting, ben):
    ben.b2b_profile.validated_at = timezone.now()
    ben.b2b_profile.save()
    other = organizer_api(b2b_meeting())
    assert other.get(b2b_url(meeting, "profiles/")).status_code == 403
    assert other.get(b2b_url(meeting, f"participants/{ben.b2b_profile.pk}/")).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "requests/{big}/",
        "requests/{big}/accept/",
        "participants/{big}/",
        "profile/entries/{big}/",
        "sessions/{big}/free-slots/?with={big}",
        "sectors/{big}/",
        "profiles/{big}/",
    ],
)
def test_an_id_no_column_holds_is_not_found_not_a_500(world, meeting, path):
    clients, _ids = world
    url = b2b_url(meeting, path.format(big=2**70))
    for actor in ("participant", "organizer"):
        method = "post" if url.endswith("accept/") else "get"
        response = getattr(clients[actor], method)(url, {}, format="json")
        assert (actor, response.status_code) in {(actor, 403), (actor, 404)}
