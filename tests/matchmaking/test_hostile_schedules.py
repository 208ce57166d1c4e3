"""The schedule email, the personal PDF and the table sheets are made whatever the texts hold.

Every text they show is made hostile with ``.update()`` past the validators (as rows written
before the text rules would hold): names, organisations, roles, table, room, venue, session
and meeting titles, a booked session's title, with line breaks, every control, U+202E and
2,000 characters. Each email is sent with a one-line subject, every invitation parses,
every PDF opens with its text in it.
"""

import io
import re

import pytest
from pypdf import PdfReader

from agenda.models import Session
from events.models import Meeting, Organization, Room, Venue
from events.text import UNSAFE_ONE_LINE, one_line
from mail.models import OutboxMessage
from matchmaking.models import Matchmaking, Profile, Table
from matchmaking.pdf import schedule_pdf, table_sheets_pdf
from matchmaking.schedules import personal_schedule, table_sheets
from matchmaking.services.releases import schedule_release
from matchmaking.services.requests import (
    request_accept,
    request_cancel,
    request_create,
    request_schedule,
)
from registrations.models import Registration, SessionBooking
from tests.factories import SessionFactory, at
from tests.matchmaking.b2b import b2b_meeting, first_session, person, slots
from tests.matchmaking.mails import deliver
from tests.matchmaking.test_hostile_emails import LONG

pytestmark = pytest.mark.django_db


def spoil(model, pk: int, *fields: str, suffix: str = "") -> None:
    """Hostile text of 2,000 characters (or as much as the column holds) in these fields."""
    values = {}
    for field in fields:
        max_length = model._meta.get_field(field).max_length or 2000
        values[field] = LONG[: min(max_length, 2000) - len(suffix)] + suffix
    model.objects.filter(pk=pk).update(**values)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def spoiled():
    meeting = b2b_meeting(scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS)
    ana, ben, cai = (person(meeting) for _ in range(3))
    first, second, _third = slots(meeting)
    for requester, recipient, slot in ((ana, ben, first), (cai, ana, second)):
        request = request_create(requester=requester, recipient=recipient)
        request_accept(request=request, by=recipient)
        request_schedule(request=request, slot_id=slot.pk)
    schedule_release(meeting=meeting, kind="preliminary", sent_by=None)
    OutboxMessage.objects.filter(kind="b2b_schedule").delete()  # sent before the texts spoil
    request_cancel(request=request, by=None)  # Cai–Ana: its CANCEL goes with the next one
    talk = SessionFactory(
        meeting=meeting, starts_at=at(meeting, 0, "09:30"), ends_at=at(meeting, 0, "10:00")
    )
    SessionBooking.objects.create(registration=ana, session=talk)

    b2b_session = first_session(meeting)
    room = Room.objects.create(venue=meeting.venue, name="Sala")
    for number, table in enumerate(Table.objects.filter(b2b_session=b2b_session)):
        table.room = room if number == 0 else None
        table.save()
        spoil(Table, table.pk, "name", suffix=str(number))
    spoil(Meeting, meeting.pk, "title")
    spoil(Venue, meeting.venue_id, "name", "address", "city", "country")
    spoil(Room, room.pk, "name", suffix="1")
    spoil(Session, b2b_session.session_id, "title")
    spoil(Session, talk.pk, "title")
    for number, registration in enumerate((ana, ben, cai)):
        spoil(Registration, registration.pk, "first_name", "last_name", "organization_name")
        spoil(Registration, registration.pk, "job_title")
        spoil(Organization, registration.organization_id, "name", "short_name", suffix=str(number))
        spoil(Profile, registration.b2b_profile.pk, "role")
    Profile.objects.filter(registration=cai).update(organization=None)  # the typed name then
    return meeting, (ana, ben, cai)


def test_the_schedule_email_with_hostile_text_everywhere_is_sent(spoiled, mailoutbox):
    meeting, people = spoiled
    deliver(mailoutbox)

    schedule_release(meeting=meeting, kind="final", sent_by=None)
    sent = deliver(mailoutbox)

    assert len(sent) == 3
    for item in sent:
        assert len(item.email.get_all("Subject")) == 1
        assert UNSAFE_ONE_LINE.search(item.subject) is None
        assert item.email["Bcc"] is None
        assert "<b>" not in item.html
        for calendar in item.calendars:
            [event] = calendar.walk("VEVENT")
            assert UNSAFE_ONE_LINE.search(str(event["SUMMARY"])) is None
        [pdf] = [
            part.get_payload(decode=True)
            for part in item.email.walk()
            if part.get_content_type() == "application/pdf"
        ]
        assert one_line(Registration.objects.get(email=item.email["To"]).first_name)[:20] in (
            pdf_text(pdf).replace("\n", "")
        )
    ana = one_line(Registration.objects.get(pk=people[0].pk).full_name)
    methods = sorted(
        str(calendar["METHOD"])
        for item in sent
        if item.email["To"] == people[0].email
        for calendar in item.calendars
    )
    assert methods == ["CANCEL", "REQUEST"] and ana


def test_the_pdfs_with_hostile_text_everywhere_are_made(spoiled):
    meeting, (ana, _ben, _cai) = spoiled
    ana = Registration.objects.select_related("meeting").get(pk=ana.pk)

    personal = pdf_text(schedule_pdf(personal_schedule(registration=ana), language="es"))
    sheets = table_sheets(b2b_session=first_session(meeting))
    pages = PdfReader(io.BytesIO(table_sheets_pdf(sheets, language="en"))).pages

    assert "evil" in personal and "Café" in personal
    assert "\u202e" not in personal
    assert re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", personal) is None
    assert len(pages) >= 2  # a table's page may run over with its 2,000-character names
    assert "evil" in pages[0].extract_text()
