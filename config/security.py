"""HTTP hardening that Django and its add-ons do not do by themselves.

- ``RefuseTraceMiddleware``: TRACE (and its IIS twin TRACK) get 405 on every URL,
  whatever the view would have done with them.
- ``PermissionsPolicyMiddleware``: the ``Permissions-Policy`` header from
  ``settings.PERMISSIONS_POLICY`` on every response.
- ``login_client_address``: the address django-axes counts failures for.
- ``login_username``: the username it counts them for.
- ``login_lockout_response``: the page django-axes shows after too many failed
  logins (``AXES_LOCKOUT_CALLABLE``), with 429 and ``Retry-After``.
"""

import ipaddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponseNotAllowed
from django.shortcuts import render

from core.throttling import address_counted, client_address

# What the site as a whole answers to; each view still refuses what it does not do.
ALLOWED_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]
REFUSED_METHODS = {"TRACE", "TRACK"}


class RefuseTraceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in REFUSED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` -> ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def login_client_address(request) -> str | None:
    """The client's address as the rate limits see it (``AXES_CLIENT_IP_CALLABLE``).

    REMOTE_ADDR, or behind NUM_PROXIES declared proxies the address they put in
    X-Forwarded-For; an IPv6 client is its /64 network (stored as the network's first
    address, ``2001:db8:1:2::``), an IPv4-mapped one its IPv4 address. Anything that is
    not an IP address (a misconfigured proxy passing a client's own header on) falls
    back to REMOTE_ADDR: the attempt is still counted, and the database column only
    ever holds an address.
    """
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return address_counted(request.META.get("REMOTE_ADDR") or "")


def login_username(request, credentials=None) -> str | None:
    """The username a login tried (``AXES_USERNAME_CALLABLE``), cut to a username's length.

    Django's login forms do not limit what they pass on to authentication, and
    django-axes stores it in a 255-character column: a 5,000-character
    "username" would otherwise end the request in a database error.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get(field)
    if username is None:
        return None
    return str(username)[: get_user_model()._meta.get_field(field).max_length or 150]


def login_lockout_response(request, original_response=None, credentials=None):
    """Too many failed logins for this username from this address: say so, and for how long."""
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = max(1, round(cool_off.total_seconds() / 60))
    response = render(
        request,
        "registration/lockout.html",
        {"minutes": minutes, "login_url": request.path},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
