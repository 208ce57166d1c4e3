"""Seat holds: a seat given to someone who never opened their link is held until they do.

Time passing is the hold's end moved into the past in the database (the row as
the release task will find it 30 minutes later); everything else is the real
services, pages, task and emails.
"""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Meeting
from mail.models import OutboxMessage
from registrations.emails import build_email
from registrations.models import Registration, SessionBooking
from registrations.services import registration_cancel, registration_create, registration_promote
from registrations.services.holds import seat_holds_release
from registrations.services.registration import email_domain_family
from registrations.tasks import release_seat_holds
from tests.factories import MeetingFactory, MeetingOrganizerFactory, SessionFactory
from tests.roundtrip import form_values, resubmit

pytestmark = pytest.mark.django_db

HOSTILE = "Ane\r\nBcc: x@evil.test\x07\x1b[31m\u202etxet\u200b" + "é" * 60


def register(meeting, n: int, *, sessions=(), email=None, **extra) -> Registration:
    return registration_create(
        meeting=meeting,
        first_name="Ane",
        last_name=f"Person {n}",
        email=email or f"person{n}@example.org",
        session_ids=sessions,
        consent_processing=True,
        **extra,
    )


def time_passes(registration: Registration) -> None:
    """The hold ran out a second ago."""
    Registration.objects.filter(pk=registration.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )


def kinds(registration: Registration) -> list[str]:
    return list(registration.outbox_messages.order_by("pk").values_list("kind", flat=True))


@pytest.fixture
def small():
    return MeetingFactory(slug="small", capacity=2, language="en")  # the emails read below


# --- giving a held seat ---------------------------------------------------------------------


def test_a_new_registration_holds_its_seat_for_the_setting_and_the_email_says_so(small, settings):
    settings.SEAT_HOLD_MINUTES = 30

    registration = register(small, 1)

    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert registration.is_held
    assert registration.hold_expires_at - registration.consent_processing_at == dt.timedelta(
        minutes=30
    )
    message = registration.outbox_messages.get()
    assert (message.kind, message.payload) == ("registration_confirmed", {"hold_minutes": 30})
    email = build_email(message)
    sentence = (
        "We hold this seat for you for 30 minutes: open the link below to keep it. "
        "If it is not opened in time, the seat goes to the next person waiting."
    )
    assert sentence in email.body
    assert sentence in email.alternatives[0][0]


@pytest.mark.parametrize(
    "meeting_fields",
    [{"capacity": None}, {"capacity": 5, "hold_unconfirmed_seats": False}],
    ids=["no capacity", "holds off"],
)
def test_no_hold_without_a_capacity_or_with_the_setting_off(meeting_fields):
    meeting = MeetingFactory(**meeting_fields)

    registration = register(meeting, 1)

    registration.refresh_from_db()
    assert (registration.status, registration.hold_expires_at) == ("confirmed", None)
    message = registration.outbox_messages.get()
    assert message.payload == {}
    assert "We hold this seat" not in build_email(message).body


def test_waitlisted_and_pending_registrations_hold_nothing(small):
    full = MeetingFactory(capacity=0)
    approval = MeetingFactory(capacity=5, requires_approval=True)

    waiting, pending = register(full, 1), register(approval, 2)

    assert (waiting.status, waiting.hold_expires_at) == ("waitlisted", None)
    assert (pending.status, pending.hold_expires_at) == ("pending", None)


# --- opening the link -----------------------------------------------------------------------


def test_the_first_visit_of_the_link_confirms_the_seat_for_good(client, small):
    registration = register(small, 1)

    first = client.get(f"/r/{registration.token}/")
    again = client.get(f"/r/{registration.token}/")

    assert "Thank you: your seat is confirmed." in first.content.decode()
    assert "Thank you: your seat is confirmed." not in again.content.decode()
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert registration.hold_expires_at is None
    assert registration.link_opened_at is not None
    assert seat_holds_release() == 0
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"


def test_a_visit_after_the_time_but_before_the_release_still_keeps_the_seat(client, small):
    registration = register(small, 1)
    time_passes(registration)

    client.get(f"/r/{registration.token}/")

    assert release_seat_holds() == 0
    registration.refresh_from_db()
    assert (registration.status, registration.hold_expires_at) == ("confirmed", None)


def test_other_pages_of_the_link_do_not_confirm(client, small):
    registration = register(small, 1)

    client.get(f"/r/{registration.token}/cancel/")
    client.get(f"/calendar/{registration.token}.ics")

    registration.refresh_from_db()
    assert registration.is_held


# --- the release ----------------------------------------------------------------------------


