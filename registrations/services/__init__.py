"""Every write about registrations, split along the domain.

- ``registration``: register, cancel, approve/reject, the private link;
- ``waitlist``: the meeting's seats and promotion in arrival order;
- ``bookings``: session choices, session seats and their waitlists;
- ``locking``: the one transaction that locks capacity rows, in a fixed order.
"""

from registrations.services.bookings import registration_bookings_update
from registrations.services.errors import RegistrationBusy, RegistrationError
from registrations.services.registration import (
    registration_approve,
    registration_cancel,
    registration_closed_reason,
    registration_create,
    registration_feed_token_rotate,
    registration_language_set,
    registration_reject,
    registration_resend_link,
    registration_token_rotate,
)
from registrations.services.waitlist import (
    meeting_seats_left,
    registration_promote,
    waitlist_promote_all,
)

__all__ = [
    "RegistrationBusy",
    "RegistrationError",
    "meeting_seats_left",
    "registration_approve",
    "registration_bookings_update",
    "registration_cancel",
    "registration_closed_reason",
    "registration_create",
    "registration_promote",
    "registration_reject",
    "registration_resend_link",
    "registration_feed_token_rotate",
    "registration_language_set",
    "registration_token_rotate",
    "waitlist_promote_all",
]
