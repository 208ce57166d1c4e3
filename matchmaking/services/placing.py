"""The organizers' hand on the schedule: lock a meeting in place, and place one accepted
request at the first free place (the board's "Schedule").

A locked meeting is kept where it is: ``request_schedule`` refuses to move it and
the automatic scheduler keeps every scheduled meeting in place anyway. Locking
changes nobody's calendar, so nobody is emailed.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from core.locking import retry_when_busy
from matchmaking.availability import free_slots_for_pair
from matchmaking.models import MeetingRequest
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.locking import people_lock
from matchmaking.services.refusals import name_of
from matchmaking.services.requests import request_schedule

Status = MeetingRequest.Status


@retry_when_busy()
def request_lock(*, request: MeetingRequest, locked: bool) -> MeetingRequest:
    """Lock a scheduled meeting in place (``locked``) or let it move again."""
    with people_lock(registration_ids=[request.requester_id, request.recipient_id]):
        request = MeetingRequest.objects.get(pk=request.pk)
        if request.status != Status.SCHEDULED:
            raise MatchmakingError(_("Only a scheduled meeting can be locked or unlocked."))
        if request.locked != locked:
            request.locked = locked
            request.save(update_fields=["locked", "updated_at"])
    return request


def request_schedule_first_free(
    *, request: MeetingRequest, now: dt.datetime | None = None
) -> MeetingRequest:
    """Schedule an accepted request at the first slot where both people and a table are
    free: in the session the requester prefers if it has one, else the earliest. Both
    people are emailed their invitation (``request_schedule``)."""
    now = now or timezone.now()
    if request.status != Status.ACCEPTED:
        raise MatchmakingError(_("Only accepted requests wait for a place."))
    sessions = free_slots_for_pair(
        meeting=request.meeting, people=[request.requester, request.recipient], now=now
    )
    # sorted() keeps the time order; the preferred session (when it has room) comes first.
    sessions = sorted(sessions, key=lambda row: row[0].pk != request.preferred_session_id)
    for _b2b_session, choices in sessions:
        if choices:
            return request_schedule(
                request=request, slot_id=choices[0].slot.pk, now=now, accepted_only=True
            )
    raise MatchmakingError(
        _(
            "%(first)s and %(second)s are never both free at a free table: add tables or a "
            "session, or move one of their meetings."
        )
        % {"first": name_of(request.requester), "second": name_of(request.recipient)}
    )
