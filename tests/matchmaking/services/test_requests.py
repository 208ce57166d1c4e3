"""Meeting requests: requested → accepted → scheduled / declined / cancelled, and the rules."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from mail.models import OutboxMessage
from matchmaking.models import Matchmaking, MeetingRequest, SlotSeat
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.requests import (
    request_accept,
    request_cancel,
    request_create,
    request_decline,
    request_schedule,
)
from registrations.services import registration_cancel
from tests.factories import SessionBookingFactory, SessionFactory, at
from tests.matchmaking.b2b import b2b_meeting, b2b_session_add, person, slots

pytestmark = pytest.mark.django_db


def kinds(request: MeetingRequest) -> list[tuple[str, str]]:
    return sorted(
        (row.kind, row.recipient)
        for row in OutboxMessage.objects.filter(payload__request=request.pk)
    )


def test_request_then_accept_at_a_slot_schedules_it_at_the_first_free_table():
    meeting = b2b_meeting()
    ana, ben = person(meeting), person(meeting)
    request = request_create(requester=ana, recipient=ben, message="Shall we talk?")
    assert request.status == "requested"
    assert kinds(request) == [("b2b_request_received", ben.email)]

    slot = slots(meeting)[1]
    request = request_accept(request=request, by=ben, slot_id=slot.pk)

    assert (request.status, request.slot, request.table.name) == ("scheduled", slot, "1")
    assert set(SlotSeat.objects.filter(request=request).values_list("registration", flat=True)) == {
        ana.pk,
        ben.pk,
    }
    assert kinds(request) == sorted(
        [
            ("b2b_request_received", ben.email),
            ("b2b_request_accepted", ana.email),
            ("b2b_meeting_scheduled", ben.email),
        ]
    )


def test_only_the_person_asked_accepts_or_declines():
    meeting = b2b_meeting()
    ana, ben, eve = person(meeting), person(meeting), person(meeting)
    request = request_create(requester=ana, recipient=ben)
    slot = slots(meeting)[0]
    for who in (ana, eve):
        with pytest.raises(MatchmakingError):
            request_accept(request=request, by=who, slot_id=slot.pk)
        with pytest.raises(MatchmakingError):
            request_decline(request=request, by=who)
    assert MeetingRequest.objects.get(pk=request.pk).status == "requested"


def test_a_person_is_never_in_two_meetings_in_one_slot():
    meeting = b2b_meeting(tables=5)
    ana, ben, cai = person(meeting), person(meeting), person(meeting)
    slot = slots(meeting)[0]
    first = request_create(requester=ben, recipient=ana)
    request_accept(request=first, by=ana, slot_id=slot.pk)
    second = request_create(requester=cai, recipient=ana)

    with pytest.raises(MatchmakingError, match="not free"):
        request_accept(request=second, by=ana, slot_id=slot.pk)

    assert MeetingRequest.objects.get(pk=second.pk).status == "requested"
    assert SlotSeat.objects.filter(registration=ana, slot=slot).count() == 1


def test_a_table_holds_one_meeting_per_slot():
    meeting = b2b_meeting(tables=1)
    a, b, c, d = (person(meeting) for _ in range(4))
    slot = slots(meeting)[0]
    request_accept(request=request_create(requester=a, recipient=b), by=b, slot_id=slot.pk)
    second = request_create(requester=c, recipient=d)

    with pytest.raises(MatchmakingError, match="No table"):
        request_accept(request=second, by=d, slot_id=slot.pk)

    request = request_accept(request=second, by=d, slot_id=slots(meeting)[1].pk)
    assert request.status == "scheduled"


def test_a_booked_session_overlapping_the_slot_makes_the_person_busy():
    meeting = b2b_meeting()
    ana, ben = person(meeting), person(meeting)
    workshop = SessionFactory(
        meeting=meeting,
        requires_booking=True,
        starts_at=at(meeting, 0, "15:10"),
        ends_at=at(meeting, 0, "15:30"),
    )
    SessionBookingFactory(registration=ben, session=workshop)
    request = request_create(requester=ana, recipient=ben)

    with pytest.raises(MatchmakingError, match="not free"):
        request_accept(request=request, by=ben, slot_id=slots(meeting)[0].pk)  # 15:00–15:20
    with pytest.raises(MatchmakingError, match="not free"):
        request_accept(request=request, by=ben, slot_id=slots(meeting)[1].pk)  # 15:20–15:40
    request = request_accept(request=request, by=ben, slot_id=slots(meeting)[2].pk)
    assert request.status == "scheduled"


def test_the_per_session_maximum_holds():
    meeting = b2b_meeting(tables=3)
    session = b2b_session_add(meeting, day=1, max_meetings_per_person=1)
    ana, ben, cai = person(meeting), person(meeting), person(meeting)
    later = list(session.slots.order_by("position"))
    request_accept(
        request=request_create(requester=ben, recipient=ana), by=ana, slot_id=later[0].pk
    )
    second = request_create(requester=cai, recipient=ana)

    with pytest.raises(MatchmakingError, match="most"):
        request_accept(request=second, by=ana, slot_id=later[1].pk)
    # the other session has no such limit
    assert (
        request_accept(request=second, by=ana, slot_id=slots(meeting)[1].pk).status == "scheduled"
    )


def test_two_people_have_one_open_request_whoever_asks():
    meeting = b2b_meeting()
    ana, ben = person(meeting), person(meeting)
    request_create(requester=ana, recipient=ben)
    with pytest.raises(MatchmakingError, match="already"):
        request_create(requester=ben, recipient=ana)
    with pytest.raises(MatchmakingError, match="already"):
        request_create(requester=ana, recipient=ben)
    assert MeetingRequest.objects.count() == 1


@pytest.mark.parametrize(
    "who",
    [
        {"listed": False},
        {"status": "waitlisted"},
        {"status": "cancelled"},
    ],
    ids=["unlisted", "waitlisted", "cancelled"],
)
def test_nobody_can_ask_someone_who_is_not_visible(who):
    meeting = b2b_meeting()
    ana = person(meeting)
    listed = who.pop("listed", True)
    ben = person(meeting, listed=listed, **who)
    with pytest.raises(MatchmakingError, match="not available"):
        request_create(requester=ana, recipient=ben)
    assert not MeetingRequest.objects.exists()


def test_an_unlisted_person_cannot_ask():
    meeting = b2b_meeting()
    ana, ben = person(meeting, listed=False), person(meeting)
    with pytest.raises(MatchmakingError, match="profile visible"):
        request_create(requester=ana, recipient=ben)


def test_validation_hides_profiles_until_an_organizer_validates():
    meeting = b2b_meeting(profiles_need_validation=True)
    ana, ben = person(meeting), person(meeting)
    with pytest.raises(MatchmakingError):
        request_create(requester=ana, recipient=ben)
    for who in (ana, ben):
        who.b2b_profile.validated_at = timezone.now()
        who.b2b_profile.save()
    assert request_create(requester=ana, recipient=ben).status == "requested"


def test_requests_wait_for_the_window_and_for_another_meeting_nothing():
    meeting = b2b_meeting(opens_at=timezone.now() + dt.timedelta(days=1))
    ana, ben = person(meeting), person(meeting)
    with pytest.raises(MatchmakingError, match="open on"):
        request_create(requester=ana, recipient=ben)
    other = b2b_meeting()
    stranger = person(other)
    Matchmaking.objects.filter(meeting=meeting).update(opens_at=None)
    with pytest.raises(MatchmakingError, match="not available"):
        request_create(requester=ana, recipient=stranger)


def test_decline_quotes_the_reason_and_frees_nothing():
    meeting = b2b_meeting()
    ana, ben = person(meeting), person(meeting)
    request = request_create(requester=ana, recipient=ben)
    request = request_decline(request=request, by=ben, reason="Not\nthis time\u202e")
    assert (request.status, request.decline_reason) == ("declined", "Not this time")
    # declined: they may ask again
    assert request_create(requester=ben, recipient=ana).status == "requested"


def test_cancelling_a_scheduled_meeting_frees_both_people_and_the_table():
    meeting = b2b_meeting(tables=1)
    ana, ben, cai, dan = (person(meeting) for _ in range(4))
    slot = slots(meeting)[0]
    request = request_accept(
        request=request_create(requester=ana, recipient=ben), by=ben, slot_id=slot.pk
    )
    request = request_cancel(request=request, by=ana)
    assert (request.status, request.slot, request.sequence) == ("cancelled", slot, 1)
    assert not SlotSeat.objects.exists()
    cancels = OutboxMessage.objects.filter(
        kind="b2b_meeting_cancelled", payload__request=request.pk
    )
    assert sorted(cancels.values_list("recipient", flat=True)) == sorted([ana.email, ben.email])
    again = request_accept(
        request=request_create(requester=cai, recipient=dan), by=dan, slot_id=slot.pk
    )
    assert again.table == request.table


def test_a_person_who_cancels_their_registration_loses_their_meetings():
    meeting = b2b_meeting()
    ana, ben, cai = person(meeting), person(meeting), person(meeting)
    scheduled = request_accept(
        request=request_create(requester=ana, recipient=ben), by=ben, slot_id=slots(meeting)[0].pk
    )
    waiting = request_create(requester=cai, recipient=ana)

    registration_cancel(registration=ana)

    statuses = dict(MeetingRequest.objects.values_list("pk", "status"))
    assert statuses == {scheduled.pk: "cancelled", waiting.pk: "cancelled"}
    assert not SlotSeat.objects.exists()


def test_organizer_scheduling_mode_accepts_without_a_slot_and_the_organizer_places_it():
    meeting = b2b_meeting(scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS)
    ana, ben = person(meeting), person(meeting)
    request = request_create(requester=ana, recipient=ben)
    with pytest.raises(MatchmakingError, match="organizers schedule"):
        request_accept(request=request, by=ben, slot_id=slots(meeting)[0].pk)
    request = request_accept(request=request, by=ben)
    assert (request.status, request.slot) == ("accepted", None)

    request = request_schedule(request=request, slot_id=slots(meeting)[2].pk)
    assert (request.status, request.slot) == ("scheduled", slots(meeting)[2])
    moved = request_schedule(request=request, slot_id=slots(meeting)[0].pk)
    assert (moved.slot, moved.sequence) == (slots(meeting)[0], 1)
    assert SlotSeat.objects.filter(request=request, slot=slots(meeting)[0]).count() == 2


def test_automatic_acceptance_schedules_at_the_requesters_slot():
    meeting = b2b_meeting(request_mode=Matchmaking.RequestMode.AUTOMATIC)
    ana, ben = person(meeting), person(meeting)
    with pytest.raises(MatchmakingError, match="slot"):
        request_create(requester=ana, recipient=ben)
    request = request_create(requester=ana, recipient=ben, slot_id=slots(meeting)[1].pk)
    assert (request.status, request.slot) == ("scheduled", slots(meeting)[1])


def test_a_slot_that_has_started_cannot_be_chosen():
    meeting = b2b_meeting()
    ana, ben = person(meeting), person(meeting)
    request = request_create(requester=ana, recipient=ben)
    slot = slots(meeting)[0]
    with pytest.raises(MatchmakingError, match="started"):
        request_accept(request=request, by=ben, slot_id=slot.pk, now=slot.starts_at)


def test_the_window_says_when_it_opens_in_the_meetings_zone_and_the_readers_language():
    meeting = b2b_meeting()
    opens = at(meeting, -20, "10:30")  # 10:30 in Madrid, 20 days before the meeting
    Matchmaking.objects.filter(meeting=meeting).update(opens_at=opens)
    ana, ben = person(meeting), person(meeting)
    before = opens - dt.timedelta(days=1)
    with pytest.raises(MatchmakingError) as refused:
        request_create(requester=ana, recipient=ben, now=before)
    english = refused.value.message
    with translation.override("es"), pytest.raises(MatchmakingError) as refused:
        request_create(requester=ana, recipient=ben, now=before)
    spanish = refused.value.message

    assert english.startswith("Meeting requests open on ")
    assert english.endswith(f"{opens.year}, 10:30.")  # meeting time, not 09:30 UTC
    assert spanish.startswith(f"Las solicitudes de reunión se abren el {opens.day} de ")
    assert spanish.endswith(f"de {opens.year}, 10:30.")
