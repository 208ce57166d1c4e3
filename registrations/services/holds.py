"""Seat holds: a seat given to someone who never opened their emailed link is only held.

Made-up addresses must not be able to fill a meeting. In a meeting with a
capacity and ``Meeting.hold_unconfirmed_seats`` (on by default), a seat given
to a registration whose private link was never opened (a new registration, a
promotion from the waitlist, an approval) is *held*: the registration is
confirmed and counts against the capacity, with ``hold_expires_at`` set
``SEAT_HOLD_MINUTES`` ahead. The first GET of ``/r/<token>/`` confirms it
(``registration_link_opened``). A hold nobody confirmed in time is released
by the beat task ``registrations.release_seat_holds``: the registration is
cancelled (``hold_expires_at`` stays on the row as the reason), its session
seats and its meeting seat go to the waitlists in order, and the person is
emailed.

Race between opening the link and the release: both change the registration
row only under its row lock and only while it is confirmed and held
(``UPDATE … WHERE status = 'confirmed' AND hold_expires_at IS NOT NULL`` and
``SELECT … FOR UPDATE`` with the same condition). PostgreSQL re-checks the
condition on the row once the other transaction committed, so exactly one of
them applies: a person whose link opening committed keeps the seat; one
whose hold was released first sees that on the page.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from registrations.models import Registration
from registrations.services.bookings import bookings_release
from registrations.services.errors import RegistrationBusy
from registrations.services.locking import capacity_lock, retry_when_busy
from registrations.services.notifications import notify_registration
from registrations.services.waitlist import waitlist_fill

logger = logging.getLogger(__name__)

Status = Registration.Status


def registration_link_opened(*, registration: Registration) -> Registration:
    """The person opened their private link: a held seat becomes theirs for good.

    Runs on every GET of the private link page; after the first it writes nothing.
    """
    if registration.link_opened_at is not None and registration.hold_expires_at is None:
        return registration
    now = timezone.now()
    with transaction.atomic():
        Registration.objects.filter(
            pk=registration.pk, status=Status.CONFIRMED, hold_expires_at__isnull=False
        ).update(hold_expires_at=None, link_opened_at=now, updated_at=now)
        Registration.objects.filter(pk=registration.pk, link_opened_at__isnull=True).update(
            link_opened_at=now, updated_at=now
        )
    registration.refresh_from_db(
        fields=["status", "hold_expires_at", "link_opened_at", "cancelled_at", "updated_at"]
    )
    return registration


@retry_when_busy()
def meeting_holds_release(*, meeting_id: int) -> list[Registration]:
    """Release the meeting's holds that ran out: cancel them, fill the seats from the waitlist."""
    with capacity_lock(meeting_id=meeting_id) as lock:
        now = timezone.now()  # taken under the lock: arrival order is lock order
        expired = list(
            Registration.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .filter(meeting=lock.meeting, status=Status.CONFIRMED, hold_expires_at__lte=now)
            .order_by("pk")
        )
        if not lock.meeting.holds_seats:
            # The organizers turned holds off (or the capacity): the seats are simply given.
            Registration.objects.filter(pk__in=[r.pk for r in expired]).update(hold_expires_at=None)
            return []
        for registration in expired:
            registration.status = Status.CANCELLED
            registration.cancelled_at = now
            registration.waitlisted_at = None
            registration.save(
                update_fields=["status", "cancelled_at", "waitlisted_at", "updated_at"]
            )
            bookings_release(lock=lock, registration=registration)
            stamp = int(registration.hold_expires_at.timestamp() * 1_000_000)
            notify_registration(
                registration,
                "registration_hold_released",
                key=f"hold_released:{stamp}",
                payload={"hold_minutes": settings.SEAT_HOLD_MINUTES},
            )
        if expired:
            waitlist_fill(lock=lock, now=now)
    return expired


def seat_holds_release() -> int:
    """Every meeting's holds that ran out (the beat task); how many were released.

    One transaction per meeting; a meeting that is busy now is left to the next run.
    """
    meeting_ids = (
        Registration.objects.filter(status=Status.CONFIRMED, hold_expires_at__lte=timezone.now())
        .order_by("meeting_id")
        .values_list("meeting_id", flat=True)
        .distinct()
    )
    released = 0
    for meeting_id in list(meeting_ids):
        try:
            released += len(meeting_holds_release(meeting_id=meeting_id))
        except RegistrationBusy:
            logger.warning("Seat holds of meeting %s left to the next run: busy", meeting_id)
    return released
