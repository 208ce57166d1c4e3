"""Meeting requests and the 1:1 meetings they become.

requested → accepted → scheduled (a slot and a table), or declined / cancelled.
When participants schedule (the default), the person who accepts picks a
slot where both are free and a table is free, and the meeting is scheduled at
once; when the organizers schedule, an accepted request waits for them
(``request_schedule``). With automatic acceptance, a request is accepted as it
is made (and scheduled at once when the requester picked a slot).

Every change runs in ``people_lock`` (both people, then the slot) and writes
its emails into the outbox in the same transaction. The database's unique
constraints stand behind the checks: a write that raced past them anyway is
refused as "just taken", never stored twice.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locking import retry_when_busy
from events.text import multi_line
from mail.models import OutboxMessage
from mail.services import outbox_message_create
from matchmaking.availability import busy_slot_ids, meetings_in_session
from matchmaking.models import (
    MESSAGE_MAX_LENGTH,
    B2BSession,
    Matchmaking,
    MeetingRequest,
    Profile,
    Slot,
    SlotSeat,
    Table,
)
from matchmaking.selectors import matchmaking_get, profile_is_visible, requests_closed_reason
from matchmaking.services import refusals
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.locking import PeopleLock, people_lock
from registrations.models import Registration

Kind = OutboxMessage.Kind
Status = MeetingRequest.Status
REASON_MAX_LENGTH = 300


def notify(request: MeetingRequest, kind: Kind, *, to: Registration, event: str, **payload):
    """One email about this request to one of its two people (once per event)."""
    return outbox_message_create(
        kind=kind,
        recipient=to.email,
        dedupe_key=f"b2b:{request.pk}:{to.pk}:{event}",
        meeting=request.meeting,
        registration=to,
        payload={"request": request.pk, "sequence": request.sequence, **payload},
    )


def _clean_message(message: str, *, field: str, max_length: int) -> str:
    message = multi_line(message or "").strip()
    if len(message) > max_length:
        raise MatchmakingError(
            _("Keep it under %(count)d characters.") % {"count": max_length}, field=field
        )
    return message


def _open_matchmaking(meeting, now: dt.datetime) -> Matchmaking:
    matchmaking = matchmaking_get(meeting=meeting)
    reason = requests_closed_reason(matchmaking=matchmaking, now=now)
    if reason:
        raise MatchmakingError(reason)
    return matchmaking


def _require_visible(registration: Registration, *, yourself: bool) -> Profile:
    profile = Profile.objects.filter(registration=registration).first()
    if registration.status != Registration.Status.CONFIRMED:
        raise MatchmakingError(
            _("Only confirmed participants can meet.")
            if yourself
            else _("This person is not available for meetings.")
        )
    if profile is None or not profile_is_visible(profile):
        raise MatchmakingError(
            _("Make your profile visible to the other participants first.")
            if yourself
            else _("This person is not available for meetings.")
        )
    return profile


def _is_id(value) -> bool:
    # isascii: "²" and "١" are digits to isdigit() but no id.
    return value is not None and str(value).isascii() and str(value).isdigit()


def _slot_of_meeting(meeting, slot_id) -> Slot:
    slot = (
        Slot.objects.filter(pk=slot_id, b2b_session__meeting=meeting)
        .select_related("b2b_session")
        .first()
        if _is_id(slot_id)
        else None
    )
    if slot is None:
        raise MatchmakingError(_("Choose one of this meeting's slots."), field="slot")
    return slot


def _place(
    lock: PeopleLock,
    request: MeetingRequest,
    slot: Slot,
    *,
    now: dt.datetime,
    table: Table | None = None,
    explain: bool = False,
) -> None:
    """Put the request's two people at a free table in the slot (all rows locked).

    ``explain`` (the organizers): a refusal names everything the place clashes with
    (``services/refusals.py``); a participant reads only who is not free.
    """
    slot = lock.slots[slot.pk]
    b2b_session = slot.b2b_session
    meeting = request.meeting
    people = [lock.people[request.requester_id], lock.people[request.recipient_id]]
    moved = request.status == Status.SCHEDULED
    if moved:
        # Its own place does not count against the new one (rolled back on a refusal).
        SlotSeat.objects.filter(request=request).delete()
    if slot.starts_at <= now:
        raise MatchmakingError(_("This slot has already started."), field="slot")
    clashes: list[str] = []
    for person in people:
        if busy_slot_ids(registration=person, slots=[slot]):
            said = (
                refusals.person_clashes(person=person, slot=slot, meeting=meeting)
                if explain
                else []
            )
            clashes += said or [
                _("%(name)s is not free at %(time)s.")
                % {"name": person.full_name, "time": _slot_time(slot, meeting)}
            ]
        limit = b2b_session.max_meetings_per_person
        if limit is not None and (
            meetings_in_session(registration=person, b2b_session=b2b_session) >= limit
        ):
            clashes.append(
                _("%(name)s already has %(count)d meetings in this session, the most it allows.")
                % {"name": person.full_name, "count": limit}
            )
        if clashes and not explain:
            raise MatchmakingError(clashes[0], field="slot")
    taken = (
        MeetingRequest.objects.filter(slot=slot, status=Status.SCHEDULED)
        .exclude(pk=request.pk)
        .values("table_id")
    )
    tables = Table.objects.filter(b2b_session=b2b_session).exclude(pk__in=taken)
    if table is not None:
        tables = tables.filter(pk=table.pk)
    free_table = tables.order_by("position", "pk").first()
    if free_table is None:
        if not explain:
            raise MatchmakingError(_("No table is free in this slot any more."), field="slot")
        clashes.append(
            refusals.table_clash(table=table, slot=slot, meeting=meeting, moving=request)
            if table is not None
            else refusals.no_table_left(slot=slot, meeting=meeting)
        )
    if clashes:
        raise MatchmakingError(" ".join(clashes), field="slot")
    table = free_table
    if moved:
        request.sequence += 1
    request.status = Status.SCHEDULED
    request.slot = slot
    request.table = table
    request.scheduled_at = now
    try:
        with transaction.atomic():
            request.save()
            SlotSeat.objects.bulk_create(
                [SlotSeat(slot=slot, registration=person, request=request) for person in people]
            )
    except IntegrityError as exc:
        # Only a write that skipped the locks gets here: the constraints hold the line.
        raise MatchmakingError(_("This slot was just taken."), field="slot") from exc


def _slot_time(slot: Slot, meeting) -> str:
    return timezone.localtime(slot.starts_at, meeting.tzinfo).strftime("%H:%M")


@retry_when_busy()
def request_create(
    *,
    requester: Registration,
    recipient: Registration,
    message: str = "",
    preferred_session: B2BSession | None = None,
    slot_id: int | None = None,
    now: dt.datetime | None = None,
) -> MeetingRequest:
    """Ask ``recipient`` for a 1:1 meeting. With automatic acceptance the request is
    accepted at once, and scheduled when the requester chose a slot (``slot_id``, required
    then when participants schedule)."""
    now = now or timezone.now()
    meeting = requester.meeting
    if recipient.meeting_id != meeting.pk:
        raise MatchmakingError(_("This person is not available for meetings."), field="recipient")
    if recipient.pk == requester.pk:
        raise MatchmakingError(_("You cannot ask yourself for a meeting."), field="recipient")
    matchmaking = _open_matchmaking(meeting, now)
    message = _clean_message(message, field="message", max_length=MESSAGE_MAX_LENGTH)
    if preferred_session is not None and preferred_session.meeting_id != meeting.pk:
        raise MatchmakingError(
            _("Choose one of this meeting's sessions."), field="preferred_session"
        )
    automatic = matchmaking.request_mode == Matchmaking.RequestMode.AUTOMATIC
    by_participants = matchmaking.scheduling_mode == Matchmaking.SchedulingMode.PARTICIPANTS
    slot = None
    if slot_id is not None:
        if not (automatic and by_participants):
            raise MatchmakingError(
                _("The time is chosen when the request is accepted."), field="slot"
            )
        slot = _slot_of_meeting(meeting, slot_id)
    elif automatic and by_participants:
        raise MatchmakingError(_("Choose a time slot."), field="slot")
    with people_lock(
        registration_ids=[requester.pk, recipient.pk], slot_ids=[slot.pk] if slot else []
    ) as lock:
        requester, recipient = lock.people[requester.pk], lock.people[recipient.pk]
        _require_visible(requester, yourself=True)
        _require_visible(recipient, yourself=False)
        if MeetingRequest.objects.filter(
            requester__in=[requester, recipient],
            recipient__in=[requester, recipient],
            status__in=MeetingRequest.OPEN,
        ).exists():
            raise MatchmakingError(_("You already have a request with this person."))
        request = MeetingRequest(
            meeting=meeting,
            requester=requester,
            recipient=recipient,
            message=message,
            preferred_session=preferred_session,
        )
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError as exc:
            raise MatchmakingError(_("You already have a request with this person.")) from exc
        if automatic:
            request.status = Status.ACCEPTED
            request.responded_at = now
            request.save(update_fields=["status", "responded_at", "updated_at"])
            if slot is not None:
                _place(lock, request, slot, now=now)
        notify(request, Kind.B2B_REQUEST_RECEIVED, to=recipient, event="requested")
        if request.status == Status.SCHEDULED:
            _notify_scheduled(request, event="scheduled")
    return request


def _notify_scheduled(request: MeetingRequest, *, event: str) -> None:
    for person in (request.requester, request.recipient):
        notify(
            request,
            Kind.B2B_MEETING_SCHEDULED,
            to=person,
            event=f"{event}:{request.sequence}",
            moved=event == "moved",
        )


def _locked_request(lock: PeopleLock, request: MeetingRequest) -> MeetingRequest:
    request = MeetingRequest.objects.select_related("meeting").get(pk=request.pk)
    request.requester = lock.people[request.requester_id]
    request.recipient = lock.people[request.recipient_id]
    return request


@retry_when_busy()
def request_accept(
    *,
    request: MeetingRequest,
    by: Registration,
    slot_id: int | None = None,
    now: dt.datetime | None = None,
) -> MeetingRequest:
    """The recipient accepts; when participants schedule, at a slot they choose (required)."""
    now = now or timezone.now()
    if by.pk != request.recipient_id:
        raise MatchmakingError(_("Only the person asked can accept this request."))
    matchmaking = _open_matchmaking(request.meeting, now)
    by_participants = matchmaking.scheduling_mode == Matchmaking.SchedulingMode.PARTICIPANTS
    slot = None
    if by_participants:
        if slot_id is None or slot_id == "":
            raise MatchmakingError(_("Choose a time slot."), field="slot")
        slot = _slot_of_meeting(request.meeting, slot_id)
    elif slot_id not in (None, ""):
        raise MatchmakingError(
            _("The organizers schedule the meetings of this event."), field="slot"
        )
    with people_lock(
        registration_ids=[request.requester_id, request.recipient_id],
        slot_ids=[slot.pk] if slot else [],
    ) as lock:
        request = _locked_request(lock, request)
        if request.status != Status.REQUESTED:
            raise MatchmakingError(_("This request is no longer waiting for an answer."))
        _require_visible(request.recipient, yourself=True)
        if request.requester.status != Registration.Status.CONFIRMED:
            raise MatchmakingError(_("This person is not available for meetings."))
        request.status = Status.ACCEPTED
        request.responded_at = now
        request.save(update_fields=["status", "responded_at", "updated_at"])
        if slot is not None:
            _place(lock, request, slot, now=now)
        notify(request, Kind.B2B_REQUEST_ACCEPTED, to=request.requester, event="accepted")
        if request.status == Status.SCHEDULED:
            notify(
                request,
                Kind.B2B_MEETING_SCHEDULED,
                to=request.recipient,
                event=f"scheduled:{request.sequence}",
            )
    return request


@retry_when_busy()
def request_decline(
    *, request: MeetingRequest, by: Registration, reason: str = ""
) -> MeetingRequest:
    """The recipient says no (``reason``, when given, is quoted to the requester)."""
    if by.pk != request.recipient_id:
        raise MatchmakingError(_("Only the person asked can decline this request."))
    reason = _clean_message(reason, field="reason", max_length=REASON_MAX_LENGTH)
    reason = " ".join(reason.split())
    with people_lock(registration_ids=[request.requester_id, request.recipient_id]) as lock:
        request = _locked_request(lock, request)
        if request.status != Status.REQUESTED:
            raise MatchmakingError(_("This request is no longer waiting for an answer."))
        request.status = Status.DECLINED
        request.decline_reason = reason
        request.responded_at = timezone.now()
        request.save(update_fields=["status", "decline_reason", "responded_at", "updated_at"])
        notify(request, Kind.B2B_REQUEST_DECLINED, to=request.requester, event="declined")
    return request


def request_cancel_locked(
    request: MeetingRequest, *, by: Registration | None, now: dt.datetime, left: bool = False
) -> None:
    """Cancel an open request under the lock; both people hear of it (a scheduled meeting
    with a CANCEL for their calendars). ``left``: because ``by`` left the meeting (the
    emails say so rather than "cancelled by")."""
    was_scheduled = request.status == Status.SCHEDULED
    SlotSeat.objects.filter(request=request).delete()
    if was_scheduled:
        request.sequence += 1
    request.status = Status.CANCELLED
    request.cancelled_by = by
    request.cancelled_at = now
    request.save()
    people = [request.requester, request.recipient]
    if not was_scheduled:
        # Nothing in anyone's calendar: only the other side (or both, for an organizer).
        people = [person for person in people if by is None or person.pk != by.pk]
    for person in people:
        notify(
            request,
            Kind.B2B_MEETING_CANCELLED,
            to=person,
            event="cancelled",
            by_organizer=by is None,
            was_scheduled=was_scheduled,
            left=left,
        )


@retry_when_busy()
def request_cancel(
    *, request: MeetingRequest, by: Registration | None, now: dt.datetime | None = None
) -> MeetingRequest:
    """Either person (``by``) or an organizer (``by=None``) cancels an open request or
    meeting. A meeting that has started cannot be cancelled any more."""
    now = now or timezone.now()
    if by is not None and by.pk not in (request.requester_id, request.recipient_id):
        raise MatchmakingError(_("Only the two people of a meeting can cancel it."))
    with people_lock(registration_ids=[request.requester_id, request.recipient_id]) as lock:
        request = _locked_request(lock, request)
        if request.status not in MeetingRequest.OPEN:
            raise MatchmakingError(_("This request is already closed."))
        if request.status == Status.SCHEDULED and request.slot.starts_at <= now:
            raise MatchmakingError(_("This meeting has already started."))
        request_cancel_locked(request, by=by, now=now)
    return request


@retry_when_busy()
def request_schedule(
    *,
    request: MeetingRequest,
    slot_id: int,
    table_id: int | None = None,
    now: dt.datetime | None = None,
    accepted_only: bool = False,
) -> MeetingRequest:
    """An organizer places an accepted (or moves a scheduled) meeting at a slot, at the
        given table or the first free one. A locked meeting stays where it is; a refusal
        names everything the place clashes with; a meeting put where it already is stays as it
    is (no email, no new SEQUENCE). ``accepted_only``: place it only if it has
        no place yet (a request scheduled meanwhile is not moved)."""
    now = now or timezone.now()
    slot = _slot_of_meeting(request.meeting, slot_id)
    table = None
    if table_id not in (None, ""):
        table = (
            Table.objects.filter(pk=table_id, b2b_session=slot.b2b_session).first()
            if _is_id(table_id)
            else None
        )
        if table is None:
            raise MatchmakingError(_("Choose one of this session's tables."), field="table")
    with people_lock(
        registration_ids=[request.requester_id, request.recipient_id], slot_ids=[slot.pk]
    ) as lock:
        request = _locked_request(lock, request)
        if request.status not in (Status.ACCEPTED, Status.SCHEDULED):
            raise MatchmakingError(_("Only accepted requests can be scheduled."))
        moved = request.status == Status.SCHEDULED
        if moved and accepted_only:
            raise MatchmakingError(_("This request was scheduled meanwhile."))
        if moved and request.slot_id == slot.pk and table in (None, request.table):
            # Already there: nothing moves, nobody is emailed, the SEQUENCE stays.
            return request
        if moved and request.locked:
            raise MatchmakingError(_("This meeting is locked: unlock it to move it."))
        _place(lock, request, slot, now=now, table=table, explain=True)
        _notify_scheduled(request, event="moved" if moved else "scheduled")
    return request


def registration_requests_cancel(*, registration: Registration) -> int:
    """The person left the meeting (cancelled, rejected, seat released): their open requests
    and meetings are cancelled, the other people told. Runs inside the caller's transaction
    (the registrations' capacity lock), so it locks nothing of its own."""
    requests = list(
        MeetingRequest.objects.filter(
            requester=registration, status__in=MeetingRequest.OPEN
        ).select_related("meeting", "requester", "recipient", "slot")
    ) + list(
        MeetingRequest.objects.filter(
            recipient=registration, status__in=MeetingRequest.OPEN
        ).select_related("meeting", "requester", "recipient", "slot")
    )
    now = timezone.now()
    for request in requests:
        request_cancel_locked(request, by=registration, now=now, left=True)
    return len(requests)
