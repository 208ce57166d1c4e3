"""Session choices: validating them, giving seats, and the per-session waitlist.

A session that needs booking and has a capacity (its own or its room's) is
*seat-limited*: a confirmed registration gets a seat while there is one, else
a place on that session's waitlist. Any other chosen session is simply
"booked": a bookmark for the personal agenda, without a limit.

A registration that is not confirmed (pending approval, waitlisted) does not
hold seats: its seat-limited choices are "requested" and are placed — seat or
session waitlist, in that order of arrival — when the registration is confirmed.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import Session
from agenda.services import AgendaError, describe
from core.locking import retry_when_busy
from events.models import Meeting
from mail.models import OutboxMessage
from registrations.models import Registration, SessionBooking
from registrations.seats import seat_bookings
from registrations.services.errors import RegistrationError
from registrations.services.locking import CapacityLock, capacity_lock
from registrations.services.notifications import notify_booking
from registrations.signals import registration_left

Kind = OutboxMessage.Kind
Status = SessionBooking.Status


def session_is_limited(session: Session) -> bool:
    return session.requires_booking and session.effective_capacity is not None


def seats_taken(session: Session) -> int:
    return seat_bookings().filter(session=session).count()


def session_seat_counts(session: Session) -> tuple[int, int]:
    """(seats taken, people on its waitlist who could take one) for the session, one query."""
    counts = SessionBooking.objects.filter(
        session=session, status__in=(Status.BOOKED, Status.WAITLISTED)
    ).aggregate(
        taken=Count("pk", filter=Q(status=Status.BOOKED)),
        waiting=Count(
            "pk",
            filter=Q(
                status=Status.WAITLISTED,
                registration__status=Registration.Status.CONFIRMED,
            ),
        ),
    )
    return counts["taken"], counts["waiting"]


def sessions_for_choice(*, meeting: Meeting, session_ids: Iterable[int]) -> list[Session]:
    """The chosen sessions, checked: confirmed sessions of this meeting that do not overlap."""
    ids = list(dict.fromkeys(session_ids))
    if not ids:
        return []
    sessions = list(
        Session.objects.select_related("room").filter(
            meeting=meeting, pk__in=ids, status=Session.Status.CONFIRMED
        )
    )
    return sessions_choice_check(ids=ids, sessions=sessions)


def sessions_lock_for_choice(*, lock: CapacityLock, session_ids: Iterable[int]) -> list[Session]:
    """``sessions_for_choice`` read once, under the capacity lock: the chosen sessions,
    locked in id order and checked there (the same errors), in the order of the day."""
    ids = list(dict.fromkeys(session_ids))
    if not ids:
        return []
    locked = lock.lock_sessions(sorted(ids))
    sessions = [s for s in locked.values() if s.status == Session.Status.CONFIRMED]
    return sessions_choice_check(ids=ids, sessions=sessions)


def sessions_choice_check(*, ids: list[int], sessions: list[Session]) -> list[Session]:
    """Refuse ids that are not among ``sessions`` (confirmed sessions of the meeting) and
    sessions at the same time; the sessions in the order of the day."""
    unknown = sorted(set(ids) - {session.pk for session in sessions})
    if unknown:
        raise RegistrationError(
            _("These sessions cannot be chosen at this meeting: %(ids)s.")
            % {"ids": ", ".join(str(pk) for pk in unknown)},
            field="sessions",
        )
    timed = sorted((s for s in sessions if s.starts_at), key=lambda s: (s.starts_at, s.pk))
    latest: Session | None = None
    for session in timed:
        if latest is not None and session.starts_at < latest.ends_at:
            raise RegistrationError(
                _("“%(first)s” and “%(second)s” take place at the same time: choose one of them.")
                % {"first": latest.title, "second": session.title},
                field="sessions",
            )
        if latest is None or session.ends_at > latest.ends_at:
            latest = session
    return sorted(sessions, key=lambda s: (s.starts_at or timezone.now(), s.pk))


def sessions_lock_chosen(*, lock: CapacityLock, session_ids: Iterable[int]) -> dict[int, Session]:
    """Lock the chosen sessions and check again, under the lock, that they can still be chosen."""
    ids = sorted(set(session_ids))
    locked = lock.lock_sessions(ids)
    gone = [pk for pk in ids if pk not in locked or locked[pk].status != Session.Status.CONFIRMED]
    if gone:
        raise RegistrationError(
            _("These sessions cannot be chosen at this meeting: %(ids)s.")
            % {"ids": ", ".join(str(pk) for pk in gone)},
            field="sessions",
        )
    return locked


def booking_place(
    booking: SessionBooking, session: Session, *, registration_confirmed: bool, now: dt.datetime
) -> str | None:
    """Decide a (new or re-taken) booking's status; returns the email kind to send, if any.

    The caller holds the lock on ``session``.
    """
    booking.waitlisted_at = None
    if not session_is_limited(session):
        booking.status = Status.BOOKED
        return None
    if not registration_confirmed:
        booking.status = Status.REQUESTED
        return None
    taken, waiting = session_seat_counts(session)
    if taken < session.effective_capacity and waiting:
        # People already waiting for this session are served first.
        free = session.effective_capacity - taken
        taken += len(session_seats_fill(session=session, free=free))
    if taken < session.effective_capacity:
        booking.status = Status.BOOKED
        return Kind.BOOKING_CONFIRMED
    booking.status = Status.WAITLISTED
    booking.waitlisted_at = now
    return Kind.BOOKING_WAITLISTED


def bookings_place_requested(
    *, lock: CapacityLock, registration: Registration, now: dt.datetime
) -> list[SessionBooking]:
    """A registration was just confirmed: its requested choices get seats or waitlist places."""
    bookings = list(
        registration.bookings.filter(status=Status.REQUESTED).order_by("session_id", "pk")
    )
    sessions = lock.lock_sessions(booking.session_id for booking in bookings)
    for booking in bookings:
        booking_place(booking, sessions[booking.session_id], registration_confirmed=True, now=now)
        booking.save(update_fields=["status", "waitlisted_at", "updated_at"])
    return bookings


def session_seats_held_check(*, session: Session) -> None:
    """Refuse fewer seats than people already holding one: that would overbook the session.

    Part of the agenda's rules (it answers ``agenda.signals.session_rules_check``), so
    the refusal is the agenda's own ``AgendaError``.
    """
    seats = session.effective_capacity
    if session.pk is None or not session.requires_booking or seats is None:
        return
    held = seat_bookings().filter(session_id=session.pk).count()
    if held > seats:
        raise AgendaError(
            _(
                "%(held)s people hold a seat in %(session)s: it cannot have %(seats)s seats. "
                "Cancel bookings first, or keep more seats."
            )
            % {"held": held, "session": describe(session), "seats": seats}
        )


def session_seats_fill(*, session: Session, free: int | None = None) -> list[SessionBooking]:
    """Give free seats of a seat-limited session to its waitlist, earliest first, and tell them.

    The caller holds the lock on ``session``. Only confirmed registrations
    are on a session's waitlist. ``free``: the seats left, when the caller has
    just counted them under that lock.
    """
    if not session.requires_booking:
        return []
    capacity = session.effective_capacity  # None: no limit any more, everybody gets in
    if free is None:
        free = None if capacity is None else capacity - seats_taken(session)
    if free is not None and free <= 0:
        return []
    waiting = (
        SessionBooking.objects.select_related("registration__meeting", "session")
        .filter(
            session=session,
            status=Status.WAITLISTED,
            registration__status=Registration.Status.CONFIRMED,
        )
        .order_by("waitlisted_at", "pk")
    )
    promoted = list(waiting if free is None else waiting[:free])
    for booking in promoted:
        booking.status = Status.BOOKED
        booking.waitlisted_at = None
        booking.save(update_fields=["status", "waitlisted_at", "updated_at"])
        notify_booking(booking, Kind.BOOKING_PROMOTED)
    return promoted


def bookings_release(*, lock: CapacityLock, registration: Registration) -> None:
    """The registration leaves (cancelled, rejected, hold released): cancel all of its
    choices, hand freed seats to the session waitlists, and tell the apps above
    (``registration_left``: its B2B meetings are cancelled)."""
    bookings = list(registration.bookings.exclude(status=Status.CANCELLED))
    sessions = lock.lock_sessions(sorted(booking.session_id for booking in bookings))
    freed = []
    for booking in bookings:
        if booking.status == Status.BOOKED:
            freed.append(sessions[booking.session_id])
        booking.status = Status.CANCELLED
        booking.waitlisted_at = None
        booking.save(update_fields=["status", "waitlisted_at", "updated_at"])
    for session in freed:
        session_seats_fill(session=session)
    registration_left.send(sender=Registration, registration=registration)


@retry_when_busy()
def registration_bookings_update(
    *, registration: Registration, session_ids: Iterable[int]
) -> Registration:
    """Replace the registration's session choices with ``session_ids``.

    Kept choices keep their seat or waitlist place; dropped ones free their
    seat for the next person waiting; new seat-limited ones get a seat, or a
    waitlist place when full (each change of a seat-limited session is emailed).
    """
    meeting = registration.meeting
    sessions = sessions_for_choice(meeting=meeting, session_ids=session_ids)
    wanted = {session.pk: session for session in sessions}
    with capacity_lock(meeting_id=meeting.pk) as lock:
        now = timezone.now()  # taken under the lock: arrival order is lock order
        registration = Registration.objects.select_related("meeting").get(pk=registration.pk)
        if not registration.can_change_choices(now):
            raise RegistrationError(
                _("This meeting is over.")
                if registration.is_active
                else _("This registration is cancelled: its choices are closed.")
            )
        current = {booking.session_id: booking for booking in registration.bookings.all()}
        locked = lock.lock_sessions(sorted(set(current) | set(wanted)))
        sessions_lock_chosen(lock=lock, session_ids=wanted)
        confirmed = registration.status == Registration.Status.CONFIRMED
        freed = []
        for session_id, booking in current.items():
            if session_id in wanted or booking.status == Status.CANCELLED:
                continue
            session = locked[session_id]
            if booking.status == Status.BOOKED and session_is_limited(session):
                freed.append(session)
            booking.status = Status.CANCELLED
            booking.waitlisted_at = None
            booking.save(update_fields=["status", "waitlisted_at", "updated_at"])
            if session_is_limited(session) and confirmed:
                notify_booking(booking, Kind.BOOKING_CANCELLED)
        for session_id in wanted:
            booking = current.get(session_id)
            if booking is not None and booking.status != Status.CANCELLED:
                continue
            booking = booking or SessionBooking(
                registration=registration, session=wanted[session_id]
            )
            kind = booking_place(
                booking, locked[session_id], registration_confirmed=confirmed, now=now
            )
            booking.save()
            if kind:
                notify_booking(booking, kind)
        for session in freed:
            session_seats_fill(session=session)
    return registration
