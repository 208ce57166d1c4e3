"""Reads about registrations shared by pages, the API and exporters."""

import datetime as dt
import hmac
import logging
import re
from collections.abc import Iterator

from cryptography.fernet import InvalidToken
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from agenda.models import Session
from agenda.seats import with_seats_left
from events.models import Meeting
from events.regions import region_label, region_sort_key
from registrations.models import Registration, SessionBooking
from registrations.services import meeting_seats_left, registration_closed_reason
from registrations.tokens import token_hash

logger = logging.getLogger(__name__)

# registrations.tokens.new_token: URL-safe base64 (43 characters; at most 64 accepted).
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _registration_by_hash(*, field: str, token: str) -> Registration:
    """The registration whose ``field`` holds the SHA-256 of ``token``; Http404 for any other,
    and for one whose seals no key opens (SECRET_KEY changed without the old one kept).

    The lookup goes through the hash's unique index; the final comparison is in
    constant time, and the database never sees the token itself.
    """
    if not TOKEN_SHAPE.fullmatch(token):
        # Not a token we could have made (e.g. a NUL byte, which PostgreSQL refuses).
        raise Http404("No such registration.")
    digest = token_hash(token)
    registration = (
        Registration.objects.select_related("meeting", "meeting__venue", "organization")
        .filter(**{field: digest})
        .first()
    )
    if registration is None or not hmac.compare_digest(getattr(registration, field), digest):
        raise Http404("No such registration.")
    try:
        # The pages and the emails build links from the seals: opened once here.
        registration.token, registration.feed_token  # noqa: B018
    except InvalidToken:
        logger.warning(
            "Registration %s: no key in SECRET_KEY or SECRET_KEY_FALLBACKS opens its sealed "
            'tokens; its links answer 404 (docs/deployment.md, "Rotating SECRET_KEY").',
            registration.pk,
        )
        raise Http404("No such registration.") from None
    return registration


def registration_get_by_token(*, token: str) -> Registration:
    """The registration behind a private link (``/r/<token>/``); Http404 for anything else."""
    return _registration_by_hash(field="token_hash", token=token)


def registration_get_by_feed_token(*, token: str) -> Registration:
    """The registration behind a calendar feed (``/calendar/<feed token>.ics``); Http404
    for anything else, the private-link token included."""
    return _registration_by_hash(field="feed_token_hash", token=token)


def registration_choices(*, registration: Registration) -> list[SessionBooking]:
    """A person's current session choices (not cancelled), in agenda order, in one query."""
    return list(
        registration.bookings.exclude(status=SessionBooking.Status.CANCELLED)
        .select_related("session__room", "session__track")
        .order_by("session__starts_at", "session__pk")
    )


def meeting_registration_state(*, meeting: Meeting, now: dt.datetime | None = None) -> dict:
    """The state of registration for the meeting page, in at most one query.

    ``state`` is the meeting's ``RegistrationPhase`` ("open", "not_yet", "closed",
    "cancelled", "over", "draft"), or "waitlist" when it is open but the seats are
    taken; ``reason`` says why it is not open.
    """
    now = now or timezone.now()
    phase = meeting.registration_phase(now)
    state = str(phase)
    if phase == Meeting.RegistrationPhase.OPEN and meeting_seats_left(meeting) == 0:
        state = "waitlist"
    return {
        "state": state,
        "reason": registration_closed_reason(meeting, now),
        "opens_at": meeting.registration_opens_at,
    }


def sessions_for_choice_display(*, meeting: Meeting) -> list[Session]:
    """The sessions a person may choose (confirmed ones: never cancelled or drafts), in
    agenda order, with ``seats_left`` (None: no limit) as the agenda's pages have it.

    One query whatever the number of sessions.
    """
    return list(
        with_seats_left(
            Session.objects.filter(meeting=meeting, status=Session.Status.CONFIRMED)
            .select_related("room", "track")
            .order_by("starts_at", "room__position", "title", "pk")
        )
    )


