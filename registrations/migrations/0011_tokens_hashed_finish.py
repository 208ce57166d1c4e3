from django.db import migrations, models

from registrations.token_backfill import fill_hashes


def fill_stragglers(apps, schema_editor):
    """Rows an old process wrote or changed after 0010 read them: hashed and sealed
    before the hashes become NOT NULL and unique. On PostgreSQL the table is locked
    against writes first (reads go on), so none can slip in before the ALTERs."""
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("registrations", "Registration")._meta.db_table)
        schema_editor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    fill_hashes(
        apps.get_model("registrations", "Registration"), using=schema_editor.connection.alias
    )


class Migration(migrations.Migration):
    """The clear-text token column goes; the hashes become the unique lookups."""

    dependencies = [
        ("registrations", "0010_tokens_hashed_fill"),
    ]

    operations = [
        # Reversed: nothing to undo here; 0010's backwards writes the tokens back.
        migrations.RunPython(fill_stragglers, migrations.RunPython.noop, elidable=False),
        # Reversed, the column comes back empty; 0010's backwards writes each
        # registration's own token into it.
        migrations.RemoveField(model_name="registration", name="token"),
        migrations.AlterField(
            model_name="registration",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="registration",
            name="feed_token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="registration",
            name="token_sealed",
            field=models.TextField(editable=False),
        ),
        migrations.AlterField(
            model_name="registration",
            name="feed_token_sealed",
            field=models.TextField(editable=False),
        ),
    ]
