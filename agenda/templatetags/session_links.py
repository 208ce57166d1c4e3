"""The session card's links and kind label, without a ``reverse`` per link.

``{% url %}`` resolves the whole URL configuration on every call: three times a card,
12 % of the agenda page's render at 2,500 cards. These tags reverse each pattern
once per language, script prefix and URL configuration (a dummy value in the place of
the session's id or the speaker's slug) and fill in the value: the same URL, because
ids and slugs need no quoting.

``{% session_url meeting session %}``, ``{% speaker_url meeting speaker %}``,
``{% session_kind session %}`` (what ``get_kind_display`` says).
"""

import functools

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from agenda.models import Session
from core.choices import choice_label

register = template.Library()

PK = 987654321
SLUG = "speaker-slug-placeholder-0"


@functools.lru_cache(maxsize=256)
def _split(name: str, slug: str, key: str, dummy, language, prefix: str, urlconf) -> tuple:
    url = reverse(name, kwargs={"slug": slug, key: dummy})
    before, marker, after = url.rpartition(str(dummy))
    if not marker:
        raise ValueError(f"{name} does not end with its {key}: {url}")
    return before, after


def _url(name: str, slug: str, key: str, dummy, value) -> str:
    before, after = _split(
        name, slug, key, dummy, get_language(), get_script_prefix(), get_urlconf()
    )
    return f"{before}{value}{after}"


@register.simple_tag
def session_url(meeting, session) -> str:
    return _url("agenda:session-detail", meeting.slug, "pk", PK, int(session.pk))


@register.simple_tag
def speaker_url(meeting, speaker) -> str:
    return _url("agenda:speaker-detail", meeting.slug, "speaker", SLUG, speaker.slug)


@register.simple_tag
def session_kind(session) -> str:
    return choice_label(Session, "kind", session.kind)
