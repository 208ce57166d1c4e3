"""Form pieces every app uses for a meeting's times.

A time on a form is shown and read in the meeting's own zone, named by the
form itself: never in whatever zone happens to be active when the form is
rendered (the server's UTC, once a view's ``timezone.override`` has ended and
the lazy TemplateResponse renders). A form that shows one zone and reads
another moves every session it saves.
"""

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What a datetime-local input sends, and what people type into a text box.
INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
]
SHOWN_FORMAT = "%Y-%m-%dT%H:%M"


class MeetingTimeField(forms.DateTimeField):
    """A wall-clock time in the meeting's zone (``tzinfo``, set by the form).

    It is shown to the minute in that zone and read back in it. A value the
    person did not touch (the posted text is what the form showed) is kept as
    it was, to the microsecond and on the right side of a DST change: see
    ``MeetingTimesForm``.
    """

    default_error_messages = {
        "nonexistent": _("%(time)s does not exist in %(zone)s (the clocks go forward then)."),
    }

    def __init__(self, *args, tzinfo: zoneinfo.ZoneInfo | None = None, **kwargs):
        kwargs.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}))
        kwargs.setdefault("input_formats", INPUT_FORMATS)
        super().__init__(*args, **kwargs)
        self.tzinfo = tzinfo
        # The zone the form was shown in, when it differs from the one it reads in (a meeting
        # whose zone changes in the same save): "untouched" compares with what was shown.
        self.shown_tzinfo: zoneinfo.ZoneInfo | None = None

    def to_python(self, value):
        if self.tzinfo is None:
            return super().to_python(value)
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            wall = timezone.make_naive(value, self.tzinfo) if timezone.is_aware(value) else value
        else:
            # Parsed as a wall time here, not by DateTimeField (which reads it in the active
            # zone and refuses a time the clocks pass twice, even one nobody touched).
            wall = self._parse(str(value).strip())
        aware = wall.replace(tzinfo=self.tzinfo)
        # A wall time skipped by the spring-forward change comes back different
        # after a round trip through UTC: refuse it rather than guess.
        back = aware.astimezone(dt.UTC).astimezone(self.tzinfo).replace(tzinfo=None)
        if back != wall:
            raise forms.ValidationError(
                self.error_messages["nonexistent"],
                code="nonexistent",
                params={"time": f"{wall:%Y-%m-%d %H:%M}", "zone": str(self.tzinfo)},
            )
        return aware

    def _parse(self, text: str) -> dt.datetime:
        for shape in self.input_formats:
            try:
                return dt.datetime.strptime(text, shape)
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value, *, tzinfo: zoneinfo.ZoneInfo | None = None):
        tzinfo = tzinfo or self.tzinfo
        if isinstance(value, dt.datetime) and tzinfo is not None:
            if timezone.is_naive(value):
                return value.strftime(SHOWN_FORMAT)
            return value.astimezone(tzinfo).strftime(SHOWN_FORMAT)
        return value

    def has_changed(self, initial, data) -> bool:
        """Changed when the posted text differs from the text the form showed."""
        if self.disabled:
            return False
        shown = self.prepare_value(initial, tzinfo=self.shown_tzinfo)
        shown = "" if shown is None else str(shown)
        return shown != ("" if data is None else str(data).strip())


class MeetingTimesForm:
    """Mixin for forms with ``MeetingTimeField``s: ``set_meeting_zone`` names the zone;
    a time nobody touched keeps its stored value exactly."""

    def set_meeting_zone(
        self, tzinfo: zoneinfo.ZoneInfo | None, *, shown: zoneinfo.ZoneInfo | None = None
    ) -> None:
        """Read times in ``tzinfo``; ``shown``: the zone the form was shown in, if another."""
        self.meeting_tzinfo = tzinfo
        for field in self.fields.values():
            if isinstance(field, MeetingTimeField):
                field.tzinfo = tzinfo
                field.shown_tzinfo = shown
                if tzinfo is not None:
                    field.help_text = _("In %(zone)s time.") % {"zone": str(tzinfo)}

    def _clean_fields(self):
        super()._clean_fields()
        for name, field in self.fields.items():
            if (
                isinstance(field, MeetingTimeField)
                and name in self.cleaned_data
                and name not in self.changed_data
            ):
                # Not get_initial_for_field(), which drops the microseconds.
                initial = self.initial.get(name, field.initial)
                if initial is None or isinstance(initial, dt.datetime):
                    self.cleaned_data[name] = initial
