"""A session's title and abstract in another language.

The title and abstract stay in the language they were written in (``Session.language``,
else the meeting's): feeds, exports, the API and emails carry them. A translation is an
extra the pages show to readers of its language (``agenda/templatetags/session_text.py``).
"""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from agenda.models import Session, SessionTranslation
from agenda.services.errors import AgendaError
from agenda.services.locks import lock_meeting, lock_session
from agenda.services.rules import check_text
from agenda.services.sessions import session_create, session_update
from events.models import Meeting


def _translation_set(
    session: Session, *, language: str, title: str, abstract: str
) -> SessionTranslation | None:
    """On a locked session: see ``session_translation_set``."""
    existing = session.translations.filter(language=language).first() if language else None
    if not title.strip() and not abstract.strip():
        if existing is not None:
            existing.delete()
        return None
    if language not in Meeting.Language.values:
        raise AgendaError(_("Choose the language of the translation."), field="language")
    if language == session.content_language:
        raise AgendaError(
            _("The translation is in the session's own language: choose another one."),
            field="language",
        )
    if not title.strip():
        raise AgendaError(_("A translation needs a title."), field="title")
    translation = existing or SessionTranslation(session=session, language=language)
    before = (translation.title, translation.abstract)
    translation.title, translation.abstract = title, abstract
    check_text(translation, ("title", "abstract"))
    if existing is None or (translation.title, translation.abstract) != before:
        translation.save()
    return translation


@transaction.atomic
def session_translation_set(
    *, session: Session, language: str, title: str, abstract: str = ""
) -> SessionTranslation | None:
    """The session's title and abstract in ``language``, another than the session's own.

    An empty title and abstract remove the translation; the same text again writes
    nothing. A translation's title is required (an abstract alone would leave the page
    with a title in one language over an abstract in another).
    """
    lock_meeting(session.meeting)
    locked = lock_session(session)
    return _translation_set(locked, language=language, title=title, abstract=abstract)


@transaction.atomic
def session_save(
    *,
    meeting: Meeting,
    session: Session | None,
    data: dict[str, Any],
    translation: dict[str, str],
) -> Session:
    """The board's session form: the session (new, or changed) and its translation, all or
    nothing. ``translation`` holds ``language``, ``title``, ``abstract``; translations in
    the session's own language (left over from a change of its language) go. A refusal
    about the translation names the field ``translation_<name>``."""
    if session is None:
        session = session_create(meeting=meeting, **data)
    else:
        session = session_update(session=session, data=data)
    locked = lock_session(session)
    locked.translations.filter(language=locked.content_language).delete()
    try:
        _translation_set(locked, **translation)
    except AgendaError as exc:
        # The form's fields for the translation are translation_<name>.
        field = f"translation_{exc.field}" if exc.field else None
        raise AgendaError(exc.message, field=field) from exc
    return session
