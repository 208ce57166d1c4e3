"""The B2B part of the demo: intercluster-next's matchmaking, participants and requests.

The demo's organizers schedule (as at b2match events): its participants ask and
accept, its scheduled meetings were placed by the organizers, and some 130
accepted requests wait for the organizers' scheduler. Seeding it takes a while,
so the tests that read it share one seeding (``setUpTestData``); each test
still runs in its own transaction, rolled back after it.
"""

import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone, translation

from demo.data import read
from events.models import Meeting
from mail.models import OutboxMessage
from matchmaking.models import (
    B2BSession,
    MarketplaceEntry,
    Matchmaking,
    MeetingRequest,
    Profile,
    Sector,
    SlotSeat,
)
from matchmaking.selectors import (
    DirectoryFilters,
    directory_search,
    my_meetings,
    profiles_visible,
    requests_closed_reason,
)
from matchmaking.services.requests import request_decline
from matchmaking.services.setup import matchmaking_update
from registrations.models import Registration
from tests.roundtrip import form_values

Kind = OutboxMessage.Kind
TABLES = [f"Table {number}" for number in range(1, 16)]
ACCEPTED = len(read("intercluster-next-b2b.json")["accepted"]["pairs"])
MARCOS = "marcos.alonso@metaindustry4.example"


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def upcoming() -> Meeting:
    return Meeting.objects.get(slug="intercluster-next")


def local(moment: dt.datetime, meeting: Meeting) -> dt.datetime:
    return moment.astimezone(meeting.tzinfo)


def b2b_snapshot():
    return {
        "matchmaking": list(Matchmaking.objects.values_list("pk", "updated_at")),
        "sectors": list(Sector.objects.values_list("pk", "updated_at")),
        "sessions": list(B2BSession.objects.values_list("pk", "updated_at")),
        "seats": sorted(SlotSeat.objects.values_list("pk", "slot", "registration")),
        "registrations": sorted(Registration.objects.values_list("pk", "status", "updated_at")),
        "profiles": sorted(Profile.objects.values_list("pk", "updated_at")),
        "entries": sorted(MarketplaceEntry.objects.values_list("pk", "updated_at")),
        "requests": sorted(
            MeetingRequest.objects.values_list("pk", "status", "slot", "table", "updated_at")
        ),
        "emails": OutboxMessage.objects.count(),
    }


