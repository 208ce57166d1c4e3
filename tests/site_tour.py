"""One rich site to walk every page of: the accessibility tests' data.

``build_site()`` seeds the demo's meetings and agendas (``seed_demo --skip-b2b``,
fast) and adds, through the services the site itself uses, what the pages need to
show all they can: intercluster-next's B2B meetings for a dozen of the demo's
participants (scheduled, accepted, requested, declined and cancelled requests, a
scheduler run), people pending and on the waitlist, a participant whose name and
pitch are hostile text (bidi override, newlines, a control character, a very long
word), and a meeting that took place yesterday with a 1:1 meeting to record.
"""

import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management import call_command

from agenda.models import Session, Speaker
from demo.b2b import (
    B2B_FILE,
    PARTICIPANTS_FILE,
    accepted_rows,
    seed_matchmaking,
    seed_participant,
    seed_request,
    seed_sectors,
    seed_sessions,
)
from demo.data import read
from events.models import Meeting, MeetingOrganizer, Organization
from matchmaking.models import B2BSession, MeetingRequest, Sector
from matchmaking.services.profiles import entry_create
from matchmaking.services.requests import request_create
from matchmaking.services.scheduling import scheduling_start
from registrations.models import Registration
from tests.factories import RegistrationFactory
from tests.matchmaking.b2b import person, slots
from tests.matchmaking.outcomes import meet, past_b2b_meeting

ORGANIZER = ("organizer", "intercluster")  # seed_demo's demo organizer
HOSTILE_NAME = "Zoë\u202e\u200fNiño\nOjeda\x07" + "Ö" * 80
HOSTILE_TEXT = "Line one\r\nline two \u202egnirts desrever\u202c\x0b " + "x" * 300

# The demo's participants taking part, and the requests between them (the demo's own rows:
# each state a request can be in).
PEOPLE = [
    "marcos-alonso",
    "joseba-garate",
    "mikel-arana",
    "vicente-marti",
    "eva-rodriguez",
    "oscar-lizarraga",
    "ignacio-herrero",
    "silvia-monfort",
    "xabier-olano",
    "leire-ibarra",
    "rocio-pardo",
    "nuria-valdes",
]


@dataclass
class Site:
    meeting: Meeting  # intercluster-next: registration open, B2B meetings on
    reference: Meeting  # intercluster-2019: past, full agenda
    past: Meeting  # took place yesterday: outcomes to record
    participant: Registration  # confirmed, in every kind of request (the demo participant)
    other: Registration  # a profile the participant has no request with
    hostile: Registration  # hostile name and pitch, listed, asking the participant
    resettable: Registration  # whose private link the tour resets (it stops working)
    past_participant: Registration  # a 1:1 meeting yesterday
    workshop: Session  # bookable, with a speaker
    speaker: Speaker
    sector: Sector
    b2b_session: B2BSession
    accepted: MeetingRequest  # waiting for the organizers to schedule it
    entry_pk: int  # one of the participant's marketplace entries
    run_pk: int  # a finished scheduler run


def build_site() -> Site:
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())
    meeting = Meeting.objects.get(slug="intercluster-next")
    organizations = {org.short_name: org for org in Organization.objects.all()}
    data = read(B2B_FILE)
    seed_matchmaking(meeting, data["matchmaking"])
    sectors = seed_sectors(meeting, data["sectors"])
    seed_sessions(meeting, data["sessions"])
    rows = {row["slug"]: row for row in read(PARTICIPANTS_FILE)}
    people = {
        slug: seed_participant(meeting, rows[slug], organizations, sectors) for slug in PEOPLE
    }
    chosen = set(PEOPLE)
    for row in data["requests"]:
        if {row["from"], row["to"]} <= chosen:
            seed_request(meeting, row, people, by_organizers=True)
    # A run before the accepted requests exist, so that they stay waiting for the organizers.
    run = scheduling_start(meeting=meeting, b2b_session=None, time_limit_seconds=None)
    for row in accepted_rows(data["accepted"], list(rows.values())):
        if {row["from"], row["to"]} <= chosen:
            seed_request(meeting, row, people, by_organizers=True)
    participant = people["marcos-alonso"]

    hostile = person(
        meeting, first_name=HOSTILE_NAME, last_name=HOSTILE_NAME, job_title=HOSTILE_TEXT[:100]
    )
    hostile.b2b_profile.pitch = HOSTILE_TEXT
    hostile.b2b_profile.save(update_fields=["pitch"])
    entry_create(registration=hostile, kind="offer", title=HOSTILE_NAME, description=HOSTILE_TEXT)
    request_create(requester=hostile, recipient=participant, message=HOSTILE_TEXT)
    for status in (Registration.Status.PENDING, Registration.Status.WAITLISTED):
        RegistrationFactory(meeting=meeting, status=status, first_name=HOSTILE_NAME)

    past = past_b2b_meeting(slug="yesterday", title="Intercluster workshop day")
    organizer = get_user_model().objects.get(username=ORGANIZER[0])
    MeetingOrganizer.objects.create(
        meeting=past, user=organizer, role=MeetingOrganizer.Role.ORGANIZER
    )
    past_participant, met = person(past, first_name="Ana"), person(past, first_name="Ben")
    meet(past_participant, met, slots(past)[0])

    workshop = (
        Session.objects.filter(meeting=meeting, requires_booking=True)
        .exclude(speakers=None)
        .first()
    )
    return Site(
        meeting=meeting,
        reference=Meeting.objects.get(slug="intercluster-2019"),
        past=past,
        participant=participant,
        other=people["leire-ibarra"],
        hostile=hostile,
        resettable=people["nuria-valdes"],
        past_participant=past_participant,
        workshop=workshop,
        speaker=workshop.speakers.first(),
        sector=Sector.objects.filter(meeting=meeting).first(),
        b2b_session=B2BSession.objects.filter(meeting=meeting).first(),
        accepted=MeetingRequest.objects.filter(meeting=meeting, status="accepted").first(),
        entry_pk=participant.b2b_profile.entries.first().pk,
        run_pk=run.pk,
    )
