"""The capacity lock: one short transaction that holds the meeting row, then session rows.

Every write that can change who holds a seat runs inside ``capacity_lock``:
it opens the outermost transaction and locks in ``agenda.locking``'s order
(the meeting row first, then any Session rows in id order), so two writers
never wait on each other in opposite orders. The wait is bounded
(``core.locking``); running out, or a deadlock, rolls everything back and
becomes ``RegistrationBusy``.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction

from agenda.locking import meeting_lock, sessions_lock
from agenda.models import Session
from core.locking import busy_as
from events.models import Meeting
from registrations.services.errors import RegistrationBusy


class CapacityLock:
    """The rows locked by one capacity transaction."""

    def __init__(self, meeting: Meeting):
        self.meeting = meeting
        self.sessions: dict[int, Session] = {}

    def lock_sessions(self, session_ids: Iterable[int]) -> dict[int, Session]:
        """Lock (once) and return these sessions of the meeting, taken in id order."""
        session_ids = list(session_ids)
        missing = sorted(set(session_ids) - set(self.sessions))
        if missing:
            for session in sessions_lock(
                meeting_id=self.meeting.pk,
                session_ids=missing,
                busy=RegistrationBusy,
                related=("room",),
                for_update=locking_enabled(),
            ):
                self.sessions[session.pk] = session
        return {pk: self.sessions[pk] for pk in session_ids if pk in self.sessions}


def locking_enabled() -> bool:
    # Only the negative control of the concurrency tests sets this (to False), to
    # show that the tests catch overbooking without the lock; nothing else does.
    return getattr(settings, "REGISTRATION_CAPACITY_LOCKING", True)


@contextmanager
def capacity_lock(*, meeting_id: int, session_ids: Iterable[int] = ()) -> Iterator[CapacityLock]:
    """Open the outermost transaction and lock the meeting, then the given sessions."""
    # Around the whole transaction: a lock wait in the body or at commit is busy too.
    with busy_as(RegistrationBusy), transaction.atomic(durable=True):
        meeting = meeting_lock(
            meeting_id=meeting_id,
            busy=RegistrationBusy,
            related=("venue",),
            for_update=locking_enabled(),
        )
        lock = CapacityLock(meeting)
        lock.lock_sessions(session_ids)
        yield lock
