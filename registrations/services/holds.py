"""Seat holds: a seat given to someone who never opened their emailed link is only held.

Made-up addresses must not be able to fill a meeting. In a meeting with a
capacity and ``Meeting.hold_unconfirmed_seats`` (on by default), a seat given
to a registration whose private link was never opened (a new registration, a
promotion from the waitlist, an approval) is *held*: the registration is
confirmed and counts against the capacity, with ``hold_expires_at`` set
``SEAT_HOLD_MINUTES`` ahead. The first GET of ``/r/<token>/`` confirms it
(``registration_link_opened``). A hold nobody confirmed in time is released
by the beat task ``registrations.release_seat_holds``, and — so that the
embedded mode, which has no beat, releases them too — first thing by every
service that takes the meeting's capacity lock to register, cancel, approve,
reject or promote (``expired_holds_release``): the registration is
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

from django.db import transaction
from django.utils import timezone

from core.locking import retry_when_busy
from registrations.models import Registration
from registrations.services.errors import RegistrationBusy
from registrations.services.locking import capacity_lock
from registrations.services.waitlist import expired_holds_release

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
        # ``now`` taken under the lock: arrival order is lock order.
        return expired_holds_release(lock=lock, now=timezone.now())


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
