"""Forms of the agenda: the board's (the session lists' filter is agenda/filters.py)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from agenda.models import Session, Track
from events.forms import MeetingTimeField, MeetingTimesForm
from events.models import Meeting, Room
from events.text import LONG_TEXT_MAX_LENGTH, validate_one_line

MAX_INT = 2_147_483_647  # the largest value of an integer column (ids, capacities)
# A day's midnight-to-midnight bounds, in any zone (offsets under a day), are datetimes
# only inside these days: 9999-12-31 has no next midnight.
FIRST_DAY = dt.date.min + dt.timedelta(days=1)
LAST_DAY = dt.date.max - dt.timedelta(days=1)


class _MeetingForm(MeetingTimesForm, forms.Form):
    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.set_meeting_zone(meeting.tzinfo)
        if "room" in self.fields:
            self.fields["room"].queryset = Room.objects.filter(venue_id=meeting.venue_id)
        if "track" in self.fields:
            self.fields["track"].queryset = Track.objects.filter(meeting=meeting)


class SessionMoveForm(_MeetingForm):
    """The board's move: another room and/or start; the session keeps its length."""

    room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False, label=_("Room"))
    starts_at = MeetingTimeField(label=_("Starts at"))


class SessionForm(_MeetingForm):
    title = forms.CharField(max_length=200, label=_("Title"), validators=[validate_one_line])
    kind = forms.ChoiceField(
        choices=Session.Kind.choices, initial=Session.Kind.TALK, label=_("Kind")
    )
    status = forms.ChoiceField(
        choices=Session.Status.choices, initial=Session.Status.DRAFT, label=_("Status")
    )
    track = forms.ModelChoiceField(queryset=Track.objects.none(), required=False, label=_("Track"))
    room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False, label=_("Room"))
    starts_at = MeetingTimeField(label=_("Starts at"), required=False)
    ends_at = MeetingTimeField(label=_("Ends at"), required=False)
    capacity = forms.IntegerField(
        min_value=0, max_value=MAX_INT, required=False, label=_("Capacity")
    )
    requires_booking = forms.BooleanField(required=False, label=_("Needs booking"))
    abstract = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Abstract"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Cancelling or restoring emails the attendees, so it is asked first on its own page
        # (the card's "Cancel session…" / "Restore…"); this form only keeps the status.
        status = self.fields["status"]
        if self.initial.get("status") == Session.Status.CANCELLED:
            status.choices = [
                (value, label)
                for value, label in Session.Status.choices
                if value == Session.Status.CANCELLED
            ]
            status.disabled = True
            status.help_text = _(
                "Cancelled. To bring it back, use “Restore…” on its card on the board."
            )
        else:
            status.choices = [
                (value, label)
                for value, label in Session.Status.choices
                if value != Session.Status.CANCELLED
            ]
            status.help_text = _(
                "To cancel it, use “Cancel session…” on its card on the board: it says who "
                "will be emailed first."
            )

    @classmethod
    def initial_for(cls, session: Session) -> dict:
        return {name: getattr(session, name) for name in cls.base_fields}


class AgendaUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV or JSON, columns as in docs/agenda-import.md.")
    )
