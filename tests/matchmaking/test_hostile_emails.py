"""Every B2B email and calendar is sent when every text in it is hostile.

The rows get line breaks, every C0 control, direction overrides and 5,000-character strings
with ``.update()``, past every validator, as rows written before the text rules would hold:
names, organisations, role, message, decline reason, table, room, venue, session and meeting
titles. Each email is still sent, its subject is one line, and every calendar parses, with
one-line properties and every content line folded at 75 octets.
"""

import pytest
from django.db import connection

from agenda.models import Session
from events.models import Meeting, Organization, Room, Venue
from events.text import UNSAFE_ONE_LINE, one_line
from matchmaking.models import MeetingRequest, Profile, Table
from matchmaking.services.requests import (
    request_accept,
    request_cancel,
    request_create,
    request_decline,
)
from registrations.models import Registration
from tests.matchmaking.b2b import b2b_meeting, first_session, person, slots
from tests.matchmaking.mails import deliver

pytestmark = pytest.mark.django_db

# PostgreSQL refuses NUL in text columns; everywhere else it is in too.
CONTROLS = "".join(chr(code) for code in range(0 if connection.vendor != "postgresql" else 1, 32))
HOSTILE = (
    "=cmd|' /C calc'!A0\r\nBcc: x@evil.example\rSubject: x\nY"
    + CONTROLS
    + "\u202eevil\u200b\ufeff\x85\u2028\u2066Cafe\u0301\t\"';,:<b>"
)
LONG = HOSTILE + "ñ" * 5000


def hostile(model, field: str, suffix: str = "") -> str:
    """As much hostile text as the column holds (PostgreSQL refuses more)."""
    max_length = model._meta.get_field(field).max_length
    value = LONG[: max_length - len(suffix)] if max_length else LONG
    return value + suffix


def spoil(model, pk: int, *fields: str, suffix: str = "") -> None:
    model.objects.filter(pk=pk).update(**{field: hostile(model, field, suffix) for field in fields})


@pytest.fixture
def spoiled():
    """Every kind written by the services, then every text the emails show made hostile."""
    meeting = b2b_meeting()
    ana, ben, cai, dan = (person(meeting) for _ in range(4))
    scheduled = request_create(requester=ana, recipient=ben, message="Hi")
    request_accept(request=scheduled, by=ben, slot_id=slots(meeting)[0].pk)
    declined = request_create(requester=cai, recipient=ben, message="Hi")
    request_decline(request=declined, by=ben, reason="No")
    cancelled = request_create(requester=dan, recipient=ana, message="Hi")
    request_accept(request=cancelled, by=ana, slot_id=slots(meeting)[1].pk)
    request_cancel(request=cancelled, by=dan)

    b2b_session = first_session(meeting)
    room = Room.objects.create(venue=meeting.venue, name="Sala")
    for number, table in enumerate(Table.objects.filter(b2b_session=b2b_session)):
        table.room = room if number == 0 else None
        table.save()
        spoil(Table, table.pk, "name", suffix=str(number))
    spoil(Meeting, meeting.pk, "title")
    spoil(Venue, meeting.venue_id, "name", "address", "city", "country")
    spoil(Room, room.pk, "name", suffix="1")
    spoil(Room, b2b_session.session.room_id, "name", suffix="2")
    spoil(Session, b2b_session.session_id, "title")
    for number, registration in enumerate((ana, ben, cai, dan)):
        spoil(Registration, registration.pk, "first_name", "last_name", "organization_name")
        spoil(Registration, registration.pk, "job_title")
        spoil(Organization, registration.organization_id, "name", "short_name", suffix=str(number))
        spoil(Profile, registration.b2b_profile.pk, "role")
    for request in (scheduled, declined, cancelled):
        spoil(MeetingRequest, request.pk, "message", "decline_reason")
    Profile.objects.filter(registration=dan).update(organization=None)  # the typed name then
    return meeting, [ana, ben, cai, dan]


def content_lines(content_type: str, data: bytes) -> list[bytes]:
    """The calendar's lines: the .ics attachment is base64, its bytes exact (CRLF); the
    text/calendar alternative is text, its line ends are the transport's."""
    end = b"\r\n" if content_type.startswith("application/ics") else b"\n"
    assert data.endswith(end)
    return data[: -len(end)].split(end)


def test_every_b2b_email_with_hostile_text_everywhere_is_sent(spoiled, mailoutbox):
    meeting, everybody = spoiled
    addresses = {registration.email for registration in everybody}

    sent = deliver(mailoutbox)

    assert {item.row.kind for item in sent} == {
        "b2b_request_received",
        "b2b_request_accepted",
        "b2b_request_declined",
        "b2b_meeting_scheduled",
        "b2b_meeting_cancelled",
    }
    title = one_line(Meeting.objects.get(pk=meeting.pk).title)
    for item in sent:
        assert len(item.email.get_all("Subject")) == 1
        assert UNSAFE_ONE_LINE.search(item.subject) is None
        assert title in item.subject
        assert item.email["Bcc"] is None
        assert item.email["To"] in addresses
        assert "<b>" not in item.html  # escaped
        assert item.text and item.html


def test_every_b2b_calendar_with_hostile_text_parses_with_one_line_properties(spoiled, mailoutbox):
    meeting, everybody = spoiled
    others = {registration.email for registration in everybody}

    sent = [item for item in deliver(mailoutbox) if item.calendar_parts()]

    assert len(sent) == 6  # accepted and scheduled ×2 (one of them now a CANCEL), cancelled ×2
    tables = {one_line(table.name) for table in Table.objects.all()}
    for item in sent:
        assert len(item.calendar_parts()) == 2  # the invitation and the .ics attachment
        for content_type, data in item.calendar_parts():
            for line in content_lines(content_type, data):
                assert len(line) <= 75
                assert b"\n" not in line and b"\r" not in line
        [event] = item.calendars[0].walk("VEVENT")
        for name in ("SUMMARY", "LOCATION"):
            assert UNSAFE_ONE_LINE.search(str(event[name])) is None
        assert str(event["LOCATION"]).split(", ")[0] in tables
        description = str(event["DESCRIPTION"])
        assert "\r" not in description and "\x07" not in description
        for address in (event["ORGANIZER"], *event["ATTENDEE"]):
            assert UNSAFE_ONE_LINE.search(address.params["CN"]) is None
        # Only the recipient's own address, however long the names around it are.
        mine = item.email["To"]
        shown = {str(address) for address in event["ATTENDEE"]}
        assert f"mailto:{mine}" in shown
        shown_anywhere = [item.text, item.html] + [
            data.decode() for _type, data in item.calendar_parts()
        ]
        for other in others - {mine}:
            assert not any(other in text for text in shown_anywhere)
