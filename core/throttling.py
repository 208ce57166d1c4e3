"""Rate limits for the registration form, the API and the private link, per client address.

A client address is an IPv4 address, or for IPv6 its /64 network (one end user
usually holds a whole /64, so counting single IPv6 addresses would give them
billions of fresh counters); an IPv4-mapped IPv6 address (``::ffff:1.2.3.4``)
is the IPv4 address. The login lockout counts per the same client address.

The counters live in the ``ratelimit`` cache (the same Redis as the default
cache when REDIS_URL is set, so every web process shares them, with shorter
timeouts). The same throttle classes serve DRF views and plain Django views.
Each limit is a fixed window: on Redis one pipelined INCR + EXPIRE NX + TTL,
one round trip per limit (DRF's own throttle reads and writes a list of
timestamps: two round trips). A client can so send up to twice the rate
across a window's edge; the limits are meant against floods, not to the request.
If the cache cannot be reached the request is let through — a Redis outage
must not stop registrations — and this process leaves the cache alone for
THROTTLE_CACHE_PAUSE_SECONDS, so an outage costs one request a timeout and
the requests after it nothing.
"""

import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

# Per process: until this monotonic time, do not ask the cache (it just failed).
_cache_paused_until = 0.0


class ClientAddressThrottle(SimpleRateThrottle):
    """A per-address limit whose rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]``."""

    scope = ""
    # Not DRF's "throttle_…" keys: those hold a list of timestamps, not a counter.
    cache_format = "ratelimit:%(scope)s:%(ident)s"

    @property
    def cache(self):
        return caches["ratelimit"]

    def get_rate(self) -> str | None:
        # Read at request time (DRF caches the dict at import), so settings can change it.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str:
        # DRF trusts X-Forwarded-For when NUM_PROXIES is unset, which lets any
        # client pick its own address; only trust it behind a declared proxy.
        if api_settings.NUM_PROXIES is None:
            address = request.META.get("REMOTE_ADDR", "")
        else:
            address = super().get_ident(request)
        return address_counted(address) or address

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view) -> bool:
        global _cache_paused_until
        if time.monotonic() < _cache_paused_until:
            return True
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        try:
            hits, self.window_left = window_hit(self.cache, self.key, self.duration)
        except Exception:  # cache down: let the request through rather than fail it
            _cache_paused_until = time.monotonic() + settings.THROTTLE_CACHE_PAUSE_SECONDS
            logger.warning(
                "Rate-limit cache unavailable; rate limits off for %s s",
                settings.THROTTLE_CACHE_PAUSE_SECONDS,
            )
            return True
        return hits <= self.num_requests

    def wait(self) -> float:
        return max(self.window_left, 1)


def window_hit(cache, key: str, seconds: int) -> tuple[int, float]:
    """Count one hit on ``key``'s window of ``seconds``: (hits in it so far, seconds left).

    On Redis one round trip; elsewhere (the local memory cache of the embedded
    mode) the counter and the window's end are one cache value.
    """
    if isinstance(cache, RedisCache):
        redis_key = cache.make_and_validate_key(key)
        pipe = cache._cache.get_client(redis_key, write=True).pipeline()
        pipe.incr(redis_key)
        pipe.expire(redis_key, seconds, nx=True)  # the window starts at its first hit
        pipe.ttl(redis_key)
        hits, _, left = pipe.execute()
        return hits, left if left > 0 else seconds
    now = time.time()
    hits, ends = cache.get(key) or (0, now + seconds)
    if ends <= now:
        hits, ends = 0, now + seconds
    cache.set(key, (hits + 1, ends), timeout=max(int(ends - now) + 1, 1))
    return hits + 1, ends - now


class RegistrationThrottle(ClientAddressThrottle):
    scope = "registrations"


class MeetingRegistrationThrottle(ClientAddressThrottle):
    """Registrations for one meeting from one client address (``registrations_meeting``,
    20 an hour by default): one address cannot fill a meeting with invented emails.
    Counted after the input checks, for first registrations and repeats alike."""

    scope = "registrations_meeting"

    def __init__(self, meeting_id: int):
        super().__init__()
        self.meeting_id = meeting_id

    def get_cache_key(self, request, view) -> str:
        ident = f"{self.meeting_id}:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PrivateLinkThrottle(ClientAddressThrottle):
    scope = "private_link"


class CalendarFeedThrottle(ClientAddressThrottle):
    """The personal calendar feed: generous, since calendar services (Google, Outlook)
    poll many people's feeds from a few addresses; it still stops token guessing."""

    scope = "calendar_feed"


def is_throttled(request, throttle_class: type[ClientAddressThrottle], **kwargs) -> int | None:
    """Seconds to wait when over the limit, else None (``kwargs`` go to the throttle)."""
    throttle = throttle_class(**kwargs)
    if throttle.allow_request(request, None):
        return None
    return max(int(throttle.wait() or 1), 1)


IPV6_PREFIX = 64
_IPV6_MASK = ((1 << IPV6_PREFIX) - 1) << (128 - IPV6_PREFIX)


def address_counted(address: str) -> str | None:
    """What one client is counted as: an IPv4 address, or an IPv6 address's /64 network
    written as its first address (``2001:db8:1:2::``, so it still fits an address column);
    ``::ffff:1.2.3.4`` is ``1.2.3.4``. None when ``address`` is no IP address."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.version == 6:  # drops a zone (%eth0) too
        ip = ipaddress.IPv6Address(int(ip) & _IPV6_MASK)
    return str(ip)


def client_address(request) -> str:
    """The client's address as the rate limits see it; the login lockout uses it too."""
    return ClientAddressThrottle().get_ident(request)
