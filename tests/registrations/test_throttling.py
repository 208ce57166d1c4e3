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
    return [r.getMessage() for r in caplog.records if r.name == "registrations.throttling"]


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
    caplog.set_level(logging.WARNING, logger="registrations.throttling")

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
