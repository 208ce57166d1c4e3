"""A participant's own agenda as a calendar feed: ``/calendar/<feed token>.ics``.

It lives with registrations, which the agenda does not know: the exporter is
registered in the agenda's exporter registry when this app is ready
(``RegistrationsConfig.ready``), and served by the agenda's one export view
under the URL name ``exporters:personal-ics``. It reuses the agenda's calendar
builder, so its events (and UIDs) are the ones every other feed has. Apps
above (matchmaking) add their own events with ``personal_source_register``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext

from agenda import ical
from agenda.export_rows import export_sessions
from agenda.exporters.base import register
from agenda.exporters.calendars import CalendarExporter
from agenda.exporters.links import absolute
from agenda.exporters.selectors import Version, sessions_exported, sessions_version
from agenda.models import Session
from registrations import selectors
from registrations.models import Registration, SessionBooking


@dataclass(frozen=True)
class PersonalSource:
    """More events of a person's own agenda, from an app above this one (matchmaking's 1:1
    meetings): ``events(registration)`` the VEVENTs, ``version(registration)`` a cheap
    fingerprint of them (stamps and counts) for the feed's ETag and Last-Modified."""

    events: Callable[[Registration], list]
    version: Callable[[Registration], tuple]


personal_sources: list[PersonalSource] = []


def personal_source_register(source: PersonalSource) -> None:
    """Add events to every personal feed (from the app's ``AppConfig.ready()``)."""
    personal_sources.append(source)


def registration_get_for_calendar(*, token: str) -> Registration:
    """The registration whose calendar-feed token this is, unless it was cancelled or
    rejected or its meeting is not public (lookup by hash, constant-time compare).
    The private-link token is not a feed token: it gets a 404 here."""
    registration = selectors.registration_get_by_feed_token(token=token)
    if (
        registration.status
        in (
            Registration.Status.CANCELLED,
            Registration.Status.REJECTED,
        )
        or not registration.meeting.is_public
    ):
        raise Http404("No such calendar.")
    return registration


def sessions_booked(registration: Registration) -> QuerySet[Session]:
    """The registration's own agenda: sessions it holds a seat in or chose (status booked).

    Waitlisted bookings are left out: no seat, no calendar entry. Once promoted
    the booking becomes ``booked`` and the session appears on the next poll.
    """
    booked = SessionBooking.objects.filter(
        registration=registration, status=SessionBooking.Status.BOOKED
    ).values("session_id")
    return sessions_exported(registration.meeting).filter(pk__in=booked)


def registration_version(registration: Registration) -> Version:
    """Fingerprint of the personal feed: its sessions plus the bookings themselves."""
    bookings = SessionBooking.objects.filter(registration=registration).aggregate(
        changed=Max("updated_at"), count=Count("pk")
    )
    meeting = registration.meeting
    venue_stamp = meeting.venue.updated_at if meeting.venue_id else None
    others = tuple(value for source in personal_sources for value in source.version(registration))
    return sessions_version(
        Session.objects.filter(bookings__registration=registration),
        extra=(
            bookings["changed"],
            bookings["count"],
            meeting.updated_at,
            venue_stamp,
            registration.status,
            *others,
        ),
    )


def personal_ics_url(registration: Registration) -> str:
    """The personal feed, by its own read-only token: safe to hand to a calendar service,
    unlike the private link."""
    return absolute(reverse("exporters:personal-ics", kwargs={"token": registration.feed_token}))


@register
class PersonalCalendar(CalendarExporter):
    """A participant's own agenda, behind the registration's feed token (read only)."""

    identifier = "personal-ics"
    public = False

    def prepare(self) -> None:
        self.registration = registration_get_for_calendar(token=self.kwargs["token"])
        self.meeting = self.registration.meeting

    def sessions(self):
        return sessions_booked(self.registration)

    def version(self) -> Version:
        return registration_version(self.registration)

    def get_data(self, version: Version) -> bytes:
        sessions = export_sessions(self.sessions(), meeting=self.meeting)
        extra = [event for source in personal_sources for event in source.events(self.registration)]
        calendar = ical.build_feed(
            sessions=sessions, meeting=self.meeting, name=self.name(), extra=extra
        )
        return ical.calendar_bytes(calendar)

    def name(self) -> str:
        return gettext("%(meeting)s — my agenda") % {"meeting": self.meeting.title}

    @property
    def filename(self) -> str:
        return f"{self.meeting.slug}-my-agenda.{self.extension}"