class SeededDemoB2BTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = seed()

    def test_seed_demo_turns_b2b_meetings_on_for_the_upcoming_edition_only(self):
        """The organizers schedule: participants ask and accept, without picking a slot."""
        meeting = upcoming()
        matchmaking = Matchmaking.objects.get(meeting=meeting)
        assert matchmaking.enabled
        assert (matchmaking.request_mode, matchmaking.scheduling_mode) == ("accept", "organizers")
        assert requests_closed_reason(matchmaking=matchmaking) is None
        assert local(matchmaking.closes_at, meeting) == dt.datetime.combine(
            meeting.starts_on + dt.timedelta(days=1), dt.time(9), tzinfo=meeting.tzinfo
        )
        assert not Matchmaking.objects.filter(meeting__slug="intercluster-2019").exists()
        assert list(Sector.objects.filter(meeting=meeting).values_list("name", flat=True)) == [
            "Advanced manufacturing",
            "Agrifood",
            "Energy",
            "Health and life sciences",
            "ICT and digital",
            "Mobility and automotive",
            "Aerospace",
            "Logistics and packaging",
            "Environment and water",
            "Maritime and naval",
            "Tourism",
            "Construction and habitat",
        ]

    def test_seed_demo_b2b_sessions_are_a_morning_and_an_afternoon_of_20_minute_slots(self):
        """Two sessions of kind B2B in a room of the venue, 15 tables each, slots in the future."""
        meeting = upcoming()
        sessions = list(B2BSession.objects.filter(meeting=meeting).order_by("session__starts_at"))
        rows = [
            (
                local(b2b.session.starts_at, meeting).strftime("%H:%M"),
                local(b2b.session.ends_at, meeting).strftime("%H:%M"),
                b2b.session.kind,
                b2b.session.room.name,
                b2b.slot_minutes,
                b2b.max_meetings_per_person,
                b2b.slots.count(),
                list(b2b.tables.values_list("name", flat=True)),
            )
            for b2b in sessions
        ]
        assert rows == [
            ("15:00", "17:00", "b2b", "Espacio Networking", 20, 4, 6, TABLES),
            ("10:15", "11:55", "b2b", "Espacio Networking", 20, 4, 5, TABLES),
        ]
        afternoon, morning = sessions
        assert local(afternoon.session.starts_at, meeting).date() == meeting.starts_on
        assert local(morning.session.starts_at, meeting).date() == meeting.ends_on
        assert all(session.session.room.venue == meeting.venue for session in sessions)
        for b2b in sessions:
            slots = list(b2b.slots.order_by("position"))
            assert slots[0].starts_at == b2b.session.starts_at
            assert all(slot.ends_at - slot.starts_at == dt.timedelta(minutes=20) for slot in slots)
            assert slots[-1].ends_at <= b2b.session.ends_at
            assert slots[0].starts_at > timezone.now() + dt.timedelta(days=40)

    def test_seed_demo_lists_60_confirmed_participants_of_the_seeded_organisations(self):
        meeting = upcoming()
        registrations = Registration.objects.filter(meeting=meeting)
        assert registrations.count() == 60
        assert set(registrations.values_list("status", flat=True)) == {"confirmed"}
        # Their links count as opened: no seat is only held (and released half an hour later).
        assert not registrations.filter(hold_expires_at__isnull=False).exists()
        assert not registrations.filter(link_opened_at__isnull=True).exists()
        visible = profiles_visible(meeting=meeting).select_related("organization", "registration")
        assert visible.count() == 60
        seeded = set(meeting.organizations.values_list("pk", flat=True))
        for profile in visible:
            assert profile.organization_id in seeded
            assert profile.registration.organization_id == profile.organization_id
            assert profile.region == profile.organization.region
            assert profile.role and profile.pitch and profile.languages
            assert profile.website.startswith("https://")
            assert profile.sectors.exists()
        assert len(set(visible.values_list("organization", flat=True))) == 46
        assert len(set(visible.values_list("region", flat=True)) - {""}) == 14
        languages = Counter(code for p in visible for code in p.languages)
        assert {"es", "en", "eu", "ca", "gl", "fr", "de", "pt", "it"} <= set(languages)
        assert directory_search(meeting=meeting, filters=DirectoryFilters()).count() == 60
        marcos = registrations.get(email=MARCOS)
        assert (
            directory_search(
                meeting=meeting, filters=DirectoryFilters(q="gemelo digital"), exclude=marcos
            ).count()
            == 0
        )  # his own entry, and nobody else's
        assert list(
            directory_search(meeting=meeting, filters=DirectoryFilters(q="gemelo digital"))
        ) == [marcos.b2b_profile]

    def test_seed_demo_marketplace_holds_offers_requests_and_cooperation_ideas(self):
        """In Spanish and English, and no email address in any text another participant reads."""
        entries = MarketplaceEntry.objects.filter(profile__meeting=upcoming())
        assert dict(Counter(entries.values_list("kind", flat=True))) == {
            "offer": 57,
            "request": 36,
            "cooperation": 28,
        }
        titles = set(entries.values_list("title", flat=True))
        assert "Demostrador de gemelo digital para talleres de calderería" in titles
        assert "Private 5G networks for factories" in titles
        assert all(entry.description for entry in entries)
        texts = [text for entry in entries for text in (entry.title, entry.description)]
        texts += list(Profile.objects.values_list("pitch", flat=True))
        texts += list(MeetingRequest.objects.values_list("message", flat=True))
        assert not [text for text in texts if "@" in text]

    def test_seed_demo_writes_requests_in_each_state(self):
        """Each through the services, so each wrote the emails a person would get."""
        requests = MeetingRequest.objects.filter(meeting=upcoming())
        assert dict(Counter(requests.values_list("status", flat=True))) == {
            "scheduled": 18,
            "accepted": ACCEPTED,
            "requested": 14,
            "declined": 6,
            "cancelled": 4,
        }
        assert requests.exclude(message="").count() == 42 + ACCEPTED
        # Two were withdrawn before an answer, two cancelled once scheduled (their calendar
        # entry is kept, cancelled: a higher SEQUENCE).
        cancelled = requests.filter(status="cancelled")
        assert sorted((r.slot is None, r.sequence) for r in cancelled) == [
            (False, 1),
            (False, 1),
            (True, 0),
            (True, 0),
        ]
        assert all(r.cancelled_by_id in (r.requester_id, r.recipient_id) for r in cancelled)
        assert requests.filter(status="declined").exclude(decline_reason="").count() == 4
        sent = Counter(
            OutboxMessage.objects.filter(meeting=upcoming()).values_list("kind", flat=True)
        )
        # Every request was received; every accepted one (the scheduled and the cancelled
        # meetings were accepted first) told its requester; every meeting the organizers
        # placed told both people.
        assert sent == {
            Kind.REGISTRATION_CONFIRMED: 60,
            Kind.B2B_REQUEST_RECEIVED: 42 + ACCEPTED,
            Kind.B2B_REQUEST_ACCEPTED: 20 + ACCEPTED,
            Kind.B2B_MEETING_SCHEDULED: 2 * 20,
            Kind.B2B_REQUEST_DECLINED: 6,
            Kind.B2B_MEETING_CANCELLED: 6,
        }
        assert sum(sent.values()) == 444
        placed = requests.filter(slot__isnull=False)
        for request in placed:
            told = OutboxMessage.objects.filter(
                kind=Kind.B2B_MEETING_SCHEDULED, payload__request=request.pk
            )
            assert sorted(told.values_list("registration", flat=True)) == sorted(
                [request.requester_id, request.recipient_id]
            )

    def test_seed_demo_scheduled_meetings_keep_every_rule(self):
        """Nobody twice in a slot, no table twice, within the limit, nobody busy elsewhere."""
        meeting = upcoming()
        scheduled = list(
            MeetingRequest.objects.filter(meeting=meeting, status="scheduled").select_related(
                "slot__b2b_session", "table"
            )
        )
        assert len(scheduled) == 18
        assert {r.slot.b2b_session.session.external_id for r in scheduled} == {
            "icnext-b2b",
            "icnext-b2b-morning",
        }
        assert all(r.table.b2b_session_id == r.slot.b2b_session_id for r in scheduled)
        places = [(r.slot_id, r.table_id) for r in scheduled]
        assert len(set(places)) == len(places)
        people = [(r.slot_id, person) for r in scheduled for person in (r.requester, r.recipient)]
        assert len(set(people)) == 36
        assert sorted(SlotSeat.objects.values_list("slot_id", "registration_id")) == sorted(
            (slot, person.pk) for slot, person in people
        )
        per_session = Counter()
        for request in scheduled:
            for person in (request.requester, request.recipient):
                per_session[(request.slot.b2b_session_id, person.pk)] += 1
                unavailable = person.b2b_profile.unavailable_slots.all()
                assert request.slot not in unavailable
        assert max(per_session.values()) <= 4
        for registration in Registration.objects.filter(meeting=meeting):
            # A booked workshop overlapping one of their meetings would show as a clash.
            assert my_meetings(registration=registration).clashes == {}

    def test_seed_demo_leaves_accepted_requests_for_the_organizers_to_schedule(self):
        """Between people of every region, some preferring a session, and more than the
        tables and the per-session limit can take, so a scheduler has real choices."""
        meeting = upcoming()
        accepted = list(
            MeetingRequest.objects.filter(meeting=meeting, status="accepted").select_related(
                "requester__b2b_profile", "recipient__b2b_profile", "preferred_session__session"
            )
        )
        assert len(accepted) == ACCEPTED
        assert 120 <= ACCEPTED <= 150
        assert all(r.slot_id is None and r.table_id is None for r in accepted)
        assert not SlotSeat.objects.filter(request__status="accepted").exists()
        assert all(r.responded_at for r in accepted)
        preferred = Counter(
            r.preferred_session.session.external_id if r.preferred_session else None
            for r in accepted
        )
        assert set(preferred) == {None, "icnext-b2b", "icnext-b2b-morning"}
        assert preferred[None] < ACCEPTED * 2 / 3
        people = Counter(p.pk for r in accepted for p in (r.requester, r.recipient))
        assert len(people) == 59  # all but Marcos, whose requests tell their own story
        regions = {
            (r.requester.b2b_profile.region, r.recipient.b2b_profile.region) for r in accepted
        }
        assert len({region for pair in regions for region in pair} - {""}) == 14
        # Open meetings per person (accepted and scheduled) against the most two sessions of
        # four each allow: some people asked for by many cannot have them all.
        scheduled = MeetingRequest.objects.filter(meeting=meeting, status="scheduled")
        for request in scheduled:
            people.update([request.requester_id, request.recipient_id])
        assert sum(1 for count in people.values() if count > 2 * 4) >= 3
        # 15 tables × 11 slots: the open meetings nearly fill them.
        assert 150 <= len(accepted) + scheduled.count() <= 15 * 11
        # The message names one of the recipient's marketplace entries, in the asker's language.
        request = next(r for r in accepted if r.requester.language == "es")
        title = request.recipient.b2b_profile.entries.order_by("pk").first().title
        assert request.message == (
            f"Hola, he visto «{title}» en vuestro perfil. ¿Lo hablamos en las reuniones B2B?"
        )
        assert f"{ACCEPTED} accepted B2B requests wait for the organizers" in self.output
        assert "/meetings/intercluster-next/manage/b2b/" in self.output

    def test_seed_demo_b2b_part_twice_changes_nothing(self):
        first = b2b_snapshot()

        output = seed()

        assert b2b_snapshot() == first
        assert "The seeding wrote" not in output

    def test_seed_demo_again_leaves_what_a_visitor_did_to_a_demo_request(self):
        """A request a visitor answered is not put back (nor asked again) by a second run."""
        marcos = Registration.objects.get(email=MARCOS)
        incoming = MeetingRequest.objects.get(recipient=marcos, status="requested")
        request_decline(request=incoming, by=marcos, reason="Not this time.")

        seed()

        assert list(
            MeetingRequest.objects.filter(
                requester=incoming.requester, recipient=marcos
            ).values_list("status", "decline_reason")
        ) == [("declined", "Not this time.")]

    def test_seed_demo_prints_a_demo_participants_private_link_who_accepts_without_a_slot(self):
        """The participant named in the data file, with something in every part of their page;
        accepting his incoming request leaves it to the organizers to find the time."""
        link = re.search(r"(/r/[\w-]+/)", self.output).group(1)
        assert "/meetings/intercluster-next/participants/" in self.output
        slug = read("intercluster-next-b2b.json")["demo_participant"]
        person = next(p for p in read("intercluster-next-participants.json") if p["slug"] == slug)
        registration = Registration.objects.get(email=person["email"])
        assert registration.get_absolute_url() == link
        mine = my_meetings(registration=registration)
        assert (len(mine.incoming), len(mine.outgoing), len(mine.scheduled)) == (1, 1, 1)
        assert (len(mine.closed), len(mine.accepted)) == (1, 0)
        assert person["email"] not in self.output
        response = self.client.get(link)
        assert response.status_code == 200
        assert "Marcos" in response.content.decode()
        [incoming] = mine.incoming
        page = self.client.get(f"{link}meetings/").content
        accept = f"{link}meetings/{incoming.pk}/accept/"

        with translation.override("en"):
            response = self.client.post(
                accept, form_values(page, action=accept), follow=True, HTTP_ACCEPT_LANGUAGE="en"
            )

        assert response.status_code == 200
        assert "Accepted, waiting for a time" in response.content.decode()
        incoming.refresh_from_db()
        assert (incoming.status, incoming.slot, incoming.table) == ("accepted", None, None)

    def test_seed_demo_on_an_old_database_leaves_b2b_out_and_says_why(self):
        """A database first seeded before the B2B demo, once intercluster-next's registration
        closed: nobody can register, so the command says so instead of failing."""
        meeting = upcoming()
        Registration.objects.filter(meeting=meeting).delete()
        Matchmaking.objects.filter(meeting=meeting).delete()
        Meeting.objects.filter(pk=meeting.pk).update(
            registration_opens_at=timezone.now() - dt.timedelta(days=60),
            registration_closes_at=timezone.now() - dt.timedelta(days=1),
        )

        output = seed()

        assert "No B2B meetings in intercluster-next: Registration is closed." in output
        assert not Matchmaking.objects.filter(meeting=meeting).exists()
        assert not Registration.objects.filter(meeting=meeting).exists()

    def test_seed_demo_where_participants_schedule_leaves_the_accepted_requests_out(self):
        """A database seeded when the demo's participants picked the slot (or a visitor who
        switched back to that): accepting would need a slot, so those requests are left out
        and the command says so; everything else stays as it was."""
        meeting = upcoming()
        MeetingRequest.objects.filter(meeting=meeting, status="accepted").delete()
        matchmaking_update(meeting=meeting, scheduling_mode=Matchmaking.SchedulingMode.PARTICIPANTS)
        before = b2b_snapshot()

        output = seed()

        assert b2b_snapshot() == before
        assert not MeetingRequest.objects.filter(meeting=meeting, status="accepted").exists()
        assert (
            f"{ACCEPTED} accepted B2B requests of the demo data left out: in intercluster-next "
            "the participants pick a slot when they accept"
        ) in output
        assert "wait for the organizers:" not in output


