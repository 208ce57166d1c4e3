"""Reads behind the organizer dashboard: a meeting's numbers in a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import Session
from events.models import Meeting, Organization
from events.regions import region_label
from mail.models import OutboxMessage
from registrations.models import Registration, SessionBooking

Status = Registration.Status
# People who hold, wait for or ask for a place: the ones counted by region and kind.
ACTIVE = [Status.PENDING, Status.CONFIRMED, Status.WAITLISTED]


@dataclass
class Seats:
    """A meeting's or a session's places: ``capacity`` None means no limit."""

    label: str
    capacity: int | None
    taken: int
    waiting: int
    session: Session | None = None

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)


@dataclass
class Dashboard:
    total: int
    by_status: list[tuple[str, str, int]]  # (value, label, count), every status
    by_region: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    per_day: list[tuple[dt.date, int]]  # new registrations per day, meeting time, no gaps
    seats: list[Seats]  # the meeting first, then each bookable session
    emails: dict[str, int]  # outbox status -> count
    failed_emails: list[OutboxMessage] = field(default_factory=list)


def dashboard_for(*, meeting: Meeting, today: dt.date | None = None) -> Dashboard:
    """Everything the dashboard shows, in seven queries whatever the meeting's size."""
    registrations = Registration.objects.filter(meeting=meeting).order_by()
    counts = dict(registrations.values_list("status").annotate(n=Count("pk")))
    by_status = [(value, label, counts.get(value, 0)) for value, label in Status.choices]
    active = registrations.filter(status__in=ACTIVE)
    return Dashboard(
        total=sum(counts.values()),
        by_status=by_status,
        by_region=_by_region(active),
        by_kind=_by_kind(active),
        per_day=_per_day(meeting, registrations, today),
        seats=[_meeting_seats(meeting, counts), *_session_seats(meeting)],
        emails=_email_counts(meeting),
        failed_emails=list(
            OutboxMessage.objects.filter(meeting=meeting, status=OutboxMessage.Status.FAILED)
            .select_related("registration")
            .order_by("-updated_at", "-pk")[:20]
        ),
    )


def _by_region(active) -> list[tuple[str, int]]:
    rows = active.values_list("region").annotate(n=Count("pk")).order_by("-n", "region")
    return [(region_label(region) or _("Not given"), count) for region, count in rows]


def _by_kind(active) -> list[tuple[str, int]]:
    """By the kind of the person's known organisation; a typed-in name has no kind."""
    labels = dict(Organization.Kind.choices)
    rows = active.values_list("organization__kind").annotate(n=Count("pk")).order_by()
    counted = [
        (str(labels[kind]) if kind else _("Not a listed organisation"), count)
        for kind, count in rows
    ]
    return sorted(counted, key=lambda row: (-row[1], row[0]))


def _per_day(meeting: Meeting, registrations, today: dt.date | None) -> list[tuple[dt.date, int]]:
    """Registrations by the day they arrived (meeting time), from the first to today."""
    rows = dict(
        registrations.annotate(day=TruncDate("created_at", tzinfo=meeting.tzinfo))
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    if not rows:
        return []
    today = today or timezone.localdate(timezone=meeting.tzinfo)
    first, last = min(rows), max(max(rows), min(today, meeting.ends_on))
    days = (last - first).days + 1
    return [
        (first + dt.timedelta(days=i), rows.get(first + dt.timedelta(days=i), 0))
        for i in range(days)
    ]


def _meeting_seats(meeting: Meeting, counts: dict) -> Seats:
    return Seats(
        label=_("The meeting"),
        capacity=meeting.capacity,
        taken=counts.get(Status.CONFIRMED, 0),
        waiting=counts.get(Status.WAITLISTED, 0),
    )


def _session_seats(meeting: Meeting) -> list[Seats]:
    sessions = (
        Session.objects.filter(meeting=meeting, requires_booking=True)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("room")
        .annotate(
            taken=Count("bookings", filter=Q(bookings__status=SessionBooking.Status.BOOKED)),
            waiting=Count("bookings", filter=Q(bookings__status=SessionBooking.Status.WAITLISTED)),
        )
        .order_by("starts_at", "title", "pk")
    )
    return [
        Seats(
            label=session.title,
            capacity=session.effective_capacity,
            taken=session.taken,
            waiting=session.waiting,
            session=session,
        )
        for session in sessions
    ]


def _email_counts(meeting: Meeting) -> dict[str, int]:
    counts = dict.fromkeys(OutboxMessage.Status.values, 0)
    rows = (
        OutboxMessage.objects.filter(meeting=meeting)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    counts.update(dict(rows))
    return counts
