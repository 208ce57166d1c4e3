"""Small helpers of the B2B pages' templates."""

from django import template

from matchmaking.ical import table_label as ical_table_label
from matchmaking.models import Language

register = template.Library()

LANGUAGE_NAMES = dict(Language.choices)


@register.filter
def other_person(meeting_request, registration):
    """The other person of a meeting request, seen from ``registration``."""
    return meeting_request.other(registration)


@register.filter
def language_names(codes) -> str:
    """Language codes as names, "English, Español" (each in its own language, as on the
    form)."""
    return ", ".join(LANGUAGE_NAMES.get(code, code) for code in codes or [])


@register.filter
def web_link(url: str) -> str:
    """The address when it is an http(s) one, else "" (a row written around the form's
    check never becomes a ``javascript:`` link)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


@register.filter
def web_label(url: str) -> str:
    """How a website reads in a card: without its scheme and trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def organization_of(registration) -> str:
    """The organisation a person's profile names, else the one they registered with."""
    profile = getattr(registration, "b2b_profile", None) if registration else None
    if profile is not None and profile.organization_label:
        return profile.organization_label
    return registration.organization_display if registration else ""


@register.filter
def table_label(table) -> str:
    """A numbered table as "Table 3"; a named one ("Blue room, left") by its name."""
    return ical_table_label(table) if table else ""
