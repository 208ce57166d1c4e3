"""The page's languages: the header's switcher and the ``hreflang`` links (``base.html``)."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst

from core.languages import language_codes, page_urls

register = template.Library()


@dataclass(frozen=True)
class PageLanguage:
    code: str
    name: str  # in the language itself: "English", "Español"
    url: str | None  # absolute; None when the page has one URL for every language
    current: bool


@dataclass(frozen=True)
class PageLanguages:
    choices: list[PageLanguage]
    default_url: str | None  # hreflang="x-default": the unprefixed page

    def __iter__(self):
        return iter(self.choices)


@register.simple_tag(takes_context=True)
def page_languages(context) -> PageLanguages:
    """Each language with this page's URL in it (``{% page_languages as languages %}``)."""
    request = context.get("request")
    urls = page_urls(request.get_full_path_info()) if request is not None else {}
    current = translation.get_language()
    choices = [
        PageLanguage(
            code=code,
            name=capfirst(translation.get_language_info(code)["name_local"]),
            url=f"{settings.SITE_URL}{urls[code]}" if code in urls else None,
            current=code == current,
        )
        for code in language_codes()
    ]
    default = urls.get(settings.LANGUAGE_CODE)
    return PageLanguages(
        choices=choices, default_url=f"{settings.SITE_URL}{default}" if default else None
    )
