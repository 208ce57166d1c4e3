"""Reading demo/fixtures/: the JSON files and the dates in them (its README explains both).

Dates of an upcoming edition are relative to the day it is seeded, so the demo
never shows a meeting that is already over.
"""

import datetime as dt
import json
import zoneinfo
from pathlib import Path
from typing import Any

from django.utils import timezone

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def read(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def first_weekday_at_least(weekday: str, days_ahead: int, today: dt.date) -> dt.date:
    day = today + dt.timedelta(days=days_ahead)
    return day + dt.timedelta(days=(WEEKDAYS.index(weekday) - day.weekday()) % 7)


def meeting_day(value: str | dict, today: dt.date) -> dt.date:
    """A fixed date ("2019-12-10"), or one relative to today, so an upcoming edition stays ahead."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return first_weekday_at_least(value["weekday"], value["at_least_days_ahead"], today)


def local_moment(value: str | dict, starts_on: dt.date, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """A local time: "now", fixed ("2019-10-01T09:00"), or a meeting day's ({"day": 1, ...})."""
    if value == "now":
        return timezone.now()
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).replace(tzinfo=tz)
    date = starts_on + dt.timedelta(days=value["day"] - 1)
    return dt.datetime.combine(date, dt.time.fromisoformat(value["time"]), tzinfo=tz)
