"""Search and filters of the workspace's B2B lists (profiles, requests)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchmaking.models import Matchmaking, MeetingRequest, Profile
from matchmaking.selectors import visible_condition
from registrations.models import Registration


def _name_search(queryset, prefixes: list[str], value: str):
    """Every word in a person's name or organisation, through any of ``prefixes``."""
    for word in value.split()[:8]:
        condition = Q()
        for prefix in prefixes:
            condition |= (
                Q(**{f"{prefix}first_name__icontains": word})
                | Q(**{f"{prefix}last_name__icontains": word})
                | Q(**{f"{prefix}organization_name__icontains": word})
                | Q(**{f"{prefix}organization__name__icontains": word})
            )
        queryset = queryset.filter(condition)
    return queryset


class ProfileFilter(django_filters.FilterSet):
    STATES = [
        ("waiting", _("Waiting for validation")),
        ("visible", _("Visible to the participants")),
        ("listed", _("Listed")),
        ("unlisted", _("Not listed")),
        ("validated", _("Validated")),
    ]

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200, strip=True)
    state = django_filters.ChoiceFilter(
        label=_("Show"), choices=STATES, method="in_state", empty_label=_("all profiles")
    )

    class Meta:
        model = Profile
        fields = ["q", "state"]

    def __init__(self, data=None, *, matchmaking: Matchmaking, **kwargs):
        super().__init__(data, **kwargs)
        self.matchmaking = matchmaking

    def search(self, queryset, name, value):
        return _name_search(queryset, ["registration__"], value.replace("\x00", ""))

    def in_state(self, queryset, name, value):
        return queryset.filter(
            {
                "waiting": Q(
                    listed=True,
                    registration__status=Registration.Status.CONFIRMED,
                    validated_at__isnull=True,
                ),
                "visible": visible_condition(self.matchmaking),
                "listed": Q(listed=True),
                "unlisted": Q(listed=False),
                "validated": Q(validated_at__isnull=False),
            }[value]
        )


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=MeetingRequest.Status.choices, empty_label=_("any")
    )
    q = django_filters.CharFilter(label=_("Person"), method="search", max_length=200, strip=True)

    class Meta:
        model = MeetingRequest
        fields = ["status", "q"]

    def search(self, queryset, name, value):
        return _name_search(queryset, ["requester__", "recipient__"], value.replace("\x00", ""))
