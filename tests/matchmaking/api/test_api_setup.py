"""The organizers' setup through the API: settings, sectors, matchmaking sessions. A PUT of
what GET showed changes nothing; bad input names the field and changes nothing."""

import datetime as dt

import pytest

from agenda.models import Session
from matchmaking.models import B2BSession, Matchmaking, Sector, Slot, Table
from matchmaking.services.requests import request_accept, request_create
from tests.factories import SessionFactory, at
from tests.matchmaking.api.conftest import b2b_url, organizer_api, participant_api
from tests.matchmaking.b2b import b2b_meeting, first_session, person, slots

pytestmark = pytest.mark.django_db


def test_settings_put_back_as_shown_change_nothing(meeting):
    api = organizer_api(meeting)
    api.patch(
        b2b_url(meeting, "settings/"),
        {"opens_at": "2030-01-10T09:00", "closes_at": "2030-01-20T18:00"},
        format="json",
    )
    before = Matchmaking.objects.values_list("updated_at", flat=True).get(meeting=meeting)
    shown = api.get(b2b_url(meeting, "settings/")).json()

    again = api.put(b2b_url(meeting, "settings/"), shown, format="json")

    assert again.status_code == 200
    assert again.json() == shown
    # A time without an offset is the meeting's wall-clock time (Madrid, +01:00 in January).
    assert shown["opens_at"] == "2030-01-10T09:00:00+01:00"
    assert Matchmaking.objects.values_list("updated_at", flat=True).get(meeting=meeting) == before


