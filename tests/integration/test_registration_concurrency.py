"""Capacity under real concurrency, on PostgreSQL.

Registrations arrive through the HTTP API from many threads at once, each
thread with its own database connection, all released together by a barrier.
The PostgreSQL server allows 100 connections and is shared with other test
runs, so 200 registrations are fired from THREADS threads rather than 200.

The negative controls switch the lock off (REGISTRATION_CAPACITY_LOCKING =
False, a test-only setting) and show that the same test then sees overselling:
the positive tests could not pass by accident. To make the race certain rather
than likely, every test here widens the window between counting the seats and
committing: a trigger (test database only) makes each INSERT that takes a
limited seat (a confirmed registration of a meeting with a capacity, a booked
seat of a session with one) sleep inside the transaction. Only those writes
wait, so the window is wide exactly where overbooking would happen (a CI run
with a 10 ms wait on every insert once saw no overselling without the lock)
while the serialized waitlist writes stay fast.
"""

import datetime as dt
import json
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone

from agenda.models import Session
from events.models import Meeting
from mail.models import OutboxMessage
from registrations.models import Registration, SessionBooking
from registrations.services import registration_create
from registrations.tasks import release_seat_holds
from tests.factories import MeetingFactory, SessionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 24
PEOPLE = 200


@pytest.fixture(autouse=True)
def concurrency_settings(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"registrations": "100000/min", "private_link": "100000/min"},
    }
    # 200 transactions queue on one meeting row; in production a wait that long
    # answers 503, here every request must get through to prove the counts.
    settings.LOCK_TIMEOUT_MS = 30000
    return settings


SLOW_INSERT_MS = 150


@pytest.fixture(autouse=True)
def slow_inserts(transactional_db):
    """Each INSERT that takes a limited seat waits SLOW_INSERT_MS inside its transaction:
    a confirmed registration of a meeting with a capacity, a booked seat of a session
    with one."""
    limited_by = {
        Registration._meta.db_table: (
            Registration.Status.CONFIRMED,
            f"SELECT capacity FROM {Meeting._meta.db_table} WHERE id = NEW.meeting_id",
        ),
        SessionBooking._meta.db_table: (
            SessionBooking.Status.BOOKED,
            f"SELECT capacity FROM {Session._meta.db_table} WHERE id = NEW.session_id",
        ),
    }
    with connection.cursor() as cursor:
        for table, (status, capacity) in limited_by.items():
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION test_slow_{table}() RETURNS trigger AS $$ "
                f"BEGIN IF NEW.status = '{status}' AND ({capacity}) IS NOT NULL THEN "
                f"PERFORM pg_sleep({SLOW_INSERT_MS / 1000}); END IF; RETURN NEW; END $$ "
                "LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER test_slow_insert BEFORE INSERT ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION test_slow_{table}()"
            )
    yield
    with connection.cursor() as cursor:
        for table in limited_by:
            cursor.execute(f"DROP TRIGGER IF EXISTS test_slow_insert ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS test_slow_{table}()")


def fire(requests: list[tuple[str, dict | None]], threads: int = THREADS) -> list[int]:
    """POST every (path, JSON body) from ``threads`` threads at once; the status codes, in order."""
    pending = list(enumerate(requests))
    results: list[int | None] = [None] * len(requests)
    guard = threading.Lock()
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def work():
        client = Client()
        try:
            start.wait()
            while True:
                with guard:
                    if not pending:
                        return
                    index, (path, body) = pending.pop(0)
                if body is None:
                    response = client.post(path)
                else:
                    response = client.post(path, json.dumps(body), content_type="application/json")
                results[index] = response.status_code
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    return results


def person(n: int, sessions=()) -> dict:
    return {
        "first_name": "Person",
        "last_name": f"Number {n}",
        "email": f"person{n}@example.org",
        "sessions": list(sessions),
        "consent_processing": True,
    }


