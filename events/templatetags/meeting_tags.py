"""Dates and times shown in the meeting's own time zone."""

import datetime as dt

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext

register = template.Library()


class MeetingLocalDatetime(dt.datetime):
    """A datetime already in the meeting's zone, which Django's filters show as it is.

    Filters such as ``date`` and ``time`` convert every aware datetime to the
    *current* time zone (UTC outside ``{% timezone %}``) unless the value says
    ``convert_to_local_time = False`` -- the flag Django's own ``|timezone``
    filter sets.
    """

    convert_to_local_time = False


@register.filter
def in_meeting_tz(value: dt.datetime | None, meeting) -> dt.datetime | None:
    """An aware datetime in the meeting's time zone, kept there by ``|date`` and ``|time``.

    ``{{ session.starts_at|in_meeting_tz:meeting|time:"H:i" }}`` shows the
    meeting's wall-clock time whatever time zone the page is rendered in.
    """
    if value is None:
        return None
    local = timezone.localtime(value, meeting.tzinfo)
    return MeetingLocalDatetime(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
        local.tzinfo,
        fold=local.fold,
    )


@register.simple_tag
def registration_phase(meeting, now: dt.datetime | None = None) -> str:
    """``Meeting.registration_phase`` (no query), for lists: "open", "not_yet", "closed"…

    The meeting page says more (waitlist, seats) through
    registrations.selectors.meeting_registration_state.
    """
    return meeting.registration_phase(now)


@register.simple_tag
def meeting_dates(meeting) -> str:
    """'10–11 December 2019' style range of the meeting's days (formats translatable)."""
    start, end = meeting.starts_on, meeting.ends_on
    day_month_year, day_month = gettext("j F Y"), gettext("j F")
    if start == end:
        return formats.date_format(start, day_month_year)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{formats.date_format(end, day_month_year)}"
    if start.year == end.year:
        return (
            f"{formats.date_format(start, day_month)} – {formats.date_format(end, day_month_year)}"
        )
    return (
        f"{formats.date_format(start, day_month_year)} – {formats.date_format(end, day_month_year)}"
    )


@register.simple_tag
def tz_abbreviation(meeting, when: dt.datetime | None = None) -> str:
    """The zone's name as people read it, e.g. 'CET (Europe/Madrid)'."""
    when = when or timezone.localtime(meeting.starts_at, meeting.tzinfo)
    return f"{when.astimezone(meeting.tzinfo).tzname()} ({meeting.timezone})"