def test_settings_of_a_meeting_that_never_had_b2b_read_as_off_and_put_turns_them_on(meeting):
    fresh = b2b_meeting()
    Matchmaking.objects.filter(meeting=fresh).delete()
    api = organizer_api(fresh)

    assert api.get(b2b_url(fresh, "settings/")).json()["enabled"] is False
    partial = api.put(b2b_url(fresh, "settings/"), {"enabled": True}, format="json")
    assert (partial.status_code, sorted(partial.json())) == (
        400,
        ["profiles_need_validation", "request_mode", "scheduling_mode"],
    )
    whole = {
        "enabled": True,
        "request_mode": "accept",
        "scheduling_mode": "organizers",
        "profiles_need_validation": True,
    }
    saved = api.put(b2b_url(fresh, "settings/"), whole, format="json")
    assert saved.status_code == 200
    assert Matchmaking.objects.get(meeting=fresh).scheduling_mode == "organizers"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"request_mode": "sometimes"}, "request_mode"),
        ({"scheduling_mode": "nobody"}, "scheduling_mode"),
        ({"enabled": "perhaps"}, "enabled"),
        ({"opens_at": "tomorrow"}, "opens_at"),
        ({"opens_at": "2030-01-10T09:00", "closes_at": "2030-01-09T09:00"}, "closes_at"),
    ],
)
def test_bad_settings_are_a_400_naming_the_field_and_change_nothing(meeting, body, field):
    before = Matchmaking.objects.filter(meeting=meeting).values().get()

    response = organizer_api(meeting).patch(b2b_url(meeting, "settings/"), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Matchmaking.objects.filter(meeting=meeting).values().get() == before


def test_sectors_are_added_renamed_and_removed(meeting, ana):
    api = organizer_api(meeting)
    created = api.post(b2b_url(meeting, "sectors/"), {"name": "  Agri-food  "}, format="json")
    assert (created.status_code, created.json()["name"]) == (201, "Agri-food")
    sector = created.json()["id"]
    ana.b2b_profile.sectors.add(sector)

    duplicate = api.post(b2b_url(meeting, "sectors/"), {"name": "agri-FOOD"}, format="json")
    assert duplicate.json() == {"name": ["This sector is already on the list."]}
    hostile = api.post(b2b_url(meeting, "sectors/"), {"name": "Food\n\u202e"}, format="json")
    assert list(hostile.json()) == ["name"]

    before = Sector.objects.values_list("updated_at", flat=True).get()
    shown = api.get(b2b_url(meeting, f"sectors/{sector}/")).json()
    same = api.put(b2b_url(meeting, f"sectors/{sector}/"), {"name": shown["name"]}, format="json")
    assert Sector.objects.values_list("updated_at", flat=True).get() == before
    assert same.json() == shown

    renamed = api.patch(b2b_url(meeting, f"sectors/{sector}/"), {"name": "Food"}, format="json")
    assert renamed.json()["name"] == "Food"
    assert (
        participant_api(ana).get(b2b_url(meeting, "profile/")).json()["sectors"][0]["name"]
        == "Food"
    )
    assert api.delete(b2b_url(meeting, f"sectors/{sector}/")).status_code == 204
    assert not ana.b2b_profile.sectors.exists()


def test_another_meetings_sector_is_not_found(meeting):
    theirs = Sector.objects.create(meeting=b2b_meeting(), name="Energy")
    api = organizer_api(meeting)
    assert (
        api.patch(b2b_url(meeting, f"sectors/{theirs.pk}/"), {"name": "X"}, "json").status_code
        == 404
    )
    assert Sector.objects.get().name == "Energy"


def b2b_agenda_session(meeting, start="10:00", minutes=60):
    return SessionFactory(
        meeting=meeting,
        kind=Session.Kind.B2B,
        starts_at=at(meeting, 1, start),
        ends_at=at(meeting, 1, start) + dt.timedelta(minutes=minutes),
    )


def test_an_organizer_makes_a_b2b_session_a_matchmaking_session_with_named_tables(meeting):
    agenda_session = b2b_agenda_session(meeting)
    api = organizer_api(meeting)
    body = {
        "session": agenda_session.pk,
        "slot_minutes": 30,
        "tables": ["Aragón", "Navarra", "Asturias"],
        "max_meetings_per_person": 1,
    }

    created = api.post(b2b_url(meeting, "sessions/"), body, format="json")

    assert created.status_code == 201, created.json()
    shown = created.json()
    assert (shown["session"], shown["slot_minutes"], shown["max_meetings_per_person"]) == (
        agenda_session.pk,
        30,
        1,
    )
    assert [table["name"] for table in shown["tables"]] == ["Aragón", "Navarra", "Asturias"]
    times = [at(meeting, 1, hhmm).isoformat() for hhmm in ("10:00", "10:30", "11:00")]
    assert [(s["starts_at"], s["ends_at"]) for s in shown["slots"]] == [
        (times[0], times[1]),
        (times[1], times[2]),
    ]

    # POST again: the same session is changed (200), not doubled.
    body["tables"] = 4
    again = api.post(b2b_url(meeting, "sessions/"), body, format="json")
    assert again.status_code == 200
    assert [t["name"] for t in again.json()["tables"]] == ["1", "2", "3", "4"]
    assert B2BSession.objects.filter(session=agenda_session).count() == 1


def test_a_session_put_back_as_shown_changes_nothing(meeting):
    b2b_session = first_session(meeting)
    api = organizer_api(meeting)
    before = (
        B2BSession.objects.values_list("updated_at", flat=True).get(pk=b2b_session.pk),
        list(Slot.objects.values_list("pk", "starts_at")),
        list(Table.objects.values_list("pk", "name", "position")),
    )
    shown = api.get(b2b_url(meeting, f"sessions/{b2b_session.pk}/")).json()
    body = {
        "slot_minutes": shown["slot_minutes"],
        "tables": [table["name"] for table in shown["tables"]],
        "max_meetings_per_person": shown["max_meetings_per_person"],
    }

    again = api.put(b2b_url(meeting, f"sessions/{b2b_session.pk}/"), body, format="json")

    assert again.json() == shown
    assert (
        B2BSession.objects.values_list("updated_at", flat=True).get(pk=b2b_session.pk),
        list(Slot.objects.values_list("pk", "starts_at")),
        list(Table.objects.values_list("pk", "name", "position")),
    ) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"session": "{talk}", "slot_minutes": 20, "tables": 2}, "non_field_errors"),
        ({"session": "{foreign}", "slot_minutes": 20, "tables": 2}, "session"),
        ({"session": 2**40, "slot_minutes": 20, "tables": 2}, "session"),
        ({"session": "{b2b}", "slot_minutes": 3, "tables": 2}, "slot_minutes"),
        ({"session": "{b2b}", "slot_minutes": 90, "tables": 2}, "slot_minutes"),
        ({"session": "{b2b}", "slot_minutes": 20, "tables": 0}, "tables"),
        ({"session": "{b2b}", "slot_minutes": 20, "tables": 501}, "tables"),
        ({"session": "{b2b}", "slot_minutes": 20, "tables": True}, "tables"),
        ({"session": "{b2b}", "slot_minutes": 20, "tables": "twelve"}, "tables"),
        ({"session": "{b2b}", "slot_minutes": 20, "tables": ["A", "a"]}, "tables"),
        ({"session": "{b2b}", "slot_minutes": 20, "tables": ["A\n"]}, "tables"),
        ({"session": "{b2b}", "slot_minutes": 20, "tables": []}, "tables"),
        ({"session": "{b2b}", "slot_minutes": 20, "tables": 2, "max_meetings_per_person": 0},
         "max_meetings_per_person"),
    ],
)  # fmt: skip
def test_a_bad_session_setup_is_a_400_naming_the_field_and_changes_nothing(meeting, body, field):
    ids = {
        "talk": SessionFactory(meeting=meeting).pk,
        "foreign": b2b_agenda_session(b2b_meeting()).pk,
        "b2b": b2b_agenda_session(meeting, minutes=60).pk,
    }
    body = {k: ids[v.strip("{}")] if str(v).startswith("{") else v for k, v in body.items()}
    before = (B2BSession.objects.count(), Slot.objects.count(), Table.objects.count())

    response = organizer_api(meeting).post(b2b_url(meeting, "sessions/"), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert (B2BSession.objects.count(), Slot.objects.count(), Table.objects.count()) == before


def test_a_session_holding_meetings_keeps_its_tables_and_cannot_be_removed(meeting):
    ana, ben = person(meeting), person(meeting)
    request_accept(
        request=request_create(requester=ana, recipient=ben), by=ben, slot_id=slots(meeting)[0].pk
    )
    b2b_session = first_session(meeting)
    api = organizer_api(meeting)

    fewer = api.patch(b2b_url(meeting, f"sessions/{b2b_session.pk}/"), {"tables": ["2"]}, "json")
    removed = api.delete(b2b_url(meeting, f"sessions/{b2b_session.pk}/"))

    assert fewer.json() == {
        "tables": ["1 scheduled B2B meetings are at tables this change removes: "
                   "move or cancel them first."]
    }  # fmt: skip
    assert removed.status_code == 400
    assert list(b2b_session.tables.values_list("name", flat=True)) == ["1", "2"]
    assert B2BSession.objects.filter(pk=b2b_session.pk).exists()


def test_a_session_without_meetings_is_removed_and_its_agenda_session_stays(meeting):
    b2b_session = first_session(meeting)
    response = organizer_api(meeting).delete(b2b_url(meeting, f"sessions/{b2b_session.pk}/"))
    assert response.status_code == 204
    assert not B2BSession.objects.exists()
    assert Session.objects.filter(pk=b2b_session.session_id).exists()


def test_participants_see_only_sessions_on_the_agenda_organizers_every_one(meeting, ana):
    draft = b2b_agenda_session(meeting)
    draft.status = Session.Status.DRAFT
    draft.save()
    api = organizer_api(meeting)
    api.post(
        b2b_url(meeting, "sessions/"),
        {"session": draft.pk, "slot_minutes": 20, "tables": 1},
        format="json",
    )

    seen = participant_api(ana).get(b2b_url(meeting, "sessions/")).json()["results"]
    every = api.get(b2b_url(meeting, "sessions/")).json()["results"]

    assert [s["status"] for s in seen] == ["confirmed"]
    assert sorted(s["status"] for s in every) == ["confirmed", "draft"]
    hidden = next(s["id"] for s in every if s["status"] == "draft")
    assert participant_api(ana).get(b2b_url(meeting, f"sessions/{hidden}/")).status_code == 404


@pytest.mark.parametrize("when", ["0015-12-06T07:37:25", "3001-01-01T00:00:00+00:00"])
def test_a_booking_window_outside_this_millennium_is_refused(meeting, when):
    response = organizer_api(meeting).patch(
        b2b_url(meeting, "settings/"), {"closes_at": when}, format="json"
    )
    assert response.json() == {"closes_at": ["Enter a date between the years 2000 and 2999."]}
    assert Matchmaking.objects.get(meeting=meeting).closes_at is None


def test_a_body_that_is_not_json_is_a_415(meeting):
    response = organizer_api(meeting).post(
        b2b_url(meeting, "sectors/"), {"name": "Energy"}, format="multipart"
    )
    assert response.status_code == 415
    assert not Sector.objects.exists()
