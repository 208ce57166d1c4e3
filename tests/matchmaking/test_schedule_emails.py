"""The preliminary and final schedule emails, read back as a mail client does: the person's
meetings and booked sessions in time order, in their language and the meeting's zone, one
invitation per meeting (both people: the same UID, instant and table), the CANCEL of a meeting
cancelled since the last schedule, and the PDF of their schedule."""

import io

import pytest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from matchmaking.models import Matchmaking, MeetingRequest
from matchmaking.services.releases import schedule_release
from matchmaking.services.requests import (
    request_accept,
    request_cancel,
    request_create,
    request_schedule,
)
from registrations.models import SessionBooking
from tests.factories import SessionFactory, at
from tests.matchmaking.b2b import b2b_meeting, person, slots
from tests.matchmaking.mails import Sent, deliver, one

pytestmark = pytest.mark.django_db

SITE = "https://b2b.example"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.SITE_DOMAIN = "b2b.example"


def accepted(requester, recipient) -> MeetingRequest:
    request = request_create(requester=requester, recipient=recipient)
    return request_accept(request=request, by=recipient)


@pytest.fixture
def world():
    """Organizers schedule: Ana meets Ben at 15:00 (table 1) and Cai at 15:40 (table 1);
    Ana booked a 09:30 talk; Ben reads his emails in Spanish."""
    meeting = b2b_meeting(scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS)
    ana = person(meeting, first_name="Ana", last_name="Pérez", email="ana@example.org")
    ben = person(
        meeting, first_name="Ben", last_name="Ruiz", email="ben@example.org", language="es"
    )
    cai = person(meeting, first_name="Cai", last_name="Sanz", email="cai@example.org")
    ben.b2b_profile.role = "Innovation lead"
    ben.b2b_profile.save()
    first, _second, third = slots(meeting)
    with_ben = request_schedule(request=accepted(ana, ben), slot_id=first.pk)
    with_cai = request_schedule(request=accepted(cai, ana), slot_id=third.pk)
    talk = SessionFactory(
        meeting=meeting,
        title="Clusters and value chains",
        starts_at=at(meeting, 0, "09:30"),
        ends_at=at(meeting, 0, "10:15"),
    )
    SessionBooking.objects.create(registration=ana, session=talk)
    return meeting, ana, ben, cai, with_ben, with_cai


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def attachment(sent: Sent, filename: str) -> bytes:
    [data] = [
        part.get_payload(decode=True)
        for part in sent.email.walk()
        if part.get_filename() == filename
    ]
    return data


def test_the_schedule_lists_meetings_and_sessions_in_time_order_with_an_invitation_each(
    world, mailoutbox
):
    meeting, ana, ben, cai, with_ben, with_cai = world
    deliver(mailoutbox)

    release = schedule_release(meeting=meeting, kind="preliminary", sent_by=None)
    sent = deliver(mailoutbox)

    assert (release.recipients, release.meetings) == (3, 2)
    assert sorted(item.email["To"] for item in sent) == [
        "ana@example.org",
        "ben@example.org",
        "cai@example.org",
    ]
    mail = one(sent, "b2b_schedule", "ana@example.org")
    assert mail.subject == f"Your preliminary schedule — {meeting.title}"
    text = mail.text
    talk, first, second = (
        text.index("09:30–10:15  Clusters and value chains"),
        text.index("15:00–15:20  1:1 meeting with Ben Ruiz"),
        text.index("15:40–16:00  1:1 meeting with Cai Sanz"),
    )
    assert talk < first < second
    assert "Innovation lead" in text and "Table 1" in text
    assert "Europe/Madrid" in text
    assert f"{SITE}/r/{ana.token}/meetings/" in text
    assert "ben@example.org" not in mail.raw.decode(errors="replace")
    assert "1:1 meeting with <strong>Ben Ruiz</strong>" in mail.html
    # No invitation is the email's own: one .ics each, and the PDF.
    types = [content_type for content_type, _data in mail.calendar_parts()]
    assert types == ["application/ics", "application/ics"]
    events = [calendar.walk("VEVENT")[0] for calendar in mail.calendars]
    assert [str(calendar["METHOD"]) for calendar in mail.calendars] == ["REQUEST", "REQUEST"]
    assert [str(event["UID"]) for event in events] == [
        f"b2b-{with_ben.pk}@b2b.example",
        f"b2b-{with_cai.pk}@b2b.example",
    ]
    pages, pdf = pdf_text(attachment(mail, f"schedule-{meeting.slug}.pdf"))
    assert pages == 1
    for words in ("Ana Pérez", "Ben Ruiz", "Cai Sanz", "Clusters and value chains", "15:40"):
        assert words in pdf


