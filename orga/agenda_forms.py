"""The workspace's forms for the agenda's people and tracks: shape and scoped choices only;
every rule is the agenda services' (a refusal comes back as an ``AgendaError``)."""

from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from agenda.models import Session, SessionSpeaker, Speaker, Track, hex_colour
from events.models import Organization
from events.text import LONG_TEXT_MAX_LENGTH, validate_email_domain_name, validate_one_line

POSITION_MAX = 32_767  # a PositiveSmallIntegerField


def _lf(value: str) -> str:
    """Browsers send a textarea's line breaks as CRLF; the stored text has LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


class _AgendaRecordForm(forms.Form):
    """Add or edit one record of the meeting; ``changes()`` is what differs from it."""

    slug_help = _("Left empty, it is made from the name.")

    def __init__(self, *args, meeting, instance=None, **kwargs):
        self.meeting = meeting
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", self.initial_for(instance))
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_for(cls, instance) -> dict[str, Any]:
        return {name: getattr(instance, name) for name in cls.base_fields}

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug:
            return slug
        name = self.cleaned_data.get("name", "")  # cleaned before the slug: it comes first
        slug = slugify(name)[: self.fields["slug"].max_length].strip("-")
        if not slug and name:
            raise forms.ValidationError(
                _("The name makes no slug; type one (letters, numbers, hyphens)."),
                code="required",
            )
        return slug

    def same(self, name: str, stored: Any, value: Any) -> bool:
        return stored == value

    def changes(self) -> dict[str, Any]:
        """The cleaned values that differ from the record (all of them for a new one)."""
        data = dict(self.cleaned_data)
        if self.instance is None:
            return data
        return {
            name: value
            for name, value in data.items()
            if not self.same(name, getattr(self.instance, name), value)
        }


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organization: Organization) -> str:
        return organization.name


class SpeakerForm(_AgendaRecordForm):
    name = forms.CharField(label=_("Name"), max_length=200, validators=[validate_one_line])
    slug = forms.SlugField(
        label=_("Slug"), max_length=100, required=False, help_text=_AgendaRecordForm.slug_help
    )
    organization = OrganizationChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    job_title = forms.CharField(
        label=_("Job title"), max_length=200, required=False, validators=[validate_one_line]
    )
    bio = forms.CharField(
        label=_("Biography"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        strip=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    email = forms.EmailField(
        label=_("Email (private)"),
        required=False,
        validators=[validate_email_domain_name],
        help_text=_("Only organizers see it: never on public pages, feeds or the API."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Organisations are shared by every meeting (names only, no personal data).
        self.fields["organization"].queryset = Organization.objects.order_by("name")

    def clean_bio(self) -> str:
        return _lf(self.cleaned_data["bio"])

    def same(self, name: str, stored: Any, value: Any) -> bool:
        if name == "bio":
            return _lf(stored) == value
        return stored == value


class TrackForm(_AgendaRecordForm):
    name = forms.CharField(label=_("Name"), max_length=100, validators=[validate_one_line])
    slug = forms.SlugField(
        label=_("Slug"), max_length=100, required=False, help_text=_AgendaRecordForm.slug_help
    )
    colour = forms.CharField(
        label=_("Colour"),
        max_length=7,
        initial="#1f6feb",
        validators=[hex_colour],
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=POSITION_MAX,
        initial=0,
        help_text=_("Tracks are listed by position, then by name."),
    )

    @classmethod
    def initial_for(cls, instance: Track) -> dict[str, Any]:
        initial = super().initial_for(instance)
        # A colour input holds lower-case hex only; what it shows is what it sends.
        initial["colour"] = instance.colour.lower()
        return initial

    def clean_colour(self) -> str:
        return self.cleaned_data["colour"].lower()

    def same(self, name: str, stored: Any, value: Any) -> bool:
        if name == "colour":
            return stored.lower() == value
        return stored == value


class SpeakerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, speaker: Speaker) -> str:
        if speaker.organization_id:
            return f"{speaker.name} ({speaker.organization.short_name or speaker.organization})"
        return speaker.name


class SessionSpeakerAddForm(forms.Form):
    """Add one of this meeting's speakers (not yet in the session) to a session."""

    speaker = SpeakerChoiceField(
        label=_("Speaker"),
        queryset=Speaker.objects.none(),
        empty_label=_("choose a speaker…"),
        error_messages={
            "invalid_choice": _(
                "Choose one of this meeting's speakers who is not in the session yet."
            )
        },
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=SessionSpeaker.Role.choices, initial=SessionSpeaker.Role.SPEAKER
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["speaker"].queryset = (
            Speaker.objects.filter(meeting_id=session.meeting_id)
            .exclude(session_links__session=session)
            .select_related("organization")
            .order_by("name", "pk")
        )
