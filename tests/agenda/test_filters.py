"""agenda/filters.py SessionFilterSet: each filter, several values, bad values per surface."""

import datetime as dt

import pytest
from django.http import QueryDict
from rest_framework.test import APIClient

from agenda import selectors
from agenda.filters import SessionFilterSet, last_values
from tests.factories import RoomFactory, SessionFactory, TrackFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(meeting):
    """Day one: an industry talk (room A), a collab panel (room B); day two: a workshop."""
    industry = TrackFactory(meeting=meeting, slug="industry")
    collab = TrackFactory(meeting=meeting, slug="collab")
    room_a = RoomFactory(venue=meeting.venue, name="A", position=1)
    room_b = RoomFactory(venue=meeting.venue, name="B", position=2)
    talk = SessionFactory(
        meeting=meeting, title="Talk", kind="talk", track=industry, room=room_a,
        starts_at=at(meeting, 0, "09:00"), ends_at=at(meeting, 0, "10:00"),
    )  # fmt: skip
    panel = SessionFactory(
        meeting=meeting, title="Panel", kind="panel", track=collab, room=room_b,
        starts_at=at(meeting, 0, "11:00"), ends_at=at(meeting, 0, "12:00"),
    )  # fmt: skip
    workshop = SessionFactory(
        meeting=meeting, title="Workshop", kind="workshop", track=None, room=room_a,
        starts_at=at(meeting, 1, "09:00"), ends_at=at(meeting, 1, "10:00"),
    )  # fmt: skip
    return {"talk": talk, "panel": panel, "workshop": workshop, "a": room_a, "b": room_b}


def titles(meeting, query: str) -> list[str]:
    filterset = SessionFilterSet(
        QueryDict(query), selectors.session_list_public(meeting=meeting), meeting=meeting
    )
    assert filterset.is_valid(), filterset.errors
    return [session.title for session in filterset.qs]


def errors(meeting, query: str) -> dict:
    filterset = SessionFilterSet(QueryDict(query), meeting=meeting)
    assert not filterset.is_valid()
    return {name: list(messages) for name, messages in filterset.errors.items()}


def test_no_filter_is_every_session(meeting, sessions):
    assert titles(meeting, "") == ["Talk", "Panel", "Workshop"]


def test_empty_values_are_no_filter(meeting, sessions):
    assert titles(meeting, "track=&room=&kind=&day=") == ["Talk", "Panel", "Workshop"]


def test_track_by_slug(meeting, sessions):
    assert titles(meeting, "track=industry") == ["Talk"]


def test_room_by_id(meeting, sessions):
    assert titles(meeting, f"room={sessions['a'].pk}") == ["Talk", "Workshop"]


def test_kind(meeting, sessions):
    assert titles(meeting, "kind=panel") == ["Panel"]


def test_day_is_the_meetings_local_day(meeting, sessions):
    assert titles(meeting, f"day={meeting.ends_on}") == ["Workshop"]


def test_day_is_cut_at_midnight_in_the_meeting_time_zone(meeting):
    """00:30 Madrid on day two is 23:30 UTC on day one: it belongs to day two."""
    late = SessionFactory(
        meeting=meeting,
        title="Late",
        starts_at=at(meeting, 1, "00:30"),
        ends_at=at(meeting, 1, "01:00"),
        room=None,
    )
    assert late.starts_at.astimezone(dt.UTC).date() == meeting.starts_on
    day_two = titles(meeting, f"day={meeting.ends_on}")
    day_one = titles(meeting, f"day={meeting.starts_on}")
    assert (day_two, day_one) == (["Late"], [])


def test_several_values_of_one_filter_are_alternatives(meeting, sessions):
    assert titles(meeting, "track=industry&track=collab") == ["Talk", "Panel"]
    assert titles(meeting, f"room={sessions['a'].pk}&room={sessions['b'].pk}") == [
        "Talk",
        "Panel",
        "Workshop",
    ]
    assert titles(meeting, "kind=talk&kind=workshop") == ["Talk", "Workshop"]
    assert titles(meeting, f"day={meeting.starts_on}&day={meeting.ends_on}") == [
        "Talk",
        "Panel",
        "Workshop",
    ]


def test_different_filters_all_apply(meeting, sessions):
    assert titles(meeting, f"room={sessions['a'].pk}&kind=workshop") == ["Workshop"]
    assert titles(meeting, "track=industry&kind=panel") == []


def test_a_well_formed_unknown_value_matches_nothing(meeting, sessions):
    assert titles(meeting, "track=nobody") == []
    assert titles(meeting, "room=2147483647") == []


def test_bad_values_are_errors_with_the_fields_messages(meeting):
    assert errors(meeting, "day=tomorrow&track=a b&room=abc&kind=party") == {
        "day": ["Enter a valid date."],
        "track": ["Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."],
        "room": ["Enter a whole number."],
        "kind": ["Select a valid choice. party is not one of the available choices."],
    }


def test_room_out_of_an_id_columns_range_is_an_error(meeting):
    assert errors(meeting, "room=0&room=2147483648") == {
        "room": ["Ensure this value is greater than or equal to 1."]
    }


def test_a_day_without_midnight_bounds_is_an_error(meeting):
    assert errors(meeting, "day=9999-12-31") == {
        "day": ["Give a day between 0001-01-02 and 9999-12-30."]
    }


def test_last_values_keeps_one_value_per_parameter():
    assert last_values(QueryDict("track=a&track=b&kind=talk")) == {
        "track": ["b"],
        "kind": ["talk"],
    }


# --- what each surface does with a bad value ------------------------------------


def test_page_shows_the_error_and_leaves_every_filter_out(client, meeting, sessions):
    response = client.get(f"/meetings/{meeting.slug}/agenda/?track=industry&kind=party")

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert (response.context["filters"], len(response.context["grid"].groups)) == ({}, 2)


def test_page_and_api_take_the_last_value_of_a_repeated_filter(client, meeting, sessions):
    page = client.get(f"/meetings/{meeting.slug}/agenda/?track=industry&track=collab")
    api = APIClient().get(f"/api/v1/meetings/{meeting.slug}/sessions/?track=industry&track=collab")

    assert page.context["filters"] == {"track": "collab"}
    assert [session["title"] for session in api.json()["results"]] == ["Panel"]


def test_api_answers_400_naming_each_bad_filter(meeting):
    response = APIClient().get(f"/api/v1/meetings/{meeting.slug}/sessions/?room=abc&kind=party")

    assert (response.status_code, response.json()) == (
        400,
        {
            "room": ["Enter a whole number."],
            "kind": ["Select a valid choice. party is not one of the available choices."],
        },
    )


def test_feed_answers_400_naming_unknown_values(client, meeting, sessions):
    response = client.get(f"/meetings/{meeting.slug}/agenda.ics?track=industry&track=nobody")

    assert (response.status_code, response.content.decode()) == (
        400,
        "Unknown track: nobody. Use a track's slug.",
    )


def test_feed_filters_with_several_values(client, meeting, sessions):
    response = client.get(f"/meetings/{meeting.slug}/agenda.ics?kind=talk&kind=workshop")

    assert response.status_code == 200
    assert response.content.count(b"BEGIN:VEVENT") == 2


def test_board_takes_the_default_day_for_a_bad_filter(client, organizer, meeting, sessions):
    client.force_login(organizer)

    good = client.get(f"/meetings/{meeting.slug}/board/?day={meeting.ends_on}")
    bad = client.get(f"/meetings/{meeting.slug}/board/?day={meeting.ends_on}&room=abc")

    assert (good.context["day"], bad.context["day"]) == (meeting.ends_on, meeting.starts_on)
