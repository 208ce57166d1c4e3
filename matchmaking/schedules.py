"""What a person's schedule holds and what a table's sheet holds: the reads that the
schedule emails, the PDFs and the organizers' "send the schedule" page share.

Every text is made safe here, once (``events.text.one_line``), and every time is
turned to the meeting's zone here, once: the email templates and the PDF
templates only print what these objects hold. No email address is ever in
them; the other person of a meeting is named with their organisation and role.
"""

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from agenda.models import Session
from events.models import Meeting
from events.text import one_line
from mail.models import OutboxMessage
from matchmaking.ical import b2b_location, is_cancelled, organisation_of, profile_of, table_label
from matchmaking.models import B2BSession, MeetingRequest, ScheduleRelease, Slot, Table
from matchmaking.selectors import requests_with_details, scheduled_meetings
from registrations.models import Registration, SessionBooking

Status = MeetingRequest.Status
# The most of one text a schedule shows: longer ones (rows written before the length rules)
# end in "…", so a line of a printed schedule stays a line and a PDF renders in time.
TEXT_MAX_LENGTH = 200


def clip(text: str, limit: int = TEXT_MAX_LENGTH) -> str:
    """``text`` made one line (``one_line``) and at most ``limit`` characters."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class ScheduleItem:
    """One line of a personal schedule: a 1:1 meeting (standing or cancelled) or a booked
    agenda session, with its times in the meeting's zone."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    title: str
    place: str = ""
    request: MeetingRequest | None = None
    session: Session | None = None
    cancelled: bool = False
    # For a 1:1 meeting: the other person, their organisation and role; the B2B session.
    person: str = ""
    organisation: str = ""
    role: str = ""
    session_title: str = ""

    @property
    def is_meeting(self) -> bool:
        return self.request is not None


@dataclass
class PersonalSchedule:
    """A person's 1:1 meetings and booked agenda sessions, in time order."""

    meeting: Meeting
    registration: Registration
    # The meeting's title, the person's name and organisation, made one line.
    title: str
    name: str
    organisation: str
    items: list[ScheduleItem] = field(default_factory=list)
    # Meetings cancelled since the previous schedule was sent (their CANCEL goes out).
    cancelled: list[ScheduleItem] = field(default_factory=list)

    @property
    def meetings(self) -> list[ScheduleItem]:
        return [item for item in self.items if item.is_meeting]

    @property
    def sessions(self) -> list[ScheduleItem]:
        return [item for item in self.items if not item.is_meeting]

    @property
    def days(self) -> list[tuple[dt.date, list[ScheduleItem]]]:
        """The items grouped by day (in the meeting's zone)."""
        return [
            (day, list(items)) for day, items in groupby(self.items, lambda i: i.starts_at.date())
        ]

    @property
    def requests(self) -> list[MeetingRequest]:
        """The meetings whose invitation (REQUEST or CANCEL) goes with the schedule."""
        return [item.request for item in self.meetings + self.cancelled]


def _local(value: dt.datetime, meeting: Meeting) -> dt.datetime:
    return timezone.localtime(value, meeting.tzinfo)


def meeting_item(request: MeetingRequest, *, viewer: Registration) -> ScheduleItem:
    """A 1:1 meeting as ``viewer`` reads it (the request loaded by ``requests_with_details``)."""
    meeting = request.meeting
    other = request.other(viewer)
    profile = profile_of(other)
    return ScheduleItem(
        starts_at=_local(request.slot.starts_at, meeting),
        ends_at=_local(request.slot.ends_at, meeting),
        title=clip(other.full_name),
        place=clip(b2b_location(request), 2 * TEXT_MAX_LENGTH),
        request=request,
        cancelled=is_cancelled(request),
        person=clip(other.full_name),
        organisation=clip(organisation_of(other)),
        role=clip(profile.role if profile else other.job_title),
        session_title=clip(request.slot.b2b_session.session.title),
    )


def session_item(session: Session, meeting: Meeting) -> ScheduleItem:
    room = session.room
    return ScheduleItem(
        starts_at=_local(session.starts_at, meeting),
        ends_at=_local(session.ends_at, meeting),
        title=clip(session.title),
        place=clip(room.name) if room else "",
        session=session,
    )


