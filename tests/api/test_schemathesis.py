"""Schemathesis over the whole API, anonymous and as an organizer (and the B2B part as a
participant, with their private link), on a bounded budget: no 5xx, and every answer
matches the OpenAPI schema (status codes, headers, bodies).

Every check schemathesis has runs on each case (``call_and_validate``'s default),
with valid (positive) and invalid (negative) data. Failures are collected across
operations and reported together, one line per operation and problem.
"""

import contextlib

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance
from schemathesis.config import SchemathesisConfig

from config.wsgi import application
from matchmaking.services.requests import request_create
from matchmaking.services.setup import matchmaking_update
from tests.factories import (
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    TrackFactory,
)
from tests.matchmaking.b2b import b2b_session_add, person

# Cases per operation and mode: both runs stay well under a minute on CI.
MAX_EXAMPLES = 8

# Schema-valid input may still break a rule (an unknown or overlapping session, registration
# closed): the API answers 400 with the rule's message, by design, which this check takes
# as a rejection of valid data.
EXCLUDED_CHECKS = [positive_data_acceptance]

CONFIG = SchemathesisConfig.from_dict(
    # Path slugs name the seeded meeting, so cases reach its data rather than 404s only.
    {"parameters": {"path.slug": "meet"}}
)


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests through the WSGI app keep the test's connection (and its transaction) open,
    as Django's test client does: no close_old_connections around each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def agenda(meeting, wsgi_in_test_transaction, settings):
    """The ``meeting`` fixture ("meet") with a track, a room, a session, a speaker, a person;
    and B2B meetings: a matchmaking session, two people with profiles, a request.

    Every Bearer request counts against the private link's rate limit, the made-up
    tokens of schemathesis's authentication checks too: the limit is raised, so the
    answers are the views' own rather than 429s."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "private_link": "100000/min",
        },
    }
    track = TrackFactory(meeting=meeting, slug="industry", name="Industry")
    room = RoomFactory(venue=meeting.venue, name="Auditorio")
    session = SessionFactory(meeting=meeting, track=track, room=room, external_id="ic-1")
    SessionSpeakerFactory(session=session)
    RegistrationFactory(meeting=meeting)
    matchmaking_update(meeting=meeting, enabled=True)
    b2b_session_add(meeting)
    request_create(requester=person(meeting), recipient=person(meeting), message="Hello")
    return meeting


def run_schemathesis(headers: dict[str, str], path_regex: str | None = None) -> list[str]:
    """Every operation of /api/schema/ (or those whose path matches ``path_regex``) in both
    modes; the problems found, one line each."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)
    if path_regex:
        schema = schema.include(path_regex=path_regex)
    problems: set[str] = set()
    for result in schema.get_all_operations():
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            explore(result.ok(), mode, headers, problems)
    return sorted(problems)


def explore(operation, mode: GenerationMode, headers: dict[str, str], problems: set[str]):
    # The config's path.slug reaches only schemathesis's own pytest runner, not
    # as_strategy: the seeded meeting's slug is passed here, so cases reach its data.
    fixed = {"slug": "meet"} if "{slug}" in operation.path else None

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,  # the same cases on every run: a CI failure reproduces
        database=None,
    )
    def check(case):
        try:
            case.call_and_validate(headers=headers, excluded_checks=EXCLUDED_CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis groups its failures
            summary = " ".join(str(exc).split())[:700]
            problems.add(f"{operation.label} ({mode.value}): {summary}")

    # Unsatisfiable: negative mode, for an operation that takes nothing that could be invalid.
    with contextlib.suppress(Unsatisfiable):
        check()


@pytest.mark.postgres
def test_api_anonymous_finds_no_server_error_and_no_schema_violation(agenda):
    problems = run_schemathesis({})
    assert problems == [], "\n".join(problems)


@pytest.mark.postgres
def test_api_organizer_finds_no_server_error_and_no_schema_violation(agenda, organizer):
    token = Token.objects.create(user=organizer)
    problems = run_schemathesis({"Authorization": f"Token {token.key}"})
    assert problems == [], "\n".join(problems)


@pytest.mark.postgres
def test_api_b2b_participant_finds_no_server_error_and_no_schema_violation(agenda):
    """The B2B operations with a participant's private link (a listed, confirmed person who
    has sent a request)."""
    participant = agenda.registrations.get(b2b_requests_sent__isnull=False)
    problems = run_schemathesis({"Authorization": f"Bearer {participant.token}"}, "/b2b/")
    assert problems == [], "\n".join(problems)
