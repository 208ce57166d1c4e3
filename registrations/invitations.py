"""The calendars that emails carry: iTIP REQUEST for what the attendee has, CANCEL for what is gone.

Built when the email is sent, from the current state, with the same VEVENTs
(and UIDs) as every feed (``agenda.ical``). SEQUENCE per attendee: a
session's own counter grows with every change of time, place or status; on
top of it each earlier CANCEL this attendee got for it (a cancelled booking,
a cancelled registration or meeting) adds two, and a CANCEL itself one more,
so every email about a session (or the meeting's all-day event) carries a
higher SEQUENCE than the one before and calendar clients apply it.
"""

from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.db.models import Count
from icalendar import Calendar

from agenda.ical import Method, build_invitation, is_cancelled
from agenda.models import Session
from agenda.selectors import sessions_with_details
from events.models import Meeting
from mail.models import OutboxMessage
from registrations.models import SessionBooking

Kind = OutboxMessage.Kind

REQUEST_KINDS = {Kind.REGISTRATION_CONFIRMED, Kind.REGISTRATION_PROMOTED}
BOOKING_REQUEST_KINDS = {Kind.BOOKING_CONFIRMED, Kind.BOOKING_PROMOTED}


@dataclass(frozen=True)
class Invitation:
    calendar: Calendar
    method: str

    @property
    def filename(self) -> str:
        return "cancel.ics" if self.method == Method.CANCEL else "invite.ics"


def invitations_for(message: OutboxMessage) -> list[Invitation]:
    """The calendars to attach to this email, in order; none for kinds without one."""
    registration = message.registration
    if registration is None or message.meeting is None:
        return []
    kind = message.kind
    if kind in REQUEST_KINDS:
        sessions = _details(
            message,
            Session.objects.filter(
                bookings__registration=registration, bookings__status=SessionBooking.Status.BOOKED
            ),
        )
        return [_invitation(message, sessions, Method.REQUEST, with_meeting=True)]
    if kind == Kind.MEETING_CANCELLED:
        sessions = _details(
            message,
            Session.objects.filter(
                bookings__registration=registration,
                bookings__status=SessionBooking.Status.BOOKED,
            ),
        )
        return [_invitation(message, sessions, Method.CANCEL, with_meeting=True, cancelling=True)]
    if kind == Kind.REGISTRATION_CANCELLED:
        sessions = _details(message, Session.objects.filter(bookings__registration=registration))
        return [_invitation(message, sessions, Method.CANCEL, with_meeting=True, cancelling=True)]
    if kind in BOOKING_REQUEST_KINDS | {Kind.BOOKING_CANCELLED} and message.session_id:
        sessions = _details(message, Session.objects.filter(pk=message.session_id))
        method = Method.CANCEL if kind == Kind.BOOKING_CANCELLED else Method.REQUEST
        return [_invitation(message, sessions, method, cancelling=method == Method.CANCEL)]
    if kind == Kind.AGENDA_UPDATE:
        return _agenda_update_invitations(message)
    return []


def agenda_update_sessions(message: OutboxMessage) -> list[Session]:
    """The sessions an agenda-change email is about, as they are now."""
    ids = message.payload.get("session_ids", [])
    return _details(message, Session.objects.filter(pk__in=ids))


def _agenda_update_invitations(message: OutboxMessage) -> list[Invitation]:
    # Only what the attendee still holds: a REQUEST for a session they dropped
    # since would put it back into their calendar.
    held = set(
        message.registration.bookings.filter(status=SessionBooking.Status.BOOKED).values_list(
            "session_id", flat=True
        )
    )
    sessions = [s for s in agenda_update_sessions(message) if s.pk in held]
    changed = [s for s in sessions if not is_cancelled(s)]
    cancelled = [s for s in sessions if is_cancelled(s)]
    invitations = []
    if changed:
        invitations.append(_invitation(message, changed, Method.REQUEST))
    if cancelled:
        invitations.append(_invitation(message, cancelled, Method.CANCEL))
    return invitations


def _details(message: OutboxMessage, sessions) -> list[Session]:
    return sessions_with_details(
        sessions.filter(meeting=message.meeting, starts_at__isnull=False).distinct(),
        meeting=message.meeting,
    )


# Emails that removed the meeting and every session of the registration from a calendar.
WHOLE_CANCELS = [Kind.REGISTRATION_CANCELLED, Kind.MEETING_CANCELLED]


def _cancellations_before(message: OutboxMessage, sessions: list[Session]) -> dict[int | None, int]:
    """CANCELs this attendee got before this email, per session id (None: the meeting).

    A whole-registration cancel counts for the meeting and every session: it
    may count a session the person did not hold, which only raises SEQUENCE
    more than needed and never lowers it.
    """
    if message.pk is None:  # a preview of an email never written
        return {}
    earlier = OutboxMessage.objects.filter(
        registration_id=message.registration_id, pk__lt=message.pk
    )
    whole = earlier.filter(kind__in=WHOLE_CANCELS).count()
    rows = (
        earlier.filter(kind=Kind.BOOKING_CANCELLED, session_id__in=[s.pk for s in sessions])
        .values("session_id")
        .annotate(count=Count("pk"))
    )
    counts = {row["session_id"]: row["count"] + whole for row in rows}
    return {None: whole, **{s.pk: counts.get(s.pk, whole) for s in sessions}}


def _invitation(
    message: OutboxMessage,
    sessions: list[Session],
    method: str,
    *,
    with_meeting: bool = False,
    cancelling: bool = False,
) -> Invitation:
    earlier = _cancellations_before(message, sessions)
    extra = 1 if cancelling else 0
    bumps = {s.pk: 2 * earlier.get(s.pk, 0) + extra for s in sessions}
    meeting_sequence = 2 * earlier.get(None, 0) + extra if with_meeting else None
    registration = message.registration
    meeting = message.meeting
    calendar = build_invitation(
        sessions=sessions,
        meeting=meeting,
        method=method,
        attendee_email=registration.email,
        attendee_name=registration.full_name,
        organizer_email=organizer_address(meeting),
        sequence_bumps=bumps,
        meeting_sequence=meeting_sequence,
    )
    return Invitation(calendar=calendar, method=method)


def organizer_address(meeting: Meeting) -> str:
    """The ORGANIZER of an invitation: the meeting's contact address when it is one valid
    address, else the site's sender (the B2B invitations use it too)."""
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"
    return meeting.contact_address or sender
