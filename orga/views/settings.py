"""The meeting's registration settings, through events.services.meeting_update."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from events.decorators import organizer_required
from events.services import MeetingError, meeting_update
from orga.forms import RegistrationSettingsForm


@organizer_required
def registration_settings(request, meeting):
    form = RegistrationSettingsForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Nothing changed."))
            return redirect("orga:settings", slug=meeting.slug)
        try:
            meeting_update(meeting=meeting, data=changes)
        except MeetingError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Registration settings saved."))
            return redirect("orga:settings", slug=meeting.slug)
    return render(
        request,
        "orga/settings.html",
        {"meeting": meeting, "section": "settings", "form": form},
    )
