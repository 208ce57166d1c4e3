"""Every write to the agenda, and the rules that keep it consistent.

The rules: a session lies within the meeting's days (in the meeting's time
zone) and ends after it starts; a room holds one session at a time; a speaker
is never in two overlapping sessions; a session's capacity fits its room.
Each refusal is an ``AgendaError`` whose message names what it conflicts with.

Concurrency: every write locks the meeting row first, then the sessions it
changes (always in that order), with a bounded lock wait on PostgreSQL. Two
writers of one meeting therefore run one after the other and the second sees
the first's session. Rooms can be shared by meetings at the same venue, which
the meeting lock does not serialize; there the PostgreSQL exclusion constraint
``session_room_no_overlap`` refuses the second writer and its IntegrityError
becomes the same clean ``AgendaError``.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from agenda.models import Session, SessionSpeaker, Speaker, Track
from core.errors import Busy, DomainError
from events.models import Meeting, Room
from events.text import nfc

ROOM_CONSTRAINT = "session_room_no_overlap"
EXTERNAL_ID_CONSTRAINT = "session_unique_external_id_per_meeting"
# PostgreSQL's SQLSTATEs for "lock_timeout expired" and "deadlock detected": both
# mean another writer holds what we need, and trying again is the cure.
BUSY_SQLSTATES = {"55P03", "40P01"}

SESSION_FIELDS = {
    "title",
    "abstract",
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
SESSION_TEXT_FIELDS = ("title", "abstract", "external_id")
# A change of these is what calendar clients must take as an update.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "room_id", "status")


class AgendaError(DomainError):
    """An agenda change that the rules refuse; the message is for people.

    ``field`` names the input the message is about (for forms and the API), or is
    None when it is about the change as a whole.
    """

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field


class AgendaBusy(AgendaError, Busy):
    """Somebody else is changing this meeting's agenda right now; trying again will do."""

    def __init__(self, message: str | None = None):
        message = message or _("The agenda is being changed by someone else; try again.")
        super().__init__(message)


# --- the hook for attendees --------------------------------------------------


def notify_session_changed(
    *, session: Session, change: str, previous: dict[str, Any] | None = None
) -> None:
    """Called inside the transaction of every published session change.

    ``change`` is "moved" (time and/or room), "cancelled", "restored" or
    "confirmed"; ``previous`` holds the old ``starts_at``, ``ends_at``,
    ``room_id`` and ``status``. The registrations app attaches attendee
    notices here (outbox rows written in this same transaction, so a rolled
    back change sends nothing).
    """
    # Imported here: registrations builds on the agenda, not the other way round.
    from registrations.services.agenda_notices import session_change_notices_record

    session_change_notices_record(session=session, change=change)


def notify_session_seats_added(*, session: Session) -> None:
    """Called inside the transaction (meeting and session locked) when a session gets
    more seats: a larger capacity or room. The people waiting for it get them now."""
    from registrations.services.bookings import session_seats_fill

    session_seats_fill(session=session)


# --- locking -------------------------------------------------------------------


@contextmanager
def _busy_as_agenda_error() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) in BUSY_SQLSTATES:
            raise AgendaBusy() from exc
        if connection.vendor == "sqlite" and "database is locked" in str(exc):
            raise AgendaBusy() from exc  # the embedded mode's write lock was not free in time
        raise


def _lock_meeting(meeting: Meeting) -> Meeting:
    """Lock the meeting row (the first lock of every agenda write), waiting a bounded time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # SET LOCAL takes no bind parameters; the value is an int from settings.
            cursor.execute(f"SET LOCAL lock_timeout = {int(settings.LOCK_TIMEOUT_MS)}")
    with _busy_as_agenda_error():
        return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _lock_session(session: Session) -> Session:
    with _busy_as_agenda_error():
        return (
            Session.objects.select_for_update(of=("self",))
            .select_related("meeting", "room", "track")
            .get(pk=session.pk)
        )


# --- the rules -------------------------------------------------------------------


def _local(meeting: Meeting, when: dt.datetime) -> dt.datetime:
    return timezone.localtime(when, meeting.tzinfo)


def describe(session: Session) -> str:
    """'Opening' 09:30–10:00 (Tue 10 Dec): title, times and day in the meeting's time zone."""
    meeting = session.meeting
    if session.starts_at is None:
        return f"'{session.title}'"
    start, end = _local(meeting, session.starts_at), _local(meeting, session.ends_at)
    day = formats.date_format(start, pgettext("conflict day", "D j M"))
    return f"'{session.title}' {start:%H:%M}–{end:%H:%M} ({day})"


