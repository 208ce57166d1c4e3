"""The migrations that hash the tokens, run on registrations that had clear-text tokens."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404
from django.utils import timezone

from registrations.models import Registration
from registrations.selectors import registration_get_by_feed_token, registration_get_by_token

# Before the tokens were hashed (and before what came after them: the meeting's seat
# holds, whose column a Meeting made from this state could not fill).
BEFORE = [("events", "0005_text_hygiene"), ("registrations", "0008_text_hygiene")]
AFTER = None  # the latest: the models the code uses
OLD_TOKENS = ["A" * 43, "b-_" + "c" * 40, "z" * 64]


def migrate(targets):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_rows(transactional_db):
    """Registrations as they were before 0009; the schema is back at the latest afterwards."""
    apps = migrate(BEFORE)
    meeting = apps.get_model("events", "Meeting").objects.create(
        slug="old", title="Old", starts_on=dt.date(2030, 1, 14), ends_on=dt.date(2030, 1, 15)
    )
    for position, token in enumerate(OLD_TOKENS):
        apps.get_model("registrations", "Registration").objects.create(
            meeting=meeting,
            token=token,
            first_name="Ane",
            last_name=f"Person{position}",
            email=f"p{position}@example.org",
            consent_processing_at=timezone.now(),
            consent_text_version="2026-01",
        )
    yield
    migrate(AFTER)


def test_private_links_keep_working_and_each_gets_its_own_feed_token(old_rows):
    migrate(AFTER)

    registrations = list(Registration.objects.order_by("last_name"))
    assert [registration.token for registration in registrations] == OLD_TOKENS
    for token in OLD_TOKENS:
        assert registration_get_by_token(token=token).token == token
    feeds = {registration.feed_token for registration in registrations}
    assert len(feeds) == 3
    assert feeds.isdisjoint(OLD_TOKENS)
    for registration in registrations:
        assert registration_get_by_feed_token(token=registration.feed_token) == registration


def test_reversed_the_clear_text_tokens_come_back(old_rows):
    migrate(AFTER)
    apps = migrate(BEFORE)

    model = apps.get_model("registrations", "Registration")
    assert list(model.objects.order_by("last_name").values_list("token", flat=True)) == (OLD_TOKENS)


def test_a_row_an_old_process_writes_between_0010_and_0011_gets_its_hashes(old_rows):
    """While 0010 and 0011 run, processes with the old code keep registering people and
    resetting links, writing the clear-text column only: 0011 hashes those rows too."""
    migrate([("registrations", "0010_tokens_hashed_fill")])
    # The code as it was before 0009: its model knows only the clear-text column.
    old_apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    old_model = old_apps.get_model("registrations", "Registration")
    meeting_id = old_model.objects.values_list("meeting_id", flat=True).first()
    old_model.objects.create(
        meeting_id=meeting_id,
        token="N" * 43,
        first_name="Ane",
        last_name="Person3",
        email="p3@example.org",
        consent_processing_at=timezone.now(),
        consent_text_version="2026-01",
    )
    # An old "reset my private link" on a row 0010 had already hashed.
    old_model.objects.filter(last_name="Person0").update(token="R" * 43)

    migrate(AFTER)

    registrations = list(Registration.objects.order_by("last_name"))
    assert [registration.token for registration in registrations] == [
        "R" * 43,
        *OLD_TOKENS[1:],
        "N" * 43,
    ]
    assert registration_get_by_token(token="N" * 43).last_name == "Person3"
    assert registration_get_by_token(token="R" * 43).last_name == "Person0"
    for token in OLD_TOKENS[1:]:
        assert registration_get_by_token(token=token).token == token
    with pytest.raises(Http404):
        registration_get_by_token(token="A" * 43)
    feeds = {registration.feed_token for registration in registrations}
    assert len(feeds) == 4
    for registration in registrations:
        assert registration_get_by_feed_token(token=registration.feed_token) == registration
