"""1:1 meetings under real concurrency, on PostgreSQL.

Accepts arrive at the same moment from many threads (one database connection
each, released together by a barrier), all aiming at the last free place:
one person's only free slot, or a slot's only free table. Exactly one may win.

Two lines of defence, each shown on its own:
- the locks (``matchmaking.services.locking.people_lock``: both people, then
  the slot) make every check see the others' commits;
- the unique constraints (one meeting per person and slot, one per table and
  slot) refuse what a write without the locks would double-book.
The negative control turns the locks off (MATCHMAKING_LOCKING, a test-only
setting) and drops the constraints, and the same race then double-books: the
positive tests could not pass by accident. To make the race certain, a
trigger (test database only) makes each slot-seat INSERT sleep inside the
transaction, between the checks and the commit.
"""

import pytest
from django.db import connection

from matchmaking.models import MeetingRequest, SlotSeat
from matchmaking.services.requests import request_accept, request_create
from tests.integration.b2b_races import race, slow_seat_inserts
from tests.matchmaking.b2b import b2b_meeting, person, slots

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 12
SLOW_SEAT_MS = 100
CONSTRAINTS = {
    SlotSeat._meta.db_table: "b2b_one_meeting_per_person_and_slot",
    MeetingRequest._meta.db_table: "b2b_request_one_meeting_per_table_and_slot",
}


@pytest.fixture(autouse=True)
def patient_locks(settings):
    # Twelve transactions queue on the same rows, each sleeping; none may give up.
    settings.LOCK_TIMEOUT_MS = 30000


@pytest.fixture(autouse=True)
def slow_seats(transactional_db):
    with slow_seat_inserts(SLOW_SEAT_MS):
        yield


@pytest.fixture
def without_constraints(transactional_db):
    """Drop the two unique constraints (the test database is rebuilt after the test)."""
    with connection.cursor() as cursor:
        for table, name in CONSTRAINTS.items():
            # A partial unique constraint is an index in PostgreSQL; the other a constraint.
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT IF EXISTS "{name}"')
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    yield
    # Put them back for the tests after this one (the test database outlives a test).
    seats, requests = SlotSeat._meta.db_table, MeetingRequest._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {seats}")
        cursor.execute(f"UPDATE {requests} SET status = 'cancelled' WHERE status = 'scheduled'")
        cursor.execute(
            f'ALTER TABLE {seats} ADD CONSTRAINT "{CONSTRAINTS[seats]}" '
            "UNIQUE (slot_id, registration_id)"
        )
        cursor.execute(
            f'CREATE UNIQUE INDEX "{CONSTRAINTS[requests]}" '
            f"ON {requests} (slot_id, table_id) WHERE status = 'scheduled'"
        )


def accept(request, slot):
    return lambda: request_accept(request=request, by=request.recipient, slot_id=slot.pk)


def one_person_asked_by_many(*, tables: int):
    """RACERS people asked Ana; she accepts them all at once in the same slot."""
    meeting = b2b_meeting(tables=tables)
    ana = person(meeting)
    requests = [request_create(requester=person(meeting), recipient=ana) for _ in range(RACERS)]
    return meeting, ana, requests


def many_pairs(*, tables: int):
    """RACERS different pairs accept at once in the same slot."""
    meeting = b2b_meeting(tables=tables)
    requests = []
    for _ in range(RACERS):
        requester, recipient = person(meeting), person(meeting)
        requests.append(request_create(requester=requester, recipient=recipient))
    return meeting, requests


def test_concurrent_accepts_put_a_person_in_one_meeting_per_slot():
    meeting, ana, requests = one_person_asked_by_many(tables=RACERS)
    slot = slots(meeting)[0]

    results = race([accept(request, slot) for request in requests])

    assert results.count("ok") == 1
    assert all("is not free" in result for result in results if result != "ok"), results
    assert SlotSeat.objects.filter(registration=ana, slot=slot).count() == 1
    assert MeetingRequest.objects.filter(status="scheduled").count() == 1
    assert MeetingRequest.objects.filter(status="requested").count() == RACERS - 1


def test_concurrent_accepts_put_one_meeting_at_the_last_free_table():
    meeting, requests = many_pairs(tables=1)
    slot = slots(meeting)[0]

    results = race([accept(request, slot) for request in requests])

    assert results.count("ok") == 1
    assert all("No table" in result for result in results if result != "ok"), results
    assert MeetingRequest.objects.filter(status="scheduled", slot=slot).count() == 1
    assert SlotSeat.objects.filter(slot=slot).count() == 2


def test_without_the_locks_the_constraints_still_refuse_double_booking(settings):
    settings.MATCHMAKING_LOCKING = False
    meeting, ana, requests = one_person_asked_by_many(tables=RACERS)
    slot = slots(meeting)[0]
    pairs_meeting, pair_requests = many_pairs(tables=1)
    pair_slot = slots(pairs_meeting)[0]

    results = race([accept(request, slot) for request in requests])
    pair_results = race([accept(request, pair_slot) for request in pair_requests])

    # Whoever lost the race past the checks is refused by the database, cleanly.
    assert SlotSeat.objects.filter(registration=ana, slot=slot).count() == 1
    assert MeetingRequest.objects.filter(status="scheduled", slot=slot).count() == 1
    assert MeetingRequest.objects.filter(status="scheduled", slot=pair_slot).count() == 1
    assert results.count("ok") == pair_results.count("ok") == 1
    refusals = [r for r in results + pair_results if r != "ok"]
    print(f"refused by the constraints: {sum('just taken' in r for r in refusals)}")
    assert all("just taken" in r or "not free" in r or "No table" in r for r in refusals), refusals


def test_negative_control_without_locks_and_constraints_the_same_race_double_books(
    settings, without_constraints
):
    settings.MATCHMAKING_LOCKING = False
    meeting, ana, requests = one_person_asked_by_many(tables=RACERS)
    slot = slots(meeting)[0]
    pairs_meeting, pair_requests = many_pairs(tables=1)
    pair_slot = slots(pairs_meeting)[0]

    race([accept(request, slot) for request in requests])
    race([accept(request, pair_slot) for request in pair_requests])

    ana_meetings = SlotSeat.objects.filter(registration=ana, slot=slot).count()
    at_the_table = MeetingRequest.objects.filter(status="scheduled", slot=pair_slot).count()
    print(
        f"without locks and constraints: Ana in {ana_meetings} meetings at once, "
        f"{at_the_table} meetings at one table"
    )
    assert ana_meetings > 1, "without the locks the test must see a person double-booked"
    assert at_the_table > 1, "without the locks the test must see a table double-booked"
