"""Meeting.registration_phase: the one answer to "can people register now?" (no query)."""

import datetime as dt

import pytest
from django.template import Context, Template

from events.models import Meeting

Phase = Meeting.RegistrationPhase
UTC = dt.UTC
OPENS = dt.datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
CLOSES = dt.datetime(2030, 4, 1, 9, 0, tzinfo=UTC)
# The meeting's first instant: midnight of 10 April in Madrid (CEST, UTC+2).
STARTS = dt.datetime(2030, 4, 9, 22, 0, tzinfo=UTC)
# Midnight after the last day (11 April) in Madrid: from here on the meeting is over.
ENDS = dt.datetime(2030, 4, 11, 22, 0, tzinfo=UTC)
TICK = dt.timedelta(microseconds=1)


def meeting(**fields) -> Meeting:
    """An unsaved published meeting in Madrid with a registration window."""
    values = {
        "status": Meeting.Status.PUBLISHED,
        "timezone": "Europe/Madrid",
        "starts_on": dt.date(2030, 4, 10),
        "ends_on": dt.date(2030, 4, 11),
        "registration_opens_at": OPENS,
        "registration_closes_at": CLOSES,
    }
    return Meeting(**(values | fields))


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
