"""Reads about registrations shared by pages, the API and exporters."""

import datetime as dt
import hmac

from django.http import Http404
from django.utils import timezone

from events.models import Meeting
from registrations.models import Registration, SessionBooking


def registration_get_by_token(*, token: str) -> Registration:
    """The registration behind a private link; Http404 for anything else.

    The lookup goes through the unique index; the final comparison is in
    constant time so the answer's timing says nothing about the token.
    """
    registration = (
        Registration.objects.select_related("meeting", "meeting__venue", "organization")
        .filter(token=token)
        .first()
    )
    if registration is None or not hmac.compare_digest(registration.token, token):
        raise Http404("No such registration.")
    return registration


def registration_choices(*, registration: Registration) -> list[SessionBooking]:
    """A person's current session choices (not cancelled), in agenda order, in one query."""
    return list(
        registration.bookings.exclude(status=SessionBooking.Status.CANCELLED)
        .select_related("session__room", "session__track")
        .order_by("session__starts_at", "session__pk")
    )


def meeting_registration_state(*, meeting: Meeting, now: dt.datetime | None = None) -> dict:
    """The state of registration for the meeting page, in at most one query.

    ``state`` is one of "open", "waitlist" (open, but the seats are taken),
    "not_yet", "closed", "cancelled", "over"; ``reason`` says why it is not open.
    """
    from registrations.services import meeting_seats_left, registration_closed_reason

    now = now or timezone.now()
    reason = registration_closed_reason(meeting, now)
    if meeting.status == Meeting.Status.CANCELLED:
        state = "cancelled"
    elif meeting.is_past(now):
        state = "over"
    elif meeting.registration_opens_at and now < meeting.registration_opens_at:
        state = "not_yet"
    elif reason:
        state = "closed"
    else:
        state = "waitlist" if meeting_seats_left(meeting) == 0 else "open"
    return {"state": state, "reason": reason, "opens_at": meeting.registration_opens_at}