def _check_times(meeting: Meeting, starts_at, ends_at) -> None:
    if (starts_at is None) != (ends_at is None):
        raise AgendaError(_("Give both a start and an end time, or neither."))
    if starts_at is None:
        return
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise AgendaError(_("Times need a time zone."))
    if ends_at <= starts_at:
        raise AgendaError(_("A session must end after it starts."))
    if starts_at < meeting.starts_at or ends_at > meeting.ends_at:
        first, last = meeting.starts_on, meeting.ends_on
        raise AgendaError(
            _("A session must lie within the meeting's days (%(first)s–%(last)s, %(zone)s).")
            % {
                "first": formats.date_format(first, pgettext("conflict date", "d M Y")),
                "last": formats.date_format(last, pgettext("conflict date", "d M Y")),
                "zone": meeting.timezone,
            }
        )


def _check_room(session: Session) -> None:
    """A room holds one live session at a time (across meetings sharing the venue)."""
    if session.room_id is None:
        return
    if session.room.venue_id != session.meeting.venue_id:
        raise AgendaError(
            _("Room %(room)s is not at this meeting's venue.") % {"room": session.room.name}
        )
    if session.starts_at is None or session.status == Session.Status.CANCELLED:
        return
    clash = (
        Session.objects.filter(
            room_id=session.room_id,
            starts_at__lt=session.ends_at,
            ends_at__gt=session.starts_at,
        )
        .exclude(status=Session.Status.CANCELLED)
        .exclude(pk=session.pk)
        .select_related("meeting")
        .order_by("starts_at", "pk")
        .first()
    )
    if clash is not None:
        raise AgendaError(
            _("Room %(room)s is taken by %(session)s.")
            % {"room": session.room.name, "session": describe(clash)}
        )


