"""Helpers of the B2B page tests: a browser that opened its private link, and fresh rate
limits and English for every test (imported by each ``test_pages_*`` module)."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from core import throttling
from registrations.models import Registration


@pytest.fixture(autouse=True)
def fresh_rate_limits(monkeypatch):
    """The private-link pages are rate-limited per address: every test starts with none."""
    monkeypatch.setattr(throttling, "_cache_paused_until", 0.0)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def as_participant(registration: Registration) -> Client:
    """A browser that opened ``registration``'s private link (so it remembers the person)."""
    client = Client()
    response = client.get(registration.get_absolute_url())
    assert response.status_code == 200, response.status_code
    return client


def directory_url(meeting) -> str:
    return f"/meetings/{meeting.slug}/participants/"


def profile_url(meeting, registration: Registration) -> str:
    return f"/meetings/{meeting.slug}/participants/{registration.b2b_profile.pk}/"


def marketplace_url(meeting) -> str:
    return f"/meetings/{meeting.slug}/marketplace/"


def my_profile_url(registration: Registration) -> str:
    return f"{registration.get_absolute_url()}profile/"


def my_meetings_url(registration: Registration) -> str:
    return f"{registration.get_absolute_url()}meetings/"
