"""The meeting time filters keep the meeting's wall-clock time whatever zone is active."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from events.models import Meeting
from events.templatetags.meeting_tags import in_meeting_tz

UTC = dt.UTC


def render(source: str, **context) -> str:
    return Template("{% load meeting_tags %}" + source).render(Context(context))


@pytest.fixture
def madrid():
    """An unsaved meeting in Madrid: the filters need nothing from the database."""
    return Meeting(timezone="Europe/Madrid")


def test_time_after_in_meeting_tz_is_the_meeting_time_not_utc(madrid):
    """09:30 in Madrid (08:30 UTC, winter) shows 09:30 with UTC as the current zone."""
    when = dt.datetime(2027, 1, 12, 8, 30, tzinfo=UTC)
    assert render('{{ when|in_meeting_tz:meeting|time:"H:i" }}', when=when, meeting=madrid) == (
        "09:30"
    )


def test_date_after_in_meeting_tz_ignores_another_active_zone(madrid):
    """A page rendered while another zone is active still shows the meeting's day and hour."""
    when = dt.datetime(2027, 1, 12, 23, 30, tzinfo=UTC)  # 00:30 on the 13th in Madrid
    with timezone.override(ZoneInfo("America/New_York")):
        html = render(
            '{{ when|in_meeting_tz:meeting|date:"Y-m-d H:i T" }}', when=when, meeting=madrid
        )
    assert html == "2027-01-13 00:30 CET"


def test_the_repeated_hour_of_a_dst_change_stays_the_same_instant(madrid):
    """On 25 October 2026 Madrid reads 02:30 twice; each keeps its own offset and instant."""
    first = dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    second = dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    local_first, local_second = in_meeting_tz(first, madrid), in_meeting_tz(second, madrid)
    assert (
        (local_first.hour, local_first.minute)
        == (local_second.hour, local_second.minute)
        == (2, 30)
    )
    assert (local_first.utcoffset(), local_second.utcoffset()) == (
        dt.timedelta(hours=2),
        dt.timedelta(hours=1),
    )
    assert (local_first.astimezone(UTC), local_second.astimezone(UTC)) == (first, second)


def test_in_meeting_tz_of_nothing_is_nothing(madrid):
    assert render('{{ when|in_meeting_tz:meeting|time:"H:i" }}', when=None, meeting=madrid) == ""
