"""A reminder shortly before the meeting, once per confirmed registration.

Celery beat runs ``meeting_reminders_send`` every hour; the outbox's unique
dedupe key makes a second run (or a second beat) send nothing more.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.models import Meeting
from mail.models import OutboxMessage
from mail.services import outbox_messages_create_many
from registrations.models import Registration


def reminder_key(registration_id: int) -> str:
    return f"registration:{registration_id}:reminder"


@transaction.atomic
def meeting_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Write a reminder for each confirmed registration of meetings starting soon.

    "Soon" is within ``REMINDER_HOURS_BEFORE`` hours of the meeting's first
    morning (midnight of its first day in its own time zone). Returns how many
    reminders were written; a constant number of queries per run.
    """
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=settings.REMINDER_HOURS_BEFORE)
    # Coarse date bounds in SQL, the exact instant in the meeting's zone below.
    meetings = [
        meeting
        for meeting in Meeting.objects.filter(
            status=Meeting.Status.PUBLISHED,
            starts_on__gte=(now - dt.timedelta(days=1)).date(),
            starts_on__lte=(horizon + dt.timedelta(days=1)).date(),
        )
        if now < meeting.starts_at <= horizon
    ]
    if not meetings:
        return 0
    registrations = list(
        Registration.objects.filter(meeting__in=meetings, status=Registration.Status.CONFIRMED)
    )
    already = set(
        OutboxMessage.objects.filter(
            dedupe_key__in=[reminder_key(r.pk) for r in registrations]
        ).values_list("dedupe_key", flat=True)
    )
    created = outbox_messages_create_many(
        [
            OutboxMessage(
                kind=OutboxMessage.Kind.MEETING_REMINDER,
                recipient=registration.email,
                meeting_id=registration.meeting_id,
                registration=registration,
                dedupe_key=reminder_key(registration.pk),
            )
            for registration in registrations
            if reminder_key(registration.pk) not in already
        ]
    )
    return len(created)
