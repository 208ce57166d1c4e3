"""The meeting's waitlist: seats, confirmation, and promotion in arrival order."""

import datetime as dt
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locking import retry_when_busy
from events.models import Meeting
from mail.models import OutboxMessage
from registrations.models import Registration
from registrations.services.bookings import bookings_place_requested, bookings_release
from registrations.services.errors import RegistrationError
from registrations.services.locking import CapacityLock, capacity_lock
from registrations.services.notifications import notify_registration

Kind = OutboxMessage.Kind
Status = Registration.Status


def meeting_seats_left(meeting: Meeting) -> int | None:
    """Free seats at the meeting; None when it has no limit."""
    if meeting.capacity is None:
        return None
    taken = Registration.objects.filter(meeting=meeting, status=Status.CONFIRMED).count()
    return max(meeting.capacity - taken, 0)


def hold_until(
    *, lock: CapacityLock, registration: Registration, now: dt.datetime, promoted: bool = False
):
    """When the seat being given now stops being held; None when it is simply given.

    A seat that comes from the waitlist is held longer (``SEAT_HOLD_PROMOTED_MINUTES``):
    it may come at night, long after the person registered.
    """
    if not lock.meeting.holds_seats or registration.link_opened_at is not None:
        return None
    minutes = settings.SEAT_HOLD_PROMOTED_MINUTES if promoted else settings.SEAT_HOLD_MINUTES
    return now + dt.timedelta(minutes=minutes)


def hold_payload(registration: Registration) -> dict | None:
    """What the confirmation or promotion email says about a hold: its minutes."""
    if registration.hold_expires_at is None:
        return None
    left = registration.hold_expires_at - timezone.now()
    return {"hold_minutes": max(round(left.total_seconds() / 60), 1)}


def registration_confirm(
    *,
    lock: CapacityLock,
    registration: Registration,
    now: dt.datetime,
    hold: bool = True,
    promoted: bool = False,
):
    """Give the registration its seat (the caller checked there is one) and place its choices.

    The seat is only held when the person never opened their link (``services/holds.py``)
    and nobody chose them: an organizer's approval or promotion (``hold=False``) gives it.
    """
    registration.status = Status.CONFIRMED
    registration.waitlisted_at = None
    registration.hold_expires_at = (
        hold_until(lock=lock, registration=registration, now=now, promoted=promoted)
        if hold
        else None
    )
    registration.save(update_fields=["status", "waitlisted_at", "hold_expires_at", "updated_at"])
    bookings_place_requested(lock=lock, registration=registration, now=now)


def waitlist_fill(
    *, lock: CapacityLock, now: dt.datetime, free: int | None = None
) -> list[Registration]:
    """Promote the earliest waiting people into the free seats, and tell them.

    ``free``: the seats left, when the caller has just counted them under the lock.
    """
    if free is None:
        free = meeting_seats_left(lock.meeting)
    queue = Registration.objects.filter(meeting=lock.meeting, status=Status.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
    promoted = list(queue if free is None else queue[:free])
    for registration in promoted:
        registration_confirm(lock=lock, registration=registration, now=now, promoted=True)
        notify_registration(
            registration,
            Kind.REGISTRATION_PROMOTED,
            payload=hold_payload(registration),
        )
    return promoted


def expired_holds_release(*, lock: CapacityLock, now: dt.datetime) -> list[Registration]:
    """Release the meeting's holds that ran out, under the caller's capacity lock.

    Cancel them (``hold_expires_at`` stays as the reason), free their session
    seats, email them, and give the freed seats to the waitlist in order. Every
    service that takes the capacity lock runs this first, so without beat (the
    embedded mode) a hold is released by the next change of that meeting; with
    nothing expired it is one query on the ``registration_meeting_holds`` index.
    """
    expired = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(meeting=lock.meeting, status=Status.CONFIRMED, hold_expires_at__lte=now)
        .order_by("pk")
    )
    if not expired:
        return []
    if not lock.meeting.holds_seats:
        # The organizers turned holds off (or the capacity): the seats are simply given.
        Registration.objects.filter(pk__in=[r.pk for r in expired]).update(hold_expires_at=None)
        return []
    for registration in expired:
        registration.meeting = lock.meeting
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.waitlisted_at = None
        registration.save(update_fields=["status", "cancelled_at", "waitlisted_at", "updated_at"])
        bookings_release(lock=lock, registration=registration)
        stamp = int(registration.hold_expires_at.timestamp() * 1_000_000)
        notify_registration(
            registration,
            Kind.REGISTRATION_HOLD_RELEASED,
            key=f"hold_released:{stamp}",
            payload={"hold_minutes": settings.SEAT_HOLD_MINUTES},
        )
    waitlist_fill(lock=lock, now=now)
    return expired


