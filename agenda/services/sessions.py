"""Sessions: create, change, move, cancel, restore, delete.

Concurrency: every write locks the meeting row first, then the session it
changes (always in that order), with a bounded lock wait. Two writers of one
meeting therefore run one after the other and the second sees the first's
session. Rooms can be shared by meetings at the same venue, which the meeting
lock does not serialize; there the PostgreSQL exclusion constraint
``session_room_no_overlap`` refuses the second writer and its IntegrityError
becomes the same clean ``AgendaError``.

A change is announced inside its transaction (``agenda.signals``): a change of
time, place or status in a published meeting as ``session_changed``, more
seats as ``session_seats_added``.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agenda.models import Session
from agenda.services.errors import AgendaBusy, AgendaError
from agenda.services.locks import lock_meeting, lock_session
from agenda.services.rules import check_room, describe, validate
from agenda.signals import session_changed, session_saved, session_seats_added
from core.locking import busy_as
from events.models import Meeting, Room

ROOM_CONSTRAINT = "session_room_no_overlap"
EXTERNAL_ID_CONSTRAINT = "session_unique_external_id_per_meeting"

SESSION_FIELDS = {
    "title",
    "abstract",
    "language",
    "kind",
    "track",
    "room",
    "starts_at",
    "ends_at",
    "capacity",
    "requires_booking",
    "status",
    "external_id",
}
# A change of these is what calendar clients must take as an update.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "room_id", "status")


def _save(session: Session, **kwargs) -> None:
    """Save; the database's room constraint becomes the same message as the service check."""
    try:
        # A savepoint, so the outer transaction stays usable; waiting on another
        # transaction's conflicting row is bounded by lock_timeout too.
        with busy_as(AgendaBusy), transaction.atomic():
            session.save(**kwargs)
    except IntegrityError as exc:
        if EXTERNAL_ID_CONSTRAINT in str(exc) or "agenda_session.external_id" in str(exc):
            # Only a writer outside the meeting lock gets here (PostgreSQL names the
            # constraint, SQLite the columns); the check above catches the rest.
            raise AgendaError(
                _("External id %(external_id)s is already used in this meeting.")
                % {"external_id": session.external_id},
                field="external_id",
            ) from exc
        if ROOM_CONSTRAINT not in str(exc):
            raise
        check_room(session)  # the winner has committed by now: name it
        raise AgendaError(
            _("Room %(room)s is taken at that time.") % {"room": session.room.name}
        ) from exc


def _snapshot(session: Session) -> dict[str, Any]:
    return {name: getattr(session, name) for name in SCHEDULE_FIELDS}


def _change_kind(before: dict[str, Any], after: dict[str, Any]) -> str | None:
    if before == after:
        return None
    if before["status"] != after["status"]:
        if after["status"] == Session.Status.CANCELLED:
            return "cancelled"
        if before["status"] == Session.Status.CANCELLED:
            return "restored"
        return "confirmed"
    return "moved"


def apply_locked(session: Session, data: dict[str, Any]) -> Session:
    """Set fields on a locked session, check every rule, save, bump sequence, announce it."""
    unknown = set(data) - SESSION_FIELDS
    if unknown:
        raise AgendaError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    if all(getattr(session, name) == value for name, value in data.items()):
        # Nothing to change: nothing is written, so no sequence, no email, and the
        # feeds' Last-Modified stays (a form saved untouched must not look like an edit).
        return session
    before = _snapshot(session)
    seats_before = session.effective_capacity
    for name, value in data.items():
        setattr(session, name, value)
    if session.status not in Session.Status.values:
        raise AgendaError(f"Unknown status {session.status!r}.")
    if session.kind not in Session.Kind.values:
        raise AgendaError(f"Unknown kind {session.kind!r}.")
    validate(session)
    after = _snapshot(session)
    change = _change_kind(before, after)
    published = session.meeting.status == Meeting.Status.PUBLISHED
    if change and published:
        session.sequence += 1
    _save(session)
    session_saved.send(sender=Session, session=session)
    if change and published:
        session_changed.send(sender=Session, session=session, change=change)
    if _more_seats(seats_before, session.effective_capacity):
        session_seats_added.send(sender=Session, session=session)
    return session


def _more_seats(before: int | None, after: int | None) -> bool:
    """None means unlimited."""
    return before is not None and (after is None or after > before)


@transaction.atomic
def session_create(*, meeting: Meeting, title: str, **data: Any) -> Session:
    """A new session (draft unless ``status`` says otherwise), checked against every rule."""
    meeting = lock_meeting(meeting)
    unknown = set(data) - SESSION_FIELDS
    if unknown:
        raise AgendaError(f"These fields cannot be set: {', '.join(sorted(unknown))}.")
    session = Session(meeting=meeting, title=title, **data)
    if session.status not in Session.Status.values:
        raise AgendaError(f"Unknown status {session.status!r}.")
    if session.kind not in Session.Kind.values:
        raise AgendaError(f"Unknown kind {session.kind!r}.")
    validate(session)
    _save(session)
    return session


@transaction.atomic
def session_update(*, session: Session, data: dict[str, Any]) -> Session:
    """Change any of a session's fields; time, room or status changes bump ``sequence``."""
    lock_meeting(session.meeting)
    return apply_locked(lock_session(session), data)


@transaction.atomic
def session_move(
    *,
    session: Session,
    room: Room | None,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None = None,
) -> Session:
    """Put a session in another room and/or time; without ``ends_at`` it keeps its length."""
    lock_meeting(session.meeting)
    locked = lock_session(session)
    if starts_at is not None and ends_at is None and locked.starts_at is not None:
        ends_at = starts_at + (locked.ends_at - locked.starts_at)
    return apply_locked(locked, {"room": room, "starts_at": starts_at, "ends_at": ends_at})


@transaction.atomic
def session_cancel(*, session: Session) -> Session:
    """Mark a session cancelled; it stays in feeds (as cancelled) and frees its room."""
    lock_meeting(session.meeting)
    locked = lock_session(session)
    if locked.status == Session.Status.CANCELLED:
        return locked
    return apply_locked(locked, {"status": Session.Status.CANCELLED})


@transaction.atomic
def session_restore(*, session: Session) -> Session:
    """Bring a cancelled session back as confirmed, if its room and speakers are still free."""
    lock_meeting(session.meeting)
    locked = lock_session(session)
    if locked.status != Session.Status.CANCELLED:
        raise AgendaError(_("%(session)s is not cancelled.") % {"session": describe(locked)})
    return apply_locked(locked, {"status": Session.Status.CONFIRMED})


@transaction.atomic
def session_delete(*, session: Session) -> None:
    """Delete a session that nobody has seen: drafts, or anything while the meeting is a draft."""
    meeting = lock_meeting(session.meeting)
    locked = lock_session(session)
    if meeting.status != Meeting.Status.DRAFT and locked.status != Session.Status.DRAFT:
        raise AgendaError(
            f"{describe(locked)} is public; cancel it instead, so calendars remove it."
        )
    locked.delete()
