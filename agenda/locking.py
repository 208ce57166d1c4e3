"""The one lock order of every write that touches a meeting's agenda or seats.

The meeting row first, then session rows in id order, so two writers never
wait on each other in opposite orders. The agenda services and the
registrations' ``capacity_lock`` both take their locks here; the bounded wait
and the busy test are ``core.locking``'s. ``busy`` is the calling app's
``Busy`` error, raised when the wait runs out.
"""

from collections.abc import Callable, Iterable, Sequence

from agenda.models import Session
from core.errors import Busy
from core.locking import busy_as, lock_timeout
from events.models import Meeting


def meeting_lock(
    *,
    meeting_id: int,
    busy: Callable[[], Busy],
    related: Sequence[str] = (),
    for_update: bool = True,
) -> Meeting:
    """Lock the meeting row (the first lock of the transaction), waiting a bounded time.

    ``for_update=False`` reads without locking: only the registrations' negative
    control test wants that.
    """
    lock_timeout()
    queryset = Meeting.objects.filter(pk=meeting_id)
    if related:
        queryset = queryset.select_related(*related)
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    with busy_as(busy):
        return queryset.get()


def session_lock(
    *, session_id: int, busy: Callable[[], Busy], related: Sequence[str] = ()
) -> Session:
    """Lock one session row (after its meeting's)."""
    queryset = Session.objects.select_for_update(of=("self",))
    if related:
        queryset = queryset.select_related(*related)
    with busy_as(busy):
        return queryset.get(pk=session_id)


def sessions_lock(
    *,
    meeting_id: int,
    session_ids: Iterable[int],
    busy: Callable[[], Busy],
    related: Sequence[str] = (),
    for_update: bool = True,
) -> list[Session]:
    """Lock these sessions of the meeting (after the meeting), in id order; others are left out."""
    queryset = Session.objects.filter(pk__in=list(session_ids), meeting_id=meeting_id)
    if related:
        queryset = queryset.select_related(*related)
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    with busy_as(busy):
        return list(queryset.order_by("pk"))
