"""When the agenda changes a matchmaking session: slots follow its times, people hear of it.

Called by ``matchmaking/receivers.py`` inside the agenda change's transaction
(meeting and session locked). A refusal here is the agenda's own
``AgendaError``, so the agenda's forms and API show it like any rule of theirs.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import Session
from agenda.services import AgendaError, describe
from mail.models import OutboxMessage
from matchmaking.models import B2BSession, MeetingRequest, SlotSeat
from matchmaking.services.requests import notify, request_cancel_locked
from matchmaking.services.setup import slot_times, slots_sync

Kind = OutboxMessage.Kind
Status = MeetingRequest.Status


def _b2b(session: Session) -> B2BSession | None:
    if session.pk is None:
        return None
    return B2BSession.objects.filter(session_id=session.pk).first()


def b2b_session_change_check(*, session: Session) -> None:
    """Refuse a change of a matchmaking session that would drop scheduled meetings: a kind
    other than B2B, no time, or times that hold fewer slots than are in use."""
    b2b_session = _b2b(session)
    if b2b_session is None:
        return
    scheduled = MeetingRequest.objects.filter(
        slot__b2b_session=b2b_session, status=Status.SCHEDULED
    )
    if not scheduled.exists():
        return
    if session.kind != Session.Kind.B2B or session.starts_at is None:
        raise AgendaError(
            _("%(session)s holds scheduled B2B meetings: move or cancel them first.")
            % {"session": describe(session)}
        )
    count = len(slot_times(session, b2b_session.slot_minutes))
    if scheduled.filter(slot__position__gte=count).exists():
        raise AgendaError(
            _(
                "%(session)s holds B2B meetings in slots the new times leave out: "
                "move or cancel them first."
            )
            % {"session": describe(session)}
        )


def b2b_session_follow(*, session: Session) -> None:
    """Re-time the session's slots (its scheduled meetings move with them)."""
    b2b_session = _b2b(session)
    if b2b_session is None or session.starts_at is None:
        return
    b2b_session.session = session
    slots_sync(b2b_session=b2b_session)


def b2b_session_changed(*, session: Session, change: str) -> None:
    """A published matchmaking session moved (its meetings moved with it: a new invitation
    with a higher SEQUENCE for both people) or was cancelled (its meetings are cancelled)."""
    b2b_session = _b2b(session)
    if b2b_session is None:
        return
    meetings = list(
        MeetingRequest.objects.filter(
            slot__b2b_session=b2b_session, status=Status.SCHEDULED
        ).select_related("meeting", "requester", "recipient", "slot")
    )
    if change == "moved":
        for request in meetings:
            request.sequence += 1
            request.save(update_fields=["sequence", "updated_at"])
            for person in (request.requester, request.recipient):
                notify(
                    request,
                    Kind.B2B_MEETING_SCHEDULED,
                    to=person,
                    event=f"moved:{request.sequence}",
                    moved=True,
                )
    elif change == "cancelled":
        now = timezone.now()
        for request in meetings:
            request_cancel_locked(request, by=None, now=now)
        SlotSeat.objects.filter(slot__b2b_session=b2b_session).delete()
