"""Meeting requests through the API: field errors that name the field and change nothing,
the modes (automatic acceptance, organizers schedule), cancels and clashes."""

import datetime as dt

import pytest
from django.utils import timezone

from mail.models import OutboxMessage
from matchmaking.models import Matchmaking, MeetingRequest, SlotSeat
from matchmaking.services.requests import request_accept, request_create
from tests.factories import SessionBookingFactory, SessionFactory, at
from tests.matchmaking.api.conftest import b2b_url, organizer_api, participant_api
from tests.matchmaking.b2b import b2b_meeting, b2b_session_add, first_session, person, slots

pytestmark = pytest.mark.django_db


def state():
    return (
        list(MeetingRequest.objects.order_by("pk").values_list("status", "slot", "updated_at")),
        SlotSeat.objects.count(),
        OutboxMessage.objects.count(),
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "recipient"),
        ({"recipient": "ben"}, "recipient"),
        ({"recipient": 2**40}, "recipient"),
        ({"recipient": 999_999}, "recipient"),
        ({"recipient": "{ana}"}, "recipient"),
        ({"recipient": "{ben}", "message": "x" * 1001}, "message"),
        ({"recipient": "{ben}", "preferred_session": 999_999}, "preferred_session"),
        ({"recipient": "{ben}", "preferred_session": "{other_session}"}, "preferred_session"),
        ({"recipient": "{ben}", "slot": "{slot}"}, "slot"),
        ({"recipient": "{stranger}"}, "recipient"),
    ],
)
def test_a_bad_request_is_a_400_naming_the_field_and_writes_nothing(meeting, ana, ben, body, field):
    other = b2b_meeting()
    ids = {
        "ana": ana.b2b_profile.pk,
        "ben": ben.b2b_profile.pk,
        "stranger": person(other).b2b_profile.pk,
        "other_session": first_session(other).pk,
        "slot": slots(meeting)[0].pk,
    }
    body = {k: ids[v.strip("{}")] if str(v).startswith("{") else v for k, v in body.items()}

    response = participant_api(ana).post(b2b_url(meeting, "requests/"), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not MeetingRequest.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_asking_twice_is_refused_with_a_message(meeting, ana, ben):
    request_create(requester=ben, recipient=ana)

    response = participant_api(ana).post(
        b2b_url(meeting, "requests/"), {"recipient": ben.b2b_profile.pk}, format="json"
    )

    assert response.json() == {"non_field_errors": ["You already have a request with this person."]}


def test_an_unlisted_person_is_told_to_make_their_profile_visible_first(meeting, ben):
    shy = person(meeting, listed=False)
    response = participant_api(shy).post(
        b2b_url(meeting, "requests/"), {"recipient": ben.b2b_profile.pk}, format="json"
    )
    assert response.json() == {
        "non_field_errors": ["Make your profile visible to the other participants first."]
    }


def test_requests_wait_for_the_booking_window(meeting, ana, ben):
    Matchmaking.objects.filter(meeting=meeting).update(
        opens_at=timezone.now() + dt.timedelta(days=1)
    )
    response = participant_api(ana).post(
        b2b_url(meeting, "requests/"), {"recipient": ben.b2b_profile.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"][0].startswith("Meeting requests open on ")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "slot"),
        ({"slot": None}, "slot"),
        ({"slot": "first"}, "slot"),
        ({"slot": 2**40}, "slot"),
        ({"slot": "{foreign_slot}"}, "slot"),
    ],
)
def test_a_bad_accept_is_a_400_naming_the_slot_and_changes_nothing(meeting, ana, ben, body, field):
    request = request_create(requester=ana, recipient=ben)
    foreign = slots(b2b_meeting())[0].pk
    body = {k: foreign if v == "{foreign_slot}" else v for k, v in body.items()}
    before = state()

    response = participant_api(ben).post(
        b2b_url(meeting, f"requests/{request.pk}/accept/"), body, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert state() == before


def test_accepting_at_a_slot_where_the_requester_is_busy_names_them(meeting, ana, ben):
    cai = person(meeting)
    slot = slots(meeting)[0]
    request_accept(request=request_create(requester=ana, recipient=cai), by=cai, slot_id=slot.pk)
    request = request_create(requester=ana, recipient=ben)
    before = state()

    response = participant_api(ben).post(
        b2b_url(meeting, f"requests/{request.pk}/accept/"), {"slot": slot.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"slot": [f"{ana.full_name} is not free at 15:00."]}
    assert state() == before


def test_free_slots_leave_out_where_either_person_has_a_booked_session(meeting, ana, ben):
    workshop = SessionFactory(
        meeting=meeting,
        requires_booking=True,
        starts_at=at(meeting, 0, "15:10"),
        ends_at=at(meeting, 0, "15:30"),
    )
    SessionBookingFactory(registration=ana, session=workshop)
    session = first_session(meeting)

    free = participant_api(ben).get(
        b2b_url(meeting, f"sessions/{session.pk}/free-slots/"), {"with": ana.b2b_profile.pk}
    )

    assert [choice["id"] for choice in free.json()] == [slots(meeting)[2].pk]


@pytest.mark.parametrize("value", ["", "ana", "²", str(2**70), "-1"])
def test_free_slots_with_nobody_one_can_meet_is_a_400_naming_with(meeting, ana, value):
    session = first_session(meeting)
    response = participant_api(ana).get(
        b2b_url(meeting, f"sessions/{session.pk}/free-slots/"), {"with": value}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["with"]


def test_a_person_who_asked_and_then_stopped_being_listed_can_still_be_met(meeting, ana, ben):
    request = request_create(requester=ana, recipient=ben)
    ana.b2b_profile.listed = False
    ana.b2b_profile.save()
    session = first_session(meeting)

    free = participant_api(ben).get(
        b2b_url(meeting, f"sessions/{session.pk}/free-slots/"), {"with": ana.b2b_profile.pk}
    )
    accepted = participant_api(ben).post(
        b2b_url(meeting, f"requests/{request.pk}/accept/"),
        {"slot": free.json()[0]["id"]},
        format="json",
    )

    assert accepted.json()["status"] == "scheduled"


def test_automatic_acceptance_schedules_at_the_slot_the_requester_picks(ana, ben, meeting):
    Matchmaking.objects.filter(meeting=meeting).update(
        request_mode=Matchmaking.RequestMode.AUTOMATIC
    )
    api = participant_api(ana)
    without = api.post(
        b2b_url(meeting, "requests/"), {"recipient": ben.b2b_profile.pk}, format="json"
    )
    assert without.json() == {"slot": ["Choose a time slot."]}

    slot = slots(meeting)[2]
    made = api.post(
        b2b_url(meeting, "requests/"),
        {"recipient": ben.b2b_profile.pk, "slot": slot.pk, "message": "See you"},
        format="json",
    )

    assert made.status_code == 201
    assert (made.json()["status"], made.json()["slot"]["id"], made.json()["table"]["name"]) == (
        "scheduled",
        slot.pk,
        "1",
    )


def test_when_organizers_schedule_the_accept_takes_no_slot_and_an_organizer_places_it(
    meeting, ana, ben
):
    Matchmaking.objects.filter(meeting=meeting).update(
        scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS
    )
    request = request_create(requester=ana, recipient=ben)
    as_ben, as_organizer = participant_api(ben), organizer_api(meeting)
    url = b2b_url(meeting, f"requests/{request.pk}/")

    refused = as_ben.post(f"{url}accept/", {"slot": slots(meeting)[0].pk}, format="json")
    assert refused.json() == {"slot": ["The organizers schedule the meetings of this event."]}
    assert as_ben.post(f"{url}accept/", {}, format="json").json()["status"] == "accepted"

    accepted = as_organizer.get(b2b_url(meeting, "requests/"), {"status": "accepted"}).json()
    assert [row["id"] for row in accepted["results"]] == [request.pk]
    assert (accepted["results"][0]["direction"], accepted["results"][0]["clashes"]) == (None, None)
    choices = as_organizer.get(f"{url}free-slots/").json()
    assert [len(session["slots"]) for session in choices] == [3]

    second_table = first_session(meeting).tables.get(name="2")
    placed = as_organizer.post(
        f"{url}schedule/",
        {"slot": choices[0]["slots"][1]["id"], "table": second_table.pk},
        format="json",
    )
    assert placed.status_code == 200, placed.json()
    assert (placed.json()["status"], placed.json()["table"]["name"]) == ("scheduled", "2")
    mine = as_ben.get(url).json()
    assert (mine["slot"]["id"], mine["table"]["id"]) == (slots(meeting)[1].pk, second_table.pk)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "slot"),
        ({"slot": "{foreign_slot}"}, "slot"),
        ({"slot": "{slot}", "table": "{foreign_table}"}, "table"),
        ({"slot": "{slot}", "table": 2**40}, "table"),
    ],
)
def test_a_bad_schedule_is_a_400_naming_the_field(meeting, ana, ben, body, field):
    Matchmaking.objects.filter(meeting=meeting).update(
        scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS
    )
    request = request_create(requester=ana, recipient=ben)
    request_accept(request=request, by=ben)
    other = b2b_meeting()
    ids = {
        "slot": slots(meeting)[0].pk,
        "foreign_slot": slots(other)[0].pk,
        "foreign_table": first_session(other).tables.first().pk,
    }
    body = {k: ids[v.strip("{}")] if str(v).startswith("{") else v for k, v in body.items()}
    before = state()

    response = organizer_api(meeting).post(
        b2b_url(meeting, f"requests/{request.pk}/schedule/"), body, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert state() == before


def test_an_organizer_cancels_a_scheduled_meeting_and_both_are_told(meeting, ana, ben):
    request = request_accept(
        request=request_create(requester=ana, recipient=ben), by=ben, slot_id=slots(meeting)[0].pk
    )
    response = organizer_api(meeting).post(b2b_url(meeting, f"requests/{request.pk}/cancel/"))

    assert (response.json()["status"], response.json()["cancelled_by"]) == (
        "cancelled",
        "organizers",
    )
    assert not SlotSeat.objects.exists()
    cancels = OutboxMessage.objects.filter(kind="b2b_meeting_cancelled")
    assert sorted(cancels.values_list("recipient", flat=True)) == sorted([ana.email, ben.email])
    again = organizer_api(meeting).post(b2b_url(meeting, f"requests/{request.pk}/cancel/"))
    assert again.json() == {"non_field_errors": ["This request is already closed."]}


def test_a_moved_session_shows_as_a_clash_on_both_sides(meeting, ana, ben):
    request = request_accept(
        request=request_create(requester=ana, recipient=ben), by=ben, slot_id=slots(meeting)[0].pk
    )
    workshop = SessionFactory(
        meeting=meeting, title="Hydrogen workshop", requires_booking=True,
        starts_at=at(meeting, 0, "15:00"), ends_at=at(meeting, 0, "16:00"),
    )  # fmt: skip
    SessionBookingFactory(registration=ana, session=workshop)

    for who, clashes in ((ana, ["Hydrogen workshop"]), (ben, [])):
        listed = participant_api(who).get(b2b_url(meeting, "requests/")).json()["results"]
        one = participant_api(who).get(b2b_url(meeting, f"requests/{request.pk}/")).json()
        assert [c["title"] for c in listed[0]["clashes"]] == clashes
        assert [c["title"] for c in one["clashes"]] == clashes


def test_requests_filter_by_status_and_a_bad_status_is_a_400(meeting, ana, ben):
    request_create(requester=ana, recipient=ben)
    api = participant_api(ana)

    assert api.get(b2b_url(meeting, "requests/"), {"status": "requested"}).json()["count"] == 1
    assert api.get(b2b_url(meeting, "requests/"), {"status": "declined"}).json()["count"] == 0
    bad = api.get(b2b_url(meeting, "requests/"), {"status": "maybe"})
    assert (bad.status_code, list(bad.json())) == (400, ["status"])


def test_a_request_in_another_meeting_is_not_found_for_its_organizers(meeting):
    other = b2b_meeting()
    theirs = request_create(requester=person(other), recipient=person(other))
    api = organizer_api(meeting)
    assert api.get(b2b_url(meeting, f"requests/{theirs.pk}/")).status_code == 404
    assert api.post(b2b_url(meeting, f"requests/{theirs.pk}/cancel/")).status_code == 404
    assert MeetingRequest.objects.get().status == "requested"


def test_the_second_sessions_slots_are_offered_too(meeting, ana, ben):
    b2b_session_add(meeting, day=1, start="10:00", minutes=40)
    request = request_create(requester=ana, recipient=ben)

    choices = participant_api(ben).get(b2b_url(meeting, f"requests/{request.pk}/free-slots/"))

    assert [len(session["slots"]) for session in choices.json()] == [3, 2]


def test_a_hostile_message_arrives_clean_and_the_email_is_still_written(meeting, ana, ben):
    hostile = "Hola\r\nBen\x07\x1b[31m \u202eevil\u202c\u200b " + "muy " * 200

    made = participant_api(ana).post(
        b2b_url(meeting, "requests/"),
        {"recipient": ben.b2b_profile.pk, "message": hostile},
        format="json",
    )

    assert made.status_code == 201, made.json()
    seen = participant_api(ben).get(b2b_url(meeting, f"requests/{made.json()['id']}/")).json()
    assert seen["message"] == ("Hola\nBen[31m evil " + "muy " * 200).strip()
    assert OutboxMessage.objects.filter(kind="b2b_request_received", recipient=ben.email).exists()


def test_free_slots_of_a_closed_request_are_refused(meeting, ana, ben):
    request = request_create(requester=ana, recipient=ben)
    participant_api(ben).post(b2b_url(meeting, f"requests/{request.pk}/decline/"), {}, "json")

    response = participant_api(ana).get(b2b_url(meeting, f"requests/{request.pk}/free-slots/"))

    assert response.json() == {"non_field_errors": ["This request is closed."]}
