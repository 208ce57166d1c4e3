"""The one lock order of every write about 1:1 meetings.

The people's registration rows first, in id order, then the slot rows, in id
order. Every write that can put a person in a slot (or take them out) locks
that person; every write that can fill a table in a slot locks that slot. So
"is this person free?" and "is a table free in this slot?" are answered by a
transaction that nobody else can change under it, and two writers never wait
on each other in opposite orders. The bounded wait and the busy test are
``core.locking``'s; the database's unique constraints (``SlotSeat``,
``MeetingRequest``) refuse whatever a write without these locks would double-book.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from core.locking import busy_as, lock_timeout
from matchmaking.models import Slot
from matchmaking.services.errors import MatchmakingBusy
from registrations.models import Registration


@dataclass
class PeopleLock:
    people: dict[int, Registration]
    slots: dict[int, Slot]


def locking_enabled() -> bool:
    # Only the negative control of the concurrency tests sets this (to False), to
    # show that the test catches double-booking without the locks; nothing else does.
    return getattr(settings, "MATCHMAKING_LOCKING", True)


@contextmanager
def people_lock(
    *, registration_ids: Iterable[int], slot_ids: Iterable[int] = ()
) -> Iterator[PeopleLock]:
    """Open the outermost transaction; lock these registrations, then these slots (id order).

    All the slots a change touches are named here, at once: locking more later
    could take them out of order against another writer.
    """
    with busy_as(MatchmakingBusy), transaction.atomic(durable=True):
        lock_timeout()
        people = Registration.objects.select_related("meeting").filter(
            pk__in=sorted(set(registration_ids))
        )
        slots = Slot.objects.select_related("b2b_session__session").filter(
            pk__in=sorted(set(slot_ids))
        )
        if locking_enabled():
            people = people.select_for_update(of=("self",))
            slots = slots.select_for_update(of=("self",))
        locked_people = {person.pk: person for person in people.order_by("pk")}
        locked_slots = {slot.pk: slot for slot in slots.order_by("pk")}
        yield PeopleLock(people=locked_people, slots=locked_slots)
