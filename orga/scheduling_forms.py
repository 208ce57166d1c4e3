"""The "schedule the rest" form: which matchmaking session (or all) and the time limit.
Shape only; the rules are ``matchmaking.services.scheduling``'s."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Meeting
from matchmaking.availability import b2b_sessions
from matchmaking.models import B2BSession
from matchmaking.services.scheduling import DEFAULT_TIME_LIMIT, TIME_LIMIT_RANGE


class ScheduleForm(forms.Form):
    b2b_session = forms.ModelChoiceField(
        label=_("Matchmaking session"),
        queryset=B2BSession.objects.none(),
        required=False,
        empty_label=_("All matchmaking sessions"),
        error_messages={"invalid_choice": _("Choose one of this meeting's sessions.")},
    )
    time_limit_seconds = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=TIME_LIMIT_RANGE[0],
        max_value=TIME_LIMIT_RANGE[1],
        initial=DEFAULT_TIME_LIMIT,
        required=False,
        help_text=_("How long the solver may search; the best schedule found by then is kept."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["b2b_session"].queryset = B2BSession.objects.filter(
            pk__in=[session.pk for session in b2b_sessions(meeting=meeting)]
        ).select_related("session")
