"""What every page of a private link (``/r/<token>/…``) does, whichever app serves it."""

from functools import wraps

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from core.throttling import PrivateLinkThrottle, is_throttled
from registrations.identity import participant_remember
from registrations.selectors import registration_get_by_token


def too_many_requests(request, wait: int):
    response = render(request, "registrations/too_many_requests.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def private_link_page(view):
    """Rate-limited, never cached, and the token is never sent to other sites in a Referer.

    The view gets the registration instead of the token. Opening the page also makes
    this browser remember the person at the meeting (``registrations.identity``).
    """

    @wraps(view)
    def wrapper(request, token: str, *args, **kwargs):
        wait = is_throttled(request, PrivateLinkThrottle)
        if wait:
            return too_many_requests(request, wait)
        registration = registration_get_by_token(token=token)
        participant_remember(request, registration)
        response = view(request, registration, *args, **kwargs)
        # Same-origin only: links to other sites never see the token; our own
        # form posts keep their Origin, which the CSRF check needs.
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex"
        return response

    return never_cache(wrapper)
