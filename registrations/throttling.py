"""Rate limits for the registration form, the API and the private link, per client address.

The counters live in the default cache (Redis when REDIS_URL is set, so every
web process shares them). The same throttle classes serve DRF views and plain
Django views. If the cache cannot be reached the request is let through: a
Redis outage must not stop registrations.
"""

import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class ClientAddressThrottle(SimpleRateThrottle):
    """A per-address limit whose rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]``."""

    scope = ""

    def get_rate(self) -> str | None:
        # Read at request time (DRF caches the dict at import), so settings can change it.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str:
        # DRF trusts X-Forwarded-For when NUM_PROXIES is unset, which lets any
        # client pick its own address; only trust it behind a declared proxy.
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR", "")
        return super().get_ident(request)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # cache down: let the request through rather than fail it
            logger.warning("Rate-limit cache unavailable; %s not limited", self.scope)
            return True


class RegistrationThrottle(ClientAddressThrottle):
    scope = "registrations"


class PrivateLinkThrottle(ClientAddressThrottle):
    scope = "private_link"


def is_throttled(request, throttle_class: type[ClientAddressThrottle]) -> int | None:
    """For plain Django views: seconds to wait when over the limit, else None."""
    throttle = throttle_class()
    if throttle.allow_request(request, None):
        return None
    return max(int(throttle.wait() or 1), 1)
