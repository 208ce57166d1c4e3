"""The automatic scheduler in the workspace: "schedule the rest" (the form as shown starts
a run), the run's page and its JSON; that meeting's organizers only."""

import json

import pytest

from matchmaking.models import Matchmaking, MeetingRequest, SchedulingRun
from matchmaking.services.requests import request_accept, request_create
from matchmaking.services.scheduling import scheduling_start
from matchmaking.services.setup import matchmaking_update
from tests.factories import MeetingFactory, MeetingOrganizerFactory, UserFactory
from tests.matchmaking.b2b import b2b_session_add, person
from tests.orga.conftest import HOSTILE
from tests.roundtrip import as_post_data, form_pairs

pytestmark = pytest.mark.django_db

SCHEDULE = "/meetings/meet/manage/b2b/schedule/"
REQUESTS = "/meetings/meet/manage/matchmaking/requests/"


@pytest.fixture
def b2b(meeting):
    matchmaking_update(
        meeting=meeting, enabled=True, scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS
    )
    b2b_session_add(meeting, tables=2)
    return meeting


def accepted(meeting) -> MeetingRequest:
    recipient = person(meeting)
    request = request_create(requester=person(meeting), recipient=recipient)
    return request_accept(request=request, by=recipient)


def run_url(run) -> str:
    return f"/meetings/{run.meeting.slug}/manage/b2b/runs/{run.pk}/"


def test_schedule_the_rest_as_shown_runs_and_shows_the_result(
    organizer_client, b2b, django_capture_on_commit_callbacks
):
    requests = [accepted(b2b) for _ in range(3)]
    page = organizer_client.get(REQUESTS)
    pairs = form_pairs(page.content, form_id="schedule-rest-form")

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(SCHEDULE, as_post_data(pairs))

    run = SchedulingRun.objects.get(meeting=b2b)
    assert (run.b2b_session, run.time_limit_seconds) == (None, 20)
    assert response.status_code == 302 and response["Location"] == run_url(run)
    assert all(MeetingRequest.objects.get(pk=r.pk).status == "scheduled" for r in requests)
    page = organizer_client.get(run_url(run)).content.decode()
    assert "Scheduled 3 of 3 accepted requests; no schedule can hold more" in page
    assert 'http-equiv="refresh"' not in page
    state = json.loads(organizer_client.get(run_url(run)[:-1] + ".json").content)
    assert (state["status"], state["finished"], state["scheduled"], state["bound"]) == (
        "done",
        True,
        3,
        3,
    )
    listing = organizer_client.get(REQUESTS).content.decode()
    assert "3 of 3 accepted requests scheduled (at most 3 possible)." in listing


def test_a_queued_run_refreshes_itself_and_reports_its_stage(organizer_client, b2b):
    run = scheduling_start(meeting=b2b)  # no commit in this test: the task never runs

    page = organizer_client.get(run_url(run)).content.decode()
    state = json.loads(organizer_client.get(run_url(run)[:-1] + ".json").content)

    assert '<meta http-equiv="refresh" content="3">' in page
    assert "b2b_run.js" in page and "<progress" in page
    assert (state["status"], state["finished"], state["stage"]) == (
        "queued",
        False,
        "Waiting for a worker",
    )
    listing = organizer_client.get(REQUESTS).content.decode()
    assert "disabled>Schedule the rest" in listing.replace('type="submit" ', "")


def test_start_is_refused_with_the_reason_when_participants_schedule(organizer_client, b2b):
    matchmaking_update(meeting=b2b, scheduling_mode=Matchmaking.SchedulingMode.PARTICIPANTS)

    response = organizer_client.post(SCHEDULE, {"time_limit_seconds": "20"}, follow=True)

    assert "The participants pick their own slots in this meeting" in response.content.decode()
    assert not SchedulingRun.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"time_limit_seconds": "3"}, "greater than or equal to 5"),
        ({"b2b_session": "999999"}, "Choose one of this meeting"),
    ],
)
def test_bad_input_starts_nothing(organizer_client, b2b, data, message):
    response = organizer_client.post(SCHEDULE, data, follow=True)

    assert message in response.content.decode()
    assert not SchedulingRun.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, b2b):
    run = scheduling_start(meeting=b2b)

    for response in (
        client.post(SCHEDULE),
        client.get(run_url(run)),
        client.get(run_url(run)[:-1] + ".json"),
    ):
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert SchedulingRun.objects.count() == 1


def test_an_organizer_of_another_meeting_can_neither_start_nor_see_a_run(client, b2b):
    run = scheduling_start(meeting=b2b)
    other = UserFactory(username="other-org")
    other_meeting = MeetingFactory(slug="other")
    MeetingOrganizerFactory(meeting=other_meeting, user=other)
    client.force_login(other)

    assert client.post(SCHEDULE).status_code == 403
    assert client.get(run_url(run)).status_code == 403
    assert client.get(run_url(run)[:-1] + ".json").status_code == 403
    # Their own meeting's address with this meeting's run: not found.
    assert client.get(f"/meetings/other/manage/b2b/runs/{run.pk}/").status_code == 404
    assert SchedulingRun.objects.count() == 1


def test_the_run_page_shows_hostile_names_as_text(organizer_client, b2b, organizer):
    organizer.first_name = HOSTILE
    organizer.save()
    session = b2b_session_add(b2b, start="17:00", tables=1)
    session.session.title = HOSTILE[:200]
    session.session.save()
    run = scheduling_start(meeting=b2b, started_by=organizer, b2b_session=session)

    page = organizer_client.get(run_url(run)).content.decode()

    assert "<b>&amp;</b>" not in page
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in page
    assert "<bdi>" in page
