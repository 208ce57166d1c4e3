"""Helpers of the B2B page tests: a browser that opened its private link, and the pages'
addresses (fresh rate limits and English: ``tests/matchmaking/conftest.py``)."""

from django.test import Client

from registrations.models import Registration


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
