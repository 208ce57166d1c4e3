"""The organizers' side: matchmaking settings, sectors, matchmaking sessions, slots, tables.

A matchmaking session is an agenda session of kind B2B. Its slots are rows
(``Slot``) cut from the session's times by the meeting length and kept in step
with the session (``slots_sync``, also when the agenda moves it); its tables
are numbered or named rows. Nothing here removes a slot or a table that holds
a scheduled meeting: such a change is refused with what is in the way.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agenda.models import Session
from events.models import Meeting, Room
from events.text import one_line
from matchmaking.models import B2BSession, Matchmaking, MeetingRequest, Sector, Slot, Table
from matchmaking.services.errors import MatchmakingError

Status = MeetingRequest.Status
MAX_TABLES = 500
MAX_SLOTS = 200

SETTINGS_FIELDS = (
    "enabled",
    "request_mode",
    "scheduling_mode",
    "profiles_need_validation",
    "opens_at",
    "closes_at",
)


def matchmaking_update(*, meeting: Meeting, **fields) -> Matchmaking:
    """Set the meeting's B2B settings (any of ``SETTINGS_FIELDS``); an unchanged value
    writes nothing."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown matchmaking settings: {sorted(unknown)}")
    with transaction.atomic():
        matchmaking, _created = Matchmaking.objects.select_for_update().get_or_create(
            meeting=meeting
        )
        if "request_mode" in fields and fields["request_mode"] not in Matchmaking.RequestMode:
            raise MatchmakingError(_("Choose how requests are accepted."), field="request_mode")
        if (
            "scheduling_mode" in fields
            and fields["scheduling_mode"] not in Matchmaking.SchedulingMode
        ):
            raise MatchmakingError(_("Choose who schedules."), field="scheduling_mode")
        changed = [name for name, value in fields.items() if getattr(matchmaking, name) != value]
        for name in changed:
            setattr(matchmaking, name, fields[name])
        if (
            matchmaking.opens_at
            and matchmaking.closes_at
            and matchmaking.closes_at <= matchmaking.opens_at
        ):
            raise MatchmakingError(_("Requests must close after they open."), field="closes_at")
        if changed:
            matchmaking.save()
    return matchmaking


def sector_create(*, meeting: Meeting, name: str) -> Sector:
    name = _sector_name(name)
    if Sector.objects.filter(meeting=meeting, name__iexact=name).exists():
        raise MatchmakingError(_("This sector is already on the list."), field="name")
    position = Sector.objects.filter(meeting=meeting).count()
    try:
        with transaction.atomic():
            return Sector.objects.create(meeting=meeting, name=name, position=position)
    except IntegrityError as exc:
        raise MatchmakingError(_("This sector is already on the list."), field="name") from exc


def sector_update(*, sector: Sector, name: str) -> Sector:
    name = _sector_name(name)
    if name == sector.name:
        return sector
    if (
        Sector.objects.filter(meeting_id=sector.meeting_id, name__iexact=name)
        .exclude(pk=sector.pk)
        .exists()
    ):
        raise MatchmakingError(_("This sector is already on the list."), field="name")
    sector.name = name
    sector.save(update_fields=["name", "updated_at"])
    return sector


def sector_delete(*, sector: Sector) -> None:
    """Remove a sector from the list (and from the profiles that named it)."""
    sector.delete()


def _sector_name(name: str) -> str:
    name = " ".join(one_line(name or "").split())
    if not name:
        raise MatchmakingError(_("Name the sector."), field="name")
    if len(name) > 100:
        raise MatchmakingError(_("Keep it under 100 characters."), field="name")
    return name


TABLE_ROOM_SEPARATOR = "|"


