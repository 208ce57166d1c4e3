"""The organizer dashboard: a meeting's numbers at a glance, and the failed emails to retry."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from events.decorators import organizer_required
from mail.models import OutboxMessage
from mail.services import outbox_failed_retry, outbox_message_retry
from orga.charts import daily_chart
from orga.selectors import dashboard_for


@organizer_required
def dashboard(request, meeting):
    data = dashboard_for(meeting=meeting)
    return render(
        request,
        "orga/dashboard.html",
        {
            "meeting": meeting,
            "section": "dashboard",
            "data": data,
            "chart": daily_chart(data.per_day),
        },
    )


@require_POST
@organizer_required
def emails_retry(request, meeting, pk: int | None = None):
    """Send again now: one failed (or waiting) email of this meeting, or all its failed ones."""
    if pk is None:
        count = outbox_failed_retry(meeting=meeting)
    else:
        message = get_object_or_404(OutboxMessage, meeting=meeting, pk=pk)
        # The status read under the row's lock: it may have been sent since the read above.
        retried = outbox_message_retry(message=message)
        count = 0 if retried.status == OutboxMessage.Status.SENT else 1
    if count:
        text = ngettext(
            "%(count)d email queued again.", "%(count)d emails queued again.", count
        ) % {"count": count}
        messages.success(request, text)
    else:
        messages.warning(request, _("Nothing to send again."))
    return redirect("orga:dashboard", slug=meeting.slug)