def test_an_unopened_hold_is_released_to_the_first_waiting_who_gets_a_hold_too(
    small, client, settings
):
    workshop = SessionFactory(meeting=small, requires_booking=True, capacity=1)
    opened = register(small, 1)
    client.get(f"/r/{opened.token}/")
    unopened = register(small, 2, sessions=[workshop.pk])
    first_waiting, second_waiting = register(small, 3), register(small, 4)
    assert [r.status for r in (first_waiting, second_waiting)] == ["waitlisted"] * 2
    time_passes(unopened)

    assert release_seat_holds() == 1

    unopened.refresh_from_db()
    assert unopened.status == "cancelled"
    assert unopened.hold_expired  # the row says why
    assert unopened.bookings.get().status == SessionBooking.Status.CANCELLED
    assert kinds(unopened) == ["registration_confirmed", "registration_hold_released"]
    first_waiting.refresh_from_db()
    assert first_waiting.status == "confirmed" and first_waiting.is_held
    promoted = first_waiting.outbox_messages.get(kind="registration_promoted")
    # A seat from the waitlist may come at night: it is held for a day, not half an hour.
    assert promoted.payload == {"hold_minutes": settings.SEAT_HOLD_PROMOTED_MINUTES}
    assert Registration.objects.get(pk=second_waiting.pk).status == "waitlisted"
    assert Registration.objects.get(pk=opened.pk).status == "confirmed"
    assert Registration.objects.filter(meeting=small, status="confirmed").count() == 2
    # the next run finds nothing more to do and writes nothing
    assert release_seat_holds() == 0
    assert OutboxMessage.objects.filter(kind="registration_hold_released").count() == 1


def test_the_released_person_sees_why_and_can_register_again(client, small):
    registration = register(small, 1)
    time_passes(registration)
    seat_holds_release()

    page = client.get(f"/r/{registration.token}/").content.decode()

    assert "this link was not opened in time, so the seat went to the next person" in page
    assert 'href="/meetings/small/register/"' in page
    again = register(small, 1)
    assert again.pk == registration.pk
    again.refresh_from_db()
    # the link was opened meanwhile: the new seat is given, not held
    assert (again.status, again.hold_expires_at, again.cancelled_at) == ("confirmed", None, None)


def test_someone_who_opened_the_link_while_waiting_is_promoted_without_a_hold(client):
    meeting = MeetingFactory(capacity=1)
    holder = register(meeting, 1)
    waiting = register(meeting, 2)
    client.get(f"/r/{waiting.token}/")
    time_passes(holder)

    seat_holds_release()

    waiting.refresh_from_db()
    assert (waiting.status, waiting.hold_expires_at) == ("confirmed", None)
    assert waiting.outbox_messages.get(kind="registration_promoted").payload == {}


def test_cancelling_a_held_registration_is_not_shown_as_an_expired_hold(small):
    registration = register(small, 1)

    registration_cancel(registration=registration, by_organizer=True)

    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert not registration.hold_expired


def test_released_email_with_hostile_names_and_title_builds(small):
    Meeting.objects.filter(pk=small.pk).update(title=HOSTILE)
    registration = register(small, 1)
    Registration.objects.filter(pk=registration.pk).update(first_name=HOSTILE, last_name=HOSTILE)
    time_passes(registration)
    seat_holds_release()
    message = OutboxMessage.objects.get(kind="registration_hold_released")

    email = build_email(message)

    assert "\n" not in email.subject and "\r" not in email.subject
    assert "your link was not opened in time" in email.body
    assert f"/r/{registration.token}/" in email.body
    assert "/meetings/small/register/" in email.body


# --- per-domain and per-address limits ------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "family"),
    [
        ("a@fnc.es", "fnc.es"),
        ("a@x.y.FNC.es", "fnc.es"),
        ("a@mail.empresa.co.uk", "empresa.co.uk"),
        ("a@navarra.com.es", "navarra.com.es"),
    ],
)
def test_the_domain_counted_is_the_one_its_owner_controls(email, family):
    assert email_domain_family(email) == family


def api_register(meeting, email: str, address: str = "10.0.0.1"):
    return APIClient(REMOTE_ADDR=address).post(
        f"/api/v1/meetings/{meeting.slug}/registrations/",
        {"first_name": "Ane", "last_name": "X", "email": email, "consent_processing": True},
        format="json",
    )


