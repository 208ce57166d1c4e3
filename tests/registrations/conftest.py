import pytest
from django.core.cache import cache
from django.utils import translation

from core import throttling


@pytest.fixture(autouse=True)
def fresh_rate_limits(monkeypatch):
    """Rate-limit counters live in the cache; every test starts with none, and with the
    limits on (a test that broke the cache leaves this process's pause behind)."""
    monkeypatch.setattr(throttling, "_cache_paused_until", 0.0)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; a request in Spanish must not leak into the next test."""
    with translation.override("en"):
        yield
