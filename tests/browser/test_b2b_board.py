"""The B2B meetings board in a real browser: an organizer drags a meeting onto a free cell
and finds it there after a reload; a drop on a cell where a person is busy is refused
with what it clashes with, and nothing moves. Under the security policy, on a desktop
and on a phone (where the grid scrolls sideways and the page does not)."""

import pytest

from matchmaking.models import Matchmaking, MeetingRequest
from matchmaking.services.requests import request_accept, request_create, request_schedule
from matchmaking.services.setup import matchmaking_update
from tests.browser.test_csp import log_in, walk
from tests.factories import MeetingFactory, MeetingOrganizerFactory, RoomFactory, UserFactory
from tests.matchmaking.b2b import b2b_session_add, person, slots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def accepted(requester, recipient):
    return request_accept(
        request=request_create(requester=requester, recipient=recipient), by=recipient
    )


@pytest.fixture
def site(transactional_db, live_server, settings):
    """Ana and Ben meet at 15:00 (table 1), Ana and Luis at 15:20 (table 2); Cai and Dan's
    accepted request waits for a place."""
    settings.SITE_URL = live_server.url
    meeting = MeetingFactory(slug="b2b-board", title="Intercluster B2B")
    MeetingOrganizerFactory(meeting=meeting, user=UserFactory(username="board-organizer"))
    matchmaking_update(
        meeting=meeting, enabled=True, scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS
    )
    RoomFactory(venue=meeting.venue, name="Sala Roncal")
    b2b_session = b2b_session_add(meeting, tables=["1", "2 | Sala Roncal"])
    tables = {table.name: table for table in b2b_session.tables.all()}
    ana = person(meeting, first_name="Ana", last_name="Pérez")
    ben = person(meeting, first_name="Ben", last_name="Ortiz")
    luis = person(meeting, first_name="Luis", last_name="Gómez")
    first, second, _third = slots(meeting)
    mine = request_schedule(request=accepted(ana, ben), slot_id=first.pk, table_id=tables["1"].pk)
    request_schedule(request=accepted(ana, luis), slot_id=second.pk, table_id=tables["2"].pk)
    accepted(
        person(meeting, first_name="Cai", last_name="Li"),
        person(meeting, first_name="Dan", last_name="Smith"),
    )
    return meeting, mine, tables


def cell(page, slot, table):
    return page.locator(f'td[data-slot="{slot.pk}"][data-table="{table.pk}"]')


def test_an_organizer_drags_a_meeting_to_a_free_cell_and_a_clash_is_refused(
    site, live_server, page, screenshot
):
    meeting, mine, tables = site
    first, second, third = slots(meeting)
    board = f"/meetings/{meeting.slug}/manage/b2b/"
    # Tall enough for the source and the target cell to be on screen at once: a drag that
    # has to scroll the page on its way is not started by Chromium's headless drag.
    page.set_viewport_size({"width": 1280, "height": 1400})
    log_in(page, live_server, "board-organizer", "secret-password")
    assert walk(page, live_server, [board]) == {}
    assert page.locator("body.b2b-dnd").count() == 1  # the script ran under the policy
    screenshot(page, "board-desktop")

    card = page.locator(f"#meeting-{mine.pk}")
    with page.expect_navigation():
        card.drag_to(cell(page, third, tables["2"]))
    assert page.locator(".messages").inner_text() == (
        "Ana Pérez and Ben Ortiz meet at 15:40 (Table 2); both are emailed."
    )
    page.reload()
    assert cell(page, third, tables["2"]).locator(f"#meeting-{mine.pk}").count() == 1
    assert cell(page, first, tables["1"]).inner_text().strip() == ""
    mine.refresh_from_db()
    assert (mine.slot, mine.table) == (third, tables["2"])

    page.locator(f"#meeting-{mine.pk}").drag_to(cell(page, second, tables["1"]))
    feedback = page.locator("#board-feedback")
    feedback.wait_for(state="visible")
    assert feedback.inner_text() == "Ana Pérez already meets Luis Gómez at 15:20 (Table 2)."
    screenshot(page, "board-clash")
    mine.refresh_from_db()
    assert (mine.slot, mine.table) == (third, tables["2"])

    waiting = MeetingRequest.objects.get(status="accepted")
    with page.expect_navigation():
        page.locator(f"#request-{waiting.pk}").drag_to(cell(page, first, tables["1"]))
    waiting.refresh_from_db()
    assert (waiting.status, waiting.slot, waiting.table) == ("scheduled", first, tables["1"])


def test_the_board_fits_a_phone_with_the_grid_scrolling_sideways(
    site, live_server, phone, screenshot
):
    meeting, _mine, _tables = site
    log_in(phone, live_server, "board-organizer", "secret-password")
    phone.goto(f"{live_server.url}/meetings/{meeting.slug}/manage/b2b/")

    page_width = phone.evaluate("document.documentElement.scrollWidth")
    assert page_width <= phone.viewport_size["width"]
    assert phone.locator(".b2b-grid-wrap").is_visible()
    screenshot(phone, "board-phone")
