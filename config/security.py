"""HTTP hardening that Django and its add-ons do not do by themselves.

- ``RefuseTraceMiddleware``: TRACE (and its IIS twin TRACK) get 405 on every URL,
  whatever the view would have done with them.
- ``PermissionsPolicyMiddleware``: the ``Permissions-Policy`` header from
  ``settings.PERMISSIONS_POLICY`` on every response.
- ``login_lockout_response``: the page django-axes shows after too many failed
  logins (``AXES_LOCKOUT_CALLABLE``), with 429 and ``Retry-After``.
"""

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.shortcuts import render

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