def meeting_seat_counts(meeting: Meeting) -> tuple[int, int]:
    """(confirmed, waitlisted) registrations of the meeting, in one query."""
    counts = Registration.objects.filter(
        meeting=meeting, status__in=(Status.CONFIRMED, Status.WAITLISTED)
    ).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )
    return counts["confirmed"], counts["waiting"]


def seat_for_newcomer(
    *, lock: CapacityLock, now: dt.datetime, counts: tuple[int, int] | None = None
) -> bool:
    """Whether someone joining now gets a seat. People already waiting are served first
    (there can be free seats and a queue at once after the capacity was raised).

    ``counts``: ``meeting_seat_counts`` as the caller just read them under the lock.
    The queue is read only when somebody waits.
    """
    if lock.meeting.capacity is None:
        return True
    confirmed, waiting = counts if counts is not None else meeting_seat_counts(lock.meeting)
    free = max(lock.meeting.capacity - confirmed, 0)
    if free == 0:
        return False
    if not waiting:
        return True
    return free > len(waitlist_fill(lock=lock, now=now, free=free))


def registration_promote_refusal(registration: Registration) -> str | None:
    """Why ``registration_promote`` would refuse this registration (status only); None: it may."""
    if registration.status != Status.WAITLISTED:
        return _("Only people on the waitlist can be moved from it.")
    return None


@retry_when_busy()
def registration_promote(*, registration: Registration) -> Registration:
    """An organizer moves a waitlisted person to confirmed (out of order if they wish).

    Only into a free seat: to let more people in, raise the meeting's capacity first.
    """
    with capacity_lock(meeting_id=registration.meeting_id) as lock:
        now = timezone.now()  # taken under the lock: arrival order is lock order
        expired_holds_release(lock=lock, now=now)
        registration = Registration.objects.select_related("meeting").get(pk=registration.pk)
        refusal = registration_promote_refusal(registration)
        if refusal:
            raise RegistrationError(refusal)
        if meeting_seats_left(lock.meeting) == 0:
            raise RegistrationError(
                _("The meeting is full: cancel a registration or raise the capacity first.")
            )
        # The organizer chose this person: the seat is given, not held.
        registration_confirm(lock=lock, registration=registration, now=now, hold=False)
        notify_registration(
            registration,
            Kind.REGISTRATION_PROMOTED,
            payload=hold_payload(registration),
        )
    return registration


@retry_when_busy()
def waitlist_promote_all(*, meeting: Meeting) -> list[Registration]:
    """Fill every free seat from the waitlist (after the capacity was raised)."""
    with capacity_lock(meeting_id=meeting.pk) as lock:
        return waitlist_fill(lock=lock, now=timezone.now())


def waitlist_promote_after_commit(*, meeting: Meeting) -> None:
    """Inside the transaction that raised the meeting's capacity: fill the new places.

    Promotion takes the capacity lock in a transaction of its own, so it runs
    right after this one commits. If it cannot (busy), the next cancellation
    or registration fills those seats first anyway.
    """
    transaction.on_commit(partial(waitlist_promote_all, meeting=meeting), robust=True)
