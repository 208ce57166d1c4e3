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
TRANSLATION_PREFIX = "translation_"


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
    language = forms.ChoiceField(
        choices=Meeting.Language.choices,
        required=False,
        label=_("Language of the title and abstract"),
    )
    # One translation of the title and abstract (SessionTranslation), shown on the pages
    # to readers of its language; empty title and abstract: none.
    translation_language = forms.ChoiceField(
        choices=Meeting.Language.choices,
        required=False,
        label=_("Translation into"),
        help_text=_(
            "The pages show readers of that language the translated title and abstract; "
            "calendars, exports and emails keep the original. Empty title and abstract: "
            "no translation."
        ),
    )
    translation_title = forms.CharField(
        max_length=200, required=False, label=_("Translated title"), validators=[validate_one_line]
    )
    translation_abstract = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Translated abstract"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting_language = self.meeting.get_language_display()
        self.fields["language"].choices = [
            ("", _("The meeting's (%(language)s)") % {"language": meeting_language}),
            *Meeting.Language.choices,
        ]
        self.fields["translation_language"].choices = [("", "—"), *Meeting.Language.choices]
        if "translation_language" not in self.initial:
            # Without a translation yet, the other language (when there is just one).
            own = self.initial.get("language") or self.meeting.language
            others = [code for code in Meeting.Language.values if code != own]
            self.initial["translation_language"] = others[0] if len(others) == 1 else ""
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
        initial = {
            name: getattr(session, name)
            for name in cls.base_fields
            if not name.startswith(TRANSLATION_PREFIX)
        }
        translation = next(
            (t for t in session.translations.all() if t.language != session.content_language),
            None,
        )
        if translation is not None:
            initial.update(
                translation_language=translation.language,
                translation_title=translation.title,
                translation_abstract=translation.abstract,
            )
        return initial

    def session_data(self) -> dict:
        """What the session services take (``session_create``, ``session_update``)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not name.startswith(TRANSLATION_PREFIX)
        }

    def translation_data(self) -> dict[str, str]:
        """What ``session_translation_set`` takes: language, title, abstract."""
        return {
            name.removeprefix(TRANSLATION_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(TRANSLATION_PREFIX)
        }


class AgendaUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV or JSON, columns as in docs/agenda-import.md.")
    )
