"""What came of a 1:1 meeting, as each of its two people says.

After a scheduled meeting has started, each of its two people records whether
it took place and, when it did, what came of it (``MeetingOutcome.Result``)
and a note. One row per meeting and person, updated in place; the organizers'
page (``matchmaking.outcome_selectors``) reads both answers of each meeting.

The write locks the person's registration row (``people_lock``), the same lock
a cancellation takes, so an answer and a cancellation never cross, and two
answers of one person are written one after the other.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from core.locking import retry_when_busy
from events.text import multi_line
from matchmaking.models import MESSAGE_MAX_LENGTH, MeetingOutcome, MeetingRequest
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.locking import people_lock
from registrations.models import Registration

NOTE_MAX_LENGTH = MESSAGE_MAX_LENGTH


def _clean_result(*, held: bool, result: str) -> str:
    result = result or ""
    if result and result not in MeetingOutcome.Result.values:
        raise MatchmakingError(_("Choose one of the outcomes."), field="result")
    if result and not held:
        raise MatchmakingError(
            _("A meeting that did not take place has no outcome: leave the outcome empty."),
            field="result",
        )
    return result


def _clean_note(note: str) -> str:
    note = multi_line(note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise MatchmakingError(
            _("Keep it under %(count)d characters.") % {"count": NOTE_MAX_LENGTH}, field="note"
        )
    return note


@retry_when_busy()
def outcome_record(
    *,
    request: MeetingRequest,
    registration: Registration,
    held: bool,
    result: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> MeetingOutcome:
    """``registration`` (one of the meeting's two people) says whether the meeting took
    place, and what came of it. Only a scheduled meeting that has started; answering
    again replaces the earlier answer (the same answer writes nothing)."""
    now = now or timezone.now()
    if registration.pk not in (request.requester_id, request.recipient_id):
        raise MatchmakingError(_("Only the two people of a meeting can say how it went."))
    if not isinstance(held, bool):
        raise MatchmakingError(_("Say whether the meeting took place."), field="held")
    result = _clean_result(held=held, result=result)
    note = _clean_note(note)
    with people_lock(registration_ids=[registration.pk]):
        request = (
            MeetingRequest.objects.select_related("slot")
            .filter(pk=request.pk, meeting_id=registration.meeting_id)
            .first()
        )
        if request is None or request.status != MeetingRequest.Status.SCHEDULED:
            raise MatchmakingError(_("Only a scheduled meeting can be recorded."))
        if request.slot.starts_at > now:
            raise MatchmakingError(_("This meeting has not started yet."))
        outcome = MeetingOutcome.objects.filter(request=request, registration=registration).first()
        if outcome is None:
            return MeetingOutcome.objects.create(
                request=request, registration=registration, held=held, result=result, note=note
            )
        if (outcome.held, outcome.result, outcome.note) != (held, result, note):
            outcome.held, outcome.result, outcome.note = held, result, note
            outcome.save(update_fields=["held", "result", "note", "updated_at"])
    return outcome
