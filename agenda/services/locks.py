"""The agenda services' locks: the meeting row first, then the session (``agenda.locking``).

A wait that runs out is ``AgendaBusy``.
"""

from agenda.locking import meeting_lock, session_lock
from agenda.models import Session
from agenda.services.errors import AgendaBusy
from events.models import Meeting


def lock_meeting(meeting: Meeting) -> Meeting:
    """Lock the meeting row (the first lock of every agenda write), waiting a bounded time."""
    return meeting_lock(meeting_id=meeting.pk, busy=AgendaBusy)


def lock_session(session: Session) -> Session:
    return session_lock(
        session_id=session.pk, busy=AgendaBusy, related=("meeting", "room", "track")
    )
