"""What takes a seat in a session, for the services and for the agenda's pages.

A seat is taken by a *booked* booking. That includes the seats of registrations
whose seat is only held (``services/holds.py``): they are confirmed and their
choices booked until the hold is released, which cancels them. Requested
choices (a registration waiting for approval or for a meeting seat) and
waitlisted ones take no seat.

The agenda does not import this app: ``booked_seats`` is registered in
``agenda.seats`` when the app is ready (``RegistrationsConfig.ready``), so the
agenda's cards, session page and the registration form show seats left from
one annotation on their session query.
"""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce

from agenda.seats import seat_counter_register
from registrations.models import SessionBooking


def seat_bookings() -> QuerySet[SessionBooking]:
    """The bookings that hold a seat."""
    return SessionBooking.objects.filter(status=SessionBooking.Status.BOOKED)


@seat_counter_register
def booked_seats() -> Combinable:
    """Seats taken in the session row being read (``OuterRef("pk")``), as a subquery."""
    counted = (
        seat_bookings()
        .filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(taken=Count("pk"))
        .values("taken")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
