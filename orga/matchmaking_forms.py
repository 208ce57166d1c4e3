"""The workspace's B2B forms: shape and choices scoped to the meeting, no rules.

Every rule is ``matchmaking.services``' (a refusal comes back as a
``MatchmakingError`` naming its field). Each form's ``changes()`` is what
differs from what it showed, so a form posted back untouched writes nothing.
"""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.models import Session
from events.forms import MeetingTimeField, MeetingTimesForm
from events.models import Meeting
from matchmaking.availability import SlotChoice
from matchmaking.models import B2BSession, Matchmaking, MeetingRequest, Profile, Sector, Slot
from matchmaking.services.setup import MAX_TABLES, SETTINGS_FIELDS, TABLE_ROOM_SEPARATOR

SLOT_MINUTES_MAX = 240
# What a tables box may hold: MAX_TABLES names of 40 characters, their rooms and line breaks.
TABLES_MAX_LENGTH = MAX_TABLES * 145


def _local(value, meeting: Meeting):
    return timezone.localtime(value, meeting.tzinfo)


class MatchmakingSettingsForm(MeetingTimesForm, forms.Form):
    """The meeting's B2B settings, the request window in its own zone."""

    enabled = forms.BooleanField(label=_("B2B meetings on"), required=False)
    request_mode = forms.ChoiceField(
        label=_("Meeting requests"),
        choices=Matchmaking.RequestMode.choices,
        widget=forms.RadioSelect,
    )
    scheduling_mode = forms.ChoiceField(
        label=_("Who schedules"),
        choices=Matchmaking.SchedulingMode.choices,
        widget=forms.RadioSelect,
    )
    profiles_need_validation = forms.BooleanField(
        label=_("Profiles need the organizers' validation"),
        required=False,
        help_text=_("A listed profile is shown to others only once an organizer validated it."),
    )
    opens_at = MeetingTimeField(label=_("Requests open"), required=False)
    closes_at = MeetingTimeField(label=_("Requests close"), required=False)

    def __init__(self, *args, matchmaking: Matchmaking, **kwargs):
        initial = {name: getattr(matchmaking, name) for name in SETTINGS_FIELDS}
        super().__init__(*args, initial=initial, **kwargs)
        self.set_meeting_zone(matchmaking.meeting.tzinfo)
        self.fields["opens_at"].help_text = _(
            "In %(zone)s time. Empty: as soon as the meeting is published."
        ) % {"zone": str(matchmaking.meeting.tzinfo)}
        self.fields["closes_at"].help_text = _(
            "In %(zone)s time. Empty: until the meeting is over."
        ) % {"zone": str(matchmaking.meeting.tzinfo)}

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class SectorForm(forms.Form):
    """A sector's name (its rules, one line and once per meeting, are the service's)."""

    name = forms.CharField(label=_("Sector"), max_length=200)

    def __init__(self, *args, sector: Sector | None = None, **kwargs):
        if sector is not None:
            kwargs.setdefault("initial", {"name": sector.name})
        super().__init__(*args, **kwargs)
        self.sector = sector

    def changes(self) -> dict[str, Any]:
        if self.sector is None:
            return dict(self.cleaned_data)
        return {name: self.cleaned_data[name] for name in self.changed_data}


class B2BSessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session: Session) -> str:
        starts = _local(session.starts_at, session.meeting)
        ends = _local(session.ends_at, session.meeting)
        room = f", {session.room.name}" if session.room_id else ""
        return f"{session.title} ({starts:%a %d %b %H:%M}–{ends:%H:%M}{room})"


def tables_text(b2b_session: B2BSession) -> str:
    """The tables as the form shows them: a number when they are 1…n in no room of their own,
    else one per line, with the table's room after a bar (``Table 3 | Hall B``)."""
    tables = list(b2b_session.tables.all())  # with their rooms: orga.matchmaking_selectors
    names = [table.name for table in tables]
    if names == [str(n) for n in range(1, len(names) + 1)] and not any(t.room_id for t in tables):
        return str(len(names))
    return "\n".join(
        f"{table.name} {TABLE_ROOM_SEPARATOR} {table.room.name}" if table.room_id else table.name
        for table in tables
    )


