"""The outbox moved from registrations to mail by migration state only: no row is copied or lost."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mail.models import OutboxMessage

BEFORE = [("mail", None), ("registrations", "0013_registration_meeting_holds_index")]
AFTER = None  # the latest: the models the code uses


def migrate(targets):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    # ("mail", None), "no mail migration", is a target but not a state to build.
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def write_old_row(apps) -> None:
    meeting = apps.get_model("events", "Meeting").objects.create(
        slug="old", title="Old", starts_on="2030-01-14", ends_on="2030-01-15"
    )
    apps.get_model("registrations", "OutboxMessage").objects.create(
        kind="private_link",
        recipient="ane@example.org",
        meeting=meeting,
        status="failed",
        attempts=3,
        last_error="SMTPDataError: 554",
        dedupe_key="old-row",
    )


@pytest.fixture
def back_to_registrations(transactional_db):
    """The schema as it was before the move; back at the latest afterwards."""
    apps = migrate(BEFORE)
    yield apps
    migrate(AFTER)


def test_rows_written_by_registrations_are_mail_rows_after_the_move(back_to_registrations):
    write_old_row(back_to_registrations)

    migrate(AFTER)

    message = OutboxMessage.objects.get()
    assert (message.kind, message.recipient, message.status, message.attempts) == (
        OutboxMessage.Kind.PRIVATE_LINK,
        "ane@example.org",
        OutboxMessage.Status.FAILED,
        3,
    )
    assert message.last_error == "SMTPDataError: 554"
    assert message.meeting.slug == "old"


def test_moving_back_keeps_the_rows(transactional_db):
    apps = migrate(BEFORE)
    write_old_row(apps)
    migrate(AFTER)

    apps = migrate(BEFORE)

    rows = apps.get_model("registrations", "OutboxMessage").objects.values_list(
        "dedupe_key", "status"
    )
    assert list(rows) == [("old-row", "failed")]
    migrate(AFTER)
    assert list(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == ["old-row"]


def test_the_content_type_moves_so_given_permissions_stay(back_to_registrations):
    ContentType.objects.clear_cache()
    ContentType.objects.filter(app_label="mail", model="outboxmessage").delete()
    old, _ = ContentType.objects.get_or_create(app_label="registrations", model="outboxmessage")

    migrate(AFTER)

    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(OutboxMessage).pk == old.pk
