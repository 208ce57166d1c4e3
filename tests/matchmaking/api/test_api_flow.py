"""The whole path through the API: A finds B, asks, B finds a slot where both are free and
accepts, and both read the same meeting, at the same time, at the same table."""

import pytest

from mail.models import OutboxMessage
from matchmaking.models import MeetingRequest, SlotSeat
from tests.matchmaking.api.conftest import b2b_url, participant_api
from tests.matchmaking.b2b import first_session, slots

pytestmark = pytest.mark.django_db


def test_a_finds_b_asks_b_accepts_a_free_slot_and_both_see_the_same_meeting(meeting, ana, ben):
    ben.b2b_profile.pitch = "Digital twins for the food industry."
    ben.b2b_profile.save()
    as_ana, as_ben = participant_api(ana), participant_api(ben)

    found = as_ana.get(b2b_url(meeting, "participants/"), {"q": "digital twins"}).json()
    assert [card["name"] for card in found["results"]] == [ben.full_name]
    ben_profile = found["results"][0]["id"]

    asked = as_ana.post(
        b2b_url(meeting, "requests/"),
        {"recipient": ben_profile, "message": "Shall we talk about twins?"},
        format="json",
    )
    assert asked.status_code == 201, asked.json()
    request_id = asked.json()["id"]
    assert (asked.json()["status"], asked.json()["direction"]) == ("requested", "sent")

    inbox = as_ben.get(b2b_url(meeting, "requests/")).json()["results"]
    assert [(r["id"], r["direction"], r["requester"]["name"]) for r in inbox] == [
        (request_id, "received", ana.full_name)
    ]
    ana_profile = inbox[0]["requester"]["profile"]

    session = first_session(meeting)
    free = as_ben.get(
        b2b_url(meeting, f"sessions/{session.pk}/free-slots/"), {"with": ana_profile}
    ).json()
    assert [choice["id"] for choice in free] == [slot.pk for slot in slots(meeting)]
    assert free[1]["free_tables"] == 2

    accepted = as_ben.post(
        b2b_url(meeting, f"requests/{request_id}/accept/"), {"slot": free[1]["id"]}, format="json"
    )
    assert accepted.status_code == 200, accepted.json()

    seen_by_ana = as_ana.get(b2b_url(meeting, f"requests/{request_id}/")).json()
    seen_by_ben = as_ben.get(b2b_url(meeting, f"requests/{request_id}/")).json()
    slot = slots(meeting)[1]
    for seen in (seen_by_ana, seen_by_ben):
        assert seen["status"] == "scheduled"
        assert seen["slot"]["id"] == slot.pk
        assert seen["slot"]["starts_at"] == slot.starts_at.astimezone(meeting.tzinfo).isoformat()
        assert seen["slot"]["ends_at"] == slot.ends_at.astimezone(meeting.tzinfo).isoformat()
        assert seen["table"]["name"] == "1"
    assert (seen_by_ana["direction"], seen_by_ben["direction"]) == ("sent", "received")
    assert set(SlotSeat.objects.values_list("registration", flat=True)) == {ana.pk, ben.pk}
    assert sorted(
        OutboxMessage.objects.filter(payload__request=request_id).values_list("kind", "recipient")
    ) == [
        ("b2b_meeting_scheduled", ben.email),
        ("b2b_request_accepted", ana.email),
        ("b2b_request_received", ben.email),
    ]

    # Both are now busy in that slot: it is no longer offered to either of them.
    again = as_ana.get(
        b2b_url(meeting, f"sessions/{session.pk}/free-slots/"), {"with": ana_profile}
    )
    assert again.status_code == 400  # not with oneself
    free_now = as_ana.get(
        b2b_url(meeting, f"sessions/{session.pk}/free-slots/"), {"with": ben_profile}
    ).json()
    assert [s["id"] for s in free_now] == [slots(meeting)[0].pk, slots(meeting)[2].pk]
    # Where their meeting could move: its own place does not block it.
    could_move = as_ana.get(b2b_url(meeting, f"requests/{request_id}/free-slots/")).json()
    assert [s["id"] for s in could_move[0]["slots"]] == [slot.pk for slot in slots(meeting)]


def test_decline_then_cancel_each_side_sees_who_did_what(meeting, ana, ben):
    as_ana, as_ben = participant_api(ana), participant_api(ben)
    first = as_ana.post(
        b2b_url(meeting, "requests/"), {"recipient": ben.b2b_profile.pk}, format="json"
    ).json()

    declined = as_ben.post(
        b2b_url(meeting, f"requests/{first['id']}/decline/"),
        {"reason": "Not this\ntime \u202e"},
        format="json",
    )
    assert declined.status_code == 200
    assert as_ana.get(b2b_url(meeting, f"requests/{first['id']}/")).json()["decline_reason"] == (
        "Not this time"
    )

    second = as_ben.post(
        b2b_url(meeting, "requests/"), {"recipient": ana.b2b_profile.pk}, format="json"
    ).json()
    cancelled = as_ben.post(b2b_url(meeting, f"requests/{second['id']}/cancel/"))
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["cancelled_by"]) == (
        "cancelled",
        "requester",
    )
    assert MeetingRequest.objects.get(pk=second["id"]).status == "cancelled"