def test_at_most_n_registrations_per_domain_and_hour_then_a_clear_error(settings):
    settings.REGISTRATIONS_PER_DOMAIN_PER_HOUR = 3
    meeting = MeetingFactory(capacity=50)
    other = MeetingFactory(capacity=50)
    emails = ["a@madeup.test", "b@madeup.test", "c@sub.madeup.test"]

    statuses = [
        api_register(meeting, email, f"10.0.0.{n}").status_code for n, email in enumerate(emails)
    ]
    refused = api_register(meeting, "d@madeup.test", "10.0.1.1")
    repeat = api_register(meeting, "a@madeup.test", "10.0.1.2")

    assert statuses == [202, 202, 202]
    message = (
        "Too many registrations with addresses at madeup.test in the last hour. "
        "Please try again later or write to the organizers."
    )
    # a new address and an already registered one get the same answer
    assert (refused.status_code, refused.json()) == (400, {"email": [message]})
    assert (repeat.status_code, repeat.json()) == (400, {"email": [message]})
    assert Registration.objects.filter(meeting=meeting).count() == 3
    assert OutboxMessage.objects.filter(meeting=meeting, kind="private_link").count() == 0
    # other meetings, allow-listed domains and registrations older than an hour do not count
    assert api_register(other, "d@madeup.test", "10.0.2.1").status_code == 202
    assert api_register(meeting, "d@gmail.com", "10.0.2.2").status_code == 202
    Registration.objects.filter(email="a@madeup.test").update(
        consent_processing_at=timezone.now() - dt.timedelta(hours=1, seconds=1)
    )
    assert api_register(meeting, "d@madeup.test", "10.0.2.3").status_code == 202


def test_the_form_shows_the_domain_limit_on_the_email_field(client, settings):
    settings.REGISTRATIONS_PER_DOMAIN_PER_HOUR = 1
    meeting = MeetingFactory(slug="formlimit", capacity=10)
    register(meeting, 1, email="a@madeup.test")
    page = client.get("/meetings/formlimit/register/")

    response = resubmit(
        client,
        "/meetings/formlimit/register/",
        first_name="Ane",
        last_name="X",
        email="b@madeup.test",
        consent_processing="on",
    )

    assert page.status_code == 200
    assert response.status_code == 400
    assert "Too many registrations with addresses at madeup.test" in response.content.decode()
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_one_address_registers_at_most_n_people_per_meeting(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "registrations_meeting": "2/hour",
        },
    }
    meeting, other = MeetingFactory(capacity=20), MeetingFactory(capacity=20)

    statuses = [api_register(meeting, f"p{n}@example.org").status_code for n in range(3)]
    elsewhere = api_register(other, "p9@example.org").status_code
    another_address = api_register(meeting, "p8@example.org", "10.9.9.9").status_code

    assert statuses == [202, 202, 429]
    assert (elsewhere, another_address) == (202, 202)
    assert Registration.objects.filter(meeting=meeting).count() == 3


# --- the organizer's setting ----------------------------------------------------------------


def test_organizer_turns_holds_off_in_the_workspace_and_back_on(client, organizer):
    meeting = MeetingFactory(slug="holds", capacity=10)
    MeetingOrganizerFactory(meeting=meeting, user=organizer)
    client.force_login(organizer)
    url = "/meetings/holds/manage/settings/"
    shown = form_values(client.get(url).content, form_id="settings-form")
    assert shown["hold_unconfirmed_seats"] == "on"

    data = {name: value for name, value in shown.items() if name != "hold_unconfirmed_seats"}
    client.post(url, data)
    meeting.refresh_from_db()
    assert meeting.hold_unconfirmed_seats is False
    assert register(meeting, 1).hold_expires_at is None

    resubmit(client, url, choice={"form_id": "settings-form"}, hold_unconfirmed_seats="on")
    meeting.refresh_from_db()
    assert meeting.hold_unconfirmed_seats is True


def test_the_participants_page_shows_who_holds_a_seat_and_whose_ran_out(client, organizer):
    meeting = MeetingFactory(slug="shown", capacity=10)
    MeetingOrganizerFactory(meeting=meeting, user=organizer)
    held, released = register(meeting, 1), register(meeting, 2)
    time_passes(released)
    seat_holds_release()
    held.refresh_from_db()
    client.force_login(organizer)

    page = client.get("/meetings/shown/manage/participants/").content.decode()

    until = held.hold_expires_at.astimezone(meeting.tzinfo)
    assert f"held until {until:%H:%M}: link not opened yet" in page
    assert page.count("seat released: link not opened in time") == 1


def test_a_seat_an_organizer_gives_is_not_held(small, client):
    """Approving or promoting is the organizer's choice of this person: the seat is theirs."""
    register(small, 1)
    register(small, 2)
    waiting = register(small, 3)
    small.capacity = 3
    small.save(update_fields=["capacity"])  # a free seat, without the automatic promotion
    registration_promote(registration=waiting)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.hold_expires_at) == ("confirmed", None)


