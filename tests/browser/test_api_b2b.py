"""The B2B API in the browsable docs: a participant authorizes with their private-link token
and reads their own profile through Swagger UI."""

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.matchmaking.b2b import b2b_meeting, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_participant_authorizes_with_the_private_link_and_reads_their_profile(live_server, page):
    meeting = b2b_meeting()
    ana = person(meeting, first_name="Ana", last_name="Etxeberria")
    page.goto(live_server.url + "/api/docs/")
    page.get_by_text("Intercluster API").first.wait_for()

    page.get_by_role("button", name="Authorize").first.click()
    dialog = page.locator(".auth-container").filter(has_text="privateLink")
    dialog.get_by_text("private-link token").wait_for()
    dialog.locator("input").fill(ana.token)
    dialog.get_by_role("button", name="Apply credentials").click()
    dialog.get_by_role("button", name="Close").click()

    operation = page.locator("#operations-v1-v1_meetings_b2b_profile_retrieve")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("input[placeholder='slug']").fill(meeting.slug)
    operation.get_by_role("button", name="Execute").click()
    answer = operation.locator(".live-responses-table .response .response-col_status").first
    answer.wait_for()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    operation.screenshot(path=SCREENSHOTS / "api-b2b-profile.png")
    assert answer.inner_text().strip() == "200"
    body = operation.locator(".live-responses-table .response-col_description pre").first
    assert "Ana Etxeberria" in body.inner_text()
