"""Load the reference meeting (Pamplona 2019) and an upcoming edition to try registration on.

Idempotent: everything is looked up by a stable key and created only when
missing, so a second run changes nothing (the upcoming dates included).
"""

import datetime as dt
import zoneinfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from agenda.models import Session, SessionSpeaker, Speaker, Track
from events import demo_data
from events.models import Meeting, MeetingOrganizer, Organization, Room, Venue

DEMO_USERNAME = "organizer"
DEMO_PASSWORD = "intercluster"  # demo only; printed on the console
TZ = "Europe/Madrid"


def first_tuesday_at_least(days_ahead: int, today: dt.date) -> dt.date:
    day = today + dt.timedelta(days=days_ahead)
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


# Roles are handed out by superusers only (the organizers inline is theirs).
ORGANIZER_ROLE_PERMISSIONS = [
    "add_meetingorganizer",
    "change_meetingorganizer",
    "delete_meetingorganizer",
]


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

        reference, _ = Meeting.objects.get_or_create(
            slug="intercluster-2019",
            defaults={
                "title": "1st Intercluster National Meeting",
                "description": (
                    "Two days in Pamplona where around fifty business clusters from across "
                    "Spain present their work, share good practices and make the contacts "
                    "that become joint projects. Organised by the national federation of "
                    "clusters with the regional development agency of Navarra."
                ),
                "starts_on": dt.date(2019, 12, 10),
                "ends_on": dt.date(2019, 12, 11),
                "timezone": TZ,
                "language": Meeting.Language.SPANISH,
                "venue": venue,
                "status": Meeting.Status.PUBLISHED,
                "capacity": 250,
                "contact_email": "info@intercluster.example",
                "registration_opens_at": dt.datetime(2019, 10, 1, 9, tzinfo=zoneinfo.ZoneInfo(TZ)),
                "registration_closes_at": dt.datetime(2019, 12, 9, tzinfo=zoneinfo.ZoneInfo(TZ)),
            },
        )
        reference.organizations.add(*organizations.values())
        self.seed_agenda(reference, rooms, organizations, demo_data.SESSIONS_2019)

        start = first_tuesday_at_least(45, timezone.localdate())
        upcoming, created_next = Meeting.objects.get_or_create(
            slug="intercluster-next",
            defaults={
                "title": "Intercluster National Meeting — next edition",
                "description": (
                    "The next national meeting of business clusters: good practices, "
                    "workshops with limited seats and B2B meetings. Registration is open."
                ),
                "starts_on": start,
                "ends_on": start + dt.timedelta(days=1),
                "timezone": TZ,
                "language": Meeting.Language.SPANISH,
                "venue": venue,
                "status": Meeting.Status.PUBLISHED,
                "capacity": 250,
                "contact_email": "info@intercluster.example",
                "registration_opens_at": timezone.now(),
                "registration_closes_at": dt.datetime.combine(
                    start, dt.time.min, tzinfo=zoneinfo.ZoneInfo(TZ)
                ),
            },
        )
        upcoming.organizations.add(*organizations.values())
        self.seed_agenda(upcoming, rooms, organizations, demo_data.SESSIONS_NEXT)

        for meeting in (reference, upcoming):
            MeetingOrganizer.objects.get_or_create(
                meeting=meeting, user=user, defaults={"role": MeetingOrganizer.Role.ORGANIZER}
            )

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
        for name, short_name, kind, region in demo_data.ORGANIZATIONS:
            organization, _ = Organization.objects.get_or_create(
                name=name, defaults={"short_name": short_name, "kind": kind, "region": region}
            )
            organizations[short_name] = organization
        return organizations

    def seed_venue(self) -> tuple[Venue, dict[str, Room]]:
        venue, _ = Venue.objects.get_or_create(
            name=demo_data.VENUE["name"], city=demo_data.VENUE["city"], defaults=demo_data.VENUE
        )
        rooms = {}
        for name, capacity, position in demo_data.ROOMS:
            room, _ = Room.objects.get_or_create(
                venue=venue, name=name, defaults={"capacity": capacity, "position": position}
            )
            rooms[name] = room
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

    def seed_agenda(self, meeting, rooms, organizations, sessions) -> None:
        tz = zoneinfo.ZoneInfo(meeting.timezone)
        tracks = {}
        for position, (slug, name, colour) in enumerate(demo_data.TRACKS):
            tracks[slug], _ = Track.objects.get_or_create(
                meeting=meeting,
                slug=slug,
                defaults={"name": name, "colour": colour, "position": position},
            )
        speakers = {}
        for slug, name, job_title, org in demo_data.SPEAKERS:
            speakers[slug], _ = Speaker.objects.get_or_create(
                meeting=meeting,
                slug=slug,
                defaults={
                    "name": name,
                    "job_title": job_title,
                    "organization": organizations.get(org),
                    "bio": f"{job_title} at {organizations[org].name}.",
                },
            )
        for row in sessions:
            (
                external_id,
                day,
                start,
                end,
                title,
                kind,
                track,
                room,
                capacity,
                booking,
                people,
                abstract,
            ) = row
            date = meeting.starts_on + dt.timedelta(days=day)
            session, created = Session.objects.get_or_create(
                meeting=meeting,
                external_id=external_id,
                defaults={
                    "title": title,
                    "abstract": abstract,
                    "kind": kind,
                    "track": tracks.get(track),
                    "room": rooms[room],
                    "starts_at": dt.datetime.combine(date, dt.time.fromisoformat(start), tzinfo=tz),
                    "ends_at": dt.datetime.combine(date, dt.time.fromisoformat(end), tzinfo=tz),
                    "capacity": capacity,
                    "requires_booking": booking,
                    "status": Session.Status.CONFIRMED,
                },
            )
            if created:
                for position, (slug, role) in enumerate(people):
                    SessionSpeaker.objects.create(
                        session=session, speaker=speakers[slug], role=role, position=position
                    )
