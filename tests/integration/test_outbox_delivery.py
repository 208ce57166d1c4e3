"""Email delivery with the real parts: PostgreSQL, Redis, a Celery worker process, an SMTP server.

Each test writes an outbox row in a committed transaction, as a registration
does, and counts what the SMTP server received. Retry delays are shortened
for the worker through its environment (OUTBOX_RETRY_*), nothing else.
"""

import json
import os
import subprocess
import sys
import uuid
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import transaction

from config.celery import ping
from mail.models import OutboxMessage
from mail.render import message_id
from mail.services import outbox_message_create
from mail.tasks import send_outbox_message, sweep_outbox
from tests.factories import MeetingFactory, RegistrationFactory, UserFactory
from tests.integration.broker import Blackhole, FreezableProxy, closed_port
from tests.integration.smtp import smtp_sink  # noqa: F401 (fixture)
from tests.integration.web import WebServer
from tests.integration.worker import ROOT, database_url_of_test_db, start_worker  # noqa: F401

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

FAST_RETRIES = {"OUTBOX_RETRY_BASE_SECONDS": "1", "OUTBOX_RETRY_MAX_SECONDS": "2"}


def write_private_link_email(registration=None) -> OutboxMessage:
    """A committed transaction that writes an email: the task is published after commit."""
    registration = registration or RegistrationFactory()
    with transaction.atomic():
        return outbox_message_create(
            kind="private_link",
            recipient=registration.email,
            meeting=registration.meeting,
            registration=registration,
            dedupe_key=f"private_link:{registration.pk}",
        )


def status_of(message: OutboxMessage) -> str:
    message.refresh_from_db()
    return message.status


def drain(worker) -> None:
    """Wait until the worker has run everything published before this call (one queue, FIFO)."""
    token = uuid.uuid4().hex
    ping.delay(token)
    assert worker.wait_for(lambda: cache.get(f"ping:{token}") is not None, timeout=20)


