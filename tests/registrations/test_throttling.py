import logging

import pytest
from rest_framework.test import APIClient

from registrations.models import Registration

pytestmark = pytest.mark.django_db

CACHE_DOWN = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
}
CACHE_UP = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "up"}


def register(meeting, n: int):
    return APIClient().post(
        f"/api/v1/meetings/{meeting.slug}/registrations/",
        {
            "first_name": "Ane",
            "last_name": f"Etxeberria {n}",
            "email": f"ane{n}@example.org",
            "consent_processing": True,
        },
        format="json",
    )


def cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "core.throttling"]


# Without a pause each of the 3 requests asks the cache twice: for the per-address limit
# and for the per-address limit of this meeting.
@pytest.mark.parametrize(("pause", "warnings"), [(30, 1), (0, 6)])
def test_rate_limit_cache_down_lets_registrations_through_and_is_left_alone_for_the_pause(
    meeting, settings, caplog, pause, warnings
):
    """The first request that finds the cache down lets itself through and pauses the
    limits; during the pause the next requests do not ask the cache (no wait, no warning).
    Without a pause every request asks (and would wait for the timeout) again."""
    settings.CACHES = {**settings.CACHES, "ratelimit": CACHE_DOWN}
    settings.THROTTLE_CACHE_PAUSE_SECONDS = pause
    caplog.set_level(logging.WARNING, logger="core.throttling")

    statuses = [register(meeting, n).status_code for n in range(3)]

    assert statuses == [202, 202, 202]
    assert Registration.objects.count() == 3
    assert (
        cache_warnings(caplog)
        == [f"Rate-limit cache unavailable; rate limits off for {pause} s"] * warnings
    )


def test_rate_limits_apply_again_once_the_cache_is_back_after_the_pause(meeting, settings):
    """After the pause, a cache that answers again counts and limits as before."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"registrations": "1/min", "private_link": "60/min"},
    }
    settings.THROTTLE_CACHE_PAUSE_SECONDS = 0
    settings.CACHES = {**settings.CACHES, "ratelimit": CACHE_DOWN}
    during = register(meeting, 0).status_code
    settings.CACHES = {**settings.CACHES, "ratelimit": CACHE_UP}

    after = [register(meeting, n).status_code for n in (1, 2)]

    assert (during, after) == (202, [202, 429])


# --- who counts as one client -----------------------------------------------------------

LIMIT_ONE = {"registrations": "1/min", "private_link": "60/min"}


def register_from(meeting, n: int, address: str, **extra):
    return APIClient(REMOTE_ADDR=address, **extra).post(
        f"/api/v1/meetings/{meeting.slug}/registrations/",
        {
            "first_name": "Ane",
            "last_name": f"Etxeberria {n}",
            "email": f"ane{n}@example.org",
            "consent_processing": True,
        },
        format="json",
    )


@pytest.mark.parametrize(
    ("first", "second", "statuses"),
    [
        # One IPv6 /64 is one client: another address in it is counted with the first.
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", [202, 429]),
        ("2001:db8:1:2::1", "2001:DB8:1:2:0:0:0:1", [202, 429]),
        # The next /64 is another client.
        ("2001:db8:1:2::1", "2001:db8:1:3::1", [202, 202]),
        # IPv4: each address on its own, as before.
        ("192.0.2.1", "192.0.2.2", [202, 202]),
        ("192.0.2.1", "192.0.2.1", [202, 429]),
        # An IPv4-mapped IPv6 address is the IPv4 address.
        ("::ffff:192.0.2.1", "192.0.2.1", [202, 429]),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.2", [202, 202]),
    ],
)
def test_the_rate_limit_counts_an_ipv6_client_per_64_and_ipv4_per_address(
    meeting, settings, first, second, statuses
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": LIMIT_ONE}

    got = [
        register_from(meeting, 0, first).status_code,
        register_from(meeting, 1, second).status_code,
    ]

    assert got == statuses
    assert Registration.objects.count() == statuses.count(202)


@pytest.mark.parametrize(
    ("first", "second", "statuses"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2::2", [202, 429]),
        ("2001:db8:1:2::1", "2001:db8:1:3::1", [202, 202]),
        ("::ffff:203.0.113.9", "203.0.113.9", [202, 429]),
    ],
)
def test_behind_a_declared_proxy_the_forwarded_ipv6_address_counts_per_64(
    meeting, settings, first, second, statuses
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": LIMIT_ONE,
        "NUM_PROXIES": 1,
    }

    got = [
        register_from(meeting, 0, "10.0.0.1", HTTP_X_FORWARDED_FOR=first).status_code,
        register_from(meeting, 1, "10.0.0.1", HTTP_X_FORWARDED_FOR=second).status_code,
    ]

    assert got == statuses


def test_the_per_meeting_limit_counts_an_ipv6_client_per_64(meeting, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "registrations": "100/min",
            "registrations_meeting": "2/hour",
            "private_link": "60/min",
        },
    }
    addresses = ["2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6:abcd::9", "2001:db8:5:7::1"]

    got = [register_from(meeting, n, a).status_code for n, a in enumerate(addresses)]

    assert got == [202, 202, 429, 202]