def registrations_url(meeting: Meeting) -> str:
    return f"/api/v1/meetings/{meeting.slug}/registrations/"


def assert_in_arrival_order(queue: list, seated: list):
    """Seats went to the earliest arrivals (rows are numbered as they got the lock)
    and the waitlist is in that same order."""
    assert max(row.pk for row in seated) < min(row.pk for row in queue)
    assert [row.pk for row in queue] == sorted(row.pk for row in queue)


# --- the meeting's capacity -------------------------------------------------------------


def register_200_for_50_seats() -> Meeting:
    meeting = MeetingFactory(capacity=50)
    bodies = [person(n) for n in range(PEOPLE)]
    # 20 of them submit again at the same moment, the email in another case.
    bodies += [{**person(n), "email": f"PERSON{n}@Example.org"} for n in range(0, PEOPLE, 10)]
    statuses = fire([(registrations_url(meeting), body) for body in bodies])
    assert statuses == [202] * len(bodies)
    return meeting


def test_200_concurrent_registrations_for_50_seats_confirm_exactly_50_in_arrival_order():
    meeting = register_200_for_50_seats()

    registrations = Registration.objects.filter(meeting=meeting)
    assert registrations.count() == PEOPLE  # no duplicate person
    confirmed = list(registrations.filter(status="confirmed").order_by("pk"))
    waitlist = list(registrations.filter(status="waitlisted").order_by("waitlisted_at", "pk"))
    assert (len(confirmed), len(waitlist)) == (50, 150)
    assert_in_arrival_order(waitlist, confirmed)
    emails = OutboxMessage.objects.filter(meeting=meeting)
    assert emails.filter(kind="registration_confirmed").count() == 50
    assert emails.filter(kind="registration_waitlisted").count() == 150


def test_negative_control_without_the_lock_the_same_test_oversells(settings):
    settings.REGISTRATION_CAPACITY_LOCKING = False

    meeting = register_200_for_50_seats()

    confirmed = Registration.objects.filter(meeting=meeting, status="confirmed").count()
    print(f"without the lock: {confirmed} confirmed for 50 seats")
    assert confirmed > 50, "without the lock the test must see overselling"


# --- a session's capacity -------------------------------------------------------------------


def register_200_for_a_20_seat_session():
    meeting = MeetingFactory(capacity=None)
    workshop = SessionFactory(meeting=meeting, requires_booking=True, capacity=20)
    statuses = fire([(registrations_url(meeting), person(n, [workshop.pk])) for n in range(PEOPLE)])
    assert statuses == [202] * PEOPLE
    return workshop


def test_200_concurrent_registrations_for_a_20_seat_session_book_exactly_20():
    workshop = register_200_for_a_20_seat_session()

    bookings = SessionBooking.objects.filter(session=workshop)
    booked = list(bookings.filter(status="booked").order_by("pk"))
    waitlist = list(bookings.filter(status="waitlisted").order_by("waitlisted_at", "pk"))
    assert (len(booked), len(waitlist)) == (20, 180)
    assert_in_arrival_order(waitlist, booked)


def test_negative_control_without_the_lock_the_session_is_overbooked(settings):
    settings.REGISTRATION_CAPACITY_LOCKING = False

    workshop = register_200_for_a_20_seat_session()

    booked = SessionBooking.objects.filter(session=workshop, status="booked").count()
    print(f"without the lock: {booked} booked for 20 seats")
    assert booked > 20, "without the lock the test must see overbooking"


# --- cancellations and registrations at the same time ------------------------------------


