"""What a refused placement clashes with, said so that an organizer can act on it.

"Ana Pérez already meets Luis Gómez at 10:20 (Table 4)", "Ana Pérez booked
“Workshop on hydrogen” (10:00–11:00)", "Ana Pérez marked 10:20 as not available",
"Table 3 already holds Carla Ruiz – Dan Smith at 10:20". These name other people's
meetings, so only the organizers read them (``request_schedule``); a participant
who accepts at a busy slot reads that the other person is not free, no more.

Read only on the refusal path (a handful of queries), after the services' own
checks said no, inside their transaction: the same rows, the same answer. Names
are made one line (``events.text.one_line``): a name with a line break or a
direction override must not reshape the message. Never an email address.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Meeting
from events.text import one_line
from matchmaking.availability import booked_intervals, overlapping
from matchmaking.ical import table_label
from matchmaking.models import MeetingRequest, Profile, Slot, SlotSeat, Table
from registrations.models import Registration


def hhmm(value, meeting: Meeting) -> str:
    return timezone.localtime(value, meeting.tzinfo).strftime("%H:%M")


def name_of(person: Registration) -> str:
    return one_line(person.full_name)


def person_clashes(*, person: Registration, slot: Slot, meeting: Meeting) -> list[str]:
    """Everything that keeps ``person`` from meeting in ``slot``: their meeting there, the
    slot marked unavailable, the booked agenda sessions overlapping it."""
    name, time = name_of(person), hhmm(slot.starts_at, meeting)
    found = []
    seats = SlotSeat.objects.filter(registration=person, slot=slot).select_related(
        "request__requester", "request__recipient", "request__table"
    )
    for seat in seats:
        other = seat.request.other(person)
        found.append(
            _("%(name)s already meets %(other)s at %(time)s (%(table)s).")
            % {
                "name": name,
                "other": name_of(other),
                "time": time,
                "table": table_label(seat.request.table),
            }
        )
    marked = Profile.unavailable_slots.through.objects.filter(
        profile__registration=person, slot=slot
    ).exists()
    if marked:
        found.append(_("%(name)s marked %(time)s as not available.") % {"name": name, "time": time})
    for session in overlapping(slot.starts_at, slot.ends_at, booked_intervals(person)):
        found.append(
            _("%(name)s booked “%(session)s” (%(start)s–%(end)s).")
            % {
                "name": name,
                "session": one_line(session.title),
                "start": hhmm(session.starts_at, meeting),
                "end": hhmm(session.ends_at, meeting),
            }
        )
    return found


def table_clash(*, table: Table, slot: Slot, meeting: Meeting, moving: MeetingRequest) -> str:
    """Who holds ``table`` in ``slot`` (another meeting than ``moving``)."""
    holder = (
        MeetingRequest.objects.filter(
            slot=slot, table=table, status=MeetingRequest.Status.SCHEDULED
        )
        .exclude(pk=moving.pk)
        .select_related("requester", "recipient")
        .first()
    )
    values = {"table": table_label(table), "time": hhmm(slot.starts_at, meeting)}
    if holder is None:  # taken and given back between the check and this read
        return _("%(table)s is not free at %(time)s.") % values
    return _("%(table)s already holds %(first)s – %(second)s at %(time)s.") % {
        **values,
        "first": name_of(holder.requester),
        "second": name_of(holder.recipient),
    }


def no_table_left(*, slot: Slot, meeting: Meeting) -> str:
    return _("Every table is taken at %(time)s.") % {"time": hhmm(slot.starts_at, meeting)}
