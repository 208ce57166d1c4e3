"""A session's title and abstract as the page's reader gets them.

The translation into the page's language when the session has one, else the text as
written; text in another language than the page's is marked ``lang="…"`` (screen readers
then pronounce it right, browsers hyphenate it right). The selectors join the translation
in (``agenda.selectors.with_translation``); without it the tag asks the session's
translations (one query per session: single-session pages only).

``{% session_title session %}``, ``{% session_title session plain=True %}`` (for
``<title>``: no markup), ``{% session_abstract session %}`` (paragraphs).
"""

from dataclasses import dataclass

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils import translation
from django.utils.html import format_html

from agenda.models import Session

register = template.Library()


@dataclass(frozen=True)
class Text:
    value: str
    language: str


def _meeting(context, session: Session):
    meeting = context.get("meeting")
    return meeting if meeting is not None and meeting.pk == session.meeting_id else session.meeting


def _translated(session: Session, reader: str) -> tuple[str, str] | None:
    """(title, abstract) of the session's translation into ``reader``, if it has one."""
    if hasattr(session, "translated_language"):
        if session.translated_language != reader:
            return None
        return session.translated_title, session.translated_abstract
    found = next((t for t in session.translations.all() if t.language == reader), None)
    return (found.title, found.abstract) if found is not None else None


def session_texts(context, session: Session) -> tuple[Text, Text]:
    """The title and abstract the reader gets, each with the language it is in."""
    reader = translation.get_language()
    original = session.language or _meeting(context, session).language
    title, abstract = Text(session.title, original), Text(session.abstract, original)
    if reader != original and (found := _translated(session, reader)) is not None:
        title = Text(found[0], reader)
        if found[1]:
            abstract = Text(found[1], reader)
    return title, abstract


@register.simple_tag(takes_context=True)
def session_title(context, session: Session, plain: bool = False) -> str:
    title, _abstract = session_texts(context, session)
    if plain or title.language == translation.get_language():
        return title.value  # escaped by the template
    return format_html('<span lang="{}">{}</span>', title.language, title.value)


@register.simple_tag(takes_context=True)
def session_abstract(context, session: Session) -> str:
    _title, abstract = session_texts(context, session)
    if not abstract.value:
        return ""
    paragraphs = linebreaks_filter(abstract.value, autoescape=True)
    if abstract.language == translation.get_language():
        return paragraphs
    return format_html('<div lang="{}">{}</div>', abstract.language, paragraphs)
