"""Where two people can meet: ``free_slots_with`` reads a whole "my meetings" page of
requests at once and answers for each pair what ``free_slots`` answers for it alone."""

import pytest

from matchmaking.availability import free_slots, free_slots_with
from matchmaking.models import Profile
from matchmaking.services.requests import request_accept, request_create
from tests.factories import SessionBookingFactory, SessionFactory, at
from tests.matchmaking.b2b import b2b_meeting, b2b_session_add, first_session, person, slots

pytestmark = pytest.mark.django_db


def test_each_pair_gets_its_own_free_slots_as_free_slots_says():
    meeting = b2b_meeting(tables=1)
    later = b2b_session_add(meeting, day=1, max_meetings_per_person=1)
    ana, ben, cai, dan, eve = (person(meeting) for _ in range(5))
    first, second, third = slots(meeting)
    Profile.objects.get(registration=ben).unavailable_slots.set([first])
    SessionBookingFactory(
        registration=cai,
        session=SessionFactory(
            meeting=meeting, starts_at=at(meeting, 0, "15:30"), ends_at=at(meeting, 0, "15:50")
        ),
    )
    request_accept(  # the only table of the third slot; and dan's one meeting in "later"
        request=request_create(requester=dan, recipient=eve), by=eve, slot_id=third.pk
    )
    request_accept(
        request=request_create(requester=dan, recipient=ana),
        by=ana,
        slot_id=later.slots.order_by("position").first().pk,
    )

    found = free_slots_with(meeting=meeting, registration=ana, others=[ben, cai, dan])

    def slot_ids(person_, session):
        return [choice.slot.pk for choice in dict(found[person_.pk])[session]]

    session = first_session(meeting)
    assert slot_ids(ben, session) == [second.pk]  # ben marked the first unavailable
    assert slot_ids(cai, session) == [first.pk]  # cai's workshop overlaps the second
    assert slot_ids(dan, later) == []  # dan is at his most meetings in "later"
    assert slot_ids(ben, later) == []  # ana is too
    for other in (ben, cai, dan):
        for b2b_session, choices in found[other.pk]:
            alone = free_slots(b2b_session=b2b_session, people=[ana, other])
            assert [(c.slot.pk, c.free_tables) for c in choices] == [
                (c.slot.pk, c.free_tables) for c in alone
            ]
