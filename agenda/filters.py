"""The one filter of session lists: ``?track=<slug>&room=<id>&kind=<kind>&day=<date>``.

Shared by the agenda page, the sessions API, the board and the agenda feed.
Every filter takes several values (``?track=a&track=b``: either); different
filters all apply. A value of the wrong shape is a form error, with the same
message on every surface; what a surface does with it (show it, answer 400,
ignore the filters) is the surface's choice. A well-formed value that names
nothing (an unknown track) matches no session.
"""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from agenda.forms import FIRST_DAY, LAST_DAY, MAX_INT
from agenda.models import Session
from agenda.selectors import day_bounds
from events.models import Meeting


class DayField(forms.DateField):
    """A ``2019-12-10`` date that has midnight-to-midnight bounds in every time zone."""

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def validate(self, value: dt.date | None) -> None:
        super().validate(value)
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise forms.ValidationError(
                _("Give a day between %(first)s and %(last)s.")
                % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
            )


class EachField(forms.Field):
    """A repeated query parameter: each non-empty value cleaned by ``field``, repeats dropped."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, field: forms.Field, **kwargs):
        super().__init__(**{**kwargs, "required": False})
        field.required = False  # an empty value (``?track=``) is no filter, as if not given
        self.field = field

    def clean(self, value) -> list:
        values = [value] if isinstance(value, str) else value or []
        cleaned = [self.field.clean(item) for item in values]
        return list(dict.fromkeys(item for item in cleaned if item not in self.empty_values))


class EachFilter(django_filters.Filter):
    """``field_name__in`` the cleaned values; no values, no filter."""

    field_class = EachField

    def filter(self, qs: QuerySet, value: list) -> QuerySet:
        if not value:
            return qs
        return self.get_method(qs)(**{f"{self.field_name}__in": value})


def last_values(query: QueryDict) -> dict[str, list[str]]:
    """Only the last value of each parameter: the page and the API take one value per
    filter, and a repeated parameter has always meant its last value there."""
    return {name: query.getlist(name)[-1:] for name in query}


class SessionFilterSet(django_filters.FilterSet):
    # In this order: errors are listed (the API's 400 body, the page) in it.
    day = EachFilter(method="filter_day", field=DayField())
    track = EachFilter(field_name="track__slug", field=forms.SlugField())
    room = EachFilter(
        field_name="room_id", field=forms.IntegerField(min_value=1, max_value=MAX_INT)
    )
    kind = EachFilter(field_name="kind", field=forms.ChoiceField(choices=Session.Kind.choices))

    class Meta:
        model = Session
        fields = ["day", "track", "room", "kind"]

    def __init__(self, data=None, queryset=None, *, meeting: Meeting, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.meeting = meeting

    def filter_day(self, queryset: QuerySet, name: str, value: list[dt.date]) -> QuerySet:
        """The meeting's local days: a session at 00:30 belongs to its day, whatever UTC says."""
        on_days = Q()
        for day in value:
            start, end = day_bounds(self.meeting, day)
            on_days |= Q(starts_at__gte=start, starts_at__lt=end)
        return queryset.filter(on_days)

    def filter_by(self, queryset: QuerySet, **cleaned: list) -> QuerySet:
        """``queryset`` narrowed by values already cleaned (or chosen) by the caller."""
        for name, values in cleaned.items():
            queryset = self.filters[name].filter(queryset, values)
        return queryset
