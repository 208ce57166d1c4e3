"""An organizer's actions on one registration, by name: the participants page and its bulk form.

Each action is a service of this package; this module only names them, says
(from the status alone, without a query) whether one applies, and refuses
what does not apply with the service's own words, so a page can list who
would be emailed before anything is done.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from registrations.models import Registration, SessionBooking
from registrations.services.errors import RegistrationError
from registrations.services.registration import (
    registration_approve,
    registration_approve_refusal,
    registration_cancel,
    registration_cancel_refusal,
    registration_reject,
    registration_reject_refusal,
    registration_resend_link,
)
from registrations.services.waitlist import registration_promote, registration_promote_refusal


def _applies_always(registration: Registration) -> str | None:
    return None


@dataclass(frozen=True)
class OrganizerAction:
    name: str
    label: str
    refusal: Callable[[Registration], str | None]
    run: Callable[..., Registration]
    takes_reason: bool = False
    bulk: bool = True


def _cancel(*, registration: Registration) -> Registration:
    return registration_cancel(registration=registration, by_organizer=True)


ACTIONS: dict[str, OrganizerAction] = {
    action.name: action
    for action in [
        OrganizerAction(
            "approve", _("Approve"), registration_approve_refusal, registration_approve
        ),
        OrganizerAction(
            "reject",
            _("Reject"),
            registration_reject_refusal,
            registration_reject,
            takes_reason=True,
        ),
        # One at a time: only into a free seat, which the organizer can see.
        OrganizerAction(
            "promote",
            _("Move into a seat"),
            registration_promote_refusal,
            registration_promote,
            bulk=False,
        ),
        OrganizerAction("cancel", _("Cancel"), registration_cancel_refusal, _cancel),
        OrganizerAction(
            "resend", _("Resend the private link"), _applies_always, registration_resend_link
        ),
    ]
}
BULK_ACTIONS = {name: action for name, action in ACTIONS.items() if action.bulk}


def registration_act(*, action: str, registration: Registration, reason: str = "") -> Registration:
    """Run the named action on the registration; RegistrationError when it does not apply."""
    organizer_action = ACTIONS[action]
    refusal = organizer_action.refusal(registration)
    if refusal:
        raise RegistrationError(refusal)
    if organizer_action.takes_reason:
        return organizer_action.run(registration=registration, reason=reason)
    return organizer_action.run(registration=registration)


@dataclass
class BulkPlan:
    """What a bulk action would do: who is acted on (and emailed), who is refused and why,
    and, for an approval or a cancellation, who moves from the meeting's waitlist into a
    free seat and who gets a seat in a session from its waitlist (each is emailed too)."""

    to_do: list[Registration]
    refused: list[tuple[Registration, str]]
    promoted: list[Registration]
    session_promoted: list[SessionBooking] = field(default_factory=list)

    @property
    def emails(self) -> int:
        """How many emails the confirmation writes."""
        return len(self.to_do) + len(self.promoted) + len(self.session_promoted)


def _bulk_order(action: str, registrations: list[Registration]) -> list[Registration]:
    # Cancel those without a seat first: otherwise a selected waiting person could
    # be moved into a seat (and told so) just before being cancelled.
    if action == "cancel":
        return sorted(registrations, key=lambda r: r.status == Registration.Status.CONFIRMED)
    return list(registrations)


def registrations_bulk_plan(*, action: str, registrations: list[Registration]) -> BulkPlan:
    """A read: what ``registrations_bulk_act`` would do now, for a confirmation page."""
    refusal = ACTIONS[action].refusal
    to_do, refused = [], []
    for registration in _bulk_order(action, registrations):
        reason = refusal(registration)
        if reason:
            refused.append((registration, reason))
        else:
            to_do.append(registration)
    promoted: list[Registration] = []
    session_promoted: list[SessionBooking] = []
    if action in ("approve", "cancel") and to_do:
        promoted, session_promoted = _replayed(action, to_do)
    return BulkPlan(
        to_do=to_do, refused=refused, promoted=promoted, session_promoted=session_promoted
    )


def _replayed(action: str, to_do: list[Registration]):
    """Who approving or cancelling ``to_do``, one after the other, moves up, without writing.

    The same steps as the services on rows read once. ``registration_cancel``: the
    person's bookings are released (each freed seat of a session goes to its first
    confirmed person waiting, ``session_seats_fill``), and a freed meeting seat goes to the
    first person waiting (``waitlist_fill``), whose requested sessions are then placed
    (``booking_place``, which serves a session's waitlist before them).
    ``registration_approve``: free meeting seats go to the people waiting first
    (``seat_for_newcomer``), then a seat left over goes to the approved person, whose
    requested sessions are placed the same way; no seat left: the waitlist. Returns the
    meeting's promoted registrations and the session bookings that get a seat from a
    session waitlist.
    """
    meeting = to_do[0].meeting
    bookings = list(
        SessionBooking.objects.select_related("registration", "session__room")
        .filter(session__meeting=meeting)
        .exclude(status=SessionBooking.Status.CANCELLED)
        .order_by("pk")
    )
    queue = list(
        Registration.objects.filter(
            meeting=meeting, status=Registration.Status.WAITLISTED
        ).order_by("waitlisted_at", "pk")
    )
    status = {r.pk: r.status for r in queue}
    status.update({b.registration_id: b.registration.status for b in bookings})
    status.update({r.pk: r.status for r in to_do})
    confirmed = Registration.objects.filter(
        meeting=meeting, status=Registration.Status.CONFIRMED
    ).count()
    booking_status = {b.pk: b.status for b in bookings}
    sessions = {b.session_id: b.session for b in bookings}
    booked = dict.fromkeys(sessions, 0)
    # A session's waitlist in order: (when placed, booking); the replay's own placements
    # come after everyone already waiting, in the order they are made.
    waiting: dict[int, list[tuple[tuple, SessionBooking]]] = {pk: [] for pk in sessions}
    for booking in bookings:
        if booking.status == SessionBooking.Status.BOOKED:
            booked[booking.session_id] += 1
        elif booking.status == SessionBooking.Status.WAITLISTED:
            when = booking.waitlisted_at.timestamp() if booking.waitlisted_at else 0.0
            waiting[booking.session_id].append(((0, when, booking.pk), booking))
    for queue_of_session in waiting.values():
        queue_of_session.sort(key=lambda item: item[0])
    of_registration: dict[int, list[SessionBooking]] = {}
    for booking in bookings:
        of_registration.setdefault(booking.registration_id, []).append(booking)

    session_promoted: list[SessionBooking] = []
    promoted: list[Registration] = []

    def fill(session) -> int:
        """``session_seats_fill``: returns how many moved up."""
        if not session.requires_booking:
            return 0
        capacity = session.effective_capacity
        free = None if capacity is None else capacity - booked[session.pk]
        if free is not None and free <= 0:
            return 0
        moved = 0
        for _key, booking in list(waiting[session.pk]):
            if free is not None and moved >= free:
                break
            if status.get(booking.registration_id) != Registration.Status.CONFIRMED:
                continue
            waiting[session.pk].remove((_key, booking))
            booking_status[booking.pk] = SessionBooking.Status.BOOKED
            booked[session.pk] += 1
            session_promoted.append(booking)
            moved += 1
        return moved

    def place_requested(person: Registration, step: int) -> None:
        """``bookings_place_requested`` (``booking_place``) for a person just confirmed."""
        requested = sorted(
            (
                b
                for b in of_registration.get(person.pk, [])
                if booking_status[b.pk] == SessionBooking.Status.REQUESTED
            ),
            key=lambda b: (b.session_id, b.pk),
        )
        for booking in requested:
            session = sessions[booking.session_id]
            limited = session.requires_booking and session.effective_capacity is not None
            if limited and booked[session.pk] < session.effective_capacity:
                fill(session)
            if not limited or booked[session.pk] < session.effective_capacity:
                booking_status[booking.pk] = SessionBooking.Status.BOOKED
                booked[session.pk] += 1
            else:
                booking_status[booking.pk] = SessionBooking.Status.WAITLISTED
                waiting[session.pk].append(((step, booking.pk), booking))

    def waitlist_fill(step: int) -> int:
        """``waitlist_fill``: the first people waiting into the free seats; how many moved."""
        nonlocal confirmed
        free = None if meeting.capacity is None else max(meeting.capacity - confirmed, 0)
        waiting_people = [r for r in queue if status[r.pk] == Registration.Status.WAITLISTED]
        moving = waiting_people if free is None else waiting_people[:free]
        for person in moving:
            status[person.pk] = Registration.Status.CONFIRMED
            confirmed += 1
            promoted.append(person)
            place_requested(person, step)
        return len(moving)

    def approve(registration: Registration, step: int) -> None:
        """``registration_approve``: a seat if one is free (``seat_for_newcomer`` serves the
        people waiting first), else the waitlist."""
        nonlocal confirmed
        if status[registration.pk] != Registration.Status.PENDING:
            return
        free = None if meeting.capacity is None else max(meeting.capacity - confirmed, 0)
        seat = free is None or (free > 0 and free > waitlist_fill(step))
        if seat:
            status[registration.pk] = Registration.Status.CONFIRMED
            confirmed += 1
            place_requested(registration, step)
        else:
            status[registration.pk] = Registration.Status.WAITLISTED
            queue.append(registration)  # waitlisted now: after everyone already waiting

    def cancel(registration: Registration, step: int) -> None:
        """``registration_cancel``: bookings released, a freed seat to the first waiting."""
        nonlocal confirmed
        if status[registration.pk] in (Registration.Status.CANCELLED, Registration.Status.REJECTED):
            return
        held_seat = status[registration.pk] == Registration.Status.CONFIRMED
        status[registration.pk] = Registration.Status.CANCELLED
        if held_seat:
            confirmed -= 1
        freed = []
        for booking in of_registration.get(registration.pk, []):
            was = booking_status[booking.pk]
            if was == SessionBooking.Status.CANCELLED:
                continue
            booking_status[booking.pk] = SessionBooking.Status.CANCELLED
            if was == SessionBooking.Status.BOOKED:
                booked[booking.session_id] -= 1
                freed.append(sessions[booking.session_id])
            elif was == SessionBooking.Status.WAITLISTED:
                waiting[booking.session_id] = [
                    item for item in waiting[booking.session_id] if item[1].pk != booking.pk
                ]
        for session in freed:
            fill(session)
        if held_seat:
            waitlist_fill(step)

    step_of = {"approve": approve, "cancel": cancel}[action]
    for step, registration in enumerate(to_do, start=1):
        step_of(registration, step)
    return promoted, session_promoted


def registrations_bulk_act(
    *, action: str, registrations: list[Registration], reason: str = ""
) -> tuple[list[Registration], list[tuple[Registration, str]]]:
    """Run the action on each registration on its own: one refused does not undo the others.

    Returns those done and those refused with the reason.
    """
    done, refused = [], []
    for registration in _bulk_order(action, registrations):
        try:
            done.append(registration_act(action=action, registration=registration, reason=reason))
        except RegistrationError as exc:
            refused.append((registration, exc.message))
    return done, refused
