"""The organizers' placing: a refused place names what it clashes with, a locked meeting
stays put, and "Schedule" finds the first place where both people and a table are free."""

import pytest

from mail.models import OutboxMessage
from matchmaking.models import Matchmaking, MeetingRequest, SlotSeat
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.placing import request_lock, request_schedule_first_free
from matchmaking.services.requests import request_accept, request_create, request_schedule
from tests.factories import SessionBookingFactory, SessionFactory, at
from tests.matchmaking.b2b import b2b_meeting, b2b_session_add, first_session, person, slots

pytestmark = pytest.mark.django_db
Status = MeetingRequest.Status


@pytest.fixture
def meeting():
    return b2b_meeting(tables=2, scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS)


def named(meeting, first: str, last: str):
    return person(meeting, first_name=first, last_name=last)


def accepted(requester, recipient) -> MeetingRequest:
    return request_accept(
        request=request_create(requester=requester, recipient=recipient), by=recipient
    )


def placed(requester, recipient, slot, table=None) -> MeetingRequest:
    return request_schedule(
        request=accepted(requester, recipient),
        slot_id=slot.pk,
        table_id=table.pk if table else None,
    )


def state():
    return (
        list(MeetingRequest.objects.order_by("pk").values()),
        list(SlotSeat.objects.order_by("pk").values()),
        OutboxMessage.objects.count(),
    )


def refusal(request, slot, table=None) -> str:
    before = state()
    with pytest.raises(MatchmakingError) as refused:
        request_schedule(request=request, slot_id=slot.pk, table_id=table.pk if table else None)
    assert state() == before
    return str(refused.value)


def test_a_refusal_names_the_meeting_a_person_already_has(meeting):
    ana, luis = named(meeting, "Ana", "Pérez"), named(meeting, "Luis", "Gómez")
    ben = named(meeting, "Ben", "Ortiz")
    slot = slots(meeting)[1]
    table2 = first_session(meeting).tables.get(name="2")
    placed(ana, luis, slot, table2)

    message = refusal(accepted(ana, ben), slot)

    assert message == "Ana Pérez already meets Luis Gómez at 15:20 (Table 2)."


def test_a_refusal_names_the_booked_session_and_the_unavailable_slot(meeting):
    ana, ben = named(meeting, "Ana", "Pérez"), named(meeting, "Ben", "Ortiz")
    workshop = SessionFactory(
        meeting=meeting,
        title="Workshop on hydrogen",
        requires_booking=True,
        starts_at=at(meeting, 0, "15:00"),
        ends_at=at(meeting, 0, "16:00"),
    )
    SessionBookingFactory(registration=ana, session=workshop)
    slot = slots(meeting)[0]
    ben.b2b_profile.unavailable_slots.add(slot)

    message = refusal(accepted(ana, ben), slot)

    assert message == (
        "Ana Pérez booked “Workshop on hydrogen” (15:00–16:00). "
        "Ben Ortiz marked 15:00 as not available."
    )


def test_a_refusal_names_who_holds_the_table_asked_for(meeting):
    carla, dan = named(meeting, "Carla", "Ruiz"), named(meeting, "Dan", "Smith")
    ana, ben = named(meeting, "Ana", "Pérez"), named(meeting, "Ben", "Ortiz")
    slot = slots(meeting)[2]
    table1 = first_session(meeting).tables.get(name="1")
    placed(carla, dan, slot, table1)

    message = refusal(accepted(ana, ben), slot, table1)

    assert message == "Table 1 already holds Carla Ruiz – Dan Smith at 15:40."
    # without a table asked for, the other table is free
    assert (
        request_schedule(
            request=MeetingRequest.objects.get(requester=ana), slot_id=slot.pk
        ).table.name
        == "2"
    )


def test_a_refusal_when_every_table_is_taken(meeting):
    people = [named(meeting, name, "P") for name in ("Ana", "Ben", "Cai", "Dan", "Eli", "Fer")]
    slot = slots(meeting)[0]
    placed(people[0], people[1], slot)
    placed(people[2], people[3], slot)

    assert refusal(accepted(people[4], people[5]), slot) == "Every table is taken at 15:00."


def test_a_participant_accepting_at_a_busy_slot_is_not_told_whom_the_other_meets():
    meeting = b2b_meeting(tables=2)
    ana, ben, cai = (
        named(meeting, "Ana", "P"),
        named(meeting, "Ben", "P"),
        named(meeting, "Cai", "P"),
    )
    slot = slots(meeting)[0]
    request_accept(request=request_create(requester=ana, recipient=cai), by=cai, slot_id=slot.pk)
    request = request_create(requester=ana, recipient=ben)

    with pytest.raises(MatchmakingError) as refused:
        request_accept(request=request, by=ben, slot_id=slot.pk)

    assert str(refused.value) == "Ana P is not free at 15:00."


def test_names_in_a_refusal_are_one_line():
    meeting = b2b_meeting(tables=2, scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS)
    ana, luis, ben = (person(meeting) for _ in range(3))
    slot = slots(meeting)[0]
    placed(ana, luis, slot)
    type(ana).objects.filter(pk=ana.pk).update(first_name="Ana\r\nBcc: x", last_name="\u202eevil")
    type(luis).objects.filter(pk=luis.pk).update(first_name="Luis\x07", last_name="G" * 100)
    ana.refresh_from_db()

    message = refusal(accepted(ana, ben), slot)

    assert message == f"Ana Bcc: x evil already meets Luis {'G' * 100} at 15:00 (Table 1)."


