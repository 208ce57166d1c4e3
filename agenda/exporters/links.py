"""Absolute links to the calendar exports and "add to calendar" links for web calendars."""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from agenda.ical import session_description, session_location
from agenda.models import Session
from events.models import Meeting

UTC_BASIC = "%Y%m%dT%H%M%SZ"  # Google Calendar's dates format
UTC_ISO = "%Y-%m-%dT%H:%M:%SZ"  # Outlook.com's startdt/enddt format
# Web calendars put these in a URL: keep it well under what browsers and servers accept.
MAX_DETAILS = 1000


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def webcal(url: str) -> str:
    """The same feed with the webcal:// scheme, which opens the calendar app's subscribe dialog."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url.removeprefix(scheme)
    return url


def agenda_ics_url(meeting: Meeting, filter_query: str = "") -> str:
    url = absolute(reverse("exporters:agenda-ics", kwargs={"slug": meeting.slug}))
    filter_query = filter_query.lstrip("?")
    return f"{url}?{filter_query}" if filter_query else url


def session_ics_url(session: Session) -> str:
    return absolute(
        reverse("exporters:session-ics", kwargs={"slug": session.meeting.slug, "pk": session.pk})
    )


def google_subscribe_url(feed_url: str) -> str:
    """Google Calendar's "add by URL" for a feed."""
    return "https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal(feed_url)})


def _details(session: Session) -> str:
    text = session_description(session)
    return text if len(text) <= MAX_DETAILS else text[: MAX_DETAILS - 1] + "…"


def google_calendar_url(session: Session) -> str:
    """Google Calendar's "create event" form filled in with the session (times in UTC)."""
    dates = f"{_utc(session.starts_at, UTC_BASIC)}/{_utc(session.ends_at, UTC_BASIC)}"
    query = {
        "action": "TEMPLATE",
        "text": session.title,
        "dates": dates,
        "details": _details(session),
        "location": session_location(session),
        "ctz": session.meeting.timezone,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(session: Session) -> str:
    """Outlook.com's compose form filled in with the session (times in UTC)."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": session.title,
        "startdt": _utc(session.starts_at, UTC_ISO),
        "enddt": _utc(session.ends_at, UTC_ISO),
        "body": _details(session),
        "location": session_location(session),
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)


def _utc(value: dt.datetime, fmt: str) -> str:
    return value.astimezone(dt.UTC).strftime(fmt)
