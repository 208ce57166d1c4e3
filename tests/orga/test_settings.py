"""Registration settings in the workspace: shown and read in the meeting's zone; what nobody
touched is not written."""

import datetime as dt

import pytest

from events.models import Meeting
from mail.models import OutboxMessage
from registrations.models import Registration
from tests.factories import MADRID, MeetingFactory, MeetingOrganizerFactory, RegistrationFactory
from tests.orga.conftest import participant_user
from tests.roundtrip import form_values, resubmit

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[dt.date(2027, 1, 19), dt.date(2027, 7, 6)], ids=["winter", "summer"])
def season_meeting(request, organizer):
    meeting = MeetingFactory(
        slug="season",
        starts_on=request.param,
        ends_on=request.param,
        registration_opens_at=dt.datetime(2026, 11, 2, 9, 30, 15, tzinfo=dt.UTC),
        registration_closes_at=dt.datetime.combine(
            request.param - dt.timedelta(days=1), dt.time(18, 45), tzinfo=MADRID
        ),
        capacity=2,
        contact_email="info@example.org",
    )
    MeetingOrganizerFactory(meeting=meeting, user=organizer)
    return meeting


@pytest.fixture
def org_client(client, organizer):
    client.force_login(organizer)
    return client


URL = "/meetings/season/manage/settings/"


def test_saved_untouched_nothing_changes(org_client, season_meeting):
    before = list(Meeting.objects.filter(pk=season_meeting.pk).values())
    response = resubmit(org_client, URL)
    assert response.status_code == 302
    assert list(Meeting.objects.filter(pk=season_meeting.pk).values()) == before
    assert OutboxMessage.objects.count() == 0


def test_the_window_is_shown_in_meeting_time(org_client, season_meeting):
    shown = form_values(org_client.get(URL).content, form_id="settings-form")
    closes = season_meeting.registration_closes_at.astimezone(MADRID)
    assert shown["registration_closes_at"] == f"{closes:%Y-%m-%d}T18:45"
    assert shown["registration_opens_at"] == "2026-11-02T10:30"


def test_a_changed_close_is_read_in_meeting_time(org_client, season_meeting):
    day = season_meeting.starts_on - dt.timedelta(days=2)
    resubmit(org_client, URL, registration_closes_at=f"{day}T20:00")
    season_meeting.refresh_from_db()
    assert season_meeting.registration_closes_at == dt.datetime.combine(
        day, dt.time(20, 0), tzinfo=MADRID
    )
    # The opening time nobody touched keeps its seconds.
    assert season_meeting.registration_opens_at == dt.datetime(
        2026, 11, 2, 9, 30, 15, tzinfo=dt.UTC
    )


def test_raising_the_capacity_promotes_the_waitlist(
    org_client, season_meeting, django_capture_on_commit_callbacks
):
    RegistrationFactory.create_batch(2, meeting=season_meeting)
    waiting = RegistrationFactory(
        meeting=season_meeting, status="waitlisted", waitlisted_at=dt.datetime.now(dt.UTC)
    )
    with django_capture_on_commit_callbacks(execute=True):
        resubmit(org_client, URL, capacity="3")
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert OutboxMessage.objects.filter(kind="registration_promoted").count() == 1


def test_a_capacity_below_the_confirmed_is_refused_and_nothing_changes(org_client, season_meeting):
    RegistrationFactory.create_batch(2, meeting=season_meeting)
    response = resubmit(org_client, URL, capacity="1")
    assert response.status_code == 200
    assert "2 people are confirmed" in response.content.decode()
    season_meeting.refresh_from_db()
    assert season_meeting.capacity == 2


def test_closing_before_opening_is_a_field_error(org_client, season_meeting):
    response = resubmit(org_client, URL, registration_closes_at="2026-10-01T10:00")
    assert response.status_code == 200
    assert "Registration must close after it opens." in response.content.decode()
    season_meeting.refresh_from_db()
    assert season_meeting.registration_closes_at.astimezone(MADRID).time() == dt.time(18, 45)


def test_only_this_meetings_organizers(client, season_meeting):
    assert client.get(URL).status_code == 302
    other = MeetingOrganizerFactory(meeting=MeetingFactory()).user
    client.force_login(other)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"capacity": "0"}).status_code == 403
    season_meeting.refresh_from_db()
    assert season_meeting.capacity == 2


def test_a_participant_with_an_account_gets_403_and_no_data(client, season_meeting):
    client.force_login(participant_user(season_meeting))

    shown = client.get(URL)
    posted = client.post(URL, {"capacity": "0", "contact_email": "evil@example.org"})

    for answer in [shown, posted]:
        assert answer.status_code == 403
        assert b"info@example.org" not in answer.content
    season_meeting.refresh_from_db()
    assert (season_meeting.capacity, season_meeting.contact_email) == (2, "info@example.org")
    assert OutboxMessage.objects.count() == 0