def test_demo_b2b_data_files_hold_together():
    """What the loader keys on is unique, and every name points at something."""
    b2b = read("intercluster-next-b2b.json")
    people = read("intercluster-next-participants.json")
    organizations = {row["short_name"] for row in read("organizations.json")}
    sessions = {row["external_id"] for row in read("intercluster-next.json")["sessions"]}
    slugs = [row["slug"] for row in people]
    emails = [row["email"].lower() for row in people]
    assert len(set(slugs)) == len(slugs) == 60
    assert len(set(emails)) == len(emails)
    assert all(email.endswith(".example") for email in emails)
    assert {row["organization"] for row in people} == organizations
    assert all(set(row["profile"]["sectors"]) <= set(b2b["sectors"]) for row in people)
    assert all(set(row.get("sessions", [])) <= sessions for row in people)
    assert {row["session"] for row in b2b["sessions"]} <= sessions
    assert b2b["demo_participant"] in slugs
    pairs = [frozenset((row["from"], row["to"])) for row in b2b["requests"]]
    pairs += [frozenset(pair[:2]) for pair in b2b["accepted"]["pairs"]]
    assert len(set(pairs)) == len(pairs)
    assert all(pair <= set(slugs) and len(pair) == 2 for pair in pairs)
    organization = {row["slug"]: row["organization"] for row in people}
    assert all(organization[a] != organization[b] for a, b, *_ in b2b["accepted"]["pairs"])
    b2b_sessions = {row["session"] for row in b2b["sessions"]}
    assert {pair[2] for pair in b2b["accepted"]["pairs"] if len(pair) > 2} == b2b_sessions
    assert all(row["entries"] for row in people)  # the accepted requests' messages cite one
    assert set(b2b["accepted"]["message"]) == {row["language"] for row in people}


@pytest.mark.django_db(transaction=True)
def test_skip_b2b_seeds_the_meetings_and_agendas_without_any_participant():
    out = io.StringIO()
    call_command("seed_demo", "--skip-b2b", stdout=out)

    assert Meeting.objects.filter(slug="intercluster-next").exists()
    assert not Registration.objects.exists()
    assert not MeetingRequest.objects.exists()
    assert "participants/" not in out.getvalue()
