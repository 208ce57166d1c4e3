import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone

from config.celery import app
from mail import render, services
from mail.models import OutboxMessage
from mail.render import message_id
from mail.services import (
    MAX_ATTEMPTS,
    TransientEmailError,
    outbox_message_create,
    outbox_message_send,
    retry_delay_seconds,
)
from mail.tasks import send_outbox_message, sweep_outbox
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def create_link_message(registration, key="k1"):
    return outbox_message_create(
        kind="private_link",
        recipient=registration.email,
        meeting=registration.meeting,
        registration=registration,
        dedupe_key=key,
    )


def test_message_is_sent_after_commit_with_the_private_link(django_capture_on_commit_callbacks):
    registration = RegistrationFactory(first_name="Ane")

    with django_capture_on_commit_callbacks(execute=True):
        message = create_link_message(registration)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [registration.email]
    assert f"/r/{registration.token}/" in email.body
    assert email.alternatives[0][1] == "text/html"


def test_same_dedupe_key_writes_one_message_and_sends_once(django_capture_on_commit_callbacks):
    registration = RegistrationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        first = create_link_message(registration)
        second = create_link_message(registration)

    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_sending_an_already_sent_message_again_does_nothing(django_capture_on_commit_callbacks):
    registration = RegistrationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        message = create_link_message(registration)

    outbox_message_send(message_id=message.pk)

    assert len(mail.outbox) == 1


def test_email_carries_a_stable_message_id_and_the_meeting_contact_as_reply_to():
    registration = RegistrationFactory(meeting__language="en")
    message = create_link_message(registration)

    outbox_message_send(message_id=message.pk)

    email = mail.outbox[0]
    assert email.subject == f"Your registration link for {registration.meeting.title}"
    assert email.reply_to == ["info@example.org"]
    assert email.extra_headers["Message-ID"] == message_id(message)


