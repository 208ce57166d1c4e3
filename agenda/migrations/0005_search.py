"""On PostgreSQL, what the agenda's search needs (agenda/search.py).

- ``intercluster_es`` and ``intercluster_en``: PostgreSQL's Spanish and English
  text-search configurations with accents removed first (the ``unaccent``
  extension), so "hidrogeno" finds "hidrógeno" and both stem to the same word.
  ``unaccent`` is a trusted extension (PostgreSQL 13 and later): the owner of
  the database can create it without being a superuser.
- GIN indexes on the search documents of sessions, their translations and
  speakers: the same expressions as ``agenda.search.search_document`` builds
  (copied here, as a migration must not change when the code does; a test
  checks that the search uses them).

SQLite has no full-text search here: the search falls back to matching every
word (agenda.search), and this migration does nothing.
"""

import operator
from functools import reduce

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIGURATIONS = [
    ("intercluster_es", "spanish", "spanish_stem"),
    ("intercluster_en", "english", "english_stem"),
]
# model, index name, field -> weight (agenda.search.SESSION_FIELDS, SPEAKER_FIELDS)
DOCUMENTS = [
    ("Session", "session_search_document", {"title": "A", "abstract": "B"}),
    ("SessionTranslation", "session_tr_search_document", {"title": "A", "abstract": "B"}),
    ("Speaker", "speaker_search_document", {"name": "A", "job_title": "C", "bio": "D"}),
]


def document_index(name: str, fields: dict[str, str]) -> GinIndex:
    document = reduce(
        operator.add,
        (
            SearchVector(field, config=config, weight=weight)
            for field, weight in fields.items()
            for config, _source, _stemmer in CONFIGURATIONS
        ),
    )
    return GinIndex(document, name=name)


def create(apps, schema_editor):
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
    for model, name, fields in DOCUMENTS:
        schema_editor.add_index(apps.get_model("agenda", model), document_index(name, fields))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, name, fields in DOCUMENTS:
        schema_editor.remove_index(apps.get_model("agenda", model), document_index(name, fields))
    for name, _source, _stemmer in CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("agenda", "0004_session_language_translations")]

    operations = [migrations.RunPython(create, drop)]
