"""Registration to inbox, end to end: the real registration endpoint, PostgreSQL, Redis,
a Celery worker process and an SMTP server.

The first test posts to ``POST /api/v1/meetings/<slug>/registrations/`` in the
test process (its broker is the real Redis). The broker-outage tests run the
web side as its own gunicorn process whose broker — and, when all of Redis
hangs, whose rate-limit cache — is broken, because the pause after a failed
publish and the connection pools are per process, as in production.
"""

import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from config.celery import ping
from mail.models import OutboxMessage
from mail.render import message_id
from mail.tasks import send_outbox_message, sweep_outbox
from registrations.models import Registration
from tests.factories import MeetingFactory
from tests.integration.broker import Blackhole, FreezableProxy, closed_port
from tests.integration.smtp import smtp_sink  # noqa: F401 (fixture)
from tests.integration.web import WebServer
from tests.integration.worker import start_worker  # noqa: F401 (fixture)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ACCEPTED = (
    b'{"detail":"Thank you. Check your email: we have sent you a message with your '
    b'registration link."}'
)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in Redis, shared with the gunicorn under test: start with none."""
    cache.clear()
    yield
    cache.clear()


def person(email: str, **changes) -> dict:
    return {
        "first_name": "Ane",
        "last_name": "Etxeberria",
        "email": email,
        "organization": "Cluster de Automoción de Navarra",
        "job_title": "Cluster manager",
        "region": "Navarra",
        "sessions": [],
        "consent_processing": True,
        "consent_listing": False,
        **changes,
    }


def registrations_url(meeting) -> str:
    return f"/api/v1/meetings/{meeting.slug}/registrations/"


def drain(worker) -> None:
    """Wait until the worker has run everything published before this call (one queue, FIFO)."""
    token = uuid.uuid4().hex
    ping.delay(token)
    assert worker.wait_for(lambda: cache.get(f"ping:{token}") is not None, timeout=20)


def all_sent(*messages: OutboxMessage) -> bool:
    pks = [message.pk for message in messages]
    return OutboxMessage.objects.filter(
        pk__in=pks, status=OutboxMessage.Status.SENT
    ).count() == len(pks)


def plain_text(received) -> str:
    return received.get_body(preferencelist=("plain",)).get_content()


def via(port: int, url: str) -> str:
    """The same Redis URL (same database number), reached through another port on 127.0.0.1."""
    return urlunsplit(urlsplit(url)._replace(netloc=f"127.0.0.1:{port}"))


def test_registration_email_arrives_once_and_a_repeat_answers_alike_and_resends_the_link(
    start_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    """A registration through the API: one confirmation email with the private link at the
    SMTP server. The same email in other case: the very same 202 body, nothing new in the
    database but one email with the link. Duplicate tasks and a sweep send nothing more.
    """
    worker = start_worker(**smtp_sink.worker_env(), OUTBOX_SWEEP_GRACE_SECONDS="0")
    meeting = MeetingFactory(title="Intercluster 2027", language="en")
    client = Client()

    first = client.post(
        registrations_url(meeting), person("Ane.Etxeberria@example.org"), "application/json"
    )

    assert (first.status_code, first.content) == (202, ACCEPTED)
    registration = Registration.objects.get()
    assert (registration.email, registration.status) == (
        "Ane.Etxeberria@example.org",
        Registration.Status.CONFIRMED,
    )
    confirmation = OutboxMessage.objects.get(kind="registration_confirmed")
    assert worker.wait_for(lambda: all_sent(confirmation), timeout=20)
    drain(worker)
    assert len(smtp_sink.messages) == 1
    received = smtp_sink.messages[0]
    assert received["To"] == "Ane.Etxeberria@example.org"
    assert received["Subject"] == "Your registration for Intercluster 2027 is confirmed"
    assert received["Message-ID"] == message_id(confirmation)
    link = f"{settings.SITE_URL}/r/{registration.token}/"
    assert f"Your registration: {link}" in plain_text(received).splitlines()

    repeat = client.post(
        registrations_url(meeting),
        person("ane.etxeberria@EXAMPLE.ORG", first_name="Someone", last_name="Else"),
        "application/json",
    )

    assert (repeat.status_code, repeat.content) == (202, ACCEPTED)
    assert repeat.headers["Content-Type"] == first.headers["Content-Type"]
    assert list(Registration.objects.values_list("pk", "first_name", "status")) == [
        (registration.pk, "Ane", Registration.Status.CONFIRMED)
    ]
    resent = OutboxMessage.objects.get(kind="private_link")
    assert worker.wait_for(lambda: all_sent(resent), timeout=20)
    for message in (confirmation, resent):  # redeliveries of both tasks
        send_outbox_message.delay(message.pk)
    sweep_outbox.delay()
    drain(worker)

    assert [m["Message-ID"] for m in smtp_sink.messages] == [
        message_id(confirmation),
        message_id(resent),
    ]
    link_email = smtp_sink.messages[1]
    assert link_email["To"] == "Ane.Etxeberria@example.org"
    assert link_email["Subject"] == "Your registration link for Intercluster 2027"
    assert link in plain_text(link_email).split()
    assert list(OutboxMessage.objects.order_by("pk").values_list("kind", "attempts")) == [
        ("registration_confirmed", 1),
        ("private_link", 1),
    ]


@pytest.mark.parametrize("outage", ["refused", "blackhole", "all-of-redis-frozen"])
def test_registration_answers_within_2_s_when_the_broker_is_unreachable_and_the_sweep_sends_once(
    outage,
    start_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    """gunicorn whose broker refuses connections, never answers (blackhole), or — with its
    rate-limit cache on the same Redis — stops answering after the process has used it
    once: the registration answers 202 within 2 s, the registration and its email row are
    written, and once the broker is back the sweep (run by the real worker) sends that
    email exactly once.
    """
    worker = start_worker(**smtp_sink.worker_env(), OUTBOX_SWEEP_GRACE_SECONDS="0")
    meeting = MeetingFactory(title="Intercluster 2027", language="en", capacity=1)
    env = {"SITE_URL": settings.SITE_URL}
    broken = None
    if outage == "refused":
        env["CELERY_BROKER_URL"] = via(closed_port(), settings.CELERY_BROKER_URL)
    elif outage == "blackhole":
        broken = Blackhole()
        env["CELERY_BROKER_URL"] = via(broken.port, settings.CELERY_BROKER_URL)
    else:
        broken = FreezableProxy(settings.CELERY_BROKER_URL)
        env["CELERY_BROKER_URL"] = via(broken.port, settings.CELERY_BROKER_URL)
        env["REDIS_URL"] = via(broken.port, settings.REDIS_URL)
    web = WebServer(**env)
    try:
        web.wait_until_serving()
        if outage == "all-of-redis-frozen":
            # Redis works at first: the process's broker and cache connections are pooled.
            before = web.post_json(registrations_url(meeting), person("before@example.org"))
            assert before.body == ACCEPTED
            first_email = OutboxMessage.objects.get(recipient="before@example.org")
            assert worker.wait_for(lambda: all_sent(first_email), timeout=20)
            broken.freeze()
        answer = web.post_json(registrations_url(meeting), person("during@example.org"))
    finally:
        web.stop()
        if broken:
            broken.close()

    assert (answer.status, answer.body) == (202, ACCEPTED)
    assert answer.elapsed < 2.0
    registration = Registration.objects.get(email="during@example.org")
    expected_status = "waitlisted" if outage == "all-of-redis-frozen" else "confirmed"
    assert registration.status == expected_status
    message = OutboxMessage.objects.get(registration=registration)
    assert (message.kind, message.status, message.attempts) == (
        f"registration_{expected_status}",
        OutboxMessage.Status.PENDING,
        0,
    )
    drain(worker)
    before_outage = 1 if outage == "all-of-redis-frozen" else 0
    assert len(smtp_sink.messages) == before_outage

    sweep_outbox.delay()

    assert worker.wait_for(lambda: all_sent(message), timeout=20)
    sweep_outbox.delay()  # a second sweep finds nothing left to do
    drain(worker)
    assert len(smtp_sink.messages) == before_outage + 1
    received = smtp_sink.messages[-1]
    assert (received["To"], received["Message-ID"]) == ("during@example.org", message_id(message))
    assert f"/r/{registration.token}/" in plain_text(received)
    message.refresh_from_db()
    assert message.attempts == 1
