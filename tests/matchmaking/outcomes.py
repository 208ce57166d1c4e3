"""Meetings whose 1:1 meetings have already taken place, for the outcome tests.

``past_b2b_meeting()`` makes a published meeting with matchmaking on whose first day
was ``days_ago`` days ago (in its own zone), ``days`` long, with one matchmaking session that day
15:00–16:00 (three 20-minute slots, three tables). ``meet()`` schedules a meeting
between two people through the services, as it was done before the day (``now`` a
day before the slot), so every rule of scheduling held.
"""

import datetime as dt
import zoneinfo

from django.utils import timezone

from events.models import Meeting
from matchmaking.models import MeetingRequest, Slot
from matchmaking.services.requests import request_accept, request_create
from matchmaking.services.setup import matchmaking_update
from registrations.models import Registration
from tests.factories import MeetingFactory
from tests.matchmaking.b2b import b2b_session_add


def past_b2b_meeting(
    *, days_ago: int = 1, days: int = 2, zone: str = "Europe/Madrid", tables: int = 3, **fields
) -> Meeting:
    today = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(zone)).date()
    first_day = today - dt.timedelta(days=days_ago)
    meeting = MeetingFactory(
        starts_on=first_day,
        ends_on=first_day + dt.timedelta(days=days - 1),
        timezone=zone,
        **fields,
    )
    matchmaking_update(meeting=meeting, enabled=True)
    b2b_session_add(meeting, tables=tables)
    return meeting


def meet(a: Registration, b: Registration, slot: Slot) -> MeetingRequest:
    """``a`` asked ``b``, who accepted at ``slot`` (a day before it): a scheduled meeting."""
    before = slot.starts_at - dt.timedelta(days=1)
    request = request_create(requester=a, recipient=b, now=before)
    return request_accept(request=request, by=b, slot_id=slot.pk, now=before)
