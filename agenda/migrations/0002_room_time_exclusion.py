"""On PostgreSQL, the database itself refuses two live sessions in one room at once.

The services check this first and name the conflicting session; this
constraint is the last line of defence against concurrent writers. SQLite has
no exclusion constraints, so there the services' check (under the meeting
lock) is the rule.
"""

from django.db import migrations

CONSTRAINT = "session_room_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"""
        ALTER TABLE agenda_session ADD CONSTRAINT {CONSTRAINT}
        EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
        WHERE (room_id IS NOT NULL AND starts_at IS NOT NULL AND status <> 'cancelled')
        """
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE agenda_session DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("agenda", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