def test_email_written_to_the_outbox_arrives_at_the_smtp_server_exactly_once(
    start_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    """One row, one SMTP delivery — even when its task is published again and the sweep runs."""
    worker = start_worker(**smtp_sink.worker_env(), OUTBOX_SWEEP_GRACE_SECONDS="0")
    registration = RegistrationFactory(first_name="Ane", meeting__language="en")
    message = write_private_link_email(registration)

    assert worker.wait_for(lambda: status_of(message) == OutboxMessage.Status.SENT, timeout=20)
    send_outbox_message.delay(message.pk)  # a duplicate task (redelivery)
    sweep_outbox.delay()
    drain(worker)

    assert len(smtp_sink.messages) == 1
    received = smtp_sink.messages[0]
    assert received["To"] == registration.email
    assert received["Message-ID"] == message_id(message)
    assert received["Subject"] == f"Your registration link for {registration.meeting.title}"
    text = received.get_body(preferencelist=("plain",)).get_content()
    assert f"/r/{registration.token}/" in text
    assert message.attempts == 1


def test_smtp_server_down_retries_with_backoff_and_delivers_once_when_it_is_back(
    start_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    """Connection refused twice (retries after 1 s, then 2 s); then one delivery."""
    smtp_sink.stop()
    worker = start_worker(**smtp_sink.worker_env(), **FAST_RETRIES)
    message = write_private_link_email()

    assert worker.wait_for(lambda: message.refresh_from_db() or message.attempts >= 2, timeout=20)
    assert message.status == OutboxMessage.Status.PENDING
    assert message.last_error.startswith("ConnectionRefusedError")
    smtp_sink.start()

    assert worker.wait_for(lambda: status_of(message) == OutboxMessage.Status.SENT, timeout=20)
    drain(worker)
    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0]["Message-ID"] == message_id(message)
    assert message.attempts == 3
    assert message.last_error == ""
    log = worker.output()
    assert f"Outbox message {message.pk}: attempt 1 failed" in log
    assert "next in 1 s" in log
    assert "next in 2 s" in log


def test_smtp_temporary_refusal_is_retried_and_delivered_once(
    start_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    """A 451 at the end of DATA: the server kept nothing, the retry delivers one copy."""
    smtp_sink.handler.refusals = ["451 4.3.0 Try again later"]
    worker = start_worker(**smtp_sink.worker_env(), **FAST_RETRIES)
    message = write_private_link_email()

    assert worker.wait_for(lambda: status_of(message) == OutboxMessage.Status.SENT, timeout=20)
    drain(worker)
    assert len(smtp_sink.messages) == 1
    assert (message.attempts, message.last_error) == (2, "")


def test_smtp_permanent_refusal_fails_at_once_with_the_servers_reply(
    start_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    """A 554 is final: no retry, the row is failed and keeps the reply for organizers."""
    smtp_sink.handler.refusals = ["554 5.7.1 Message rejected as spam"]
    worker = start_worker(**smtp_sink.worker_env(), **FAST_RETRIES)
    message = write_private_link_email()

    assert worker.wait_for(lambda: status_of(message) == OutboxMessage.Status.FAILED, timeout=20)
    drain(worker)
    assert smtp_sink.messages == []
    assert message.attempts == 1
    assert message.last_error == "SMTPDataError: (554, b'5.7.1 Message rejected as spam')"


@pytest.mark.parametrize("outage", ["refused", "blackhole", "frozen"])
def test_broker_unreachable_at_write_time_delays_the_emails_until_the_sweep(
    outage,
    start_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    """Three writes commit within 2 s in all (the first pays one bounded publish, the
    others none) and their rows wait; the sweep then delivers each email once.

    A separate process plays the web process. Its broker is a closed port, a
    socket that never answers, or a proxy to Redis that stops answering after
    the process has connected through it. Once the broker is reachable the
    sweep (run by the real worker, as beat would) enqueues the rows.
    """
    worker = start_worker(**smtp_sink.worker_env(), OUTBOX_SWEEP_GRACE_SECONDS="0")
    meeting = MeetingFactory()
    broker = {"refused": None, "blackhole": Blackhole, "frozen": FreezableProxy}[outage]
    broker = broker(settings.CELERY_BROKER_URL) if outage == "frozen" else broker and broker()
    port = broker.port if broker else closed_port()
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.outbox_writer", meeting.slug],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": database_url_of_test_db(),
            # Same Redis database, reached through the broken port.
            "CELERY_BROKER_URL": urlunsplit(
                urlsplit(settings.CELERY_BROKER_URL)._replace(netloc=f"127.0.0.1:{port}")
            ),
        },
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    recipients = [f"outage{n}@example.org" for n in range(3)]
    try:
        assert json.loads(writer.stdout.readline()) == {"ready": True}
        if outage == "frozen":
            broker.freeze()
        output, _ = writer.communicate("".join(f"{r}\n" for r in recipients), timeout=60)
    finally:
        if broker:
            broker.close()
    results = [json.loads(line) for line in output.splitlines()]

    assert sum(result["elapsed"] for result in results) < 2.0, results
    messages = OutboxMessage.objects.filter(pk__in=[result["message_id"] for result in results])
    assert sorted(messages.values_list("status", "attempts")) == [("pending", 0)] * 3
    drain(worker)
    assert smtp_sink.messages == []

    sweep_outbox.delay()

    assert worker.wait_for(lambda: messages.filter(status="sent").count() == 3, timeout=20)
    drain(worker)
    assert sorted(m["To"] for m in smtp_sink.messages) == recipients


def test_worker_killed_before_the_server_took_the_message_delivers_it_once(
    start_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    """SIGKILL while the SMTP server holds the RCPT reply: the broker redelivers, one email.

    The whole worker dies (main process and pool child, like a lost machine).
    Its transaction dies with its database connection, so the row is pending
    with no attempt counted; the task was never acknowledged (acks_late), so
    Redis hands it to the next worker once the visibility timeout (2 s here)
    has passed. A prefork worker, because there the main process would
    acknowledge an early-ack task while the child is still sending; with the
    solo pool the ack would wait behind the task and the test could not tell.
    """
    smtp_sink.handler.hold_at = "RCPT"
    first = start_worker(pool="prefork", **smtp_sink.worker_env())
    message = write_private_link_email()
    assert smtp_sink.handler.held.wait(timeout=20), first.output()

    first.kill()
    smtp_sink.handler.release.set()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 0)

    second = start_worker(**smtp_sink.worker_env(), CELERY_VISIBILITY_TIMEOUT="2")
    assert second.wait_for(lambda: status_of(message) == OutboxMessage.Status.SENT, timeout=20)
    drain(second)
    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0]["Message-ID"] == message_id(message)
    assert message.attempts == 1


def test_worker_killed_after_the_server_took_the_message_resends_it_with_the_same_message_id(
    start_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    """The at-least-once window: killed between the server's receipt and its 250 reply.

    The server has the message, the worker never learnt it, so the
    redelivered task sends it again. Both copies carry the same Message-ID,
    which is what lets a receiver drop the second (docs/deployment.md).
    """
    smtp_sink.handler.hold_at = "DATA"
    first = start_worker(pool="prefork", **smtp_sink.worker_env())
    message = write_private_link_email()
    assert smtp_sink.handler.held.wait(timeout=20), first.output()

    first.kill()
    smtp_sink.handler.release.set()
    second = start_worker(**smtp_sink.worker_env(), CELERY_VISIBILITY_TIMEOUT="2")

    assert second.wait_for(lambda: status_of(message) == OutboxMessage.Status.SENT, timeout=20)
    drain(second)
    assert len(smtp_sink.messages) == 2
    assert {m["Message-ID"] for m in smtp_sink.messages} == {message_id(message)}


class AdminServer(WebServer):
    """gunicorn serving the site from the test database, with a broker of the test's choosing,
    and a superuser's session to post admin actions with."""

    def __init__(self, broker_url: str) -> None:
        super().__init__(CELERY_BROKER_URL=broker_url)
        user = UserFactory(username="root", is_staff=True, is_superuser=True)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        self.csrf = "c" * 32
        self.cookie = f"sessionid={session.session_key}; csrftoken={self.csrf}"
        self.wait_until_serving("/admin/", headers={"Cookie": self.cookie})

    def retry_sending(self, message: OutboxMessage) -> tuple[int, float]:
        """The admin action, as a browser posts it; returns the status and the wall time."""
        body = urlencode(
            {
                "csrfmiddlewaretoken": self.csrf,
                "action": "retry_sending",
                "index": "0",
                "_selected_action": message.pk,
            }
        )
        answer = self.request(
            "POST",
            "/admin/mail/outboxmessage/",
            body=body,
            headers={
                "Cookie": self.cookie,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        return answer.status, answer.elapsed


def test_http_request_whose_commit_publishes_answers_within_2_s_when_redis_stops_answering(
    start_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    """An HTTP request to gunicorn whose transaction enqueues an email (the organizer's
    "retry sending") answers within 2 s although Redis stopped answering on the
    connection the web process already had; the sweep delivers the email later, once.
    """
    worker = start_worker(**smtp_sink.worker_env(), OUTBOX_SWEEP_GRACE_SECONDS="0")
    meeting = MeetingFactory()
    before, during = (
        OutboxMessage.objects.create(
            kind="private_link",
            recipient=f"{name}@example.org",
            meeting=meeting,
            registration=RegistrationFactory(meeting=meeting, email=f"{name}@example.org"),
            dedupe_key=f"link:{name}",
            status=OutboxMessage.Status.FAILED,
            attempts=8,
        )
        for name in ("before", "during")
    )
    proxy = FreezableProxy(settings.CELERY_BROKER_URL)
    server = AdminServer(
        urlunsplit(urlsplit(settings.CELERY_BROKER_URL)._replace(netloc=f"127.0.0.1:{proxy.port}"))
    )
    try:
        assert server.retry_sending(before)[0] == 302  # publishes: the connection is pooled
        assert worker.wait_for(lambda: status_of(before) == OutboxMessage.Status.SENT)
        proxy.freeze()
        status, elapsed = server.retry_sending(during)
    finally:
        server.stop()
        proxy.close()

    assert status == 302
    assert elapsed < 2.0
    assert (status_of(during), during.attempts) == (OutboxMessage.Status.PENDING, 0)
    drain(worker)
    assert [m["To"] for m in smtp_sink.messages] == ["before@example.org"]

    sweep_outbox.delay()

    assert worker.wait_for(lambda: status_of(during) == OutboxMessage.Status.SENT, timeout=20)
    drain(worker)
    assert [m["To"] for m in smtp_sink.messages] == ["before@example.org", "during@example.org"]
