"""Dates and times shown in the meeting's own time zone."""

import datetime as dt

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def in_meeting_tz(value: dt.datetime | None, meeting) -> dt.datetime | None:
    """An aware datetime converted to the meeting's time zone."""
    if value is None:
        return None
    return timezone.localtime(value, meeting.tzinfo)


@register.simple_tag
def meeting_dates(meeting) -> str:
    """'10–11 December 2019' style range of the meeting's days."""
    start, end = meeting.starts_on, meeting.ends_on
    if start == end:
        return formats.date_format(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{formats.date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{formats.date_format(start, 'j F')} – {formats.date_format(end, 'j F Y')}"
    return f"{formats.date_format(start, 'j F Y')} – {formats.date_format(end, 'j F Y')}"


@register.simple_tag
def tz_abbreviation(meeting, when: dt.datetime | None = None) -> str:
    """The zone's name as people read it, e.g. 'CET (Europe/Madrid)'."""
    when = when or timezone.localtime(meeting.starts_at, meeting.tzinfo)
    return f"{when.astimezone(meeting.tzinfo).tzname()} ({meeting.timezone})"
