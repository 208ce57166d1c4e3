import smtplib

import pytest
from django.core import mail

from registrations.emails import message_id
from registrations.models import OutboxMessage
from registrations.outbox import (
    MAX_ATTEMPTS,
    TransientEmailError,
    outbox_message_create,
    outbox_message_send,
)
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
    settings.EMAIL_BACKEND = "tests.registrations.test_outbox.BrokenConnection"
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
    settings.EMAIL_BACKEND = "tests.registrations.test_outbox.RefusingConnection"
    message = create_link_message(RegistrationFactory())

    outbox_message_send(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert "550" in message.last_error


def test_message_fails_after_the_last_attempt(settings):
    settings.EMAIL_BACKEND = "tests.registrations.test_outbox.BrokenConnection"
    message = create_link_message(RegistrationFactory())
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)

    outbox_message_send(message_id=message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, MAX_ATTEMPTS)


def test_sweep_sends_pending_messages_whose_task_was_lost_and_leaves_fresh_ones():
    """Rows written during a broker outage are sent by the sweep; fresh ones wait for their task."""
    import datetime as dt

    from django.utils import timezone

    from registrations.outbox import outbox_pending_requeue

    old = create_link_message(RegistrationFactory(), key="old")  # on_commit never ran: "lost"
    create_link_message(RegistrationFactory(), key="fresh")
    OutboxMessage.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=5)
    )

    assert outbox_pending_requeue() == 1

    statuses = dict(OutboxMessage.objects.values_list("dedupe_key", "status"))
    assert statuses == {"old": "sent", "fresh": "pending"}
    assert [email.to for email in mail.outbox] == [[old.recipient]]
