"""Emails carry the calendar: REQUEST for what the attendee holds, CANCEL for what is gone,
and agenda changes reach booked attendees as one batched update."""

import datetime as dt
import email as email_lib

import pytest
from django.core import mail
from icalendar import Calendar

from agenda.services import session_cancel, session_move
from mail.models import OutboxMessage
from mail.services import outbox_message_send, outbox_pending_requeue
from registrations.services import (
    registration_bookings_update,
    registration_cancel,
    registration_create,
    registration_reject,
)
from tests.factories import MeetingFactory, RoomFactory, SessionFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(meeting):
    return SessionFactory(
        meeting=meeting,
        title="Joint projects",
        kind="workshop",
        requires_booking=True,
        capacity=20,
        room=RoomFactory(venue=meeting.venue, name="Taconera"),
    )


@pytest.fixture
def register(meeting, django_capture_on_commit_callbacks):
    def do(session_ids=(), email="ane@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            return registration_create(
                meeting=meeting,
                first_name="Ane",
                last_name="Goñi",
                email=email,
                session_ids=session_ids,
                consent_processing=True,
                language="en",
            )

    return do


def calendar_parts(message):
    """(MIME type of the alternative, its calendar, [attached .ics calendars]) of a sent email."""
    parsed = email_lib.message_from_bytes(message.message().as_bytes())
    alternative, attachments = None, []
    for part in parsed.walk():
        if part.get_content_type() == "text/calendar":
            alternative = (part["Content-Type"], CalendarBytes(part.get_payload(decode=True)))
        elif part.get_content_type() == "application/ics":
            attachments.append(CalendarBytes(part.get_payload(decode=True)))
    return alternative, attachments


class CalendarBytes(bytes):
    """The bytes as sent, parsed on demand."""

    def __getitem__(self, key):
        return Calendar.from_ical(bytes(self))[key]

    def walk(self, name):
        return Calendar.from_ical(bytes(self)).walk(name)


def events(calendar):
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_registration_confirmation_carries_a_request_with_the_meeting_and_booked_session(
    register, meeting, workshop, settings
):
    register([workshop.pk])

    (sent,) = mail.outbox
    (content_type, calendar), attachments = calendar_parts(sent)
    assert content_type == 'text/calendar; method="REQUEST"; charset="utf-8"'
    assert str(calendar["METHOD"]) == "REQUEST"
    # The same calendar as an .ics file for other clients (a text/* MIME part's line
    # ends are the transport's: smtplib sends them as CRLF).
    assert [a.replace(b"\r\n", b"\n") for a in attachments] == [calendar.replace(b"\r\n", b"\n")]
    uids = events(calendar)
    session_event = uids[f"session-{workshop.pk}@{settings.SITE_DOMAIN}"]
    assert f"meeting-{meeting.pk}@{settings.SITE_DOMAIN}" in uids
    assert str(session_event["ORGANIZER"]) == "mailto:info@example.org"
    attendee = session_event["ATTENDEE"]
    assert str(attendee) == "mailto:ane@example.org"
    assert (attendee.params["RSVP"], attendee.params["CN"]) == ("FALSE", "Ane Goñi")
    assert session_event.decoded("DTSTART") == at(meeting, 0, "10:00")
    # The body states time and place too, for clients that ignore the calendar part.
    assert "Joint projects" in sent.body and "Taconera" in sent.body


def test_waitlisted_registration_gets_no_calendar(register, meeting):
    meeting.capacity = 0
    meeting.save()

    register()

    (sent,) = mail.outbox
    assert calendar_parts(sent) == (None, [])


def test_dropped_booking_sends_cancel_with_same_uid_and_higher_sequence_then_rebooking_higher(
    register, workshop, django_capture_on_commit_callbacks
):
    registration = register([workshop.pk])
    (_ctype, confirmed), _ = calendar_parts(mail.outbox[0])
    uid = next(uid for uid in events(confirmed) if uid.startswith("session-"))

    with django_capture_on_commit_callbacks(execute=True):
        registration_bookings_update(registration=registration, session_ids=[])
    with django_capture_on_commit_callbacks(execute=True):
        registration_bookings_update(registration=registration, session_ids=[workshop.pk])

    cancel_email, rebook_email = mail.outbox[1:]
    (cancel_type, cancel), _ = calendar_parts(cancel_email)
    (_rtype, rebook), _ = calendar_parts(rebook_email)
    assert cancel_type == 'text/calendar; method="CANCEL"; charset="utf-8"'
    assert str(cancel["METHOD"]) == "CANCEL"
    sequences = [events(c)[uid]["SEQUENCE"] for c in (confirmed, cancel, rebook)]
    assert sequences == [0, 1, 2]
    assert str(events(cancel)[uid]["STATUS"]) == "CANCELLED"


def test_cancelled_registration_cancels_the_meeting_and_its_sessions(
    register, meeting, workshop, django_capture_on_commit_callbacks, settings
):
    registration = register([workshop.pk])

    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration)

    (_type, cancel), _ = calendar_parts(mail.outbox[-1])
    assert str(cancel["METHOD"]) == "CANCEL"
    assert sorted(events(cancel)) == sorted(
        [
            f"meeting-{meeting.pk}@{settings.SITE_DOMAIN}",
            f"session-{workshop.pk}@{settings.SITE_DOMAIN}",
        ]
    )
    assert {str(e["STATUS"]) for e in events(cancel).values()} == {"CANCELLED"}


