"""A small agenda for the exporter tests, and helpers to read exports back."""

import datetime as dt
from types import SimpleNamespace

import icalendar
import pytest
from django.core.cache import cache

from agenda.models import Session, SessionSpeaker
from tests.factories import (
    OrganizationFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    at,
)


def parse(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def uids(calendar: icalendar.Calendar) -> list[str]:
    return sorted(str(event["UID"]) for event in calendar.walk("VEVENT"))


def uid(session: Session) -> str:
    return f"session-{session.pk}@testserver.example"


@pytest.fixture(autouse=True)
def cold_cache():
    """Built exports are cached by ETag: start every test without any."""
    cache.clear()


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://testserver.example"
    settings.SITE_DOMAIN = "testserver.example"
    settings.ALLOWED_HOSTS = ["testserver"]


@pytest.fixture
def agenda(meeting):
    """Two tracks, two rooms, two days: keynote, workshop, panel, a cancelled talk, a draft."""
    industry = TrackFactory(meeting=meeting, name="Industry 4.0", slug="industry")
    collab = TrackFactory(meeting=meeting, name="Collaboration", slug="collab")
    hall = RoomFactory(venue=meeting.venue, name="Auditorio", position=1)
    small = RoomFactory(venue=meeting.venue, name="Sala Taconera", position=2)
    keynote = SessionFactory(
        meeting=meeting,
        title="Opening keynote",
        kind=Session.Kind.KEYNOTE,
        track=industry,
        room=hall,
        starts_at=at(meeting, 0, "09:30"),
        ends_at=at(meeting, 0, "10:15"),
    )
    workshop = SessionFactory(
        meeting=meeting,
        title="Workshop: joint projects",
        kind=Session.Kind.WORKSHOP,
        track=collab,
        room=small,
        starts_at=at(meeting, 0, "11:00"),
        ends_at=at(meeting, 0, "12:00"),
    )
    panel = SessionFactory(
        meeting=meeting,
        title="Panel: the map of clusters",
        kind=Session.Kind.PANEL,
        track=collab,
        room=hall,
        starts_at=at(meeting, 1, "10:00"),
        ends_at=at(meeting, 1, "11:15"),
    )
    cancelled = SessionFactory(
        meeting=meeting,
        title="Clusters and the circular economy",
        kind=Session.Kind.TALK,
        track=industry,
        room=small,
        starts_at=at(meeting, 1, "12:00"),
        ends_at=at(meeting, 1, "12:45"),
        status=Session.Status.CANCELLED,
    )
    draft = SessionFactory(
        meeting=meeting,
        title="Secret draft",
        room=hall,
        starts_at=at(meeting, 1, "16:00"),
        ends_at=at(meeting, 1, "17:00"),
        status=Session.Status.DRAFT,
    )
    organization = OrganizationFactory(name="MetaIndustry4 cluster", short_name="MetaIndustry4")
    marta = SpeakerFactory(
        meeting=meeting,
        name="Marta Fernández",
        organization=organization,
        email="marta@private.example.org",
        bio="Cluster manager.",
    )
    ana = SpeakerFactory(meeting=meeting, name="Ana Echeverría", email="ana@private.example.org")
    SessionSpeaker.objects.create(session=keynote, speaker=marta, position=0)
    SessionSpeaker.objects.create(
        session=panel, speaker=ana, role=SessionSpeaker.Role.MODERATOR, position=0
    )
    SessionSpeaker.objects.create(
        session=panel, speaker=marta, role=SessionSpeaker.Role.PANELIST, position=1
    )
    return SimpleNamespace(
        meeting=meeting,
        industry=industry,
        collab=collab,
        hall=hall,
        small=small,
        keynote=keynote,
        workshop=workshop,
        panel=panel,
        cancelled=cancelled,
        draft=draft,
        marta=marta,
        ana=ana,
        day1=meeting.starts_on,
        day2=meeting.starts_on + dt.timedelta(days=1),
    )