def table_specs(tables: int | list[str], *, meeting: Meeting) -> list[tuple[str, Room | None]]:
    """The tables wanted, as (name, room): ``12`` → "1" … "12" in no room of their own; a list
    of names is cleaned and must not repeat, and a name may end with the room its table
    stands in, after a bar (``"Table 3 | Hall B"``: a room of the meeting's venue)."""
    if isinstance(tables, int):
        if not 1 <= tables <= MAX_TABLES:
            raise MatchmakingError(
                _("Between 1 and %(most)d tables.") % {"most": MAX_TABLES}, field="tables"
            )
        return [(str(number), None) for number in range(1, tables + 1)]
    specs = []
    for line in tables:
        name, _bar, room_name = one_line(line).partition(TABLE_ROOM_SEPARATOR)
        name, room_name = " ".join(name.split()), " ".join(room_name.split())
        if name:
            specs.append((name, room_name))
    if not specs:
        raise MatchmakingError(_("Name at least one table."), field="tables")
    if len(specs) > MAX_TABLES:
        raise MatchmakingError(
            _("Between 1 and %(most)d tables.") % {"most": MAX_TABLES}, field="tables"
        )
    if any(len(name) > 40 for name, _room in specs):
        raise MatchmakingError(_("A table's name is at most 40 characters."), field="tables")
    lowered = [name.casefold() for name, _room in specs]
    if len(set(lowered)) != len(lowered):
        raise MatchmakingError(_("Two tables have the same name."), field="tables")
    rooms = {
        room.name.casefold(): room
        for room in Room.objects.filter(venue_id=meeting.venue_id)
        if meeting.venue_id
    }
    resolved = []
    for name, room_name in specs:
        room = rooms.get(room_name.casefold()) if room_name else None
        if room_name and room is None:
            raise MatchmakingError(
                _("%(room)s is not a room of this meeting's venue.") % {"room": room_name},
                field="tables",
            )
        resolved.append((name, room))
    return resolved


