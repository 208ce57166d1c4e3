"""Every write to the agenda, and the rules that keep it consistent, split along the domain.

- ``rules``: the checks every write runs (and forms run before saving), ``describe``;
- ``sessions``: create, change, move, cancel, restore, delete a session;
- ``speakers``: speakers on sessions, and the speakers themselves;
- ``tracks``; ``publishing``: the agenda goes public;
- ``translations``: a session's title and abstract in another language;
- ``errors``: ``AgendaError`` and ``AgendaBusy``; ``locks``: the meeting, then the session.

Changes are announced to the apps built on the agenda with ``agenda.signals``.
"""

from agenda.services.errors import AgendaBusy, AgendaError
from agenda.services.publishing import PublishResult, agenda_publish
from agenda.services.rules import describe, session_check, sessions_fit_meeting
from agenda.services.sessions import (
    SESSION_FIELDS,
    session_cancel,
    session_create,
    session_delete,
    session_move,
    session_restore,
    session_update,
)
from agenda.services.speakers import (
    SpeakersSetResult,
    session_speaker_add,
    session_speaker_remove,
    session_speakers_reorder,
    session_speakers_set,
    speaker_create,
    speaker_update,
)
from agenda.services.tracks import track_create, track_update
from agenda.services.translations import session_save, session_translation_set

__all__ = [
    "SESSION_FIELDS",
    "AgendaBusy",
    "AgendaError",
    "PublishResult",
    "SpeakersSetResult",
    "agenda_publish",
    "describe",
    "session_cancel",
    "session_check",
    "session_create",
    "session_delete",
    "session_move",
    "session_restore",
    "session_save",
    "session_speaker_add",
    "session_speaker_remove",
    "session_speakers_reorder",
    "session_speakers_set",
    "session_translation_set",
    "session_update",
    "sessions_fit_meeting",
    "speaker_create",
    "speaker_update",
    "track_create",
    "track_update",
]
