"""An organizer's message to participants, end to end: the workspace pages, PostgreSQL,
Redis, a real Celery worker and an SMTP server. N recipients → N emails, one each, even
when the confirmation is posted twice and every task is delivered again."""

import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from config.celery import ping
from mail.models import OutboxMessage
from mail.render import message_id
from mail.tasks import send_outbox_message, sweep_outbox
from registrations.models import ParticipantMessage, Registration
from tests.factories import (
    MeetingFactory,
    MeetingOrganizerFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.integration.smtp import smtp_sink  # noqa: F401 (fixture)
from tests.integration.worker import start_worker  # noqa: F401 (fixture)
from tests.roundtrip import as_post_data, form_pairs

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

N = 7


def drain(worker) -> None:
    """Wait until the worker has run everything published before this call (one queue, FIFO)."""
    token = uuid.uuid4().hex
    ping.delay(token)
    assert worker.wait_for(lambda: cache.get(f"ping:{token}") is not None, timeout=20)


def test_message_to_n_participants_arrives_once_each(
    start_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    worker = start_worker(**smtp_sink.worker_env(), OUTBOX_SWEEP_GRACE_SECONDS="0")
    meeting = MeetingFactory(title="Intercluster 2027", language="en", contact_email="t@ex.org")
    organizer = UserFactory(username="org")
    MeetingOrganizerFactory(meeting=meeting, user=organizer)
    people = [RegistrationFactory(meeting=meeting) for _ in range(N)]
    RegistrationFactory(meeting=meeting, status=Registration.Status.PENDING)  # not in audience
    client = Client()
    client.force_login(organizer)
    base = f"/meetings/{meeting.slug}/manage/messages/"
    page = client.get(f"{base}new/")
    data = as_post_data(
        form_pairs(page.content, form_id="compose"),
        subject="Programme for day one",
        body="Doors open at 9:00.\nSee you there.",
    )
    preview = client.post(f"{base}new/", {**data, "preview": ""})
    assert f"This will email {N} people." in preview.content.decode()
    confirmation = as_post_data(form_pairs(preview.content, form_id="confirm"))

    first = client.post(f"{base}send/", confirmation)
    second = client.post(f"{base}send/", confirmation)  # a double click

    assert first.status_code == second.status_code == 302
    message = ParticipantMessage.objects.get()
    rows = list(OutboxMessage.objects.filter(participant_message=message).order_by("pk"))
    assert [row.registration for row in rows] == sorted(
        people, key=lambda r: (r.last_name, r.first_name, r.pk)
    )
    assert worker.wait_for(
        lambda: OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == N,
        timeout=30,
    )
    for row in rows:  # every task delivered again, and a sweep: nothing more is sent
        send_outbox_message.delay(row.pk)
    sweep_outbox.delay()
    drain(worker)

    assert OutboxMessage.objects.count() == N
    assert sorted(m["To"] for m in smtp_sink.messages) == sorted(p.email for p in people)
    assert sorted(m["Message-ID"] for m in smtp_sink.messages) == sorted(
        message_id(row) for row in rows
    )
    assert {m["Subject"] for m in smtp_sink.messages} == {"Programme for day one"}
    assert {m["Reply-To"] for m in smtp_sink.messages} == {"t@ex.org"}
    by_address = {m["To"]: m for m in smtp_sink.messages}
    for person in people:
        text = by_address[person.email].get_body(preferencelist=("plain",)).get_content()
        lines = text.splitlines()  # SMTP carries CR LF line ends
        assert lines[:4] == [
            "A message from the organizers of Intercluster 2027",
            "",
            "Doors open at 9:00.",
            "See you there.",
        ]
        assert f"Your registration: {settings.SITE_URL}/r/{person.token}/" in lines
    progress = client.get(f"{base}{message.pk}/")
    counts = progress.context["progress"]
    assert (counts.total, counts.sent, counts.pending, counts.failed) == (N, N, 0, 0)
    assert 'http-equiv="refresh"' not in progress.content.decode()
