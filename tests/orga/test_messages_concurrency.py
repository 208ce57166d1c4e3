"""Two confirmations of one preview at the same moment on PostgreSQL: one message, N emails."""

import threading
import uuid

import pytest
from django.db import connection

from mail.models import OutboxMessage
from registrations.models import ParticipantMessage
from registrations.services.participant_messages import participant_message_send
from tests.factories import MeetingFactory, RegistrationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_confirmations_with_one_token_write_one_message():
    meeting = MeetingFactory()
    people = [RegistrationFactory(meeting=meeting) for _ in range(5)]
    token = uuid.uuid4()
    barrier = threading.Barrier(2)
    outcomes = []

    def confirm():
        try:
            barrier.wait()
            outcomes.append(
                participant_message_send(
                    meeting=meeting,
                    subject="Programme",
                    body="See you",
                    statuses=["confirmed"],
                    token=token,
                )
            )
        except Exception as exc:  # the test inspects it
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert sorted(outcome.created for outcome in outcomes) == [False, True]
    message = ParticipantMessage.objects.get()
    assert {outcome.message for outcome in outcomes} == {message}
    assert sorted(OutboxMessage.objects.values_list("registration_id", flat=True)) == sorted(
        person.pk for person in people
    )
