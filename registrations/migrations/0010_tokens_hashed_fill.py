from django.db import migrations

from registrations.token_backfill import fill_hashes, unseal_tokens


def forwards(apps, schema_editor):
    """Each private link keeps working (its token is hashed and sealed, not changed);
    each registration gets its own new calendar-feed token. In batches of 1,000, each
    committed on its own; rows an old process writes meanwhile are filled by 0011."""
    fill_hashes(
        apps.get_model("registrations", "Registration"), using=schema_editor.connection.alias
    )


def backwards(apps, schema_editor):
    """Back to the clear-text column: the private links still work, the feeds use them again."""
    unseal_tokens(
        apps.get_model("registrations", "Registration"), using=schema_editor.connection.alias
    )


class Migration(migrations.Migration):
    # Each batch is its own transaction (registrations/token_backfill.py).
    atomic = False

    dependencies = [
        ("registrations", "0009_tokens_hashed_add"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
