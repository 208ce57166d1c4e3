"""The migrations that turned free-text regions into codes, run on rows as people typed them."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("events", "0002_region_legacy"), ("registrations", "0004_region_legacy")]
AFTER = [("events", "0004_region_choices"), ("registrations", "0006_region_choices")]

# (as typed, code after the migration, text kept in region_legacy)
TYPED = [
    ("Navarra", "ES-NC", ""),
    ("  euskadi ", "ES-PV", ""),
    ("Pais Vasco", "ES-PV", ""),
    ("Comunidad Valenciana", "ES-VC", ""),
    ("CATALUNYA", "ES-CT", ""),
    ("Illes Balears", "ES-IB", ""),
    ("Canary Islands", "ES-CN", ""),
    ("Castilla y Leon", "ES-CL", ""),
    ("Región de Murcia", "ES-MC", ""),
    ("", "", ""),
    ("Nacional", "", "Nacional"),
    ("Pamplona", "", "Pamplona"),
    ("Portugal", "", "Portugal"),
    ("=HYPERLINK(\u202e1)\x07", "", "=HYPERLINK(\u202e1)\x07"),
    ("x" * 100, "", "x" * 100),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_migration(transactional_db):
    """Historical models from before the list; the schema is back at the latest afterwards."""
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def make_rows(apps):
    organization_model = apps.get_model("events", "Organization")
    meeting_model = apps.get_model("events", "Meeting")
    registration_model = apps.get_model("registrations", "Registration")
    meeting = meeting_model.objects.create(
        slug="old", title="Old", starts_on=dt.date(2025, 1, 14), ends_on=dt.date(2025, 1, 15)
    )
    for position, (typed, _code, _kept) in enumerate(TYPED):
        organization_model.objects.create(name=f"Org {position}", region=typed)
        registration_model.objects.create(
            meeting=meeting,
            first_name="Ane",
            last_name=f"Person{position}",
            email=f"p{position}@example.org",
            token=f"token-{position}",
            region=typed,
            consent_processing_at=timezone.now(),
            consent_text_version="2026-01",
        )


def test_migration_turns_region_names_into_codes_and_keeps_what_matches_none(before_migration):
    make_rows(before_migration)

    apps = migrate(AFTER)

    expected = [(code, kept) for _typed, code, kept in TYPED]
    organizations = apps.get_model("events", "Organization").objects.order_by("pk")
    registrations = apps.get_model("registrations", "Registration").objects.order_by("pk")
    assert list(organizations.values_list("region", "region_legacy")) == expected
    assert list(registrations.values_list("region", "region_legacy")) == expected


def test_migration_backwards_gives_names_and_the_kept_text_back(before_migration):
    make_rows(before_migration)
    migrate(AFTER)

    apps = migrate(BEFORE)

    regions = list(
        apps.get_model("registrations", "Registration")
        .objects.order_by("pk")
        .values_list("region", flat=True)
    )
    assert regions == [
        "Comunidad Foral de Navarra",
        "País Vasco",
        "País Vasco",
        "Comunitat Valenciana",
        "Cataluña",
        "Illes Balears",
        "Canarias",
        "Castilla y León",
        "Región de Murcia",
        "",
        "Nacional",
        "Pamplona",
        "Portugal",
        "=HYPERLINK(\u202e1)\x07",
        "x" * 100,
    ]
