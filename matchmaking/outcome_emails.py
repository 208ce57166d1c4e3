"""The "how did your meetings go?" email of the day after (kind ``B2B_OUTCOME_REMINDER``).

``matchmaking.services.outcome_reminders`` writes one row per person and day,
``payload = {"day": "YYYY-MM-DD", "requests": [ids]}``: the meetings of that day
the person had not recorded. This builder, registered in
``MatchmakingConfig.ready()``, lists them as they stand when the email is sent
(time, the other person and their organisation, the table; never an address),
marks the ones recorded meanwhile, and links to the person's "my meetings"
page, in the recipient's language (else the meeting's). Every text from the
database goes through ``one_line``: one bad field never stops the message.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from events.text import one_line
from mail.models import OutboxMessage
from mail.render import email_assemble, register
from matchmaking.emails import PREVIEW_MEETINGS_LINK, my_meetings_url
from matchmaking.ical import organisation_of, table_label
from matchmaking.models import MeetingOutcome, MeetingRequest
from matchmaking.selectors import requests_with_details
from registrations.emails import email_context, email_language

TEMPLATES = "matchmaking/email/b2b_outcome_reminder"


@dataclass(frozen=True)
class PastMeeting:
    starts_at: dt.datetime
    ends_at: dt.datetime
    other_name: str
    other_organisation: str
    table: str
    session_title: str
    recorded: bool


def _day(payload: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(payload.get("day", "")))
    except ValueError:
        return None


def past_meetings(message: OutboxMessage) -> list[PastMeeting]:
    """The payload's meetings that are still the recipient's scheduled meetings, in time
    order, each with whether the recipient has recorded it since."""
    registration = message.registration
    ids = [int(pk) for pk in message.payload.get("requests", []) if str(pk).isdigit()]
    requests = list(
        requests_with_details(
            MeetingRequest.objects.filter(
                Q(requester=registration) | Q(recipient=registration),
                pk__in=ids,
                meeting_id=message.meeting_id,
                status=MeetingRequest.Status.SCHEDULED,
            )
        ).order_by("slot__starts_at", "pk")
    )
    recorded = set(
        MeetingOutcome.objects.filter(registration=registration, request__in=requests).values_list(
            "request_id", flat=True
        )
    )
    meetings = []
    for request in requests:
        other = request.other(registration)
        meetings.append(
            PastMeeting(
                starts_at=request.slot.starts_at,
                ends_at=request.slot.ends_at,
                other_name=one_line(other.full_name),
                other_organisation=organisation_of(other),
                table=one_line(table_label(request.table)),
                session_title=one_line(request.slot.b2b_session.session.title),
                recorded=request.pk in recorded,
            )
        )
    return meetings


def build_outcome_reminder(
    message: OutboxMessage, *, preview: bool = False
) -> EmailMultiAlternatives:
    """The email as sent; ``preview``: the same, with placeholders for the private links."""
    registration = message.registration
    with translation.override(email_language(message)), timezone.override(message.meeting.tzinfo):
        context = email_context(message, preview=preview)
        link = (
            str(PREVIEW_MEETINGS_LINK)
            if preview
            else f"{my_meetings_url(registration)}#past-meetings"
        )
        meetings = past_meetings(message)
        context.update(
            your_name=one_line(registration.first_name),
            meeting_title=one_line(message.meeting.title),
            day=_day(message.payload),
            meetings=meetings,
            to_record=sum(1 for meeting in meetings if not meeting.recorded),
            my_meetings_link=link,
        )
        subject = one_line(render_to_string(f"{TEMPLATES}_subject.txt", context))
        text = render_to_string(f"{TEMPLATES}.txt", context)
        html = render_to_string(f"{TEMPLATES}.html", context)
    return email_assemble(message, subject=subject, text=text, html=html)


def outcome_email_builders_register() -> None:
    """Tell mail how to build the reminder (from ``MatchmakingConfig.ready``)."""
    register(OutboxMessage.Kind.B2B_OUTCOME_REMINDER, builder=build_outcome_reminder)