def test_turning_holds_off_keeps_the_seats_that_were_held(small):
    held = register(small, 1)
    assert held.is_held
    small.hold_unconfirmed_seats = False
    small.save(update_fields=["hold_unconfirmed_seats"])
    time_passes(held)

    assert release_seat_holds() == 0

    held.refresh_from_db()
    assert (held.status, held.hold_expires_at) == ("confirmed", None)
    assert not OutboxMessage.objects.filter(kind="registration_hold_released").exists()


# --- without beat (the embedded mode): the next change of the meeting releases ---------------


@pytest.fixture
def no_beat(settings):
    """The embedded mode: no broker, so no beat; nothing here calls the release task."""
    settings.CELERY_BROKER_URL = ""


def test_without_beat_the_next_registration_releases_an_expired_hold_and_promotes_the_queue(
    no_beat, settings
):
    meeting = MeetingFactory(slug="demo", capacity=1, language="en")
    Meeting.objects.filter(pk=meeting.pk).update(title=HOSTILE)
    workshop = SessionFactory(meeting=meeting, requires_booking=True, capacity=1)
    holder = register(meeting, 1, sessions=[workshop.pk])
    waiting = register(meeting, 2)
    Registration.objects.filter(pk=holder.pk).update(first_name=HOSTILE, last_name=HOSTILE)
    time_passes(holder)

    newcomer = register(meeting, 3)

    holder.refresh_from_db()
    assert holder.status == "cancelled" and holder.hold_expired
    assert holder.bookings.get().status == SessionBooking.Status.CANCELLED
    assert kinds(holder) == ["registration_confirmed", "registration_hold_released"]
    waiting.refresh_from_db()
    # the freed seat went to the one who waited, not to the newcomer
    assert waiting.status == "confirmed" and waiting.is_held
    assert waiting.outbox_messages.get(kind="registration_promoted").payload == {
        "hold_minutes": settings.SEAT_HOLD_PROMOTED_MINUTES
    }
    assert newcomer.status == "waitlisted"
    assert Registration.objects.filter(meeting=meeting, status="confirmed").count() == 1
    email = build_email(holder.outbox_messages.get(kind="registration_hold_released"))
    assert "\n" not in email.subject and "\r" not in email.subject
    assert "your link was not opened in time" in email.body
    # the beat task, were it running, finds nothing left to do
    assert release_seat_holds() == 0


def test_without_beat_a_cancellation_releases_the_expired_holds_too(no_beat):
    meeting = MeetingFactory(capacity=2)
    expired, leaving = register(meeting, 1), register(meeting, 2)
    first, second, third = register(meeting, 3), register(meeting, 4), register(meeting, 5)
    time_passes(expired)

    registration_cancel(registration=leaving, by_organizer=True)

    statuses = dict(Registration.objects.filter(meeting=meeting).values_list("last_name", "status"))
    assert statuses == {
        "Person 1": "cancelled",
        "Person 2": "cancelled",
        "Person 3": "confirmed",
        "Person 4": "confirmed",
        "Person 5": "waitlisted",
    }
    assert kinds(Registration.objects.get(pk=expired.pk))[-1] == "registration_hold_released"
    assert kinds(Registration.objects.get(pk=leaving.pk))[-1] == "registration_cancelled"
    assert [kinds(Registration.objects.get(pk=r.pk))[-1] for r in (first, second, third)] == [
        "registration_promoted",
        "registration_promoted",
        "registration_waitlisted",
    ]


def test_without_beat_whoever_opened_the_link_late_keeps_the_seat_at_the_next_registration(
    no_beat, client
):
    meeting = MeetingFactory(capacity=1)
    holder = register(meeting, 1)
    time_passes(holder)
    client.get(f"/r/{holder.token}/")  # after the time, before anything released it

    newcomer = register(meeting, 2)

    holder.refresh_from_db()
    assert (holder.status, holder.hold_expires_at) == ("confirmed", None)
    assert newcomer.status == "waitlisted"
    assert not OutboxMessage.objects.filter(kind="registration_hold_released").exists()


def test_the_release_at_a_registration_is_one_query_when_nothing_ran_out(
    no_beat, django_assert_num_queries
):
    meeting = MeetingFactory(capacity=10)
    register(meeting, 1)  # a hold that has not run out
    meeting = Meeting.objects.get(pk=meeting.pk)

    # The check rides in the arrival's one read of the meeting's registrations (its
    # seats, waitlist and this email): no query of its own. 6 queries in all here (no
    # sessions, no organisation), 7 on PostgreSQL, which also sets the lock timeout.
    with django_assert_num_queries(7 if connection.vendor == "postgresql" else 6) as captured:
        register(meeting, 2)

    lookups = [q["sql"] for q in captured.captured_queries if '"hold_expires_at" <=' in q["sql"]]
    assert len(lookups) == 1
    assert '"meeting_id"' in lookups[0]
