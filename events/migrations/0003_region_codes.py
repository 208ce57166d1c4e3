"""Free-text regions become codes; text that names no region is kept in region_legacy.

Uses the frozen matcher in events/migrations/_region_text_to_code.py, not the
live one, so this migration always does what it did the day it was written.
"""

from django.db import migrations

from events.migrations._region_text_to_code import backwards, forwards


def region_to_code(apps, schema_editor):
    forwards(apps.get_model("events", "Organization"))


def code_to_region(apps, schema_editor):
    backwards(apps.get_model("events", "Organization"))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_region_legacy"),
    ]

    operations = [
        migrations.RunPython(region_to_code, code_to_region, elidable=False),
    ]
