"""Speakers: who speaks in a session (add, remove, reorder, set), and the speakers themselves.

Every write locks the meeting row, then the session (``locks``); a speaker is
never in two overlapping sessions (``rules.check_speakers``).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from agenda.models import Session, SessionSpeaker, Speaker
from agenda.services.errors import AgendaError
from agenda.services.locks import lock_meeting, lock_session
from agenda.services.rules import apply_named, check_speakers, describe
from events.models import Meeting

SPEAKER_FIELDS = {"slug", "name", "job_title", "bio", "organization", "email", "external_id"}
SPEAKER_TEXT_FIELDS = ("name", "job_title", "bio", "email", "external_id")


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
    lock_meeting(session.meeting)
    return _add(lock_session(session), speaker, role, position)


@transaction.atomic
def session_speaker_remove(*, session: Session, speaker: Speaker) -> None:
    lock_meeting(session.meeting)
    _remove(lock_session(session), speaker)


@transaction.atomic
def session_speakers_reorder(*, session: Session, speakers: list[Speaker]) -> None:
    """Put the session's speakers in this order; the list must name each of them once."""
    lock_meeting(session.meeting)
    _reorder(lock_session(session), speakers)


@dataclass
class SpeakersSetResult:
    """What ``session_speakers_set`` wrote (the admin logs it)."""

    added: list[SessionSpeaker] = field(default_factory=list)
    removed: list[SessionSpeaker] = field(default_factory=list)
    reordered: bool = False


@transaction.atomic
def session_speakers_set(
    *, session: Session, speakers: Sequence[tuple[Speaker, str]]
) -> SpeakersSetResult:
    """Make the session's speakers exactly these (speaker, role) pairs, in this order.

    Only what differs is written: a speaker whose role changes is removed and
    added again; the order is set only when it is not already this one.
    """
    lock_meeting(session.meeting)
    locked = lock_session(session)
    result = SpeakersSetResult()
    current = {link.speaker_id: link for link in locked.speaker_links.select_related("speaker")}
    roles = {speaker.pk: role for speaker, role in speakers}
    for speaker_id, link in current.items():
        if roles.get(speaker_id) != link.role:
            _remove(locked, link.speaker)
            result.removed.append(link)
    for speaker, role in speakers:
        link = current.get(speaker.pk)
        if link is None or link.role != role:
            result.added.append(_add(locked, speaker, role, None))
    order = [speaker.pk for speaker, _role in speakers]
    now = list(locked.speaker_links.order_by("position", "pk").values_list("speaker_id", flat=True))
    if order and order != now:
        _reorder(locked, [speaker for speaker, _role in speakers])
        result.reordered = True
    return result


def _add(locked: Session, speaker: Speaker, role: str, position: int | None) -> SessionSpeaker:
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
    check_speakers(locked, [speaker.pk])
    if position is None:
        position = locked.speaker_links.count()
    link = SessionSpeaker.objects.create(
        session=locked, speaker=speaker, role=role, position=position
    )
    locked.save(update_fields=["updated_at"])
    return link


def _remove(locked: Session, speaker: Speaker) -> None:
    deleted, _per_model = locked.speaker_links.filter(speaker=speaker).delete()
    if not deleted:
        raise AgendaError(
            _("%(speaker)s is not in %(session)s.")
            % {"speaker": speaker.name, "session": describe(locked)}
        )
    locked.save(update_fields=["updated_at"])


def _reorder(locked: Session, speakers: list[Speaker]) -> None:
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


# --- the speakers themselves ----------------------------------------------------------


@transaction.atomic
def speaker_create(*, meeting: Meeting, name: str, slug: str, **data: Any) -> Speaker:
    meeting = lock_meeting(meeting)
    return _speaker_save(Speaker(meeting=meeting), {"name": name, "slug": slug, **data})


@transaction.atomic
def speaker_update(*, speaker: Speaker, data: dict[str, Any]) -> Speaker:
    lock_meeting(speaker.meeting)
    return _speaker_save(speaker, data)


def _speaker_save(speaker: Speaker, data: dict[str, Any]) -> Speaker:
    apply_named(
        speaker,
        data,
        fields=SPEAKER_FIELDS,
        text_fields=SPEAKER_TEXT_FIELDS,
        unique=("slug", "external_id"),
        incomplete=_("A speaker needs a name and a slug."),
    )
    speaker.save()
    return speaker
