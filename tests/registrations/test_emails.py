"""The content of every email the registration services send, in English and Spanish."""

import datetime as dt

import pytest

from mail.models import OutboxMessage
from registrations.emails import build_email
from registrations.models import SessionBooking
from tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    RoomFactory,
    SessionBookingFactory,
    SessionFactory,
    VenueFactory,
    at,
)

pytestmark = pytest.mark.django_db

KINDS = [
    "registration_received",
    "registration_confirmed",
    "registration_waitlisted",
    "registration_promoted",
    "registration_cancelled",
    "registration_rejected",
    "registration_hold_released",
    "booking_confirmed",
    "booking_waitlisted",
    "booking_promoted",
    "booking_cancelled",
    "private_link",
]


@pytest.fixture
def booked():
    """A registration with one workshop booked in the Baluarte's Sala Pamplona."""
    venue = VenueFactory(name="Baluarte", address="Plaza del Baluarte", city="Pamplona")
    meeting = MeetingFactory(
        title="Intercluster 2027",
        venue=venue,
        starts_on=dt.date(2027, 3, 9),
        ends_on=dt.date(2027, 3, 10),
        registration_opens_at=None,
        registration_closes_at=None,
    )
    room = RoomFactory(venue=venue, name="Sala Pamplona")
    session = SessionFactory(
        meeting=meeting,
        title="Value chains & exports",
        room=room,
        starts_at=at(meeting, 0, "10:00"),
        ends_at=at(meeting, 0, "11:30"),
    )
    registration = RegistrationFactory(meeting=meeting, first_name="Ane")
    SessionBookingFactory(registration=registration, session=session)
    return registration, session


def render(registration, session, kind, language):
    registration.language = language
    registration.save()
    message = OutboxMessage(
        kind=kind,
        recipient=registration.email,
        meeting=registration.meeting,
        registration=registration,
        session=session if kind.startswith("booking_") else None,
        dedupe_key=f"test:{kind}",
    )
    return build_email(message)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_email_carries_the_link_and_the_meetings_essentials(booked, kind, language):
    registration, session = booked

    email = render(registration, session, kind, language)

    html = email.alternatives[0][0]
    link = f"/r/{registration.token}/"
    assert link in email.body and link in html
    for text in ("Baluarte, Plaza del Baluarte, Pamplona", "Sala Pamplona", "10:00–11:30"):
        assert text in email.body
        assert text in html
    assert "Value chains & exports" in email.body  # plain text is not HTML-escaped
    assert "Value chains &amp; exports" in html
    assert "CET (Europe/Madrid)" in email.body


def test_confirmation_in_english_reads_as_written(booked):
    registration, session = booked

    email = render(registration, session, "registration_confirmed", "en")

    assert email.subject == "Your registration for Intercluster 2027 is confirmed"
    assert email.body.startswith(
        "Hello Ane,\n\nYour place at Intercluster 2027 is confirmed. We look forward to seeing you."
    )
    assert "When: 9–10 March 2027 (CET (Europe/Madrid))" in email.body
    assert "- Value chains & exports — Tuesday 9 March, 10:00–11:30, Sala Pamplona (Booked)" in (
        email.body
    )


def test_confirmation_in_spanish_is_translated_dates_included(booked):
    registration, session = booked

    email = render(registration, session, "registration_confirmed", "es")

    assert email.subject == "Tu inscripción en Intercluster 2027 está confirmada"
    assert email.body.startswith("Hola, Ane:\n\nTu plaza en Intercluster 2027 está confirmada.")
    assert "Cuándo: 9–10 de marzo de 2027" in email.body
    assert "martes 9 de marzo, 10:00–11:30, Sala Pamplona (Reservada)" in email.body


def test_booking_email_names_the_session(booked):
    registration, session = booked

    email = render(registration, session, "booking_waitlisted", "en")

    assert email.subject == "Session full, you are on its waitlist: Value chains & exports"
    assert "“Value chains & exports” — Tuesday 9 March, 10:00–11:30, Sala Pamplona" in email.body


def test_cancellation_by_organizer_says_so(booked):
    registration, session = booked
    registration.bookings.update(status=SessionBooking.Status.CANCELLED)
    message = OutboxMessage(
        kind="registration_cancelled",
        recipient=registration.email,
        meeting=registration.meeting,
        registration=registration,
        payload={"by_organizer": True},
        dedupe_key="x",
    )
    registration.language = "en"

    email = build_email(message)

    assert "The organizers have cancelled your registration" in email.body
    assert "Your sessions" not in email.body
