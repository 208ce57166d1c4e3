"""The participants' B2B forms: profile, marketplace entry, meeting request, answers, and the
directory's filters.

They check the shape of what is posted (a choice from the list, a length) and hand
their cleaned data to the services, which hold the rules; a service's
``MatchmakingError`` comes back onto the field it names (``apply_error``). Every
choice list is scoped to the meeting and the person: an organisation, a sector, a
slot of another meeting is not on the list, so it is refused as a bad choice.
"""

from django import forms
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.errors import Busy
from events.models import Organization
from events.regions import Region
from events.text import validate_one_line
from matchmaking.models import (
    ENTRY_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    PITCH_MAX_LENGTH,
    Language,
    MarketplaceEntry,
    MeetingOutcome,
    Profile,
)
from matchmaking.selectors import DirectoryFilters
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.outcomes import NOTE_MAX_LENGTH
from matchmaking.services.requests import REASON_MAX_LENGTH

NO_CHOICE = ("", "—")


def apply_error(form: forms.Form, exc: MatchmakingError) -> int:
    """The service's refusal, on the field it names when the form has it, else on top; the
    page's status: 503 when the rows were busy (try again), else 400."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return 503 if isinstance(exc, Busy) else 400


def slot_label(slot, meeting, free_tables: int | None = None) -> str:
    """A slot as people read it, "Thu 10 Dec, 15:00–15:20", in the meeting's zone (and
    the tables still free)."""
    starts = timezone.localtime(slot.starts_at, meeting.tzinfo)
    ends = timezone.localtime(slot.ends_at, meeting.tzinfo)
    label = f"{formats.date_format(starts, gettext('D j M, H:i'))}–{ends:%H:%M}"
    if free_tables is not None:
        tables = ngettext("%(count)d table free", "%(count)d tables free", free_tables)
        label += " · " + tables % {"count": free_tables}
    return label


def slot_groups(meeting, groups: list[tuple]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Select choices grouped by matchmaking session: [(session title, [(slot id, label)])]."""
    return [
        (
            b2b_session.session.title,
            [
                (choice.slot.pk, slot_label(choice.slot, meeting, choice.free_tables))
                for choice in choices
            ],
        )
        for b2b_session, choices in groups
        if choices
    ]


