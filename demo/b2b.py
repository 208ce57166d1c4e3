"""The B2B part of the demo: intercluster-next's matchmaking, its participants and their requests.

Written through the services the site itself uses — registrations, profiles,
matchmaking setup and meeting requests — so the demo data obeys every rule a
visitor's data does (nobody twice in a slot, no table twice, the per-session
limit, booked workshops that keep a person busy). A fixture that breaks a rule
stops the command with the rule's own message.

Those services each open their own outermost transaction (they lock people and
slots), so this part runs after the rest of ``seed_demo`` has committed, one
service call at a time. Idempotent all the same: every row is found by a stable
key (a sector's name, a session's external id, an email, an entry's title, the
pair of people of a request) and written only when missing. A request is only
moved forward along its path to the state its file names (requested → declined,
requested → accepted → scheduled → cancelled), never back: what a visitor did to
a demo request stays done.

The demo meeting runs as b2match events do: participants ask and accept, the
organizers schedule. A request the file has scheduled is accepted by its
recipient and then placed by the organizers (``request_schedule``, which emails
both people); the many accepted ones wait for the organizers' scheduler.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.management.base import CommandError

from agenda.models import Session
from demo.data import local_moment, read
from events.models import Meeting, Organization
from matchmaking.models import B2BSession, Matchmaking, MeetingRequest, Profile, Sector, Slot
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.profiles import entry_create, profile_update
from matchmaking.services.requests import (
    request_accept,
    request_cancel,
    request_create,
    request_decline,
    request_schedule,
)
from matchmaking.services.setup import b2b_session_configure, matchmaking_update, sector_create
from registrations.models import Registration
from registrations.services.errors import RegistrationError
from registrations.services.holds import registration_link_opened
from registrations.services.registration import (
    registration_closed_reason,
    registration_create,
    registration_find,
)

B2B_FILE = "intercluster-next-b2b.json"
PARTICIPANTS_FILE = "intercluster-next-participants.json"

Status = MeetingRequest.Status


@dataclass
class SeededB2B:
    meeting: Meeting
    # The participant whose private link the command prints, for a visitor to try.
    demo_participant: Registration | None = None
    # Why nothing was written (a database seeded before the B2B demo, too long ago).
    skipped: str = ""
    # Accepted requests waiting for the organizers to schedule them.
    waiting: int = 0
    # Accepted requests of the file left out: the meeting's participants pick the slot
    # when they accept (a database seeded before the demo switched to the organizers).
    accepted_left_out: int = 0


def seed_b2b(*, organizations: dict[str, Organization]) -> SeededB2B:
    data = read(B2B_FILE)
    meeting = Meeting.objects.get(slug=data["meeting"])
    closed = registration_closed_reason(meeting)
    if closed and not Matchmaking.objects.filter(meeting=meeting).exists():
        # The meeting keeps the dates of its first seeding: in an older demo database
        # nobody can register for it any more, so nobody can meet either.
        return SeededB2B(meeting=meeting, skipped=closed)
    try:
        seed_matchmaking(meeting, data["matchmaking"])
        sectors = seed_sectors(meeting, data["sectors"])
        seed_sessions(meeting, data["sessions"])
        participants = read(PARTICIPANTS_FILE)
        people = {
            row["slug"]: seed_participant(meeting, row, organizations, sectors)
            for row in participants
        }
        by_organizers = (
            Matchmaking.objects.get(meeting=meeting).scheduling_mode
            == Matchmaking.SchedulingMode.ORGANIZERS
        )
        rows = data["requests"] + accepted_rows(data["accepted"], participants)
        left_out = 0
        for row in rows:
            if seed_request(meeting, row, people, by_organizers=by_organizers) is None:
                left_out += 1
    except (MatchmakingError, RegistrationError) as exc:
        raise CommandError(f"The B2B demo data could not be written: {exc}") from exc
    return SeededB2B(
        meeting=meeting,
        demo_participant=people[data["demo_participant"]],
        waiting=MeetingRequest.objects.filter(meeting=meeting, status=Status.ACCEPTED).count(),
        accepted_left_out=left_out,
    )


def seed_matchmaking(meeting: Meeting, settings: dict) -> None:
    """Turned on once: a second run leaves the settings (and the window's dates) alone."""
    if Matchmaking.objects.filter(meeting=meeting).exists():
        return
    tz = meeting.tzinfo
    matchmaking_update(
        meeting=meeting,
        enabled=True,
        request_mode=settings["request_mode"],
        scheduling_mode=settings["scheduling_mode"],
        profiles_need_validation=settings["profiles_need_validation"],
        opens_at=local_moment(settings["opens_at"], meeting.starts_on, tz),
        closes_at=local_moment(settings["closes_at"], meeting.starts_on, tz),
    )


def seed_sectors(meeting: Meeting, names: list[str]) -> dict[str, Sector]:
    sectors = {sector.name.casefold(): sector for sector in Sector.objects.filter(meeting=meeting)}
    for name in names:
        if name.casefold() not in sectors:
            sectors[name.casefold()] = sector_create(meeting=meeting, name=name)
    return {name: sectors[name.casefold()] for name in names}


def seed_sessions(meeting: Meeting, rows: list[dict]) -> None:
    """Each agenda session named becomes a matchmaking session (once)."""
    for row in rows:
        session = Session.objects.get(meeting=meeting, external_id=row["session"])
        if B2BSession.objects.filter(session=session).exists():
            continue
        b2b_session_configure(
            session=session,
            slot_minutes=row["slot_minutes"],
            tables=row["tables"],
            max_meetings_per_person=row.get("max_meetings_per_person"),
        )


def slot_at(meeting: Meeting, place: dict) -> Slot:
    """The slot of a matchmaking session (by its external id) that starts at a local time."""
    session = Session.objects.get(meeting=meeting, external_id=place["session"])
    day = session.starts_at.astimezone(meeting.tzinfo).date()
    starts_at = dt.datetime.combine(day, dt.time.fromisoformat(place["at"]), tzinfo=meeting.tzinfo)
    slot = Slot.objects.filter(b2b_session__session=session, starts_at=starts_at).first()
    if slot is None:
        raise CommandError(f"No slot of {place['session']} starts at {place['at']}.")
    return slot


def seed_participant(
    meeting: Meeting, row: dict, organizations: dict[str, Organization], sectors: dict
) -> Registration:
    """Registered, link opened (so the seat is theirs, not held), profile and entries."""
    organization = organizations[row["organization"]]
    registration = registration_find(meeting=meeting, email=row["email"])
    if registration is None:
        registration = registration_create(
            meeting=meeting,
            first_name=row["first_name"],
            last_name=row["last_name"],
            email=row["email"],
            organization=organization.name,
            job_title=row["job_title"],
            region=organization.region,
            session_ids=[
                Session.objects.get(meeting=meeting, external_id=external_id).pk
                for external_id in row.get("sessions", [])
            ],
            consent_processing=True,
            consent_listing=True,
            language=row["language"],
        )
    registration = registration_link_opened(registration=registration)
    if registration.status != Registration.Status.CONFIRMED:
        raise CommandError(
            f"Demo participant {row['slug']} is {registration.status}, not confirmed: "
            "the demo's B2B part needs confirmed registrations."
        )
    profile = row["profile"]
    if not Profile.objects.filter(registration=registration).exists():
        profile_update(
            registration=registration,
            organization=organization,
            role=row["job_title"],
            pitch=profile["pitch"],
            sectors=[sectors[name] for name in profile["sectors"]],
            region=organization.region,
            website=profile["website"],
            languages=profile["languages"],
            listed=profile.get("listed", True),
            unavailable_slots=[slot_at(meeting, place) for place in profile.get("unavailable", [])],
        )
    titles = set(
        Profile.objects.get(registration=registration).entries.values_list("title", flat=True)
    )
    for entry in row["entries"]:
        if entry["title"] not in titles:
            entry_create(
                registration=registration,
                kind=entry["kind"],
                title=entry["title"],
                description=entry.get("description", ""),
            )
    return registration


def accepted_rows(accepted: dict, participants: list[dict]) -> list[dict]:
    """The file's compact block of accepted requests as request rows: each ``[from, to]``
    or ``[from, to, preferred session]``, with a message in ``from``'s language that names
    ``to``'s first marketplace entry."""
    by_slug = {row["slug"]: row for row in participants}
    rows = []
    for pair in accepted["pairs"]:
        requester, recipient = by_slug[pair[0]], by_slug[pair[1]]
        template = accepted["message"][requester["language"]]
        rows.append(
            {
                "from": pair[0],
                "to": pair[1],
                "state": Status.ACCEPTED,
                "preferred_session": pair[2] if len(pair) > 2 else None,
                "message": template.format(title=recipient["entries"][0]["title"]),
            }
        )
    return rows


def seed_request(
    meeting: Meeting, row: dict, people: dict[str, Registration], *, by_organizers: bool
) -> MeetingRequest | None:
    """Asked by ``from``, then answered, placed or cancelled as the row says, each step by
    its person (placing by the organizers). None for an accepted row the meeting cannot
    hold: when participants schedule, accepting is choosing a slot."""
    requester, recipient = people[row["from"]], people[row["to"]]
    target = row["state"]
    slot = slot_at(meeting, row["slot"]) if row.get("slot") else None
    request = (
        MeetingRequest.objects.filter(meeting=meeting, requester=requester, recipient=recipient)
        .order_by("-pk")
        .first()
    )
    if target == Status.ACCEPTED and not by_organizers:
        # Accepted without a slot only exists when the organizers schedule.
        return request
    if request is None:
        preferred = row.get("preferred_session")
        request = request_create(
            requester=requester,
            recipient=recipient,
            message=row.get("message", ""),
            preferred_session=(
                B2BSession.objects.get(meeting=meeting, session__external_id=preferred)
                if preferred
                else None
            ),
        )
    if request.status == Status.REQUESTED and target == Status.DECLINED:
        request = request_decline(request=request, by=recipient, reason=row.get("reason", ""))
    if request.status == Status.REQUESTED and (target == Status.ACCEPTED or slot is not None):
        request = request_accept(
            request=request, by=recipient, slot_id=None if by_organizers else slot.pk
        )
    if request.status == Status.ACCEPTED and slot is not None:
        request = request_schedule(request=request, slot_id=slot.pk, table_id=None)
    if request.is_open and target == Status.CANCELLED:
        by = requester if row["cancelled_by"] == "from" else recipient
        request = request_cancel(request=request, by=by)
    return request