def test_concurrent_cancellations_and_registrations_keep_counts_and_promote_in_order():
    meeting = MeetingFactory(capacity=50)
    workshop = SessionFactory(meeting=meeting, requires_booking=True, capacity=10)
    existing = [
        registration_create(
            meeting=meeting,
            first_name="Early",
            last_name=str(n),
            email=f"early{n}@example.org",
            session_ids=[workshop.pk],
            consent_processing=True,
        )
        for n in range(80)
    ]
    seated, waiting = existing[:50], existing[50:]
    assert [r.status for r in seated] == ["confirmed"] * 50
    leaving = seated[::2][:20]  # 20 confirmed people cancel, among them the 10 with seats
    requests = [(f"/r/{r.token}/cancel/", None) for r in leaving]
    requests += [(registrations_url(meeting), person(n, [workshop.pk])) for n in range(50)]

    statuses = fire(requests)

    assert statuses == [302] * 20 + [202] * 50
    registrations = Registration.objects.filter(meeting=meeting)
    counts = {
        status: registrations.filter(status=status).count()
        for status in registrations.values_list("status", flat=True).distinct()
    }
    assert counts == {"confirmed": 50, "cancelled": 20, "waitlisted": 60}
    promoted = set(registrations.filter(pk__in=[r.pk for r in waiting], status="confirmed"))
    assert promoted == set(waiting[:20])  # the earliest 20 of the waitlist, nobody else
    new_people = registrations.filter(email__startswith="person")
    assert set(new_people.values_list("status", flat=True)) == {"waitlisted"}
    bookings = SessionBooking.objects.filter(session=workshop)
    assert bookings.filter(status="booked").count() == 10
    # the freed workshop seats went to the confirmed people first in the session's queue
    assert OutboxMessage.objects.filter(kind="registration_promoted").count() == 20


# --- a lock that cannot be had in time ------------------------------------------------------


@pytest.mark.parametrize("email", ["new@example.org", "KNOWN@example.org"], ids=["new", "repeat"])
def test_lock_timeout_answers_503_busy_and_changes_nothing(settings, email):
    """A repeated email waits for the same lock as a first registration (issue 9: the
    repeat skipped it and answered in half the time)."""
    settings.LOCK_TIMEOUT_MS = 200
    meeting = MeetingFactory(capacity=5)
    registration_create(
        meeting=meeting,
        first_name="Known",
        last_name="Person",
        email="known@example.org",
        consent_processing=True,
    )
    before = list(Registration.objects.values())
    outbox_before = OutboxMessage.objects.count()
    locked, release = threading.Event(), threading.Event()

    def hold_the_meeting_row():
        try:
            with transaction.atomic():
                Meeting.objects.select_for_update().get(pk=meeting.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_meeting_row)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        response = Client().post(
            registrations_url(meeting),
            json.dumps({**person(1), "email": email}),
            content_type="application/json",
        )
    finally:
        release.set()
        holder.join()

    assert response.status_code == 503
    assert response.json() == {"detail": "busy, try again"}
    assert response["Retry-After"] == "2"
    assert list(Registration.objects.values()) == before
    assert OutboxMessage.objects.count() == outbox_before


# --- seat holds: the release racing link openings and registrations ----------------------


def race(calls: list, threads: int = THREADS) -> list:
    """Run every call(client) from ``threads`` threads at once; the results, in order."""
    pending = list(enumerate(calls))
    results: list = [None] * len(calls)
    guard = threading.Lock()
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def work():
        client = Client()
        try:
            start.wait()
            while True:
                with guard:
                    if not pending:
                        return
                    index, call = pending.pop(0)
                results[index] = call(client)
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    return results


CONFIRMED_NOW = "Thank you: your seat is confirmed."
RELEASED = "this link was not opened in time"


def open_link(registration):
    def call(client):
        page = client.get(f"/r/{registration.token}/").content.decode()
        return "kept" if CONFIRMED_NOW in page else "released" if RELEASED in page else page

    return call


def release_after(meeting, opened: int):
    """The release task, started once ``opened`` holders have opened their link (so the
    release begins while the other openings are in flight, not before all of them)."""

    def call(client):
        for _ in range(1000):
            if (
                Registration.objects.filter(meeting=meeting, link_opened_at__isnull=False).count()
                >= opened
            ):
                break
            time.sleep(0.005)
        return release_seat_holds()

    return call


