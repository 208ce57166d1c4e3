"""Load the reference meeting (Pamplona 2019) and an upcoming edition to try registration on.

The data lives in demo/fixtures/ (its README says what each file holds); this
command only reads it. Idempotent: everything is looked up by a stable key and
created only when missing, so a second run changes nothing (the upcoming dates
included).
"""

import datetime as dt
import json
import zoneinfo
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from agenda.models import Session, SessionSpeaker, Speaker, Track
from events.models import Meeting, MeetingOrganizer, Organization, Room, Venue

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# In this order: the reference meeting's rows come first, as they always have.
MEETING_FILES = ("intercluster-2019.json", "intercluster-next.json")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

DEMO_USERNAME = "organizer"
DEMO_PASSWORD = "intercluster"  # demo only; printed on the console

# Roles are handed out by superusers only (the organizers inline is theirs).
ORGANIZER_ROLE_PERMISSIONS = [
    "add_meetingorganizer",
    "change_meetingorganizer",
    "delete_meetingorganizer",
]


def read(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def first_weekday_at_least(weekday: str, days_ahead: int, today: dt.date) -> dt.date:
    day = today + dt.timedelta(days=days_ahead)
    return day + dt.timedelta(days=(WEEKDAYS.index(weekday) - day.weekday()) % 7)


def meeting_day(value: str | dict, today: dt.date) -> dt.date:
    """A fixed date ("2019-12-10"), or one relative to today, so an upcoming edition stays ahead."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return first_weekday_at_least(value["weekday"], value["at_least_days_ahead"], today)


def local_moment(value: str | dict, starts_on: dt.date, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """A local time: "now", fixed ("2019-10-01T09:00"), or a meeting day's ({"day": 1, ...})."""
    if value == "now":
        return timezone.now()
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).replace(tzinfo=tz)
    date = starts_on + dt.timedelta(days=value["day"] - 1)
    return dt.datetime.combine(date, dt.time.fromisoformat(value["time"]), tzinfo=tz)


def organizers_group() -> Group:
    """The "Organizers" group: the model permissions of the domain apps but roles.

    A model permission is not the scope: the admins narrow it to the meetings a
    user organizes, and shared organisations and venues to those only their
    meetings show (docs/organizers.md, "The admin").
    """
    group, _ = Group.objects.get_or_create(name="Organizers")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["events", "agenda", "mail", "registrations"]
        ).exclude(codename__in=ORGANIZER_ROLE_PERMISSIONS)
    )
    return group


class Command(BaseCommand):
    help = "Create the demo data: the reference meeting intercluster-2019 and intercluster-next."

    @transaction.atomic
    def handle(self, *args, **options):
        organizations = self.seed_organizations()
        venue, rooms = self.seed_venue()
        user, created_user = self.seed_organizer()

        meetings = []
        for name in MEETING_FILES:
            data = read(name)
            meeting = self.seed_meeting(data, venue)
            meeting.organizations.add(*organizations.values())
            self.seed_agenda(meeting, rooms, organizations, data["sessions"])
            meetings.append(meeting)

        for meeting in meetings:
            MeetingOrganizer.objects.get_or_create(
                meeting=meeting, user=user, defaults={"role": MeetingOrganizer.Role.ORGANIZER}
            )

        reference, upcoming = meetings
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: /meetings/{reference.slug}/ and /meetings/{upcoming.slug}/ "
                f"({upcoming.starts_on:%d %B %Y})."
            )
        )
        note = "created" if created_user else "exists"
        self.stdout.write(
            f"Demo organizer ({note}): user '{DEMO_USERNAME}', password '{DEMO_PASSWORD}' "
            "— demo only, log in at /accounts/login/ (the workspace: /manage/)."
        )

    def seed_organizations(self) -> dict[str, Organization]:
        organizations = {}
        for row in read("organizations.json"):
            organization, _ = Organization.objects.get_or_create(
                name=row["name"],
                defaults={
                    "short_name": row["short_name"],
                    "kind": row["kind"],
                    "region": row["region"],
                },
            )
            organizations[row["short_name"]] = organization
        return organizations

    def seed_venue(self) -> tuple[Venue, dict[str, Room]]:
        data = read("venue.json")
        fields = {key: data[key] for key in ("name", "address", "city", "country")}
        venue, _ = Venue.objects.get_or_create(
            name=fields["name"], city=fields["city"], defaults=fields
        )
        rooms = {}
        for row in data["rooms"]:
            room, _ = Room.objects.get_or_create(
                venue=venue,
                name=row["name"],
                defaults={"capacity": row["capacity"], "position": row["position"]},
            )
            rooms[row["name"]] = room
        return venue, rooms

    def seed_organizer(self):
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"is_staff": True, "email": "organizer@intercluster.example"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(organizers_group())
        return user, created

    def seed_meeting(self, data: dict, venue: Venue) -> Meeting:
        """Created once: a second run leaves an existing meeting (and its dates) alone."""
        tz = zoneinfo.ZoneInfo(data["timezone"])
        starts_on = meeting_day(data["starts_on"], timezone.localdate())
        ends_on = (
            starts_on + dt.timedelta(days=data["ends_on"]["days_after_start"])
            if isinstance(data["ends_on"], dict)
            else dt.date.fromisoformat(data["ends_on"])
        )
        meeting, _ = Meeting.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "description": data["description"],
                "starts_on": starts_on,
                "ends_on": ends_on,
                "timezone": data["timezone"],
                "language": data["language"],
                "venue": venue,
                "status": data["status"],
                "capacity": data["capacity"],
                "contact_email": data["contact_email"],
                "registration_opens_at": local_moment(data["registration_opens_at"], starts_on, tz),
                "registration_closes_at": local_moment(
                    data["registration_closes_at"], starts_on, tz
                ),
            },
        )
        return meeting

    def seed_agenda(self, meeting, rooms, organizations, sessions) -> None:
        tz = zoneinfo.ZoneInfo(meeting.timezone)
        tracks = {}
        for position, row in enumerate(read("tracks.json")):
            tracks[row["slug"]], _ = Track.objects.get_or_create(
                meeting=meeting,
                slug=row["slug"],
                defaults={"name": row["name"], "colour": row["colour"], "position": position},
            )
        speakers = {}
        for row in read("speakers.json"):
            organization = organizations[row["organization"]]
            speakers[row["slug"]], _ = Speaker.objects.get_or_create(
                meeting=meeting,
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "job_title": row["job_title"],
                    "organization": organization,
                    "bio": f"{row['job_title']} at {organization.name}.",
                },
            )
        for row in sessions:
            date = meeting.starts_on + dt.timedelta(days=row["day"] - 1)
            session, created = Session.objects.get_or_create(
                meeting=meeting,
                external_id=row["external_id"],
                defaults={
                    "title": row["title"],
                    "abstract": row.get("abstract", ""),
                    "kind": row["kind"],
                    "track": tracks.get(row.get("track", "")),
                    "room": rooms[row["room"]],
                    "starts_at": dt.datetime.combine(
                        date, dt.time.fromisoformat(row["starts"]), tzinfo=tz
                    ),
                    "ends_at": dt.datetime.combine(
                        date, dt.time.fromisoformat(row["ends"]), tzinfo=tz
                    ),
                    "capacity": row.get("capacity"),
                    "requires_booking": row.get("requires_booking", False),
                    "status": Session.Status.CONFIRMED,
                },
            )
            if created:
                for position, person in enumerate(row.get("speakers", [])):
                    SessionSpeaker.objects.create(
                        session=session,
                        speaker=speakers[person["speaker"]],
                        role=person["role"],
                        position=position,
                    )
