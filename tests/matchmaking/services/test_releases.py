"""Sending a schedule writes one email per confirmed participant concerned (a meeting, or a
meeting cancelled since the last schedule), once per confirmation; it refuses, writing
nothing, when there is nothing to send or the meeting is off, cancelled or over."""

import datetime as dt

import pytest

from events.models import Meeting
from mail.models import OutboxMessage
from matchmaking.models import Matchmaking, MeetingRequest, ScheduleRelease
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.releases import ReleaseAlreadySent, schedule_release
from matchmaking.services.requests import (
    request_accept,
    request_cancel,
    request_create,
    request_schedule,
)
from matchmaking.services.setup import matchmaking_update
from registrations.models import Registration
from tests.matchmaking.b2b import b2b_meeting, person, slots

pytestmark = pytest.mark.django_db


def placed(requester, recipient, slot) -> MeetingRequest:
    request = request_create(requester=requester, recipient=recipient)
    request_accept(request=request, by=recipient)
    return request_schedule(request=request, slot_id=slot.pk)


@pytest.fixture
def world():
    """Ana–Ben and Cai–Dan meet; Eva has only an accepted request; Fay has nothing."""
    meeting = b2b_meeting(scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS)
    ana, ben, cai, dan, eva, fay = (person(meeting) for _ in range(6))
    first, second, _third = slots(meeting)
    ab = placed(ana, ben, first)
    cd = placed(cai, dan, second)
    request_accept(request=request_create(requester=eva, recipient=fay), by=fay)
    return meeting, (ana, ben, cai, dan, eva, fay), (ab, cd)


def rows() -> list[tuple[str, int, dict]]:
    return [
        (row.recipient, row.registration_id, row.payload)
        for row in OutboxMessage.objects.filter(kind="b2b_schedule").order_by("registration_id")
    ]


def test_one_email_per_person_with_a_meeting(world):
    meeting, (ana, ben, cai, dan, _eva, _fay), _meetings = world

    release = schedule_release(meeting=meeting, kind="final", sent_by=None)

    assert (release.kind, release.recipients, release.meetings) == ("final", 4, 2)
    payload = {"release": release.pk, "final": True}
    assert rows() == [
        (p.email, p.pk, payload) for p in sorted((ana, ben, cai, dan), key=lambda p: p.pk)
    ]
    assert set(
        OutboxMessage.objects.filter(kind="b2b_schedule").values_list("dedupe_key", flat=True)
    ) == {f"b2b-schedule:{release.pk}:{p.pk}" for p in (ana, ben, cai, dan)}


def test_a_participant_no_longer_confirmed_gets_no_schedule(world):
    meeting, (ana, ben, cai, dan, _eva, _fay), _meetings = world
    Registration.objects.filter(pk=dan.pk).update(status=Registration.Status.PENDING)

    release = schedule_release(meeting=meeting, kind="preliminary", sent_by=None)

    assert release.recipients == 3
    assert [registration for _to, registration, _payload in rows()] == sorted(
        p.pk for p in (ana, ben, cai)
    )


def test_a_meeting_cancelled_since_the_last_schedule_brings_its_people_in(world):
    meeting, (ana, ben, cai, dan, _eva, _fay), (_ab, cd) = world
    schedule_release(meeting=meeting, kind="preliminary", sent_by=None)
    request_cancel(request=cd, by=None)
    OutboxMessage.objects.all().delete()

    second = schedule_release(meeting=meeting, kind="final", sent_by=None)
    third = schedule_release(meeting=meeting, kind="final", sent_by=None)

    # Cai and Dan need the CANCEL once; after that only Ana and Ben hear again.
    assert (second.recipients, second.meetings) == (4, 1)
    assert (third.recipients, third.meetings) == (2, 1)


def test_a_double_confirmation_sends_once(world):
    meeting, _people, _meetings = world
    first = schedule_release(
        meeting=meeting,
        kind="final",
        sent_by=None,
        after=0,
        expected_recipients=4,
        expected_meetings=2,
    )

    with pytest.raises(ReleaseAlreadySent) as refused:
        schedule_release(
            meeting=meeting,
            kind="final",
            sent_by=None,
            after=0,
            expected_recipients=4,
            expected_meetings=2,
        )

    assert refused.value.release == first
    assert ScheduleRelease.objects.count() == 1
    assert len(rows()) == 4


def test_a_confirmation_overtaken_by_another_schedule_is_refused(world):
    meeting, _people, _meetings = world
    schedule_release(meeting=meeting, kind="preliminary", sent_by=None)

    with pytest.raises(MatchmakingError, match="Another schedule was sent meanwhile"):
        schedule_release(meeting=meeting, kind="final", sent_by=None, after=0)

    assert ScheduleRelease.objects.count() == 1 and len(rows()) == 4


def test_counts_that_changed_since_the_confirmation_are_refused(world):
    meeting, (_ana, _ben, _cai, _dan, eva, fay), _meetings = world
    request = MeetingRequest.objects.get(requester=eva)
    request_schedule(request=request, slot_id=slots(meeting)[2].pk)

    with pytest.raises(MatchmakingError, match="now goes to 6 people with 3 meetings"):
        schedule_release(
            meeting=meeting,
            kind="final",
            sent_by=None,
            after=0,
            expected_recipients=4,
            expected_meetings=2,
        )

    assert ScheduleRelease.objects.count() == 0 and rows() == []


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda m: matchmaking_update(meeting=m, enabled=False), "has no B2B meetings"),
        (lambda m: Meeting.objects.filter(pk=m.pk).update(status="cancelled"), "is cancelled"),
        (
            lambda m: Meeting.objects.filter(pk=m.pk).update(
                starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 1, 2)
            ),
            "is over",
        ),
        (
            lambda m: MeetingRequest.objects.filter(meeting=m, status="scheduled").update(
                status="cancelled"
            ),
            "nothing to send",
        ),
    ],
    ids=["matchmaking-off", "meeting-cancelled", "meeting-over", "nothing-scheduled"],
)
def test_refusals_write_nothing(world, spoil, message):
    meeting = world[0]
    spoil(meeting)
    meeting = Meeting.objects.get(pk=meeting.pk)

    with pytest.raises(MatchmakingError, match=message):
        schedule_release(meeting=meeting, kind="final", sent_by=None)

    assert ScheduleRelease.objects.count() == 0 and rows() == []


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(MatchmakingError) as refused:
        schedule_release(meeting=world[0], kind="weekly", sent_by=None)
    assert refused.value.field == "kind"
    assert ScheduleRelease.objects.count() == 0
