"""Meeting.registration_phase: the one answer to "can people register now?" (no query)."""

import datetime as dt

import pytest
from django.template import Context, Template

from events.models import Meeting
from tests.registration_window import CLOSES, ENDS, OPENS, STARTS, meeting

Phase = Meeting.RegistrationPhase
TICK = dt.timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (OPENS - TICK, Phase.NOT_YET),
        (OPENS, Phase.OPEN),
        (CLOSES - TICK, Phase.OPEN),
        (CLOSES, Phase.CLOSED),
        (ENDS - TICK, Phase.CLOSED),
        (ENDS, Phase.OVER),
    ],
)
def test_phase_of_a_published_meeting_changes_at_the_exact_instants(now, expected):
    """Opens at registration_opens_at, closes at registration_closes_at, over at the end."""
    assert meeting().registration_phase(now) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [(OPENS - TICK, Phase.NOT_YET), (STARTS, Phase.OPEN), (ENDS - TICK, Phase.OPEN)],
)
def test_phase_without_a_closing_time_stays_open_until_the_meeting_is_over(now, expected):
    assert meeting(registration_closes_at=None).registration_phase(now) == expected


def test_phase_without_any_window_is_open_until_the_meeting_is_over():
    open_all_along = meeting(registration_opens_at=None, registration_closes_at=None)

    assert [open_all_along.registration_phase(now) for now in (OPENS, ENDS - TICK, ENDS)] == [
        Phase.OPEN,
        Phase.OPEN,
        Phase.OVER,
    ]


@pytest.mark.parametrize("now", [OPENS - TICK, OPENS, CLOSES, ENDS])
def test_phase_of_a_draft_is_draft_whatever_the_time(now):
    assert meeting(status=Meeting.Status.DRAFT).registration_phase(now) == Phase.DRAFT


@pytest.mark.parametrize("now", [OPENS - TICK, OPENS, CLOSES, ENDS])
def test_phase_of_a_cancelled_meeting_is_cancelled_even_once_it_is_over(now):
    assert meeting(status=Meeting.Status.CANCELLED).registration_phase(now) == Phase.CANCELLED


@pytest.mark.parametrize(
    ("now", "expected"), [(OPENS - TICK, False), (OPENS, True), (CLOSES, False)]
)
def test_registration_is_open_is_the_open_phase(now, expected):
    assert meeting().registration_is_open(now) is expected


@pytest.mark.parametrize(
    ("status", "now", "expected"),
    [
        (Meeting.Status.PUBLISHED, OPENS - TICK, "not_yet"),
        (Meeting.Status.PUBLISHED, OPENS, "open"),
        (Meeting.Status.PUBLISHED, CLOSES, "closed"),
        (Meeting.Status.PUBLISHED, ENDS, "over"),
        (Meeting.Status.DRAFT, OPENS, "draft"),
        (Meeting.Status.CANCELLED, OPENS, "cancelled"),
    ],
)
def test_registration_phase_tag_answers_the_model_phase(status, now, expected):
    """The template tag the meeting cards and agenda pages use calls the method, no query."""
    html = Template("{% load meeting_tags %}{% registration_phase meeting now %}").render(
        Context({"meeting": meeting(status=status), "now": now})
    )
    assert html == expected
