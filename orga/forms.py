"""Forms of the organizers' workspace: shapes only, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registrations.models import Registration
from registrations.services.organizer_actions import BULK_ACTIONS

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