def test_a_locked_meeting_does_not_move_until_unlocked(meeting):
    ana, ben = named(meeting, "Ana", "P"), named(meeting, "Ben", "P")
    first, second, _third = slots(meeting)
    meeting_request = placed(ana, ben, first)

    locked = request_lock(request=meeting_request, locked=True)

    assert locked.locked is True
    assert refusal(locked, second) == "This meeting is locked: unlock it to move it."
    request_lock(request=meeting_request, locked=False)
    moved = request_schedule(request=meeting_request, slot_id=second.pk)
    assert (moved.slot, moved.sequence, moved.locked) == (second, 1, False)


def test_only_a_scheduled_meeting_is_locked(meeting):
    meeting_request = accepted(named(meeting, "Ana", "P"), named(meeting, "Ben", "P"))
    before = state()

    with pytest.raises(MatchmakingError, match="Only a scheduled meeting"):
        request_lock(request=meeting_request, locked=True)

    assert state() == before


def test_locking_emails_nobody_and_twice_changes_nothing(meeting):
    meeting_request = placed(
        named(meeting, "Ana", "P"), named(meeting, "Ben", "P"), slots(meeting)[0]
    )
    emails = OutboxMessage.objects.count()

    request_lock(request=meeting_request, locked=True)
    again = request_lock(request=meeting_request, locked=True)

    assert again.locked is True
    assert (again.sequence, OutboxMessage.objects.count()) == (0, emails)


def test_schedule_first_free_takes_the_first_slot_where_both_and_a_table_are_free(meeting):
    ana, ben, cai = (
        named(meeting, "Ana", "P"),
        named(meeting, "Ben", "P"),
        named(meeting, "Cai", "P"),
    )
    first, second, _third = slots(meeting)
    placed(ana, cai, first)  # Ana is busy at 15:00
    meeting_request = accepted(ana, ben)

    scheduled = request_schedule_first_free(request=meeting_request)

    assert (scheduled.status, scheduled.slot, scheduled.table.name) == (
        Status.SCHEDULED,
        second,
        "1",
    )
    invited = OutboxMessage.objects.filter(
        kind="b2b_meeting_scheduled", payload__request=scheduled.pk
    )
    assert sorted(invited.values_list("registration", flat=True)) == sorted([ana.pk, ben.pk])


def test_schedule_first_free_prefers_the_requested_session(meeting):
    later = b2b_session_add(meeting, day=1, start="10:00")
    ana, ben = named(meeting, "Ana", "P"), named(meeting, "Ben", "P")
    request = request_create(requester=ana, recipient=ben, preferred_session=later)
    request = request_accept(request=request, by=ben)

    scheduled = request_schedule_first_free(request=request)

    assert scheduled.slot == later.slots.order_by("position").first()


def test_schedule_first_free_says_so_when_there_is_no_place(meeting):
    ana, ben = named(meeting, "Ana", "P"), named(meeting, "Ben", "P")
    ana.b2b_profile.unavailable_slots.set(slots(meeting))
    meeting_request = accepted(ana, ben)
    before = state()

    with pytest.raises(MatchmakingError) as refused:
        request_schedule_first_free(request=meeting_request)

    assert str(refused.value) == (
        "Ana P and Ben P are never both free at a free table: add tables or a session, "
        "or move one of their meetings."
    )
    assert state() == before


def test_schedule_first_free_leaves_a_scheduled_meeting_alone(meeting):
    meeting_request = placed(
        named(meeting, "Ana", "P"), named(meeting, "Ben", "P"), slots(meeting)[2]
    )

    with pytest.raises(MatchmakingError, match="Only accepted requests"):
        request_schedule_first_free(request=meeting_request)

    assert MeetingRequest.objects.get(pk=meeting_request.pk).slot == slots(meeting)[2]


def test_schedule_first_free_does_not_move_a_request_scheduled_meanwhile(meeting):
    ana, ben = named(meeting, "Ana", "P"), named(meeting, "Ben", "P")
    read_before = accepted(ana, ben)  # what the organizer's page read
    request_schedule(request=read_before, slot_id=slots(meeting)[2].pk)  # another organizer
    before = state()

    with pytest.raises(MatchmakingError, match="scheduled meanwhile"):
        request_schedule_first_free(request=read_before)

    assert state() == before


@pytest.mark.parametrize("same_table", [True, False])
def test_placing_a_meeting_where_it_already_is_changes_nothing_and_emails_nobody(
    meeting, same_table
):
    ana, ben = named(meeting, "Ana", "Pérez"), named(meeting, "Ben", "Ortiz")
    slot = slots(meeting)[0]
    request = placed(ana, ben, slot)
    before = state()

    again = request_schedule(
        request=request, slot_id=slot.pk, table_id=request.table_id if same_table else None
    )

    assert state() == before
    assert (again.slot_id, again.table_id, again.sequence) == (
        request.slot_id,
        request.table_id,
        request.sequence,
    )
