"""Seats left in the sessions that need booking, for every page that shows them.

The agenda's cards, the session page and the registration form say the same
thing ("3 seats left", "Full – join the waitlist", ``_seats.html``) from the same
number: ``seats_left``, one annotation on the session query itself
(``with_seats_left``), so a list of any length costs no query more.

What takes a seat is known to the app that holds the bookings (registrations),
which the agenda does not import. That app registers a *seat counter* here
from its ``AppConfig.ready()``: a function returning the SQL expression "seats
taken in this session", correlated with the session row (``OuterRef("pk")``).
With none registered, no seat is taken.
"""

from collections.abc import Callable

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Greatest

from agenda.models import Session

SeatCounter = Callable[[], Combinable]

seat_counters: list[SeatCounter] = []


def seat_counter_register(counter: SeatCounter) -> SeatCounter:
    """Count the seats ``counter()`` says are taken (usable as a decorator)."""
    if counter not in seat_counters:
        seat_counters.append(counter)
    return counter


def seats_taken() -> Combinable:
    """Seats taken in the session row being read: the sum of the registered counters."""
    taken: Combinable = Value(0)
    for counter in seat_counters:
        taken = taken + counter()
    return taken


def with_seats_left(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """``sessions`` with ``seats_left`` on each: the free seats (never below 0) of a
    confirmed session that needs booking and has a capacity (its own, else its room's);
    None for every other one (no limit, no booking, cancelled, draft)."""
    return sessions.alias(seat_capacity=Coalesce(F("capacity"), F("room__capacity"))).annotate(
        seats_left=Case(
            When(
                Q(
                    requires_booking=True,
                    status=Session.Status.CONFIRMED,
                    seat_capacity__isnull=False,
                ),
                then=Greatest(F("seat_capacity") - seats_taken(), Value(0)),
            ),
            default=None,
            output_field=IntegerField(),
        )
    )