def registration_list(*, meeting: Meeting):
    """A meeting's registrations for its organizers, with organisation and choices prefetched."""
    return (
        Registration.objects.filter(meeting=meeting)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=SessionBooking.objects.select_related("session").order_by(
                    "session__starts_at", "pk"
                ),
            )
        )
        .order_by("created_at", "pk")
    )


def registrations_choice_rows(*, registrations) -> Iterator[tuple[int, str, str]]:
    """(registration id, session title, status) of the choices of ``registrations`` that are
    not cancelled, in the order of ``registration_list``'s prefetch: one query of plain rows."""
    return (
        SessionBooking.objects.filter(registration__in=registrations.values("pk"))
        .exclude(status=SessionBooking.Status.CANCELLED)
        .order_by("session__starts_at", "pk")
        .values_list("registration_id", "session__title", "status")
        .iterator(chunk_size=5000)
    )


def registration_stats(*, meeting: Meeting) -> dict:
    """Counts per state, organisation, region and session, in four queries."""
    registrations = Registration.objects.filter(meeting=meeting)
    by_status = dict.fromkeys(Registration.Status.values, 0)
    for row in registrations.values("status").annotate(count=Count("pk")).order_by():
        by_status[row["status"]] = row["count"]
    active = registrations.exclude(
        status__in=[Registration.Status.CANCELLED, Registration.Status.REJECTED]
    )
    counts: dict[str, int] = {}
    for row in (
        active.values("organization__name", "organization_name")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        name = row["organization__name"] or row["organization_name"] or ""
        counts[name] = counts.get(name, 0) + row["count"]
    by_organization = [
        {"organization": name, "count": count}
        for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    by_region = [
        {"region": row["region"], "label": region_label(row["region"]), "count": row["count"]}
        for row in sorted(
            active.values("region").annotate(count=Count("pk")).order_by(),
            key=lambda row: (-row["count"], region_sort_key(row["region"])),
        )
    ]
    by_session = [
        {
            "id": session.pk,
            "title": session.title,
            "capacity": session.effective_capacity if session.requires_booking else None,
            "booked": session.booked_count,
            "waitlisted": session.waitlisted_count,
        }
        for session in Session.objects.filter(meeting=meeting)
        .select_related("room")
        .annotate(
            booked_count=Count("bookings", filter=Q(bookings__status=SessionBooking.Status.BOOKED)),
            waitlisted_count=Count(
                "bookings", filter=Q(bookings__status=SessionBooking.Status.WAITLISTED)
            ),
        )
        .order_by("starts_at", "pk")
    ]
    return {
        "by_status": by_status,
        "by_organization": by_organization,
        "by_region": by_region,
        "by_session": by_session,
    }


def meeting_waitlist(*, meeting: Meeting) -> list[Registration]:
    """The people waiting for a seat at the meeting, first arrival first, in one query."""
    return list(
        Registration.objects.filter(meeting=meeting, status=Registration.Status.WAITLISTED)
        .select_related("organization")
        .order_by("waitlisted_at", "pk")
    )


def session_waitlists(*, meeting: Meeting) -> list[tuple[Session, list[SessionBooking]]]:
    """Each session that needs booking, with its waiting bookings in arrival order; two queries."""
    sessions = list(
        Session.objects.filter(meeting=meeting, requires_booking=True)
        .select_related("room")
        .annotate(booked=Count("bookings", filter=Q(bookings__status=SessionBooking.Status.BOOKED)))
        .order_by("starts_at", "pk")
    )
    waiting: dict[int, list[SessionBooking]] = {session.pk: [] for session in sessions}
    for booking in (
        SessionBooking.objects.filter(
            session__meeting=meeting,
            session__requires_booking=True,
            status=SessionBooking.Status.WAITLISTED,
        )
        .select_related("registration__organization")
        .order_by("waitlisted_at", "pk")
    ):
        waiting[booking.session_id].append(booking)
    return [(session, waiting[session.pk]) for session in sessions]