def test_both_people_get_the_same_meeting_at_the_same_instant_and_table(world, mailoutbox):
    meeting, ana, ben, _cai, with_ben, _with_cai = world
    deliver(mailoutbox)
    schedule_release(meeting=meeting, kind="final", sent_by=None)
    sent = deliver(mailoutbox)

    def event_of(to: str):
        mail = one(sent, "b2b_schedule", to)
        [event] = [
            calendar.walk("VEVENT")[0]
            for calendar in mail.calendars
            if str(calendar.walk("VEVENT")[0]["UID"]) == f"b2b-{with_ben.pk}@b2b.example"
        ]
        return event

    for_ana, for_ben = event_of("ana@example.org"), event_of("ben@example.org")
    slot = slots(meeting)[0]
    for event in (for_ana, for_ben):
        assert event.decoded("DTSTART") == slot.starts_at
        assert str(event["DTSTART"].params["TZID"]) == "Europe/Madrid"
        assert event.decoded("SEQUENCE") == MeetingRequest.objects.get(pk=with_ben.pk).sequence
    assert str(for_ana["LOCATION"]).startswith("Table 1, ")
    assert str(for_ben["LOCATION"]).startswith("Mesa 1, ")  # Ben reads Spanish
    assert for_ana.decoded("DTEND") == for_ben.decoded("DTEND") == slot.ends_at


def test_the_schedule_is_in_the_recipients_language(world, mailoutbox):
    """Ben reads Spanish, Cai English (the words new in this email are translated at merge;
    those checked here are the ones the catalogue holds already)."""
    meeting, _ana, _ben, _cai, _with_ben, _with_cai = world
    deliver(mailoutbox)
    schedule_release(meeting=meeting, kind="final", sent_by=None)
    sent = deliver(mailoutbox)

    day = timezone.localtime(slots(meeting)[0].starts_at, meeting.tzinfo)
    spanish = one(sent, "b2b_schedule", "ben@example.org")
    with translation.override("es"):
        spanish_day = formats.date_format(day, gettext("l j F")).upper()
    for words in ("Hola, Ben:", "Mesa 1", "Dónde: Mesa 1", spanish_day, "Tus encuentros"):
        assert words in spanish.text
    assert "Horas en la zona horaria del encuentro (Europe/Madrid)." in spanish.html
    english = one(sent, "b2b_schedule", "cai@example.org")
    assert english.subject == f"Your final schedule — {meeting.title}"
    assert formats.date_format(day, "l j F").upper() in english.text
    assert "Hello Cai," in english.text and "Where: Table 1" in english.text


def test_a_meeting_cancelled_since_the_last_schedule_goes_out_as_a_cancel(world, mailoutbox):
    meeting, ana, ben, cai, with_ben, with_cai = world
    schedule_release(meeting=meeting, kind="preliminary", sent_by=None)
    request_cancel(request=with_cai, by=None)
    deliver(mailoutbox)

    release = schedule_release(meeting=meeting, kind="final", sent_by=None)
    sent = deliver(mailoutbox)

    assert (release.recipients, release.meetings) == (3, 1)  # Cai: only the CANCEL
    mail = one(sent, "b2b_schedule", "cai@example.org")
    [calendar] = mail.calendars
    assert str(calendar["METHOD"]) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"b2b-{with_cai.pk}@b2b.example"
    assert event.decoded("SEQUENCE") == 1
    assert "Cancelled since the last schedule".upper() in mail.text
    ana_mail = one(sent, "b2b_schedule", "ana@example.org")
    assert [str(c["METHOD"]) for c in ana_mail.calendars] == ["REQUEST", "CANCEL"]
    # A third schedule has nothing new to cancel: Cai is not written to again.
    deliver(mailoutbox)
    again = schedule_release(meeting=meeting, kind="final", sent_by=None)
    assert again.recipients == 2
