"""Write to participants: compose, preview (who exactly, and the email itself), send, follow."""

import uuid

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from events.decorators import organizer_required
from orga.forms import MessageConfirmForm, MessageForm
from registrations.audience import (
    audience_registrations,
    participant_message_list,
    participant_message_progress,
)
from registrations.services import RegistrationError
from registrations.services.participant_messages import (
    audience_digest,
    participant_message_preview,
    participant_message_send,
)

SECTION = "messages"


@organizer_required
def message_list(request, meeting):
    """What was sent to whom: every message of this meeting with its delivery counts."""
    return render(
        request,
        "orga/messages.html",
        {
            "meeting": meeting,
            "section": SECTION,
            "sent_messages": list(participant_message_list(meeting=meeting)),
        },
    )


@organizer_required
def message_compose(request, meeting):
    """GET: an empty message. POST: the preview, or the form again with what is wrong."""
    form = MessageForm(request.POST or None, meeting=meeting)
    if request.method != "POST" or "edit" in request.POST or not form.is_valid():
        return _compose(request, meeting, form)
    recipients = list(audience_registrations(meeting=meeting, **form.audience()))
    if not recipients:
        form.add_error(None, _("Nobody matches this audience: change the filters."))
        return _compose(request, meeting, form)
    email = participant_message_preview(
        meeting=meeting,
        subject=form.cleaned_data["subject"],
        body=form.cleaned_data["body"],
        registration=recipients[0],
    )
    confirm = MessageConfirmForm(
        meeting=meeting,
        initial={
            **form.cleaned_data,
            "session": form.cleaned_data["session"].pk if form.cleaned_data["session"] else "",
            "token": uuid.uuid4(),
            "expected_count": len(recipients),
            "expected_digest": audience_digest(recipients),
        },
    )
    # The rendered email is marked safe for the mail; the template escapes it (force_escape)
    # as the text it is, and the HTML version goes into a sandboxed frame.
    return render(
        request,
        "orga/message_preview.html",
        {
            "meeting": meeting,
            "section": SECTION,
            "form": form,
            "confirm": confirm,
            "recipients": recipients,
            "email": email,
            "email_html": email.alternatives[0].content,
        },
    )


@require_POST
@organizer_required
def message_send(request, meeting):
    """The confirmation from the preview: sends once, however often it is posted."""
    form = MessageConfirmForm(request.POST, meeting=meeting)
    if not form.is_valid():
        editable = MessageForm(request.POST, meeting=meeting)
        editable.is_valid()
        if not editable.errors:
            editable.add_error(None, _("The preview was incomplete: check it again."))
        return _compose(request, meeting, editable)
    try:
        sent = participant_message_send(
            meeting=meeting, created_by=request.user, **form.cleaned_data
        )
    except RegistrationError as exc:
        editable = MessageForm(request.POST, meeting=meeting)
        editable.is_valid()
        editable.add_error(None, exc.message)
        return _compose(request, meeting, editable)
    if sent.created:
        count = sent.message.recipient_count
        messages.success(
            request,
            ngettext(
                "Your message is on its way to %(count)d person.",
                "Your message is on its way to %(count)d people.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("This message had already been sent; it was not sent again."))
    return redirect(sent.message.get_absolute_url())


@organizer_required
def message_detail(request, meeting, pk: int):
    """How one message goes out: counts, and each recipient's email; refreshes while pending."""
    progress = participant_message_progress(meeting=meeting, pk=pk)
    return render(
        request,
        "orga/message_detail.html",
        {"meeting": meeting, "section": SECTION, "progress": progress},
    )


def _compose(request, meeting, form):
    return render(
        request,
        "orga/message_compose.html",
        {"meeting": meeting, "section": SECTION, "form": form},
    )
