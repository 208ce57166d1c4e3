from django import forms
from django.utils.translation import gettext_lazy as _

from events.regions import Region
from events.text import validate_email_domain_name, validate_one_line
from registrations.consent import CONSENT_LISTING_TEXT, CONSENT_PROCESSING_TEXT


class SessionChoiceForm(forms.Form):
    """Chosen sessions; the template draws the checkboxes grouped by day."""

    sessions = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].choices = [(session.pk, session.title) for session in sessions]
        self.fields["sessions"].error_messages["invalid_choice"] = _(
            "One of the chosen sessions cannot be chosen any more: reload the page."
        )

    def clean(self):
        cleaned = super().clean()
        # Handed to the services as keyword arguments: under their name for it. The page's
        # field keeps its name ("sessions"), and so do the services' errors about it.
        if "sessions" in cleaned:
            cleaned["session_ids"] = cleaned.pop("sessions")
        return cleaned


class RegistrationForm(SessionChoiceForm):
    """The registration page's form; its cleaned data are registration_create's arguments."""

    first_name = forms.CharField(
        label=_("First name"), max_length=100, validators=[validate_one_line]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, validators=[validate_one_line]
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        validators=[validate_email_domain_name],
        help_text=_("We send your confirmation and your private link here."),
    )
    organization = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        validators=[validate_one_line],
        help_text=_("Choose from the list or type a new name."),
        widget=forms.TextInput(attrs={"list": "organization-list", "autocomplete": "off"}),
    )
    job_title = forms.CharField(
        label=_("Job title"), max_length=200, required=False, validators=[validate_one_line]
    )
    region = forms.ChoiceField(
        label=_("Region"),
        # Optional: the empty choice says "none given" (a dash reads the same in every language).
        choices=[("", "—"), *Region.choices],
        required=False,
    )
    consent_processing = forms.BooleanField(
        label=CONSENT_PROCESSING_TEXT,
        error_messages={
            "required": _("We need your consent to process your data to register you.")
        },
    )
    consent_listing = forms.BooleanField(label=CONSENT_LISTING_TEXT, required=False)

    field_order = [
        "first_name",
        "last_name",
        "email",
        "organization",
        "job_title",
        "region",
        "sessions",
        "consent_processing",
        "consent_listing",
    ]
