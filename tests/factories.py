"""Factories for every model, in one place."""

import datetime as dt
import zoneinfo

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from agenda.models import Session, SessionSpeaker, Speaker, Track
from events.models import Meeting, MeetingOrganizer, Organization, Room, Venue
from events.regions import Region
from registrations.models import Registration, SessionBooking

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("secret-password")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Cluster {n}")
    short_name = factory.Sequence(lambda n: f"C{n}")
    kind = Organization.Kind.CLUSTER
    region = Region.NAVARRA


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    address = "Plaza del Baluarte"
    city = "Pamplona"
    country = "Spain"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 100
    position = factory.Sequence(lambda n: n)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A published two-day meeting 60 days ahead, registration open now."""

    class Meta:
        model = Meeting

    slug = factory.Sequence(lambda n: f"meeting-{n}")
    title = factory.Sequence(lambda n: f"Meeting {n}")
    description = "Clusters meet."
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    ends_on = factory.LazyAttribute(lambda m: m.starts_on + dt.timedelta(days=1))
    timezone = "Europe/Madrid"
    venue = factory.SubFactory(VenueFactory)
    status = Meeting.Status.PUBLISHED
    registration_closes_at = factory.LazyAttribute(
        lambda m: dt.datetime.combine(m.starts_on, dt.time.min, tzinfo=MADRID)
    )
    registration_opens_at = factory.LazyAttribute(
        lambda m: min(timezone.now(), m.registration_closes_at) - dt.timedelta(days=1)
    )
    capacity = 100
    contact_email = "info@example.org"


class MeetingOrganizerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingOrganizer

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    role = MeetingOrganizer.Role.ORGANIZER


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Track {n}")
    slug = factory.Sequence(lambda n: f"track-{n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Speaker {n}")
    slug = factory.Sequence(lambda n: f"speaker-{n}")
    email = factory.Sequence(lambda n: f"speaker{n}@private.example.org")


def at(meeting: Meeting, day: int, hhmm: str) -> dt.datetime:
    """An aware datetime on the meeting's day ``day`` (0-based) at local time ``hhmm``."""
    date = meeting.starts_on + dt.timedelta(days=day)
    return dt.datetime.combine(date, dt.time.fromisoformat(hhmm), tzinfo=meeting.tzinfo)


class SessionFactory(factory.django.DjangoModelFactory):
    """A confirmed session on the first day, 10:00–11:00 meeting time."""

    class Meta:
        model = Session

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    abstract = "What clusters do together."
    kind = Session.Kind.TALK
    room = factory.LazyAttribute(lambda s: RoomFactory(venue=s.meeting.venue))
    starts_at = factory.LazyAttribute(lambda s: at(s.meeting, 0, "10:00"))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=1))
    status = Session.Status.CONFIRMED


class SessionSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSpeaker

    session = factory.SubFactory(SessionFactory)
    speaker = factory.LazyAttribute(lambda link: SpeakerFactory(meeting=link.session.meeting))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    first_name = "Ane"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    status = Registration.Status.CONFIRMED
    consent_processing_at = factory.LazyFunction(timezone.now)
    consent_text_version = "2026-01"


class SessionBookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionBooking

    registration = factory.SubFactory(RegistrationFactory)
    session = factory.LazyAttribute(lambda b: SessionFactory(meeting=b.registration.meeting))
    status = SessionBooking.Status.BOOKED
