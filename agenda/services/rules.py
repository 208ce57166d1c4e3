"""The agenda's rules, checked by every write (and by forms before they save).

A session lies within the meeting's days (in the meeting's time zone) and ends
after it starts; a room holds one session at a time; a speaker is never in two
overlapping sessions; a session's capacity fits its room (and the seats its
people already hold: registrations answer ``agenda.signals.session_rules_check``).
Each refusal is an ``AgendaError`` whose message names what it conflicts with.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from agenda.models import Session, SessionSpeaker, Track
from agenda.services.errors import AgendaError
from agenda.signals import session_rules_check
from events.models import Meeting
from events.text import nfc

SESSION_TEXT_FIELDS = ("title", "abstract", "external_id")


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


def check_times(meeting: Meeting, starts_at, ends_at) -> None:
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


def check_room(session: Session) -> None:
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


def check_speakers(session: Session, speaker_ids: Iterable[int] | None = None) -> None:
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


def check_capacity(session: Session) -> None:
    # Seats already held are the registrations' to count: they answer this signal.
    session_rules_check.send(sender=Session, session=session)
    room = session.room if session.room_id else None
    if room is None or session.capacity is None or room.capacity is None:
        return
    if session.capacity > room.capacity:
        raise AgendaError(
            _("A capacity of %(capacity)s does not fit room %(room)s (%(seats)s seats).")
            % {"capacity": session.capacity, "room": room.name, "seats": room.capacity}
        )


def check_external_id(session: Session) -> None:
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


def check_belongs(meeting: Meeting, *, track: Track | None = None) -> None:
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


def check_text(instance, names: Iterable[str]) -> None:
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


def validate(session: Session) -> None:
    meeting = session.meeting
    if not session.title or not session.title.strip():
        raise AgendaError(_("A session needs a title."))
    if session.language and session.language not in Meeting.Language.values:
        raise AgendaError(_("Choose a language we write in."), field="language")
    check_text(session, SESSION_TEXT_FIELDS)
    check_times(meeting, session.starts_at, session.ends_at)
    check_belongs(meeting, track=session.track if session.track_id else None)
    check_external_id(session)
    check_capacity(session)
    check_room(session)
    check_speakers(session)


def check_unique(model: type[Model], meeting: Meeting, pk: int | None, **lookup: Any) -> None:
    clash = model.objects.filter(meeting=meeting, **lookup).exclude(pk=pk).first()
    if clash is not None:
        ((name, value),) = lookup.items()
        raise AgendaError(f"{clash} already uses the {name} {value!r}.")


def apply_named(
    instance: Model,
    data: dict[str, Any],
    *,
    fields: set[str],
    text_fields: Sequence[str],
    unique: Sequence[str],
    incomplete: str,
) -> None:
    """Set ``data`` on a speaker or a track and check it (not saved).

    It needs a name and a slug (else ``incomplete``); each of ``unique`` that is
    set names one of them per meeting.
    """
    unknown = set(data) - fields
    if unknown:
        raise AgendaError(f"These fields cannot be set: {', '.join(sorted(unknown))}.")
    for name, value in data.items():
        setattr(instance, name, value)
    if not instance.name.strip() or not instance.slug:
        raise AgendaError(incomplete)
    check_text(instance, text_fields)
    for name in unique:
        if value := getattr(instance, name):
            check_unique(type(instance), instance.meeting, instance.pk, **{name: value})


def session_check(*, session: Session, speaker_ids: Iterable[int] | None = None) -> None:
    """Check an unsaved change against every rule without writing or locking (for forms that
    want to show the reason before saving; the writing service checks again under the lock)."""
    validate(session)
    if speaker_ids is not None:
        check_speakers(session, speaker_ids)
