"""The meetings board's small forms: a move (a meeting onto a slot and a table) and a lock.

Every choice is scoped to the meeting: a request, slot or table of another
meeting is "not one of the choices", never a place.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.models import MeetingRequest, Slot, Table

Status = MeetingRequest.Status


class BoardMoveForm(forms.Form):
    request = forms.ModelChoiceField(
        queryset=MeetingRequest.objects.none(),
        error_messages={
            "required": _("Choose a meeting to move."),
            "invalid_choice": _("Choose one of this meeting's accepted or scheduled requests."),
        },
    )
    slot = forms.ModelChoiceField(
        queryset=Slot.objects.none(),
        error_messages={
            "required": _("Choose a slot."),
            "invalid_choice": _("Choose one of this meeting's slots."),
        },
    )
    table = forms.ModelChoiceField(
        queryset=Table.objects.none(),
        error_messages={
            "required": _("Choose a table."),
            "invalid_choice": _("Choose one of this meeting's tables."),
        },
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = MeetingRequest.objects.filter(
            meeting=meeting, status__in=[Status.ACCEPTED, Status.SCHEDULED]
        )
        self.fields["slot"].queryset = Slot.objects.filter(b2b_session__meeting=meeting)
        self.fields["table"].queryset = Table.objects.filter(b2b_session__meeting=meeting)

    def clean(self):
        data = super().clean()
        slot, table = data.get("slot"), data.get("table")
        if slot and table and slot.b2b_session_id != table.b2b_session_id:
            self.add_error("table", _("This table is not in the slot's session."))
        return data

    def first_error(self) -> str:
        return next(iter(self.errors.values()))[0]


class BoardLockForm(forms.Form):
    locked = forms.TypedChoiceField(
        choices=[("1", _("Lock")), ("0", _("Unlock"))],
        coerce=lambda value: value == "1",
        error_messages={"required": _("Say whether to lock or unlock the meeting.")},
    )