def post(body, meeting):
    def call(client):
        path = registrations_url(meeting)
        return client.post(path, json.dumps(body), content_type="application/json").status_code

    return call


SLOW_UPDATE_MS = 10


@pytest.fixture
def slow_updates(slow_inserts):
    """Registration UPDATEs sleep too, so a release (one UPDATE per hold) is long enough
    for link openings to arrive in the middle of it."""
    table = Registration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION test_slow_update() RETURNS trigger AS $$ "
            f"BEGIN PERFORM pg_sleep({SLOW_UPDATE_MS / 1000}); RETURN NEW; END $$ "
            "LANGUAGE plpgsql"
        )
        cursor.execute(
            f"CREATE TRIGGER test_slow_update BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION test_slow_update()"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS test_slow_update ON {table}")
        cursor.execute("DROP FUNCTION IF EXISTS test_slow_update()")


def test_releases_racing_link_openings_and_registrations_never_oversell_or_lose_a_confirmer(
    slow_updates,
):
    """50 seats, all held by people who did not open their link in time; 30 waiting.
    At once: three overlapping release runs (two beat workers and a late one), 25 of the
    holders opening their link, 40 new registrations. Whoever saw "your seat is
    confirmed" keeps a seat; the rest of the holders are released; seats never exceed
    50; the freed seats go to the waitlist in arrival order."""
    meeting = MeetingFactory(capacity=50)
    holders = [
        registration_create(
            meeting=meeting,
            first_name="Held",
            last_name=str(n),
            email=f"held{n}@example.org",
            consent_processing=True,
        )
        for n in range(50)
    ]
    waiting = [
        registration_create(
            meeting=meeting,
            first_name="Waiting",
            last_name=str(n),
            email=f"waiting{n}@example.org",
            consent_processing=True,
        )
        for n in range(30)
    ]
    assert {r.hold_expires_at is not None for r in holders} == {True}
    assert {r.status for r in waiting} == {"waitlisted"}
    Registration.objects.filter(pk__in=[r.pk for r in holders]).update(
        hold_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    openers = holders[:25]
    # The releases start among the link openings: some openings commit before a
    # release, some hold their row while it starts, the rest come after it.
    calls = [release_after(meeting, opened) for opened in (3, 6, 10)]
    calls += [open_link(r) for r in openers]
    calls += [post(person(n), meeting) for n in range(40)]

    results = race(calls)

    released_runs, seen, statuses = results[:3], results[3:28], results[28:]
    assert statuses == [202] * 40
    assert set(seen) <= {"kept", "released"}, seen
    print(f"link openings: {seen.count('kept')} kept, {seen.count('released')} released")
    rows = {r.pk: r for r in Registration.objects.filter(meeting=meeting)}
    for registration, outcome in zip(openers, seen, strict=True):
        row = rows[registration.pk]
        if outcome == "kept":
            assert (row.status, row.hold_expires_at) == ("confirmed", None)
        else:
            assert row.status == "cancelled" and row.hold_expired
    lost = holders[25:]
    assert {rows[r.pk].status for r in lost} == {"cancelled"}
    assert sum(released_runs) == 25 + seen.count("released")  # each hold released once
    confirmed = [r for r in rows.values() if r.status == "confirmed"]
    assert len(confirmed) == 50
    assert OutboxMessage.objects.filter(kind="registration_hold_released").count() == sum(
        released_runs
    )
    # the freed seats went to the earliest waiting, first the 30 who waited before
    queue = sorted(
        (r for r in rows.values() if r.first_name in ("Waiting", "Person")),
        key=lambda r: r.pk,
    )
    freed = 50 - seen.count("kept")
    promoted = [r for r in queue if r.status == "confirmed"]
    still_waiting = [r for r in queue if r.status == "waitlisted"]
    assert len(promoted) == freed
    assert all(row.pk < min(r.pk for r in still_waiting) for row in promoted)
