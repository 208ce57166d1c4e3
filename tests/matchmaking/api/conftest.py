"""The B2B API's tests: a meeting with B2B meetings on, its people, and clients for each."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import MeetingOrganizerFactory, UserFactory
from tests.matchmaking.b2b import b2b_meeting, person


def participant_api(registration) -> APIClient:
    """A client that sends ``registration``'s private-link token."""
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {registration.token}")
    return api


def organizer_api(meeting) -> APIClient:
    """A client with the token of a new user who organizes ``meeting`` only."""
    user = UserFactory()
    MeetingOrganizerFactory(meeting=meeting, user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def b2b_url(meeting, path: str = "") -> str:
    return f"/api/v1/meetings/{meeting.slug}/b2b/{path}"


@pytest.fixture
def meeting(db):
    """A published meeting with B2B meetings on: one session of three slots, two tables."""
    return b2b_meeting()


@pytest.fixture
def ana(meeting):
    return person(meeting, first_name="Ana", email="ana@ana-private.example")


@pytest.fixture
def ben(meeting):
    return person(meeting, first_name="Ben", email="ben@ben-private.example")
