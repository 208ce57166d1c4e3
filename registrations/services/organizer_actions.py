"""An organizer's actions on one registration, by name: the participants page and its bulk form.

Each action is a service of this package; this module only names them, says
(from the status alone, without a query) whether one applies, and refuses
what does not apply with the service's own words, so a page can list who
would be emailed before anything is done.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from registrations.models import Registration
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
    and, for a cancellation, who moves from the meeting's waitlist into a freed seat."""

    to_do: list[Registration]
    refused: list[tuple[Registration, str]]
    promoted: list[Registration]


def _bulk_order(action: str, registrations: list[Registration]) -> list[Registration]:
    # Cancel those without a seat first: otherwise a selected waiting person could
    # be moved into a seat (and told so) just before being cancelled.
    if action == "cancel":
        return sorted(registrations, key=lambda r: r.status == Registration.Status.CONFIRMED)
    return list(registrations)


def registrations_bulk_plan(*, action: str, registrations: list[Registration]) -> BulkPlan:
    """A read: what ``registrations_bulk_act`` would do now, for a confirmation page."""
    from registrations.selectors import meeting_waitlist
    from registrations.services.waitlist import meeting_seats_left

    refusal = ACTIONS[action].refusal
    to_do, refused = [], []
    for registration in _bulk_order(action, registrations):
        reason = refusal(registration)
        if reason:
            refused.append((registration, reason))
        else:
            to_do.append(registration)
    promoted: list[Registration] = []
    freed = sum(1 for r in to_do if r.status == Registration.Status.CONFIRMED)
    if action == "cancel" and freed and to_do:
        meeting = to_do[0].meeting
        leaving = {r.pk for r in to_do}
        queue = [r for r in meeting_waitlist(meeting=meeting) if r.pk not in leaving]
        seats = meeting_seats_left(meeting)
        promoted = queue if seats is None else queue[: seats + freed]
    return BulkPlan(to_do=to_do, refused=refused, promoted=promoted)


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
