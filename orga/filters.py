"""The participants list's search and filters; every choice comes from this meeting only."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agenda.models import Session
from events.regions import region_label
from registrations.audience import meeting_regions
from registrations.models import Registration, SessionBooking

# A person "in" a session: holding a seat, waiting for one, or asking for one
# while their registration waits for approval.
IN_SESSION = [
    SessionBooking.Status.BOOKED,
    SessionBooking.Status.WAITLISTED,
    SessionBooking.Status.REQUESTED,
]


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200, strip=True)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Registration.Status.choices, empty_label=_("any")
    )
    region = django_filters.ChoiceFilter(label=_("Region"), choices=[], empty_label=_("any"))
    session = django_filters.ModelChoiceFilter(
        label=_("Session"),
        queryset=Session.objects.none(),
        method="in_session",
        empty_label=_("any"),
    )

    class Meta:
        model = Registration
        fields = ["q", "status", "region", "session"]

    def __init__(self, data=None, *, meeting, **kwargs):
        super().__init__(data, **kwargs)
        # Codes are the values (what the URL carries), names what people read.
        self.filters["region"].extra["choices"] = [
            (region, region_label(region)) for region in meeting_regions(meeting=meeting)
        ]
        self.filters["session"].queryset = Session.objects.filter(
            meeting=meeting, requires_booking=True
        ).order_by("starts_at", "pk")

    def search(self, queryset, name, value):
        """Every word must be in the name, the email or the organisation (typed or known)."""
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(organization_name__icontains=word)
                | Q(organization__name__icontains=word)
                | Q(organization__short_name__icontains=word)
            )
        return queryset

    def in_session(self, queryset, name, value):
        # One booking per (registration, session): the join adds no duplicate rows.
        return queryset.filter(bookings__session=value, bookings__status__in=IN_SESSION)
