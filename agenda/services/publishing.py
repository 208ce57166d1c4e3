"""Publishing the agenda: scheduled drafts become confirmed, a draft meeting published."""

from dataclasses import dataclass, field

from django.db import transaction

from agenda.models import Session
from agenda.services.locks import lock_meeting
from agenda.services.sessions import apply_locked
from events.models import Meeting


@dataclass
class PublishResult:
    confirmed: list[Session] = field(default_factory=list)
    left_in_draft: list[Session] = field(default_factory=list)
    meeting_published: bool = False


@transaction.atomic
def agenda_publish(*, meeting: Meeting) -> PublishResult:
    """Publish the agenda: every scheduled draft session becomes confirmed, and a draft
    meeting becomes published.

    A draft session without a time stays a draft (it cannot appear in an agenda)
    and is reported back. Every rule is checked again for each session, so a
    conflict refuses the whole publication, naming the session.
    """
    meeting = lock_meeting(meeting)
    result = PublishResult()
    drafts = list(
        meeting.sessions.select_for_update(of=("self",))
        .filter(status=Session.Status.DRAFT)
        .select_related("room", "track")
        .order_by("starts_at", "pk")
    )
    for session in drafts:
        session.meeting = meeting
        if session.starts_at is None:
            result.left_in_draft.append(session)
            continue
        apply_locked(session, {"status": Session.Status.CONFIRMED})
        result.confirmed.append(session)
    if meeting.status == Meeting.Status.DRAFT:
        meeting.status = Meeting.Status.PUBLISHED
        meeting.save(update_fields=["status", "updated_at"])
        result.meeting_published = True
    return result
