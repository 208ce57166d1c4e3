"""Agenda changes reach a subscribed attendee's inbox as one update, through Redis, a real
worker and a real SMTP server: the notice waits its batching window as a countdown task.

The test waits on what happens (the notice's row is marked sent, the SMTP server
holds the email) within a bounded deadline, and reads the waiting from the row
itself (sent no earlier than it was due), not from the test's own clock.
"""

from datetime import timedelta

import pytest
from icalendar import Calendar

from agenda.services import session_cancel, session_move
from mail.models import OutboxMessage
from registrations.services import registration_create
from tests.factories import RoomFactory, SessionFactory, at
from tests.integration.smtp import smtp_sink  # noqa: F401 (fixture)
from tests.integration.worker import start_worker  # noqa: F401 (fixture)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

WINDOW = 3  # seconds of batching for this test (production: 300)


def test_three_edits_within_the_window_arrive_as_one_email_with_one_calendar_update(
    meeting,
    settings,
    start_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    settings.AGENDA_NOTICE_DELAY_SECONDS = WINDOW
    worker = start_worker(**smtp_sink.worker_env())
    workshop = SessionFactory(
        meeting=meeting, title="Joint projects", requires_booking=True, capacity=20
    )
    talk = SessionFactory(
        meeting=meeting,
        title="Open talk",
        starts_at=at(meeting, 0, "12:00"),
        ends_at=at(meeting, 0, "13:00"),
    )
    registration_create(  # commits, then publishes its confirmation email
        meeting=meeting,
        first_name="Ane",
        last_name="Goñi",
        email="ane@example.org",
        session_ids=[workshop.pk, talk.pk],
        consent_processing=True,
        language="en",
    )
    smtp_sink.wait_for_messages(1)  # the confirmation

    session_move(session=workshop, room=workshop.room, starts_at=at(meeting, 0, "15:00"))
    session_move(
        session=workshop,
        room=RoomFactory(venue=meeting.venue, name="Ciudadela"),
        starts_at=at(meeting, 0, "16:00"),
    )
    session_cancel(session=talk)

    notices = OutboxMessage.objects.filter(kind="agenda_update")
    assert worker.wait_for(
        lambda: notices.filter(status=OutboxMessage.Status.SENT).exists(), timeout=WINDOW + 20
    )
    (notice,) = notices  # the three edits joined one notice
    assert notice.payload["session_ids"] == [workshop.pk, talk.pk]
    assert notice.attempts == 1
    # Due a window after the first edit (written just before the row's created_at).
    waited = notice.send_after - notice.created_at
    assert timedelta(seconds=WINDOW - 1) < waited <= timedelta(seconds=WINDOW)
    assert notice.sent_at >= notice.send_after  # it waited for the window to close
    confirmation, update = smtp_sink.wait_for_messages(2)
    assert update["Subject"] == f"Changes to your agenda at {meeting.title}"
    text = update.get_body(preferencelist=("plain",)).get_content()
    assert "16:00" in text and "Ciudadela" in text and "CANCELLED" in text
    (calendar_part,) = [p for p in update.walk() if p.get_content_type() == "text/calendar"]
    assert calendar_part.get_param("method") == "REQUEST"
    (event,) = Calendar.from_ical(calendar_part.get_payload(decode=True)).walk("VEVENT")
    assert (str(event["UID"]), event["SEQUENCE"]) == (
        f"session-{workshop.pk}@{settings.SITE_DOMAIN}",
        2,
    )
    # One row, sent in one attempt: a later task for it (a redelivery, the sweep)
    # finds it sent and sends nothing.
    assert len(smtp_sink.messages) == 2