class ProfileForm(forms.Form):
    """The person's profile; ``unavailable_slots`` is drawn per session by the template."""

    organization = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, empty_value=None, required=False
    )
    role = forms.CharField(
        label=_("Role"),
        max_length=200,
        required=False,
        validators=[validate_one_line],
        help_text=_("For example: innovation manager, project coordinator."),
    )
    pitch = forms.CharField(
        label=_("Short pitch"),
        max_length=PITCH_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=Profile._meta.get_field("pitch").help_text,
    )
    sectors = forms.TypedMultipleChoiceField(
        label=_("Sectors"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.ChoiceField(
        label=_("Region"), choices=[NO_CHOICE, *Region.choices], required=False
    )
    website = forms.CharField(
        label=_("Website"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "url", "placeholder": "https://"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can meet in"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    listed = forms.BooleanField(
        label=_("Show my profile to the other participants"), required=False
    )
    unavailable_slots = forms.TypedMultipleChoiceField(
        label=_("Times I cannot meet"), coerce=int, required=False
    )

    def __init__(self, *args, profile: Profile, organizations, sectors, slots, **kwargs):
        self.profile = profile
        self.shown_slot_ids = {slot.pk for slot in slots}
        initial = {
            "organization": profile.organization_id,
            "role": profile.role,
            "pitch": profile.pitch,
            "region": profile.region,
            "website": profile.website,
            "languages": list(profile.languages or []),
            "listed": profile.listed,
            "sectors": [],
            "unavailable_slots": [],
        }
        if profile.pk is not None:
            initial["sectors"] = [sector.pk for sector in profile.sectors.all()]
            self.kept_slot_ids = {slot.pk for slot in profile.unavailable_slots.all()}
            initial["unavailable_slots"] = sorted(self.kept_slot_ids & self.shown_slot_ids)
        else:
            self.kept_slot_ids = set()
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["organization"].choices = [
            NO_CHOICE,
            *((organization.pk, organization.name) for organization in organizations),
        ]
        self.fields["sectors"].choices = [(sector.pk, sector.name) for sector in sectors]
        self.fields["unavailable_slots"].choices = [(slot.pk, str(slot.pk)) for slot in slots]

    slot_sessions: list = []  # [(matchmaking session, [slot, …])], set by the view

    def slot_boxes(self) -> list:
        """[(matchmaking session, [(slot, ticked), …])] for the "times I cannot meet" boxes."""
        chosen = {str(value) for value in self["unavailable_slots"].value() or []}
        return [
            (b2b_session, [(slot, str(slot.pk) in chosen) for slot in slots])
            for b2b_session, slots in self.slot_sessions
        ]

    def clean(self):
        cleaned = super().clean()
        if "unavailable_slots" in cleaned:
            # Slots of sessions no longer on the agenda are not shown: they stay as they are.
            hidden = self.kept_slot_ids - self.shown_slot_ids
            cleaned["unavailable_slots"] = sorted(set(cleaned["unavailable_slots"]) | hidden)
        return cleaned


def profile_organizations(*, meeting, registration, profile: Profile) -> list[Organization]:
    """The organisations a person may name: the meeting's, their registration's, and the one
    their profile names now (so saving the form unchanged keeps it)."""
    ids = {registration.organization_id, profile.organization_id} - {None}
    return list(
        Organization.objects.filter(Q(meetings=meeting) | Q(pk__in=ids)).distinct().order_by("name")
    )


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=MarketplaceEntry.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_one_line])
    description = forms.CharField(
        label=_("Description"),
        max_length=ENTRY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RequestForm(forms.Form):
    """Ask someone for a meeting; a slot only when requests are accepted automatically and
    participants schedule (then the request is a booking)."""

    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say who you are and what you would like to talk about."),
    )
    preferred_session = forms.TypedChoiceField(
        label=_("Preferred matchmaking session"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, sessions, slot_groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {b2b_session.pk: b2b_session for b2b_session in sessions}
        self.fields["preferred_session"].choices = [
            (None, _("Any")),
            *((b2b_session.pk, b2b_session.session.title) for b2b_session in sessions),
        ]
        if len(sessions) < 2:
            del self.fields["preferred_session"]
        if slot_groups is not None:
            self.fields["slot"] = forms.TypedChoiceField(
                label=_("Time"), coerce=int, choices=[NO_CHOICE, *slot_groups]
            )

    def clean(self):
        cleaned = super().clean()
        if "preferred_session" in self.fields:
            cleaned["preferred_session"] = self.sessions.get(cleaned.get("preferred_session"))
        if "slot" in cleaned:
            cleaned["slot_id"] = cleaned.pop("slot")
        return cleaned


class AcceptForm(forms.Form):
    """Accept a request, at one of the slots where both people and a table are free."""

    def __init__(self, *args, slot_groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if slot_groups is not None:
            self.fields["slot"] = forms.TypedChoiceField(
                label=_("Time"), coerce=int, choices=[NO_CHOICE, *slot_groups]
            )
            self.fields["slot"].error_messages["invalid_choice"] = _(
                "This time is no longer free for both of you: choose another one."
            )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, shown to the person)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
    )


class OutcomeForm(forms.Form):
    """How a past meeting went, as one of its two people says (one form per meeting)."""

    HELD_CHOICES = [("yes", _("Yes, we met")), ("no", _("No, it did not take place"))]

    held = forms.TypedChoiceField(
        label=_("Did the meeting take place?"),
        choices=HELD_CHOICES,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the meeting took place.")},
    )
    result = forms.ChoiceField(
        label=_("What came of it"),
        choices=[NO_CHOICE, *MeetingOutcome.Result.choices],
        required=False,
        help_text=_("Only when you met."),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For the organizers: what you agreed, what comes next."),
    )

    def __init__(self, *args, outcome: MeetingOutcome | None = None, **kwargs):
        if outcome is not None:
            kwargs.setdefault(
                "initial",
                {
                    "held": "yes" if outcome.held else "no",
                    "result": outcome.result,
                    "note": outcome.note,
                },
            )
        super().__init__(*args, **kwargs)


class DirectoryFilterForm(forms.Form):
    """The directory's and the marketplace's search box and filters (a GET form)."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("All regions")), *Region.choices], required=False
    )
    sector = forms.TypedChoiceField(label=_("Sector"), coerce=int, empty_value=None, required=False)
    organization_kind = forms.ChoiceField(
        label=_("Organisation type"),
        choices=[("", _("All types")), *Organization.Kind.choices],
        required=False,
    )
    entry_kind = forms.ChoiceField(
        label=_("Offers and requests"),
        choices=[("", _("Any")), *MarketplaceEntry.Kind.choices],
        required=False,
    )

    def __init__(self, *args, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [
            ("", _("All sectors")),
            *((sector.pk, sector.name) for sector in sectors),
        ]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def filters(self) -> DirectoryFilters:
        """The valid filters (a bad value is shown as an error and left out)."""
        if not self.is_bound:
            return DirectoryFilters()
        self.is_valid()
        cleaned = {name: value for name, value in self.cleaned_data.items() if value}
        return DirectoryFilters(**cleaned)

    @property
    def active(self) -> bool:
        return any(self.filters().__dict__.values())
