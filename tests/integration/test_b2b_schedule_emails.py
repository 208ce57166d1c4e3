"""The schedule, end to end: the release commits its outbox rows on PostgreSQL, the tasks go
through Redis to a real Celery worker process, which builds each email (invitations and PDF)
and sends it through a real SMTP server; both people get the same meeting."""

import io

import pytest
from django.conf import settings
from icalendar import Calendar
from pypdf import PdfReader

from mail.models import OutboxMessage
from matchmaking.models import Matchmaking
from matchmaking.services.releases import schedule_release
from matchmaking.services.requests import request_accept, request_create, request_schedule
from tests.integration.smtp import smtp_sink  # noqa: F401 (fixture)
from tests.integration.worker import start_worker  # noqa: F401 (fixture)
from tests.matchmaking.b2b import b2b_meeting, person, slots

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_the_final_schedule_arrives_with_its_invitation_and_pdf(
    start_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    meeting = b2b_meeting(scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS)
    ana = person(meeting, first_name="Ana", last_name="Pérez", email="ana@example.org")
    ben = person(meeting, first_name="Ben", last_name="Ruiz", email="ben@example.org")
    request = request_create(requester=ana, recipient=ben)
    request_accept(request=request, by=ben)
    slot = slots(meeting)[2]
    request_schedule(request=request, slot_id=slot.pk)
    OutboxMessage.objects.all().delete()  # the per-meeting emails are not what this is about
    worker = start_worker(**smtp_sink.worker_env())

    schedule_release(meeting=meeting, kind="final", sent_by=None)

    assert worker.wait_for(
        lambda: OutboxMessage.objects.filter(kind="b2b_schedule", status="sent").count() == 2,
        timeout=60,
    ), worker.output()
    received = smtp_sink.wait_for_messages(2)
    assert sorted(message["To"] for message in received) == ["ana@example.org", "ben@example.org"]
    events = []
    for message in received:
        assert message["Subject"] == f"Your final schedule — {meeting.title}"
        parts = {part.get_content_type(): part for part in message.walk()}
        [event] = Calendar.from_ical(parts["application/ics"].get_payload(decode=True)).walk(
            "VEVENT"
        )
        events.append(event)
        pdf = PdfReader(io.BytesIO(parts["application/pdf"].get_payload(decode=True)))
        text = pdf.pages[0].extract_text()
        assert "Ana Pérez" in text and "Ben Ruiz" in text and "15:40–16:00" in text
    assert {str(event["UID"]) for event in events} == {f"b2b-{request.pk}@{settings.SITE_DOMAIN}"}
    assert {event.decoded("DTSTART") for event in events} == {slot.starts_at}
    assert {str(event["LOCATION"]).split(",")[0] for event in events} == {"Table 1"}