def booked_sessions(*, registration: Registration) -> QuerySet[Session]:
    """The confirmed agenda sessions the person holds a seat in (or chose), not the
    matchmaking sessions (the meetings are their part of those), in time order."""
    return (
        Session.objects.filter(
            bookings__registration=registration,
            bookings__status=SessionBooking.Status.BOOKED,
            meeting_id=registration.meeting_id,
            status=Session.Status.CONFIRMED,
            starts_at__isnull=False,
            b2b__isnull=True,
        )
        .select_related("room")
        .order_by("starts_at", "pk")
    )


def personal_schedule(
    *,
    registration: Registration,
    with_cancelled: bool = False,
    cancelled_since: dt.datetime | None = None,
) -> PersonalSchedule:
    """The person's standing meetings and booked sessions, in time order; with
    ``with_cancelled``, also the meetings with a place that were cancelled since
    ``cancelled_since`` (ever, when None). Three queries."""
    meeting = registration.meeting
    items: list[ScheduleItem] = []
    cancelled: list[ScheduleItem] = []
    for request in scheduled_meetings(registration=registration):
        item = meeting_item(request, viewer=registration)
        if not item.cancelled:
            items.append(item)
        elif with_cancelled and (
            cancelled_since is None
            or request.status == Status.SCHEDULED  # its session or the meeting was cancelled
            or (request.cancelled_at is not None and request.cancelled_at > cancelled_since)
        ):
            cancelled.append(item)
    items += [
        session_item(session, meeting) for session in booked_sessions(registration=registration)
    ]
    items.sort(key=lambda item: (item.starts_at, item.ends_at, item.is_meeting))
    return PersonalSchedule(
        meeting=meeting,
        registration=registration,
        title=clip(meeting.title),
        name=clip(registration.full_name),
        organisation=clip(organisation_of(registration)),
        items=items,
        cancelled=cancelled,
    )


# --- table sheets ------------------------------------------------------------------------


@dataclass
class SheetRow:
    starts_at: dt.datetime
    ends_at: dt.datetime
    # The two people, "Name (Organisation)", or empty when the table is free then.
    people: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class TableSheet:
    table: Table
    label: str
    room: str
    rows: list[SheetRow]

    @property
    def meetings(self) -> int:
        return sum(1 for row in self.rows if row.people)


@dataclass
class TableSheets:
    meeting: Meeting
    b2b_session: B2BSession
    meeting_title: str
    title: str
    room: str
    day: dt.date | None
    sheets: list[TableSheet]


def _person(registration: Registration) -> tuple[str, str]:
    return clip(registration.full_name), clip(organisation_of(registration))


def table_sheets(*, b2b_session: B2BSession) -> TableSheets:
    """One sheet per table of the matchmaking session: every slot, and who meets there.
    Three queries, whatever the number of tables and slots."""
    session = b2b_session.session
    meeting = b2b_session.meeting
    slots = list(Slot.objects.filter(b2b_session=b2b_session).order_by("position"))
    tables = list(
        Table.objects.filter(b2b_session=b2b_session)
        .select_related("room")
        .order_by("position", "pk")
    )
    placed = requests_with_details(
        MeetingRequest.objects.filter(
            meeting=meeting, status=Status.SCHEDULED, slot__b2b_session=b2b_session
        )
    )
    at = {(request.table_id, request.slot_id): request for request in placed}
    session_room = clip(session.room.name) if session.room_id else ""
    sheets = []
    for table in tables:
        rows = []
        for slot in slots:
            request = at.get((table.pk, slot.pk))
            people = [_person(request.requester), _person(request.recipient)] if request else []
            rows.append(
                SheetRow(
                    starts_at=_local(slot.starts_at, meeting),
                    ends_at=_local(slot.ends_at, meeting),
                    people=people,
                )
            )
        room = clip(table.room.name) if table.room_id else session_room
        sheets.append(TableSheet(table=table, label=clip(table_label(table)), room=room, rows=rows))
    return TableSheets(
        meeting=meeting,
        b2b_session=b2b_session,
        meeting_title=clip(meeting.title),
        title=clip(session.title),
        room=session_room,
        day=_local(session.starts_at, meeting).date() if session.starts_at else None,
        sheets=sheets,
    )


# --- releases ----------------------------------------------------------------------------


def last_release(*, meeting: Meeting, before: int | None = None) -> ScheduleRelease | None:
    """The meeting's newest schedule sent (older than release ``before``, when given)."""
    releases = ScheduleRelease.objects.filter(meeting=meeting)
    if before is not None:
        releases = releases.filter(pk__lt=before)
    return releases.order_by("-created_at", "-pk").first()