def slot_times(session: Session, slot_minutes: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """The slots that fit in the session, back to back from its start."""
    if session.starts_at is None:
        return []
    length = dt.timedelta(minutes=slot_minutes)
    count = min(int((session.ends_at - session.starts_at) / length), MAX_SLOTS)
    return [
        (session.starts_at + i * length, session.starts_at + (i + 1) * length) for i in range(count)
    ]


def slots_sync(*, b2b_session: B2BSession) -> None:
    """Make the slot rows match the session's times: re-time them by position, add the
    missing, remove the extra (refused when an extra one holds a scheduled meeting).
    Scheduled meetings move with their slot."""
    session = b2b_session.session
    times = slot_times(session, b2b_session.slot_minutes)
    slots = {slot.position: slot for slot in b2b_session.slots.all()}
    extra = [slot for position, slot in slots.items() if position >= len(times)]
    busy = MeetingRequest.objects.filter(slot__in=extra, status=Status.SCHEDULED)
    if busy.exists():
        raise MatchmakingError(
            _(
                "%(count)d scheduled B2B meetings are in slots this change removes: "
                "move or cancel them first."
            )
            % {"count": busy.count()}
        )
    Slot.objects.filter(pk__in=[slot.pk for slot in extra]).delete()
    changed = []
    for position, (starts_at, ends_at) in enumerate(times):
        slot = slots.get(position)
        if slot is None:
            Slot.objects.create(
                b2b_session=b2b_session, position=position, starts_at=starts_at, ends_at=ends_at
            )
        elif (slot.starts_at, slot.ends_at) != (starts_at, ends_at):
            slot.starts_at, slot.ends_at = starts_at, ends_at
            changed.append(slot)
    if changed:
        Slot.objects.bulk_update(changed, ["starts_at", "ends_at"])


def tables_sync(*, b2b_session: B2BSession, specs: list[tuple[str, Room | None]]) -> None:
    """Tables as ``specs`` (name, room) say, in that order: kept by name, added, or removed
    (refused when a removed one holds a scheduled meeting)."""
    existing = {table.name.casefold(): table for table in b2b_session.tables.all()}
    wanted = {name.casefold() for name, _room in specs}
    removed = [table for key, table in existing.items() if key not in wanted]
    busy = MeetingRequest.objects.filter(table__in=removed, status=Status.SCHEDULED)
    if busy.exists():
        raise MatchmakingError(
            _(
                "%(count)d scheduled B2B meetings are at tables this change removes: "
                "move or cancel them first."
            )
            % {"count": busy.count()},
            field="tables",
        )
    Table.objects.filter(pk__in=[table.pk for table in removed]).delete()
    for position, (name, room) in enumerate(specs):
        table = existing.get(name.casefold())
        if table is None:
            Table.objects.create(b2b_session=b2b_session, name=name, position=position, room=room)
        elif (table.name, table.position, table.room_id) != (
            name,
            position,
            getattr(room, "pk", None),
        ):
            table.name, table.position, table.room = name, position, room
            table.save(update_fields=["name", "position", "room"])


def b2b_session_configure(
    *,
    session: Session,
    slot_minutes: int,
    tables: int | list[str],
    max_meetings_per_person: int | None = None,
) -> B2BSession:
    """Make this agenda session a matchmaking session (or change one): meeting length,
    tables, most meetings per person. The session must be of kind B2B and timed."""
    if session.kind != Session.Kind.B2B:
        raise MatchmakingError(_("Only a session of kind B2B can hold 1:1 meetings."))
    if session.starts_at is None:
        raise MatchmakingError(_("Give the session a time first."))
    if not isinstance(slot_minutes, int) or not 5 <= slot_minutes <= 240:
        raise MatchmakingError(
            _("A meeting lasts between 5 and 240 minutes."), field="slot_minutes"
        )
    if max_meetings_per_person is not None and max_meetings_per_person < 1:
        raise MatchmakingError(
            _("At least one meeting per person, or leave it empty."),
            field="max_meetings_per_person",
        )
    specs = table_specs(tables, meeting=session.meeting)
    if not slot_times(session, slot_minutes):
        raise MatchmakingError(_("The session is shorter than one meeting."), field="slot_minutes")
    with transaction.atomic():
        b2b_session, created = B2BSession.objects.select_for_update().get_or_create(
            session=session,
            defaults={
                "meeting_id": session.meeting_id,
                "slot_minutes": slot_minutes,
                "max_meetings_per_person": max_meetings_per_person,
            },
        )
        if not created and b2b_session.slot_minutes != slot_minutes:
            if MeetingRequest.objects.filter(
                slot__b2b_session=b2b_session, status=Status.SCHEDULED
            ).exists():
                raise MatchmakingError(
                    _(
                        "Meetings are scheduled in this session: the meeting length cannot "
                        "change until they are moved or cancelled."
                    ),
                    field="slot_minutes",
                )
            # New lengths cut new slots: the old rows go (none holds a meeting).
            b2b_session.slots.all().delete()
        if not created and (
            b2b_session.slot_minutes,
            b2b_session.max_meetings_per_person,
        ) != (slot_minutes, max_meetings_per_person):
            b2b_session.slot_minutes = slot_minutes
            b2b_session.max_meetings_per_person = max_meetings_per_person
            b2b_session.save(
                update_fields=["slot_minutes", "max_meetings_per_person", "updated_at"]
            )
        b2b_session.session = session
        slots_sync(b2b_session=b2b_session)
        tables_sync(b2b_session=b2b_session, specs=specs)
    return b2b_session


def b2b_session_remove(*, b2b_session: B2BSession) -> None:
    """Stop holding 1:1 meetings in this session (refused while meetings are scheduled).

    Its slot rows are locked first, so no meeting can be placed in one between the
    check and the delete (placing a meeting locks its slot: ``people_lock``).
    """
    with transaction.atomic():
        list(Slot.objects.select_for_update().filter(b2b_session=b2b_session))
        if MeetingRequest.objects.filter(
            slot__b2b_session=b2b_session, status=Status.SCHEDULED
        ).exists():
            raise MatchmakingError(
                _("Meetings are scheduled in this session: move or cancel them first.")
            )
        b2b_session.delete()
