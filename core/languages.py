"""Which language a URL is in, and the same page in the other languages.

The pages carry their language in the URL (``config/urls.py``): English, the default
``LANGUAGE_CODE``, unprefixed (``/meetings/x/``), every other language under its code
(``/es/meetings/x/``). The API, the exports and feeds, the admin and the static files
have one URL for every language. docs/architecture.md, "Languages", says why.
"""

from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, ResolverMatch, resolve, reverse
from django.utils import translation


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def path_language(path: str) -> str:
    """The language a path is in: its prefix's, else the default language."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def match_paths(match: ResolverMatch) -> dict[str, str]:
    """``{language: path}`` of the page ``match`` resolved, for every language.

    Empty when the URL is the same in every language (the API, an export): only pages
    have languages.
    """
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    if not name:
        return {}
    paths = {}
    for code in language_codes():
        with translation.override(code):
            try:
                paths[code] = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                return {}
    return paths if len(set(paths.values())) > 1 else {}


def page_urls(url: str) -> dict[str, str]:
    """``{language: url}``: the page at ``url`` (a path, with its query and fragment) in
    every language; empty when ``url`` is no page with languages (nor any page at all)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return {}
    with translation.override(path_language(parts.path)):
        try:
            match = resolve(unquote(parts.path))
        except Resolver404:
            return {}
    return {
        code: urlunsplit(parts._replace(path=path)) for code, path in match_paths(match).items()
    }