def cancelled_with_place(*, meeting: Meeting, since: dt.datetime | None) -> Q:
    """Meetings with a place cancelled since ``since`` (ever, when None): their CANCEL goes
    out with the next schedule."""
    condition = Q(meeting=meeting, status=Status.CANCELLED, slot__isnull=False)
    if since is not None:
        condition &= Q(cancelled_at__gt=since)
    return condition


@dataclass
class ReleaseAudience:
    """Who a schedule sent now would go to, and how many meetings it holds."""

    registrations: list[Registration]
    meetings: int
    # Per person (registration id): their standing meetings.
    meetings_of: dict[int, int]


def release_audience(*, meeting: Meeting) -> ReleaseAudience:
    """The confirmed participants with a scheduled meeting, or with a meeting with a place
    cancelled since the last schedule sent (they need its CANCEL), by name; and the number
    of scheduled meetings. Three queries."""
    previous = last_release(meeting=meeting)
    scheduled = Q(meeting=meeting, status=Status.SCHEDULED)
    concerned = scheduled | cancelled_with_place(
        meeting=meeting, since=previous.created_at if previous else None
    )
    pairs = MeetingRequest.objects.filter(concerned).values_list(
        "requester_id", "recipient_id", "status"
    )
    people: set[int] = set()
    meetings_of: dict[int, int] = {}
    for requester, recipient, status in pairs:
        for person in (requester, recipient):
            people.add(person)
            if status == Status.SCHEDULED:
                meetings_of[person] = meetings_of.get(person, 0) + 1
    registrations = list(
        Registration.objects.filter(
            pk__in=people, meeting=meeting, status=Registration.Status.CONFIRMED
        )
        .select_related("organization", "b2b_profile__organization")
        .order_by("last_name", "first_name", "pk")
    )
    meetings = MeetingRequest.objects.filter(scheduled).count()
    return ReleaseAudience(registrations=registrations, meetings=meetings, meetings_of=meetings_of)


@dataclass
class ReleaseSummary:
    """What the organizers' "send the schedule" page shows."""

    audience: ReleaseAudience
    last: ScheduleRelease | None
    # Scheduled (placed or moved) since the last schedule was sent: not announced yet.
    not_announced: int
    # Meetings with a place cancelled since the last schedule was sent.
    cancelled: int
    releases: list[ScheduleRelease]


def release_summary(*, meeting: Meeting) -> ReleaseSummary:
    """The audience of a schedule sent now, what changed since the last one, and every
    schedule sent with how its emails went (``sent``, ``pending``, ``failed`` counted on
    each release). A constant number of queries."""
    audience = release_audience(meeting=meeting)
    releases = list(
        ScheduleRelease.objects.filter(meeting=meeting)
        .select_related("sent_by")
        .order_by("-created_at", "-pk")
    )
    last = releases[0] if releases else None
    since = last.created_at if last else None
    not_announced = MeetingRequest.objects.filter(meeting=meeting, status=Status.SCHEDULED)
    if since is not None:
        not_announced = not_announced.filter(scheduled_at__gt=since)
    cancelled = MeetingRequest.objects.filter(cancelled_with_place(meeting=meeting, since=since))
    _count_deliveries(meeting, releases)
    return ReleaseSummary(
        audience=audience,
        last=last,
        not_announced=not_announced.count(),
        cancelled=cancelled.count(),
        releases=releases,
    )


def _count_deliveries(meeting: Meeting, releases: list[ScheduleRelease]) -> None:
    """Set ``sent``, ``pending`` and ``failed`` on each release: its emails by status."""
    counts = (
        OutboxMessage.objects.filter(meeting=meeting, kind=OutboxMessage.Kind.B2B_SCHEDULE)
        .values("payload__release", "status")
        .annotate(count=Count("pk"))
    )
    by_release: dict[tuple, int] = {
        (row["payload__release"], row["status"]): row["count"] for row in counts
    }
    for release in releases:
        for status in ("sent", "pending", "failed"):
            setattr(release, status, by_release.get((release.pk, status), 0))


def sheet_sessions(*, meeting: Meeting) -> QuerySet[B2BSession]:
    """The meeting's matchmaking sessions with ``table_count`` and ``scheduled_count`` (the
    meetings placed in them), for the table sheets' links; one query."""
    return (
        B2BSession.objects.filter(meeting=meeting)
        .select_related("session")
        .annotate(
            table_count=Count("tables", distinct=True),
            scheduled_count=Count(
                "slots__meetings",
                filter=Q(slots__meetings__status=Status.SCHEDULED),
                distinct=True,
            ),
        )
        .order_by("session__starts_at", "pk")
    )
