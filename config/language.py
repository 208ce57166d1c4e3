"""The language of the pages: in the URL, remembered, and chosen with the header's switcher.

English (``LANGUAGE_CODE``) is unprefixed, Spanish under ``/es/`` (``config/urls.py``;
docs/architecture.md, "Languages", says why).

- ``LocaleMiddleware``: Django's, plus the memory. An unprefixed page asked for (GET or
  HEAD) by someone whose language cookie, or without one whose Accept-Language, prefers
  another language is redirected to that language's URL. The exports have no language in
  their URL: they answer the same to everyone, so they do not ``Vary`` on Accept-Language
  either. The API's messages follow Accept-Language (``Vary: Accept-Language``).
- ``language_set``: the switcher's form. It sets the cookie and goes to the same page in
  the chosen language; on a person's private pages (``/r/<token>/…``) their emails follow
  the choice from then on.
"""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.middleware import locale
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import LANGUAGE_QUERY_PARAMETER

from core.languages import language_codes, match_paths, page_urls, path_language
from core.throttling import PrivateLinkThrottle, is_throttled
from registrations.decorators import too_many_requests
from registrations.selectors import registration_get_by_token
from registrations.services import registration_language_set

# The apps whose ``token`` URLs are a person's private pages (registrations' /r/<token>/…,
# matchmaking's /r/<token>/profile/ and /meetings/).
PRIVATE_PAGE_NAMESPACES = {"registrations", "matchmaking"}


def vary_without(response, header: str) -> None:
    """Take ``header`` out of the response's ``Vary``."""
    if not response.has_header("Vary"):
        return
    kept = [name for name in cc_delim_re.split(response["Vary"]) if name.lower() != header.lower()]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class LocaleMiddleware(locale.LocaleMiddleware):
    def process_request(self, request):
        super().process_request(request)
        if is_api(request):
            # The API's URLs carry no language: its messages follow Accept-Language, as
            # API clients expect (HTML pages have theirs in the URL instead).
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
            return None
        if request.method not in ("GET", "HEAD") or translation.get_language_from_path(
            request.path_info
        ):
            return None
        # The cookie (an explicit choice), else Accept-Language, else the default.
        preferred = translation.get_language_from_request(request)
        if preferred == settings.LANGUAGE_CODE:
            return None
        target = page_urls(request.get_full_path_info()).get(preferred)
        if target is None:  # the API, an export, an unknown path
            return None
        response = self.response_redirect_class(target)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.language_redirect = True
        return response

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if getattr(response, "language_redirect", False) or translation.get_language_from_path(
            request.path_info
        ):
            return response
        if is_api(request):
            patch_vary_headers(response, ("Accept-Language",))
            return response
        match = getattr(request, "resolver_match", None)
        if match is not None and match_paths(match):
            # An unprefixed page: whether it is served or redirected depends on both.
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
        else:
            vary_without(response, "Accept-Language")
        return response


def private_link_token(path: str) -> str | None:
    """The token of a person's private page at ``path`` (in any language), else None."""
    with translation.override(path_language(path)):
        try:
            match = resolve(path)
        except Resolver404:
            return None
    if match.namespace not in PRIVATE_PAGE_NAMESPACES:
        return None
    return match.kwargs.get("token")


@require_POST
def language_set(request):
    """Remember the language chosen and show the same page (``next``) in it.

    From a person's private page the registration's language changes too, so the next
    emails come in it. The answer is the same whether the token opens a registration or not.
    """
    language = request.POST.get(LANGUAGE_QUERY_PARAMETER, "")
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if language not in language_codes():
        return HttpResponseRedirect(next_url)
    token = private_link_token(next_url.split("?", 1)[0])
    if token is not None:
        wait = is_throttled(request, PrivateLinkThrottle)
        if wait:
            return too_many_requests(request, wait)
        try:
            registration = registration_get_by_token(token=token)
        except Http404:
            pass
        else:
            registration_language_set(registration=registration, language=language)
    response = HttpResponseRedirect(page_urls(next_url).get(language, next_url))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