def _check_speakers(session: Session, speaker_ids: Iterable[int] | None = None) -> None:
    """No speaker of this session is in another live session at the same time."""
    if session.starts_at is None or session.status == Session.Status.CANCELLED:
        return
    if speaker_ids is None:
        if session.pk is None:
            return
        speaker_ids = list(session.speaker_links.values_list("speaker_id", flat=True))
    speaker_ids = list(speaker_ids)
    if not speaker_ids:
        return
    clash = (
        SessionSpeaker.objects.filter(
            speaker_id__in=speaker_ids,
            session__starts_at__lt=session.ends_at,
            session__ends_at__gt=session.starts_at,
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .exclude(session_id=session.pk)
        .select_related("speaker", "session__meeting")
        .order_by("session__starts_at", "session_id")
        .first()
    )
    if clash is not None:
        raise AgendaError(
            _("%(speaker)s already speaks in %(session)s.")
            % {"speaker": clash.speaker.name, "session": describe(clash.session)}
        )


def _check_capacity(session: Session) -> None:
    _check_seats_held(session)
    room = session.room if session.room_id else None
    if room is None or session.capacity is None or room.capacity is None:
        return
    if session.capacity > room.capacity:
        raise AgendaError(
            _("A capacity of %(capacity)s does not fit room %(room)s (%(seats)s seats).")
            % {"capacity": session.capacity, "room": room.name, "seats": room.capacity}
        )


def _check_seats_held(session: Session) -> None:
    """Fewer seats than people already holding one would overbook the session."""
    seats = session.effective_capacity
    if session.pk is None or not session.requires_booking or seats is None:
        return
    # Imported here: registrations builds on the agenda, not the other way round.
    from registrations.models import SessionBooking

    held = SessionBooking.objects.filter(
        session_id=session.pk, status=SessionBooking.Status.BOOKED
    ).count()
    if held > seats:
        raise AgendaError(
            _(
                "%(held)s people hold a seat in %(session)s: it cannot have %(seats)s seats. "
                "Cancel bookings first, or keep more seats."
            )
            % {"held": held, "session": describe(session), "seats": seats}
        )


def _check_external_id(session: Session) -> None:
    """An external id (the key agenda imports match on) names one session per meeting."""
    if not session.external_id:
        return
    clash = (
        Session.objects.filter(meeting_id=session.meeting_id, external_id=session.external_id)
        .exclude(pk=session.pk)
        .select_related("meeting")
        .first()
    )
    if clash is not None:
        raise AgendaError(
            _("External id %(external_id)s is already used by %(session)s.")
            % {"external_id": session.external_id, "session": describe(clash)},
            field="external_id",
        )


def _check_belongs(meeting: Meeting, *, track: Track | None = None) -> None:
    if track is not None and track.meeting_id != meeting.pk:
        raise AgendaError(_("Track %(track)s belongs to another meeting.") % {"track": track.name})


def sessions_fit_meeting(*, meeting: Meeting) -> None:
    """Refuse new days, zone or venue of a meeting that would strand its scheduled sessions.

    ``meeting`` carries the new values (unsaved); the first session outside
    the new days or in a room of another venue is named.
    """
    live = meeting.sessions.exclude(status=Session.Status.CANCELLED).filter(starts_at__isnull=False)
    outside = (
        live.filter(Q(starts_at__lt=meeting.starts_at) | Q(ends_at__gt=meeting.ends_at))
        .select_related("meeting")
        .order_by("starts_at", "pk")
        .first()
    )
    if outside is not None:
        outside.meeting = meeting
        raise AgendaError(
            _("%(session)s would fall outside the meeting's days; move or cancel it first.")
            % {"session": describe(outside)}
        )
    elsewhere = (
        meeting.sessions.filter(room__isnull=False)
        .exclude(room__venue_id=meeting.venue_id)
        .select_related("room")
        .order_by("starts_at", "pk")
        .first()
    )
    if elsewhere is not None:
        raise AgendaError(
            _("%(session)s is in room %(room)s of another venue; move it first.")
            % {"session": f"'{elsewhere.title}'", "room": elsewhere.room.name}
        )


def _check_text(instance, names: Iterable[str]) -> None:
    """One-line fields hold one line of plain text (NFC), long texts fit their limit.

    The model fields' own validators, so the admin, the forms, the API and the
    importers all refuse the same text with the same message.
    """
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        if not isinstance(value, str):
            raise AgendaError(_("%(field)s must be text.") % {"field": field.verbose_name})
        value = nfc(value)
        setattr(instance, name, value)
        try:
            field.run_validators(value)
        except ValidationError as exc:
            raise AgendaError(
                f"{capfirst(field.verbose_name)}: {exc.messages[0]}", field=name
            ) from exc


def _validate(session: Session) -> None:
    meeting = session.meeting
    if not session.title or not session.title.strip():
        raise AgendaError(_("A session needs a title."))
    _check_text(session, SESSION_TEXT_FIELDS)
    _check_times(meeting, session.starts_at, session.ends_at)
    _check_belongs(meeting, track=session.track if session.track_id else None)
    _check_external_id(session)
    _check_capacity(session)
    _check_room(session)
    _check_speakers(session)


def _save(session: Session, **kwargs) -> None:
    """Save; the database's room constraint becomes the same message as the service check."""
    try:
        # A savepoint, so the outer transaction stays usable; waiting on another
        # transaction's conflicting row is bounded by lock_timeout too.
        with _busy_as_agenda_error(), transaction.atomic():
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
        _check_room(session)  # the winner has committed by now: name it
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


def _apply(session: Session, data: dict[str, Any]) -> Session:
    """Set fields on a locked session, check every rule, save, bump sequence, notify."""
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
    _validate(session)
    after = _snapshot(session)
    change = _change_kind(before, after)
    published = session.meeting.status == Meeting.Status.PUBLISHED
    if change and published:
        session.sequence += 1
    _save(session)
    if change and published:
        notify_session_changed(session=session, change=change, previous=before)
    if _more_seats(seats_before, session.effective_capacity):
        notify_session_seats_added(session=session)
    return session


def _more_seats(before: int | None, after: int | None) -> bool:
    """None means unlimited."""
    return before is not None and (after is None or after > before)


# --- sessions ---------------------------------------------------------------------


@transaction.atomic
def session_create(*, meeting: Meeting, title: str, **data: Any) -> Session:
    """A new session (draft unless ``status`` says otherwise), checked against every rule."""
    meeting = _lock_meeting(meeting)
    unknown = set(data) - SESSION_FIELDS
    if unknown:
        raise AgendaError(f"These fields cannot be set: {', '.join(sorted(unknown))}.")
    session = Session(meeting=meeting, title=title, **data)
    if session.status not in Session.Status.values:
        raise AgendaError(f"Unknown status {session.status!r}.")
    if session.kind not in Session.Kind.values:
        raise AgendaError(f"Unknown kind {session.kind!r}.")
    _validate(session)
    _save(session)
    return session


@transaction.atomic
def session_update(*, session: Session, data: dict[str, Any]) -> Session:
    """Change any of a session's fields; time, room or status changes bump ``sequence``."""
    _lock_meeting(session.meeting)
    return _apply(_lock_session(session), data)


@transaction.atomic
def session_move(
    *,
    session: Session,
    room: Room | None,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None = None,
) -> Session:
    """Put a session in another room and/or time; without ``ends_at`` it keeps its length."""
    _lock_meeting(session.meeting)
    locked = _lock_session(session)
    if starts_at is not None and ends_at is None and locked.starts_at is not None:
        ends_at = starts_at + (locked.ends_at - locked.starts_at)
    return _apply(locked, {"room": room, "starts_at": starts_at, "ends_at": ends_at})


@transaction.atomic
def session_cancel(*, session: Session) -> Session:
    """Mark a session cancelled; it stays in feeds (as cancelled) and frees its room."""
    _lock_meeting(session.meeting)
    locked = _lock_session(session)
    if locked.status == Session.Status.CANCELLED:
        return locked
    return _apply(locked, {"status": Session.Status.CANCELLED})


@transaction.atomic
def session_restore(*, session: Session) -> Session:
    """Bring a cancelled session back as confirmed, if its room and speakers are still free."""
    _lock_meeting(session.meeting)
    locked = _lock_session(session)
    if locked.status != Session.Status.CANCELLED:
        raise AgendaError(_("%(session)s is not cancelled.") % {"session": describe(locked)})
    return _apply(locked, {"status": Session.Status.CONFIRMED})


@transaction.atomic
def session_delete(*, session: Session) -> None:
    """Delete a session that nobody has seen: drafts, or anything while the meeting is a draft."""
    meeting = _lock_meeting(session.meeting)
    locked = _lock_session(session)
    if meeting.status != Meeting.Status.DRAFT and locked.status != Session.Status.DRAFT:
        raise AgendaError(
            f"{describe(locked)} is public; cancel it instead, so calendars remove it."
        )
    locked.delete()


# --- speakers on sessions ------------------------------------------------------------


@transaction.atomic
def session_speaker_add(
    *,
    session: Session,
    speaker: Speaker,
    role: str = SessionSpeaker.Role.SPEAKER,
    position: int | None = None,
) -> SessionSpeaker:
    """Add a speaker to a session (at the end unless ``position`` is given)."""
    _lock_meeting(session.meeting)
    locked = _lock_session(session)
    if speaker.meeting_id != locked.meeting_id:
        raise AgendaError(
            _("%(speaker)s is a speaker of another meeting.") % {"speaker": speaker.name}
        )
    if role not in SessionSpeaker.Role.values:
        raise AgendaError(f"Unknown role {role!r}.")
    if locked.speaker_links.filter(speaker=speaker).exists():
        raise AgendaError(
            _("%(speaker)s is already in %(session)s.")
            % {"speaker": speaker.name, "session": describe(locked)}
        )
    _check_speakers(locked, [speaker.pk])
    if position is None:
        position = locked.speaker_links.count()
    link = SessionSpeaker.objects.create(
        session=locked, speaker=speaker, role=role, position=position
    )
    locked.save(update_fields=["updated_at"])
    return link


@transaction.atomic
def session_speaker_remove(*, session: Session, speaker: Speaker) -> None:
    _lock_meeting(session.meeting)
    locked = _lock_session(session)
    deleted, _per_model = locked.speaker_links.filter(speaker=speaker).delete()
    if not deleted:
        raise AgendaError(
            _("%(speaker)s is not in %(session)s.")
            % {"speaker": speaker.name, "session": describe(locked)}
        )
    locked.save(update_fields=["updated_at"])


@transaction.atomic
def session_speakers_reorder(*, session: Session, speakers: list[Speaker]) -> None:
    """Put the session's speakers in this order; the list must name each of them once."""
    _lock_meeting(session.meeting)
    locked = _lock_session(session)
    links = {link.speaker_id: link for link in locked.speaker_links.all()}
    wanted = [speaker.pk for speaker in speakers]
    if sorted(wanted) != sorted(links):
        raise AgendaError(_("Give every speaker of the session exactly once to reorder them."))
    for position, speaker_id in enumerate(wanted):
        link = links[speaker_id]
        if link.position != position:
            link.position = position
            link.save(update_fields=["position", "updated_at"])
    locked.save(update_fields=["updated_at"])


# --- speakers and tracks -----------------------------------------------------------------

SPEAKER_FIELDS = {"slug", "name", "job_title", "bio", "organization", "email", "external_id"}
TRACK_FIELDS = {"slug", "name", "colour", "position"}
SPEAKER_TEXT_FIELDS = ("name", "job_title", "bio", "email", "external_id")


def _check_unique(model, meeting: Meeting, pk: int | None, **lookup: Any) -> None:
    clash = model.objects.filter(meeting=meeting, **lookup).exclude(pk=pk).first()
    if clash is not None:
        ((name, value),) = lookup.items()
        raise AgendaError(f"{clash} already uses the {name} {value!r}.")


@transaction.atomic
def speaker_create(*, meeting: Meeting, name: str, slug: str, **data: Any) -> Speaker:
    meeting = _lock_meeting(meeting)
    return _speaker_save(Speaker(meeting=meeting), {"name": name, "slug": slug, **data})


@transaction.atomic
def speaker_update(*, speaker: Speaker, data: dict[str, Any]) -> Speaker:
    _lock_meeting(speaker.meeting)
    return _speaker_save(speaker, data)


def _speaker_save(speaker: Speaker, data: dict[str, Any]) -> Speaker:
    unknown = set(data) - SPEAKER_FIELDS
    if unknown:
        raise AgendaError(f"These fields cannot be set: {', '.join(sorted(unknown))}.")
    for name, value in data.items():
        setattr(speaker, name, value)
    if not speaker.name.strip() or not speaker.slug:
        raise AgendaError(_("A speaker needs a name and a slug."))
    _check_text(speaker, SPEAKER_TEXT_FIELDS)
    _check_unique(Speaker, speaker.meeting, speaker.pk, slug=speaker.slug)
    if speaker.external_id:
        _check_unique(Speaker, speaker.meeting, speaker.pk, external_id=speaker.external_id)
    speaker.save()
    return speaker


@transaction.atomic
def track_create(*, meeting: Meeting, name: str, slug: str, **data: Any) -> Track:
    meeting = _lock_meeting(meeting)
    return _track_save(Track(meeting=meeting), {"name": name, "slug": slug, **data})


@transaction.atomic
def track_update(*, track: Track, data: dict[str, Any]) -> Track:
    _lock_meeting(track.meeting)
    return _track_save(track, data)


def _track_save(track: Track, data: dict[str, Any]) -> Track:
    unknown = set(data) - TRACK_FIELDS
    if unknown:
        raise AgendaError(f"These fields cannot be set: {', '.join(sorted(unknown))}.")
    for name, value in data.items():
        setattr(track, name, value)
    if not track.name.strip() or not track.slug:
        raise AgendaError(_("A track needs a name and a slug."))
    _check_text(track, ("name",))
    _check_unique(Track, track.meeting, track.pk, slug=track.slug)
    _check_unique(Track, track.meeting, track.pk, name=track.name)
    track.save()
    return track


# --- publishing ------------------------------------------------------------------------------


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
    meeting = _lock_meeting(meeting)
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
        _apply(session, {"status": Session.Status.CONFIRMED})
        result.confirmed.append(session)
    if meeting.status == Meeting.Status.DRAFT:
        meeting.status = Meeting.Status.PUBLISHED
        meeting.save(update_fields=["status", "updated_at"])
        result.meeting_published = True
    return result


def session_check(*, session: Session, speaker_ids: Iterable[int] | None = None) -> None:
    """Check an unsaved change against every rule without writing or locking (for forms that
    want to show the reason before saving; the writing service checks again under the lock)."""
    _validate(session)
    if speaker_ids is not None:
        _check_speakers(session, speaker_ids)
