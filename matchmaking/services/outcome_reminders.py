"""The day after: "how did your meetings go?", once per person and day of 1:1 meetings.

Celery beat runs ``outcome_reminders_send`` every hour (``matchmaking.tasks``).
For a day D with scheduled 1:1 meetings, in the meeting's own time zone, the
reminder is due from 09:00 on D+1 until the end of D+2 (a day of grace, should
the beat be down): each confirmed person who had meetings on D and has not
recorded all of them gets one email listing those meetings. The outbox's unique
dedupe key (person and day) makes every later run, or a second beat, write
nothing more; a person who has recorded everything gets nothing.
"""

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from events.models import Meeting
from mail.models import OutboxMessage
from mail.services import outbox_messages_create_many
from matchmaking.models import MeetingOutcome, MeetingRequest
from registrations.models import Registration

# Local time of the day after from which the reminder goes out.
REMINDER_LOCAL_TIME = dt.time(9, 0)
# Due until the end of the second day after: one day of grace.
GRACE_DAYS = 2


def reminder_key(registration_id: int, day: dt.date) -> str:
    return f"b2b:outcome-reminder:{registration_id}:{day.isoformat()}"


def reminder_due(*, day: dt.date, meeting: Meeting, now: dt.datetime) -> bool:
    """Whether the reminder about ``day`` (a local date of ``meeting``) is due at ``now``."""
    zone = meeting.tzinfo
    due_from = dt.datetime.combine(day + dt.timedelta(days=1), REMINDER_LOCAL_TIME, tzinfo=zone)
    due_until = dt.datetime.combine(
        day + dt.timedelta(days=GRACE_DAYS + 1), dt.time.min, tzinfo=zone
    )
    return due_from <= now < due_until


@transaction.atomic
def outcome_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Write the reminders due now; returns how many (a constant number of queries)."""
    now = now or timezone.now()
    # Coarse bounds in SQL (a due day started less than GRACE_DAYS + 1 days ago), the
    # exact local day in each meeting's zone below.
    candidates = MeetingRequest.objects.filter(
        status=MeetingRequest.Status.SCHEDULED,
        slot__starts_at__lt=now,
        slot__starts_at__gte=now - dt.timedelta(days=GRACE_DAYS + 1),
        meeting__status=Meeting.Status.PUBLISHED,
        meeting__matchmaking__enabled=True,
    ).select_related("meeting", "slot", "requester", "recipient")
    due: dict[tuple[int, dt.date], list[MeetingRequest]] = defaultdict(list)
    people: dict[int, Registration] = {}
    for request in candidates:
        day = timezone.localtime(request.slot.starts_at, request.meeting.tzinfo).date()
        if not reminder_due(day=day, meeting=request.meeting, now=now):
            continue
        for person in (request.requester, request.recipient):
            if person.status == Registration.Status.CONFIRMED:
                people[person.pk] = person
                due[(person.pk, day)].append(request)
    if not due:
        return 0
    recorded = set(
        MeetingOutcome.objects.filter(
            request__in={request.pk for requests in due.values() for request in requests}
        ).values_list("request_id", "registration_id")
    )
    already = set(
        OutboxMessage.objects.filter(
            dedupe_key__in=[reminder_key(pk, day) for pk, day in due]
        ).values_list("dedupe_key", flat=True)
    )
    messages = []
    for (pk, day), requests in sorted(due.items(), key=lambda item: item[0]):
        missing = [request.pk for request in requests if (request.pk, pk) not in recorded]
        if not missing or reminder_key(pk, day) in already:
            continue
        person = people[pk]
        messages.append(
            OutboxMessage(
                kind=OutboxMessage.Kind.B2B_OUTCOME_REMINDER,
                recipient=person.email,
                meeting_id=person.meeting_id,
                registration=person,
                dedupe_key=reminder_key(pk, day),
                payload={"day": day.isoformat(), "requests": sorted(missing)},
            )
        )
    return len(outbox_messages_create_many(messages)) if messages else 0