def test_moved_session_sends_one_update_with_the_same_uid_and_a_higher_sequence(
    register, meeting, workshop, settings, django_capture_on_commit_callbacks
):
    settings.AGENDA_NOTICE_DELAY_SECONDS = 0
    register([workshop.pk])
    mail.outbox.clear()
    new_room = RoomFactory(venue=meeting.venue, name="Ciudadela")

    with django_capture_on_commit_callbacks(execute=True):
        session_move(session=workshop, room=new_room, starts_at=at(meeting, 1, "16:00"))

    (update,) = mail.outbox
    assert update.subject == f"Changes to your agenda at {meeting.title}"
    assert "Ciudadela" in update.body and "16:00" in update.body
    (content_type, calendar), _ = calendar_parts(update)
    assert content_type == 'text/calendar; method="REQUEST"; charset="utf-8"'
    event = events(calendar)[f"session-{workshop.pk}@{settings.SITE_DOMAIN}"]
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == at(meeting, 1, "16:00")
    assert "Ciudadela" in str(event["LOCATION"])


def test_several_changes_within_the_window_make_one_email_per_attendee(
    register, meeting, workshop, settings, django_capture_on_commit_callbacks
):
    settings.AGENDA_NOTICE_DELAY_SECONDS = 300
    talk = SessionFactory(
        meeting=meeting,
        title="Open talk",
        starts_at=at(meeting, 0, "12:00"),
        ends_at=at(meeting, 0, "13:00"),
    )
    register([workshop.pk, talk.pk], email="ane@example.org")
    register([workshop.pk], email="jon@example.org")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        session_move(session=workshop, room=workshop.room, starts_at=at(meeting, 0, "11:00"))
    with django_capture_on_commit_callbacks(execute=True):
        session_move(session=workshop, room=workshop.room, starts_at=at(meeting, 0, "15:00"))
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=talk)

    notices = OutboxMessage.objects.filter(kind="agenda_update").order_by("recipient")
    assert [(n.recipient, n.payload["session_ids"]) for n in notices] == [
        ("ane@example.org", [workshop.pk, talk.pk]),
        ("jon@example.org", [workshop.pk]),
    ]
    assert mail.outbox == []  # nothing before the window closes, even if a task arrives early
    outbox_message_send(message_id=notices[0].pk)
    assert mail.outbox == []

    notices.update(send_after=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert outbox_pending_requeue(grace_seconds=0) == 2

    assert sorted(m.to[0] for m in mail.outbox) == ["ane@example.org", "jon@example.org"]
    ane = next(m for m in mail.outbox if m.to == ["ane@example.org"])
    assert "15:00" in ane.body and "CANCELLED" in ane.body
    (request_type, request), attachments = calendar_parts(ane)
    assert str(request["METHOD"]) == "REQUEST"
    assert list(events(request)) == [f"session-{workshop.pk}@{settings.SITE_DOMAIN}"]
    assert events(request)[f"session-{workshop.pk}@{settings.SITE_DOMAIN}"]["SEQUENCE"] == 2
    cancel = attachments[1]
    assert str(cancel["METHOD"]) == "CANCEL"
    assert list(events(cancel)) == [f"session-{talk.pk}@{settings.SITE_DOMAIN}"]


def test_attendees_who_dropped_the_session_or_are_waitlisted_hear_nothing(
    register, meeting, workshop, settings, django_capture_on_commit_callbacks
):
    settings.AGENDA_NOTICE_DELAY_SECONDS = 0
    registration = register([workshop.pk])
    with django_capture_on_commit_callbacks(execute=True):
        registration_bookings_update(registration=registration, session_ids=[])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=workshop)

    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(kind="agenda_update").exists()


def test_change_in_another_meeting_sends_nothing_here(register, workshop, settings):
    settings.AGENDA_NOTICE_DELAY_SECONDS = 0
    register([workshop.pk])
    other = SessionFactory(meeting=MeetingFactory())
    mail.outbox.clear()

    session_cancel(session=other)

    assert not OutboxMessage.objects.filter(kind="agenda_update").exists()


def test_agenda_update_is_written_in_the_attendees_language(
    meeting, workshop, settings, django_capture_on_commit_callbacks
):
    settings.AGENDA_NOTICE_DELAY_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(
            meeting=meeting,
            first_name="Ane",
            last_name="Goñi",
            email="ane@example.org",
            session_ids=[workshop.pk],
            consent_processing=True,
            language="es",
        )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=workshop)

    (update,) = mail.outbox
    assert update.subject == f"Cambios en tu agenda de {meeting.title}"
    assert "CANCELADA: “Joint projects”" in update.body
    (_type, cancel), _ = calendar_parts(update)
    assert str(cancel["METHOD"]) == "CANCEL"
    (event,) = cancel.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Cancelada: Joint projects"


def test_who_cancelled_can_register_again_and_calendars_take_it_back(
    register, meeting, workshop, settings, django_capture_on_commit_callbacks
):
    """Registering again after cancelling is a new arrival on the same row; the new REQUEST
    outranks the CANCEL in SEQUENCE, for the meeting and the session."""
    registration = register([workshop.pk])
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration)

    again = register([workshop.pk])

    assert again.pk == registration.pk
    assert (again.status, again.cancelled_at) == ("confirmed", None)
    assert again.bookings.get().status == "booked"
    first, cancel, welcome_back = mail.outbox
    assert welcome_back.subject == first.subject
    sequences = []
    for sent in (first, cancel, welcome_back):
        (_type, calendar), _ = calendar_parts(sent)
        sequences.append({uid.split("-")[0]: e["SEQUENCE"] for uid, e in events(calendar).items()})
    assert sequences == [
        {"meeting": 0, "session": 0},
        {"meeting": 1, "session": 1},
        {"meeting": 2, "session": 2},
    ]


def test_rejected_registration_stays_rejected_when_registering_again(register, meeting):
    meeting.requires_approval = True
    meeting.save()
    registration = register()
    registration_reject(registration=registration)

    again = register()

    assert again.status == "rejected"