class B2BSessionForm(forms.Form):
    """A matchmaking session: which agenda session (when new), meeting length, tables,
    most meetings per person."""

    session = B2BSessionChoiceField(
        label=_("Agenda session"),
        queryset=Session.objects.none(),
        empty_label=_("choose a B2B session…"),
        help_text=_("The meeting's sessions of kind B2B that have a time and are not cancelled."),
        error_messages={
            "invalid_choice": _(
                "Choose one of this meeting's B2B sessions that holds no 1:1 meetings yet."
            ),
        },
    )
    slot_minutes = forms.IntegerField(
        label=_("Meeting length (minutes)"),
        min_value=5,
        max_value=SLOT_MINUTES_MAX,
        initial=20,
        help_text=_("The session is cut into back-to-back slots of this length."),
    )
    tables = forms.CharField(
        label=_("Tables"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TABLES_MAX_LENGTH,
        initial="10",
        help_text=_(
            "A number (tables 1, 2, 3…), or one table name per line; a table in a room of "
            "its own says so after a bar: “Table 3 | Hall B”."
        ),
    )
    max_meetings_per_person = forms.IntegerField(
        label=_("Most meetings per person"),
        min_value=1,
        max_value=SLOT_MINUTES_MAX,
        required=False,
        help_text=_("In this session. Empty means as many as there are slots."),
    )

    def __init__(self, *args, meeting: Meeting, b2b_session: B2BSession | None = None, **kwargs):
        self.b2b_session = b2b_session
        if b2b_session is not None:
            kwargs.setdefault(
                "initial",
                {
                    "slot_minutes": b2b_session.slot_minutes,
                    "tables": tables_text(b2b_session),
                    "max_meetings_per_person": b2b_session.max_meetings_per_person,
                },
            )
        super().__init__(*args, **kwargs)
        if b2b_session is not None:
            del self.fields["session"]
        else:
            self.fields["session"].queryset = (
                Session.objects.filter(
                    meeting=meeting, kind=Session.Kind.B2B, starts_at__isnull=False, b2b=None
                )
                .exclude(status=Session.Status.CANCELLED)
                .select_related("meeting", "room")
                .order_by("starts_at", "title", "pk")
            )

    def clean_tables(self) -> int | list[str]:
        """A number alone is that many numbered tables; anything else is names, one a line."""
        text = self.cleaned_data["tables"].replace("\r\n", "\n").replace("\r", "\n")
        stripped = text.strip()
        if stripped.isascii() and stripped.isdigit():
            return int(stripped)
        return text.split("\n")

    def changes(self) -> dict[str, Any]:
        if self.b2b_session is None:
            return dict(self.cleaned_data)
        return {name: self.cleaned_data[name] for name in self.changed_data}

    def configuration(self) -> dict[str, Any]:
        """``b2b_session_configure``'s arguments but the session."""
        return {
            "slot_minutes": self.cleaned_data["slot_minutes"],
            "tables": self.cleaned_data["tables"],
            "max_meetings_per_person": self.cleaned_data["max_meetings_per_person"],
        }


class SlotChoiceField(forms.ModelChoiceField):
    """A slot named by its session and time in the meeting's zone (and its free tables)."""

    def __init__(self, *args, free_tables: dict[int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.free_tables = free_tables or {}

    def label_from_instance(self, slot: Slot) -> str:
        session = slot.b2b_session.session
        starts = _local(slot.starts_at, session.meeting)
        ends = _local(slot.ends_at, session.meeting)
        label = f"{starts:%a %d %b %H:%M}–{ends:%H:%M} · {session.title}"
        free = self.free_tables.get(slot.pk)
        if free is None:
            return label
        return _("%(slot)s (%(count)d tables free)") % {"slot": label, "count": free}


class RequestScheduleForm(forms.Form):
    """Where to put an accepted request (or move a scheduled meeting): the slots where both
    people are free and a table is free, in time order; a scheduled meeting's own slot is
    among them, chosen (no empty choice), so posting it back untouched moves nothing."""

    slot = SlotChoiceField(
        label=_("Slot"),
        queryset=Slot.objects.none(),
        empty_label=_("choose a slot…"),
        error_messages={
            "invalid_choice": _("Choose one of the slots where both people and a table are free.")
        },
    )

    def __init__(self, *args, request: MeetingRequest, choices: list[SlotChoice], **kwargs):
        self.request = request
        if request.slot_id is not None:
            kwargs.setdefault("initial", {"slot": request.slot_id})
        super().__init__(*args, **kwargs)
        ids = [choice.slot.pk for choice in choices]
        if request.slot_id is not None:
            ids.append(request.slot_id)
        field = self.fields["slot"]
        field.queryset = (
            Slot.objects.filter(pk__in=ids, b2b_session__meeting_id=request.meeting_id)
            .select_related("b2b_session__session__meeting")
            .order_by("starts_at", "b2b_session__session__starts_at", "pk")
        )
        field.free_tables = {choice.slot.pk: choice.free_tables for choice in choices}
        if request.slot_id is not None:
            field.empty_label = None

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class ProfileSelectionForm(forms.Form):
    """Profiles of this meeting picked on the list, for validating or taking it back."""

    selected = forms.ModelMultipleChoiceField(
        queryset=Profile.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Select at least one profile."),
            "invalid_choice": _("Some of the selected profiles are not of this meeting."),
            "invalid_pk_value": _("Some of the selected profiles are not of this meeting."),
        },
    )
    validated = forms.TypedChoiceField(
        choices=[("1", _("Validate")), ("0", _("Take the validation back"))],
        coerce=lambda value: value == "1",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = Profile.objects.filter(meeting=meeting).select_related(
            "registration"
        )
