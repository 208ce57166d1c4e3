"""A 1:1 meeting to both inboxes, end to end: the services commit their outbox rows on
PostgreSQL, the tasks go through Redis to a real Celery worker process, which sends through a
real SMTP server; the invitations arrive as text/calendar REQUESTs of the same meeting."""

import pytest
from django.conf import settings
from icalendar import Calendar

from mail.models import OutboxMessage
from matchmaking.services.requests import request_accept, request_create
from tests.integration.smtp import smtp_sink  # noqa: F401 (fixture)
from tests.integration.worker import start_worker  # noqa: F401 (fixture)
from tests.matchmaking.b2b import b2b_meeting, person, slots

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def invitation(received) -> Calendar:
    [part] = [part for part in received.walk() if part.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    return Calendar.from_ical(part.get_payload(decode=True))


def decoded(received) -> str:
    """Headers and every part decoded (base64 attachments included)."""
    parts = [str(value) for value in received.values()]
    parts += [
        part.get_payload(decode=True).decode()
        for part in received.walk()
        if not part.is_multipart()
    ]
    return "\n".join(parts)


def test_a_scheduled_meeting_reaches_both_people_with_the_same_invitation(
    start_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    worker = start_worker(**smtp_sink.worker_env())
    meeting = b2b_meeting()
    ana = person(meeting, first_name="Ana", last_name="Pérez", email="ana@example.org")
    ben = person(meeting, first_name="Ben", last_name="Ruiz", email="ben@example.org")
    slot = slots(meeting)[0]

    request = request_create(requester=ana, recipient=ben, message="Shall we talk?")
    request_accept(request=request, by=ben, slot_id=slot.pk)

    assert worker.wait_for(
        lambda: OutboxMessage.objects.filter(status="sent").count() == 3, timeout=30
    )
    received = smtp_sink.wait_for_messages(3)
    assert len(received) == 3

    def about(words: str):
        [found] = [message for message in received if words in message["Subject"]]
        return found

    asked, accepted, scheduled = about("would like"), about("accepted"), about("scheduled")
    assert [asked["To"], accepted["To"], scheduled["To"]] == [
        "ben@example.org",
        "ana@example.org",
        "ben@example.org",
    ]
    assert "ana@example.org" not in decoded(scheduled)
    assert "ben@example.org" not in decoded(accepted)
    events = [invitation(message).walk("VEVENT")[0] for message in (accepted, scheduled)]
    assert {str(event["UID"]) for event in events} == {f"b2b-{request.pk}@{settings.SITE_DOMAIN}"}
    assert {event.decoded("DTSTART") for event in events} == {slot.starts_at}
    assert OutboxMessage.objects.filter(status="sent").count() == 3
