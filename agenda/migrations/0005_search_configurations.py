"""On PostgreSQL, the text-search configurations the agenda's search uses (agenda/search.py).

``intercluster_es`` and ``intercluster_en`` are PostgreSQL's Spanish and English
configurations with accents removed first (the ``unaccent`` extension), so
"hidrogeno" finds "hidrógeno" and both stem to the same word. ``unaccent`` is a
trusted extension (PostgreSQL 13 and later): the owner of the database can
create it without being a superuser. SQLite has no full-text search here: the
search falls back to matching every word (agenda.search).
"""

from django.db import migrations

CONFIGURATIONS = [
    ("intercluster_es", "spanish", "spanish_stem"),
    ("intercluster_en", "english", "english_stem"),
]


def create_configurations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for name, source, stemmer in CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
        schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{source})")
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stemmer}"
        )


def drop_configurations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _source, _stemmer in CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("agenda", "0004_session_language_translations")]

    operations = [migrations.RunPython(create_configurations, drop_configurations)]
