"""Forms of the organizers' workspace: shape and choices scoped to the meeting, no rules."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.forms import MAX_INT
from agenda.models import Session
from events.forms import MeetingTimeField, MeetingTimesForm
from events.regions import region_label
from events.text import validate_email_domain_name, validate_one_line
from registrations.audience import meeting_regions
from registrations.models import ParticipantMessage, Registration
from registrations.services.organizer_actions import BULK_ACTIONS
from registrations.services.participant_messages import normalize_newlines

# --- participants ----------------------------------------------------------------------

REASON_MAX_LENGTH = 5000


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (quoted in the email)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BulkActionForm(forms.Form):
    """What to do to the selected people; the choices are this meeting's registrations."""

    action = forms.ChoiceField(
        label=_("With the selected people"),
        choices=[("", _("choose an action…"))]
        + [(name, action.label) for name, action in BULK_ACTIONS.items()],
    )
    selected = forms.ModelMultipleChoiceField(
        queryset=Registration.objects.none(),
        error_messages={
            "required": _("Select at least one person."),
            "invalid_choice": _("Some of the selected people are not registered here."),
            "invalid_pk_value": _("Some of the selected people are not registered here."),
        },
        widget=forms.MultipleHiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason for a rejection (quoted in the emails)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = (
            Registration.objects.filter(meeting=meeting)
            .select_related("organization", "meeting")
            .order_by("last_name", "first_name", "pk")
        )


# --- messages --------------------------------------------------------------------------


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session: Session) -> str:
        if session.starts_at is None:
            return session.title
        starts = timezone.localtime(session.starts_at, session.meeting.tzinfo)
        return f"{session.title} ({starts:%d/%m %H:%M})"


class MessageForm(forms.Form):
    """What an organizer writes, and to whom: registration statuses, a session, a region."""

    subject = forms.CharField(
        label=_("Subject"),
        max_length=ParticipantMessage._meta.get_field("subject").max_length,
        validators=[validate_one_line],
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=ParticipantMessage._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 12}),
        strip=False,
        help_text=_(
            "Plain text; line breaks are kept. The email adds the meeting's title, the "
            "person's private link and your contact address."
        ),
    )
    statuses = forms.MultipleChoiceField(
        label=_("Registration status"),
        choices=Registration.Status.choices,
        initial=[Registration.Status.CONFIRMED],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one registration status.")},
    )
    session = SessionChoiceField(
        label=_("Session booked"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("Any (booked or not)"),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["session"].queryset = (
            Session.objects.filter(meeting=meeting)
            .select_related("meeting")
            .order_by("starts_at", "title", "pk")
        )
        self.fields["region"].choices = [("", _("Any region"))] + [
            (value, region_label(value)) for value in meeting_regions(meeting=meeting)
        ]

    def clean_body(self) -> str:
        body = normalize_newlines(self.cleaned_data["body"])
        if not body.strip():
            raise forms.ValidationError(_("Write the message."), code="required")
        return body

    def audience(self) -> dict:
        data = self.cleaned_data
        return {
            "statuses": data["statuses"],
            "session": data["session"],
            "region": data["region"],
        }


class MessageConfirmForm(MessageForm):
    """The previewed message, all hidden, with the token that makes its sending happen once.

    Its cleaned data are participant_message_send's keyword arguments.
    """

    token = forms.UUIDField(widget=forms.HiddenInput)
    expected_count = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # Who exactly was previewed (sha256 of the sorted registration ids).
    expected_digest = forms.RegexField(regex=r"\A[0-9a-f]{64}\Z", widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget = field.hidden_widget()


# --- registration settings -------------------------------------------------------------


class RegistrationSettingsForm(MeetingTimesForm, forms.Form):
    """The meeting's registration settings, times in its own zone."""

    registration_opens_at = MeetingTimeField(label=_("Registration opens"), required=False)
    registration_closes_at = MeetingTimeField(label=_("Registration closes"), required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=0,
        max_value=MAX_INT,
        help_text=_("People who can be confirmed; empty means no limit."),
    )
    requires_approval = forms.BooleanField(label=_("Registrations need approval"), required=False)
    hold_unconfirmed_seats = forms.BooleanField(
        label=_("Hold seats until the emailed link is opened"),
        required=False,
    )
    contact_email = forms.EmailField(
        label=_("Contact email"),
        required=False,
        validators=[validate_email_domain_name],
        help_text=_("Participants' replies to our emails go here."),
    )

    def __init__(self, *args, meeting, **kwargs):
        initial = {name: getattr(meeting, name) for name in self.base_fields}
        super().__init__(*args, initial=initial, **kwargs)
        self.set_meeting_zone(meeting.tzinfo)
        self.fields["hold_unconfirmed_seats"].help_text = _(
            "With a capacity: a seat given to someone who has not opened the link we email "
            "is only held for %(minutes)d minutes; unopened, it goes to the next person waiting."
        ) % {"minutes": settings.SEAT_HOLD_MINUTES}

    def changes(self) -> dict:
        """Only what the organizer changed: what nobody touched is not written."""
        return {name: self.cleaned_data[name] for name in self.changed_data}