class BrokenConnection:
    """An email backend whose server is down (a network-edge stand-in for unit tests)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingConnection(BrokenConnection):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"No such user")})


def test_transient_failure_keeps_the_message_pending_with_a_retry_time(settings):
    settings.EMAIL_BACKEND = "tests.mail.test_services.BrokenConnection"
    message = create_link_message(RegistrationFactory())

    with pytest.raises(TransientEmailError) as excinfo:
        outbox_message_send(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert message.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert message.next_attempt_at is not None
    assert excinfo.value.retry_in == 30


def test_permanent_refusal_marks_the_message_failed(settings):
    settings.EMAIL_BACKEND = "tests.mail.test_services.RefusingConnection"
    message = create_link_message(RegistrationFactory())

    outbox_message_send(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert "550" in message.last_error


def test_message_fails_after_the_last_attempt(settings):
    settings.EMAIL_BACKEND = "tests.mail.test_services.BrokenConnection"
    message = create_link_message(RegistrationFactory())
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)

    outbox_message_send(message_id=message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, MAX_ATTEMPTS)


def test_sweep_sends_pending_messages_whose_task_was_lost_and_leaves_fresh_ones():
    """Rows written during a broker outage are sent by the sweep; fresh ones wait for their task."""
    old = create_link_message(RegistrationFactory(), key="old")  # on_commit never ran: "lost"
    create_link_message(RegistrationFactory(), key="fresh")
    OutboxMessage.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=5)
    )

    assert services.outbox_pending_requeue() == 1

    statuses = dict(OutboxMessage.objects.values_list("dedupe_key", "status"))
    assert statuses == {"old": "sent", "fresh": "pending"}
    assert [email.to for email in mail.outbox] == [[old.recipient]]


class TemporarilyRefusingConnection(BrokenConnection):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (450, b"Mailbox busy")})


class LoginRefusedConnection(BrokenConnection):
    def send_messages(self, messages):
        raise smtplib.SMTPAuthenticationError(535, b"Authentication failed")


@pytest.mark.parametrize(
    ("backend", "error"),
    [
        ("TemporarilyRefusingConnection", "SMTPRecipientsRefused"),
        ("LoginRefusedConnection", "SMTPAuthenticationError"),
    ],
)
def test_temporary_refusal_and_a_refused_login_are_retried_later(settings, backend, error):
    """A 4xx reply, or credentials an operator can still fix, keep the email pending."""
    settings.EMAIL_BACKEND = f"tests.mail.test_services.{backend}"
    message = create_link_message(RegistrationFactory())

    with pytest.raises(TransientEmailError):
        outbox_message_send(message_id=message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 1)
    assert message.last_error.startswith(error)


def test_message_that_cannot_be_built_is_marked_failed_not_retried_forever(monkeypatch):
    """A missing template is a bug, not an outage: failed, with the error for organizers."""

    def builder_without_template(message, *, preview=False):
        return render_to_string("registrations/email/no_such_kind_subject.txt")

    monkeypatch.setitem(render._builders, OutboxMessage.Kind.PRIVATE_LINK, builder_without_template)
    registration = RegistrationFactory()
    message = create_link_message(registration, key="broken")

    outbox_message_send(message_id=message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, 1)
    assert message.last_error == (
        "TemplateDoesNotExist: registrations/email/no_such_kind_subject.txt"
    )
    assert mail.outbox == []


def test_message_of_a_kind_without_a_builder_is_marked_failed_with_the_reason():
    """A kind no app registered a builder for fails at once, saying so, instead of looping."""
    registration = RegistrationFactory()
    message = outbox_message_create(
        kind="no_such_kind",
        recipient=registration.email,
        meeting=registration.meeting,
        registration=registration,
        dedupe_key="unbuildable",
    )

    outbox_message_send(message_id=message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, 1)
    assert message.last_error == (
        "UnknownKind: No email builder is registered for kind 'no_such_kind'."
    )
    assert mail.outbox == []


def test_retry_delay_doubles_from_the_base_up_to_the_cap():
    assert [retry_delay_seconds(n) for n in range(1, 9)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1800,
        1800,
    ]


def test_send_task_in_eager_mode_leaves_a_transient_failure_to_the_sweep(settings):
    """Without a broker the task does not loop on retries; the row keeps its next attempt."""
    settings.EMAIL_BACKEND = "tests.mail.test_services.BrokenConnection"
    message = create_link_message(RegistrationFactory())

    send_outbox_message.apply(args=[message.pk])

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 1)
    assert message.next_attempt_at is not None


class Broker:
    """Stands in for the broker at the network edge: records publishes, or fails them."""

    def __init__(self, monkeypatch, *, down: bool = False):
        self.attempts: list[int] = []
        self.published: list[int] = []
        self.down = down
        monkeypatch.setattr(services, "_broker_paused_until", 0.0)
        monkeypatch.setattr(send_outbox_message, "apply_async", self.publish)

    def publish(self, args, countdown=None):
        (message_id,) = args
        self.attempts.append(message_id)
        if self.down:
            raise ConnectionRefusedError("Connection refused")
        self.published.append(message_id)


def old_pending_messages(count: int) -> list[OutboxMessage]:
    messages = [create_link_message(RegistrationFactory(), key=f"old{n}") for n in range(count)]
    OutboxMessage.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    return messages


def test_failed_publish_pauses_the_broker_so_later_writes_do_not_wait_again(monkeypatch):
    """One failure costs one publish; the next ones go straight to the sweep."""
    broker = Broker(monkeypatch, down=True)

    assert services.outbox_message_enqueue(message_id=1) is False
    assert services.outbox_message_enqueue(message_id=2) is False

    assert broker.attempts == [1]


def test_sweep_leases_what_it_enqueued_so_the_next_sweep_does_not_enqueue_it_again(
    monkeypatch,
):
    broker = Broker(monkeypatch)
    messages = old_pending_messages(2)

    assert services.outbox_pending_requeue() == 2
    assert services.outbox_pending_requeue() == 0

    assert broker.published == [m.pk for m in messages]
    for message in messages:
        message.refresh_from_db()
        assert message.next_attempt_at > timezone.now() + dt.timedelta(minutes=4)


def test_sweep_stops_at_the_first_failed_publish_and_leaves_the_rest_due(monkeypatch):
    Broker(monkeypatch, down=True)
    old_pending_messages(3)

    assert services.outbox_pending_requeue() == 0

    assert OutboxMessage.objects.filter(next_attempt_at__lte=timezone.now()).count() == 3
    Broker(monkeypatch)
    assert services.outbox_pending_requeue() == 3


def test_organizer_retry_gives_a_failed_message_fresh_attempts_and_sends_it(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.mail.test_services.RefusingConnection"
    message = create_link_message(RegistrationFactory())
    outbox_message_send(message_id=message.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_message_retry(message=message)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 1)
    assert len(mail.outbox) == 1


def test_organizer_retry_leaves_a_sent_message_alone(django_capture_on_commit_callbacks):
    message = create_link_message(RegistrationFactory())
    outbox_message_send(message_id=message.pk)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.outbox_message_retry(message=message)

    assert callbacks == []
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError("timed out"), True),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), True),
        (smtplib.SMTPConnectError(554, b"No service"), True),
        (smtplib.SMTPDataError(451, b"Try again later"), True),
        (smtplib.SMTPAuthenticationError(535, b"Bad credentials"), True),
        (smtplib.SMTPDataError(554, b"Rejected as spam"), False),
        (smtplib.SMTPSenderRefused(550, b"Sender refused", "noreply@localhost"), False),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")}), False),
        (ValueError("Header values may not contain linefeed"), False),
    ],
)
def test_which_errors_are_worth_a_retry(error, transient):
    assert services.is_transient(error) is transient


def test_beat_runs_the_sweep_every_minute():
    """The schedule names a task that exists (a typo would silently never sweep)."""
    entry = app.conf.beat_schedule["sweep-outbox"]

    assert entry["task"] == sweep_outbox.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] == 60.0
