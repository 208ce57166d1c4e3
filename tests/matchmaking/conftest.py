"""Every B2B test (pages, API, services, emails) starts with fresh rate limits and in English."""

import pytest
from django.core.cache import cache
from django.utils import translation

from core import throttling


@pytest.fixture(autouse=True)
def fresh_rate_limits(monkeypatch):
    """The private-link pages and the Bearer API are rate-limited per address (the private
    link's limit): every test starts with none used."""
    monkeypatch.setattr(throttling, "_cache_paused_until", 0.0)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield
