"""Builders per kind: every kind has one, an unknown kind is refused, the envelope is mail's."""

import pytest

from mail import render
from mail.models import OutboxMessage
from matchmaking import emails as matchmaking_emails
from matchmaking import outcome_emails, schedule_emails
from registrations.emails import build_email
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_every_kind_has_a_builder_once_the_apps_are_ready():
    assert set(render._builders) == set(OutboxMessage.Kind)
    b2b = {kind for kind in OutboxMessage.Kind if kind.startswith("b2b_")}
    assert {render._builders[kind] for kind in set(OutboxMessage.Kind) - b2b} == {build_email}
    own = {
        OutboxMessage.Kind.B2B_SCHEDULE: schedule_emails.build_email,
        OutboxMessage.Kind.B2B_OUTCOME_REMINDER: outcome_emails.build_outcome_reminder,
    }
    assert {kind: render._builders[kind] for kind in own} == own
    assert {render._builders[kind] for kind in b2b - set(own)} == {matchmaking_emails.build_email}


def test_registering_a_kind_that_is_not_in_kind_is_refused():
    with pytest.raises(ValueError):
        render.register("no_such_kind", builder=build_email)
    assert "no_such_kind" not in render._builders


def test_unknown_kind_raises_unknown_kind_naming_it():
    message = OutboxMessage(kind="no_such_kind", recipient="ane@example.org", dedupe_key="k")

    with pytest.raises(render.UnknownKind, match="'no_such_kind'"):
        render.email_build(message=message)


def test_envelope_has_sender_recipient_and_the_stable_message_id(settings):
    settings.DEFAULT_FROM_EMAIL = "Intercluster <noreply@example.org>"
    registration = RegistrationFactory(email="ane@example.org")
    registration.meeting.contact_email = "team@example.org"
    message = OutboxMessage(
        kind=OutboxMessage.Kind.PRIVATE_LINK,
        recipient=registration.email,
        meeting=registration.meeting,
        registration=registration,
        dedupe_key="link:1",
    )

    email = render.email_build(message=message)

    assert email.from_email == "Intercluster <noreply@example.org>"
    assert email.to == ["ane@example.org"]
    assert email.reply_to == ["team@example.org"]
    assert email.extra_headers["Message-ID"] == render.message_id(message)
    assert email.extra_headers["Message-ID"] == render.message_id(
        OutboxMessage(dedupe_key="link:1")
    )
