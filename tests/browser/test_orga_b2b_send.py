"""An organizer sends the preliminary schedule: the page's numbers, asked first with the
email's preview, sent once, and the history that follows it."""

import pytest

from matchmaking.models import Matchmaking, ScheduleRelease
from matchmaking.services.requests import request_accept, request_create, request_schedule
from matchmaking.services.setup import matchmaking_update
from tests.matchmaking.b2b import b2b_session_add, person, slots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organizer_sends_the_preliminary_schedule_once(
    live_server, page, meeting, organizer, screenshot
):
    meeting.title = "Intercluster 2027"
    meeting.language = "en"
    meeting.save()
    matchmaking_update(
        meeting=meeting, enabled=True, scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS
    )
    b2b_session_add(meeting, tables=3)
    ana, ben, cai = (
        person(meeting, first_name=first, last_name=last)
        for first, last in (("Ana", "Pérez"), ("Ben", "Ruiz"), ("Cai", "Sanz"))
    )
    for (requester, recipient), slot in zip(((ana, ben), (cai, ana)), slots(meeting), strict=False):
        request = request_create(requester=requester, recipient=recipient)
        request_accept(request=request, by=recipient)
        request_schedule(request=request, slot_id=slot.pk)

    page.goto(f"{live_server.url}/meetings/{meeting.slug}/manage/b2b/send/")
    page.fill("#id_username", "org")
    page.fill("#id_password", "secret-password")
    page.click("main button[type=submit]")
    assert page.locator('[data-stat="recipients"]').inner_text() == "3"
    assert page.locator('[data-stat="not-announced"]').inner_text() == "2"
    screenshot(page, "b2b-send-page")
    page.get_by_role("link", name="Send the preliminary schedule…").click()

    assert "This emails 3 people their schedule" in page.locator("#recipient-count").inner_text()
    assert page.locator("#preview-subject").inner_text() == (
        "Your preliminary schedule — Intercluster 2027"
    )
    screenshot(page, "b2b-send-confirm")
    assert not ScheduleRelease.objects.exists()
    page.get_by_role("button", name="Send to 3 people").click()

    assert "The preliminary schedule is on its way to 3 people." in page.content()
    assert page.locator('[data-stat="not-announced"]').inner_text() == "0"
    assert page.locator("#releases tbody tr").count() == 1
    screenshot(page, "b2b-send-history")
    assert ScheduleRelease.objects.get().recipients == 3
