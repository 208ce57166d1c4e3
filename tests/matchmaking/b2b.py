"""A meeting with B2B meetings on, for the matchmaking tests (pages, API, services, emails).

``b2b_meeting()`` makes a published meeting with matchmaking on, one
matchmaking session on the first day 15:00–16:00 cut into three 20-minute
slots with two tables, and ``person()`` a confirmed registration with a listed
profile (visible to others).
"""

import datetime as dt

from agenda.models import Session
from events.models import Meeting
from matchmaking.models import B2BSession, Matchmaking, MeetingRequest, Profile
from matchmaking.services.setup import b2b_session_configure, matchmaking_update
from registrations.models import Registration
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    RegistrationFactory,
    SessionFactory,
    at,
)


def b2b_meeting(*, tables: int | list[str] = 2, slot_minutes: int = 20, **settings) -> Meeting:
    meeting = MeetingFactory()
    matchmaking_update(meeting=meeting, enabled=True, **settings)
    b2b_session_add(meeting, tables=tables, slot_minutes=slot_minutes)
    return meeting


def b2b_session_add(
    meeting: Meeting,
    *,
    day: int = 0,
    start: str = "15:00",
    minutes: int = 60,
    tables: int | list[str] = 2,
    slot_minutes: int = 20,
    max_meetings_per_person: int | None = None,
) -> B2BSession:
    starts_at = at(meeting, day, start)
    session = SessionFactory(
        meeting=meeting,
        title=f"B2B meetings {start}",
        kind=Session.Kind.B2B,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
    )
    return b2b_session_configure(
        session=session,
        slot_minutes=slot_minutes,
        tables=tables,
        max_meetings_per_person=max_meetings_per_person,
    )


def person(meeting: Meeting, *, listed: bool = True, **fields) -> Registration:
    """A confirmed registration of the meeting with a profile (listed unless told), who
    reads their emails in English unless told."""
    fields.setdefault("language", "en")
    registration = RegistrationFactory(
        meeting=meeting, organization=OrganizationFactory(), **fields
    )
    Profile.objects.create(
        registration=registration,
        meeting=meeting,
        organization=registration.organization,
        role="Project manager",
        pitch="We connect clusters.",
        listed=listed,
    )
    return registration


def first_session(meeting: Meeting) -> B2BSession:
    return B2BSession.objects.filter(meeting=meeting).order_by("session__starts_at").first()


def slots(meeting: Meeting):
    return list(first_session(meeting).slots.order_by("position"))


def matchmaking(meeting: Meeting) -> Matchmaking:
    return Matchmaking.objects.get(meeting=meeting)


def scheduled(meeting: Meeting):
    return MeetingRequest.objects.filter(meeting=meeting, status="scheduled")
