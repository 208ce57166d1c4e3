"""Every kind of email is built and sent when every field holds hostile text.

Rows written before the one-line rule may hold line breaks, controls and direction
marks anywhere; the rows here get them with ``.update()``, past every validator,
as such old rows would. One bad field must never stop a message: each email is
sent by the outbox, its subject is one line, it parses as mail, and every
calendar it carries parses with icalendar.
"""

from email import policy
from email.parser import BytesParser
from email.utils import parseaddr
from pathlib import Path

import pytest
from django.conf import settings
from icalendar import Calendar

import registrations
from agenda.models import Session, Speaker, Track
from events.models import Meeting, Organization, Room, Venue
from events.text import UNSAFE_ONE_LINE, one_line
from mail.models import OutboxMessage
from mail.services import outbox_message_send
from registrations.models import ParticipantMessage, Registration
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    RegistrationFactory,
    RoomFactory,
    SessionBookingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    TrackFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

TEMPLATES = Path(registrations.__file__).parent / "templates/registrations/email"
# Every kind there is: a new template is covered without touching this test.
KINDS = sorted(path.name.removesuffix("_subject.txt") for path in TEMPLATES.glob("*_subject.txt"))
# Kinds whose email carries a calendar (for the fixture's one booked session).
CALENDAR_KINDS = {
    "agenda_update",
    "booking_cancelled",
    "booking_confirmed",
    "booking_promoted",
    "meeting_cancelled",
    "registration_cancelled",
    "registration_confirmed",
    "registration_promoted",
}

HOSTILE = (
    "=cmd|' /C calc'!A0\r\nBcc: x@evil.example\rSubject: x\nY\x07\x1b[31m\u202eevil\u200b"
    "\ufeff\x85\u2028\u2066Cafe\u0301\t"
)
LONG = HOSTILE + "ñ" * 5000


def hostile(model, field: str) -> str:
    """As much hostile text as the column holds (PostgreSQL refuses more)."""
    max_length = model._meta.get_field(field).max_length
    return LONG[:max_length] if max_length else LONG


def spoil(model, pk: int, *fields: str) -> None:
    model.objects.filter(pk=pk).update(**{field: hostile(model, field) for field in fields})


@pytest.fixture
def spoiled():
    """A registration with a booked session; every text of everything in its emails hostile."""
    venue = VenueFactory()
    meeting = MeetingFactory(venue=venue)
    organization = OrganizationFactory()
    room = RoomFactory(venue=venue)
    track = TrackFactory(meeting=meeting)
    session = SessionFactory(meeting=meeting, room=room, track=track)
    speaker = SpeakerFactory(meeting=meeting, organization=organization)
    SessionSpeakerFactory(session=session, speaker=speaker)
    registration = RegistrationFactory(meeting=meeting)
    SessionBookingFactory(registration=registration, session=session)
    message = ParticipantMessage.objects.create(meeting=meeting, subject="Hello", body="Hi")
    spoil(Meeting, meeting.pk, "title", "description")
    # An old row's contact address with a header injection in it.
    Meeting.objects.filter(pk=meeting.pk).update(
        contact_email="info@example.org\r\nBcc: x@evil.example"
    )
    spoil(Venue, venue.pk, "name", "address", "city", "country")
    spoil(Room, room.pk, "name")
    spoil(Track, track.pk, "name")
    spoil(Session, session.pk, "title", "abstract", "external_id")
    spoil(Speaker, speaker.pk, "name", "job_title", "bio")
    spoil(Organization, organization.pk, "name", "short_name")
    spoil(
        Registration,
        registration.pk,
        "first_name",
        "last_name",
        "organization_name",
        "job_title",
        "region_legacy",
    )
    spoil(ParticipantMessage, message.pk, "subject", "body")
    return registration, session, message


