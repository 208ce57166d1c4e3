import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agenda.models import SessionTranslation
from agenda.services import AgendaError, session_translation_set


def translations(session) -> list[tuple[str, str, str]]:
    return list(session.translations.values_list("language", "title", "abstract"))


def test_translation_is_added_changed_and_removed(opening):
    """The meeting is Spanish: an English title and abstract, then another, then none."""
    session_translation_set(session=opening, language="en", title="Opening", abstract="Hello.")
    assert translations(opening) == [("en", "Opening", "Hello.")]

    session_translation_set(session=opening, language="en", title="Welcome", abstract="")
    assert translations(opening) == [("en", "Welcome", "")]

    assert session_translation_set(session=opening, language="en", title=" ", abstract="") is None
    assert translations(opening) == []


def test_the_same_translation_again_writes_nothing(opening):
    first = session_translation_set(session=opening, language="en", title="Opening")

    with CaptureQueriesContext(connection) as queries:
        again = session_translation_set(session=opening, language="en", title="Opening")

    assert again.pk == first.pk
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


@pytest.mark.parametrize(
    ("language", "title", "abstract", "field", "message"),
    [
        (
            "es",
            "Apertura",
            "",
            "language",
            "The translation is in the session's own language: choose another one.",
        ),
        ("fr", "Ouverture", "", "language", "Choose the language of the translation."),
        ("en", "", "An abstract alone.", "title", "A translation needs a title."),
        ("en", "Two\nlines", "", "title", "Title: Use one line of plain text: no line breaks"),
        ("en", "Bidi \u202e", "", "title", "Title: Use one line of plain text"),
        ("en", "x" * 201, "", "title", "Title: Ensure this value has at most 200 characters"),
    ],
)
def test_translation_refused_names_the_field(opening, language, title, abstract, field, message):
    with pytest.raises(AgendaError) as refused:
        session_translation_set(session=opening, language=language, title=title, abstract=abstract)

    assert refused.value.field == field
    assert refused.value.message.startswith(message)
    assert SessionTranslation.objects.count() == 0


def test_a_session_written_in_english_takes_a_spanish_translation(opening):
    opening.language = "en"
    opening.save()

    session_translation_set(session=opening, language="es", title="Apertura")

    assert translations(opening) == [("es", "Apertura", "")]
