"""'Schedule the rest' in Chromium: the organizer starts a run from the requests page and
reads its result on the run's page."""

import pytest

from matchmaking.models import Matchmaking, MeetingRequest
from matchmaking.services.requests import request_accept, request_create
from matchmaking.services.setup import matchmaking_update
from tests.browser.test_dashboard import log_in
from tests.matchmaking.b2b import b2b_session_add, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organizer_schedules_the_rest_and_reads_the_result(
    live_server, page, meeting, organizer, screenshot
):
    matchmaking_update(
        meeting=meeting, enabled=True, scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS
    )
    b2b_session_add(meeting, tables=2)
    ana = person(meeting)
    for _ in range(3):
        other = person(meeting)
        request_accept(request=request_create(requester=other, recipient=ana), by=ana)
    log_in(page, live_server, "/meetings/meet/manage/matchmaking/requests/")
    screenshot(page, "sched-requests")

    page.click("#schedule-rest-form button[type=submit]")
    page.wait_for_selector('[data-run="summary"]')

    assert "Scheduled 3 of 3 accepted requests" in page.inner_text('[data-run="summary"]')
    assert MeetingRequest.objects.filter(meeting=meeting, status="scheduled").count() == 3
    path = screenshot(page, "sched-run")
    assert path.exists()