def outbox_row(kind: str, registration, session, participant_message) -> OutboxMessage:
    payload = {
        "agenda_update": {"session_ids": [session.pk]},
        "registration_rejected": {"reason": LONG},
        "registration_cancelled": {"by_organizer": True},
    }.get(kind, {})
    return OutboxMessage.objects.create(
        kind=kind,
        recipient=registration.email,  # an address the outbox could send to
        meeting=registration.meeting,
        registration=registration,
        session=session if kind.startswith("booking_") else None,
        participant_message=participant_message if kind == "participant_message" else None,
        payload=payload,
        dedupe_key=f"hostile:{kind}",
    )


def calendars(parsed) -> list[Calendar]:
    """Every calendar in the email: the text/calendar alternative and the .ics attachments."""
    found = []
    for part in parsed.walk():
        if part.get_content_type() in ("text/calendar", "application/ics"):
            data = part.get_payload(decode=True)
            found.append(Calendar.from_ical(data))
    return found


def test_every_email_kind_is_covered():
    assert len(KINDS) == 16
    assert set(KINDS) > CALENDAR_KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_email_with_hostile_text_everywhere_is_sent_with_a_one_line_subject(
    spoiled, kind, mailoutbox
):
    registration, session, participant_message = spoiled
    message = outbox_row(kind, registration, session, participant_message)

    outbox_message_send(message_id=message.pk)

    message.refresh_from_db()
    assert (message.status, message.last_error, message.attempts) == ("sent", "", 1)
    [sent] = mailoutbox
    parsed = BytesParser(policy=policy.default).parsebytes(sent.message().as_bytes())
    assert len(parsed.get_all("Subject")) == 1
    # The parser keeps the space of a header folded right after its name.
    subject = parsed["Subject"].strip()
    assert subject == sent.subject
    assert UNSAFE_ONE_LINE.search(subject) is None
    assert parsed["Bcc"] is None
    assert parsed["To"] == registration.email
    assert parsed["Reply-To"] is None  # the contact address is not one address
    meeting = Meeting.objects.get(pk=registration.meeting_id)
    if kind == "participant_message":
        stored = ParticipantMessage.objects.get(pk=participant_message.pk).subject
        assert subject == one_line(stored)
    elif kind.startswith("booking_"):
        assert one_line(Session.objects.get(pk=session.pk).title) in subject
    else:
        assert one_line(meeting.title) in subject


@pytest.mark.parametrize("kind", sorted(CALENDAR_KINDS))
def test_calendar_of_an_email_with_hostile_text_parses_with_one_line_properties(
    spoiled, kind, mailoutbox
):
    registration, session, participant_message = spoiled
    message = outbox_row(kind, registration, session, participant_message)

    outbox_message_send(message_id=message.pk)

    [sent] = mailoutbox
    parsed = BytesParser(policy=policy.default).parsebytes(sent.message().as_bytes())
    found = calendars(parsed)
    assert len(found) == 2  # the invitation alternative and the .ics attachment
    meeting = Meeting.objects.get(pk=registration.meeting_id)
    stored = Session.objects.get(pk=session.pk)
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    for calendar in found:
        assert str(calendar["X-WR-CALNAME"]) == one_line(meeting.title)
        events = {str(event["UID"]).split("-")[0]: event for event in calendar.walk("VEVENT")}
        event = events["session"]
        assert str(event["SUMMARY"]) == one_line(stored.title)
        assert str(event["LOCATION"]).startswith(one_line(Room.objects.get().name) + ", ")
        for event in events.values():
            for name in ("SUMMARY", "LOCATION"):
                assert UNSAFE_ONE_LINE.search(str(event[name])) is None
            assert "\r" not in str(event["DESCRIPTION"])
            assert "\x07" not in str(event["DESCRIPTION"])
            for person in (event["ORGANIZER"], event["ATTENDEE"]):
                assert UNSAFE_ONE_LINE.search(person.params["CN"]) is None
            # The broken contact address is not the organizer: the site's sender is.
            assert str(event["ORGANIZER"]) == f"mailto:{sender}"
