"""The confirmation of a schedule to send: what the organizer was shown, all hidden.

Its cleaned data are ``schedule_release``'s keyword arguments besides the meeting,
the kind and the sender: the last schedule sent when the page was shown, and the
counts it showed, so a double click sends once and a changed schedule is asked again.
"""

from django import forms

MAX_INT = 2_147_483_647


class ScheduleReleaseForm(forms.Form):
    after = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_INT)
    expected_recipients = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=MAX_INT
    )
    expected_meetings = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT)
