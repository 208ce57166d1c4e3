"""Load the reference meeting (Pamplona 2019) and an upcoming edition to try registration and
B2B meetings on.

The data lives in demo/fixtures/ (its README says what each file holds); this
command only reads it. Idempotent: everything is looked up by a stable key and
created only when missing, so a second run changes nothing (the upcoming dates
included). The upcoming edition's participants, profiles and meeting requests
are written through the site's own services (``demo/b2b.py``).
"""

import contextlib
import datetime as dt
import io
import zoneinfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from agenda.models import Session, SessionSpeaker, SessionTranslation, Speaker, Track
from demo.b2b import seed_b2b
from demo.data import local_moment, meeting_day, read
from events.models import Meeting, MeetingOrganizer, Organization, Room, Venue
from mail.models import OutboxMessage

# In this order: the reference meeting's rows come first, as they always have.
MEETING_FILES = ("intercluster-2019.json", "intercluster-next.json")

DEMO_USERNAME = "organizer"
DEMO_PASSWORD = "intercluster"  # demo only; printed on the console

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
            content_type__app_label__in=["events", "agenda", "mail", "registrations", "matchmaking"]
        ).exclude(codename__in=ORGANIZER_ROLE_PERMISSIONS)
    )
    return group


class Command(BaseCommand):
    help = (
        "Create the demo data: the reference meeting intercluster-2019 and intercluster-next "
        "with its B2B meetings."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-b2b",
            action="store_true",
            help=(
                "Only the meetings, agendas and the organizer: no B2B participants, profiles "
                "or requests (a few times faster; the tests that are not about B2B use it)."
            ),
        )

    def handle(self, *args, **options):
        # The meetings, their agendas and the organizer in one transaction; then the B2B
        # part, whose services each open their own (demo/b2b.py).
        with transaction.atomic():
            organizations, meetings, created_user = self.seed_meetings()
        emails_before = OutboxMessage.objects.count()
        b2b = None
        if not options["skip_b2b"]:
            # The embedded mode's mail backend prints every email it writes to var/mail/
            # when DEBUG is on: a first run's ~440 would bury the lines below.
            with contextlib.redirect_stdout(io.StringIO()):
                b2b = seed_b2b(organizations=organizations)
        emails = OutboxMessage.objects.count() - emails_before

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
        if emails:
            self.stdout.write(
                f"The seeding wrote {emails} emails to the demo participants (registrations, "
                "meeting requests) to the outbox; the embedded mode puts them in var/mail/."
            )
        if b2b is None:
            return
        person = b2b.demo_participant
        if person is None:
            self.stdout.write(
                f"No B2B meetings in {b2b.meeting.slug}: {b2b.skipped} It was first seeded "
                "long ago; a new database (remove var/intercluster.sqlite3) has them."
            )
            return
        self.stdout.write(
            f"B2B meetings: /meetings/{b2b.meeting.slug}/participants/ — try it as "
            f"{person.full_name}, a demo participant, with their private link "
            f"{person.get_absolute_url()} (demo only)."
        )
        if b2b.waiting:
            self.stdout.write(
                f"{b2b.waiting} accepted B2B requests wait for the organizers: "
                '"Schedule the rest" on the meetings board, '
                f"/meetings/{b2b.meeting.slug}/manage/b2b/."
            )
        if b2b.accepted_left_out:
            self.stdout.write(
                f"{b2b.accepted_left_out} accepted B2B requests of the demo data left out: in "
                f"{b2b.meeting.slug} the participants pick a slot when they accept (its B2B "
                "settings); a new database (remove var/intercluster.sqlite3) has them, waiting "
                "for the organizers."
            )

    def seed_meetings(self) -> tuple[dict[str, Organization], list[Meeting], bool]:
        organizations = self.seed_organizations()
        venue, rooms = self.seed_venue()
        user, created_user = self.seed_organizer()

        meetings = []
        for name in MEETING_FILES:
            data = read(name)
            meeting = self.seed_meeting(data, venue)
            meeting.organizations.add(*organizations.values())
            self.seed_agenda(
                meeting, rooms, organizations, data["sessions"], data.get("sessions_language", "")
            )
            meetings.append(meeting)

        for meeting in meetings:
            MeetingOrganizer.objects.get_or_create(
                meeting=meeting, user=user, defaults={"role": MeetingOrganizer.Role.ORGANIZER}
            )
        return organizations, meetings, created_user

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

    def seed_agenda(self, meeting, rooms, organizations, sessions, sessions_language) -> None:
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
                    "language": row.get("language", sessions_language),
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
                for language, text in row.get("translations", {}).items():
                    SessionTranslation.objects.create(
                        session=session,
                        language=language,
                        title=text["title"],
                        abstract=text.get("abstract", ""),
                    )
                for position, person in enumerate(row.get("speakers", [])):
                    SessionSpeaker.objects.create(
                        session=session,
                        speaker=speakers[person["speaker"]],
                        role=person["role"],
                        position=position,
                    )
