"""The agenda of the reference meeting and the organizers' board, in a real browser."""

import io

import pytest
from django.core.management import call_command

from agenda.models import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())


def test_visitor_reads_the_agenda_by_day_and_filters_it(demo, live_server, page, screenshot):
    page.goto(live_server.url + "/meetings/intercluster-2019/")
    page.get_by_role("link", name="See the full agenda").click()
    page.wait_for_url("**/meetings/intercluster-2019/agenda/")

    assert "CET (Europe/Madrid)" in page.locator("main").inner_text()
    assert page.locator('.tabs a[aria-current="page"]').inner_text() == "Tuesday 10 December"
    screenshot(page, "agenda-2019-day1")

    page.get_by_role("link", name="Wednesday 11 December").click()
    page.wait_for_url("**day=2019-12-11**")
    page.get_by_label("Kind").select_option("good_practice")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**kind=good_practice**")

    cards = page.locator(".session-card")
    kinds = set(cards.locator(".kind").all_inner_texts())
    assert cards.count() >= 1
    assert all(text.startswith("GOOD PRACTICE") for text in kinds)
    screenshot(page, "agenda-2019-day2-good-practice")


def test_session_page_from_the_agenda(demo, live_server, page, screenshot):
    page.goto(live_server.url + "/meetings/intercluster-2019/agenda/?day=2019-12-10")
    page.get_by_role("link", name="The development of integral solutions for value chain").click()
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "The development of integral solutions for value chain"
    )
    assert "MetaIndustry4" in page.locator(".speakers-list").inner_text()
    screenshot(page, "session-2019-value-chain")


def test_agenda_reads_on_a_phone(demo, live_server, phone, screenshot):
    phone.goto(live_server.url + "/meetings/intercluster-2019/agenda/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "agenda-2019-phone")


def test_organizer_moves_a_session_on_the_board_without_javascript(
    demo, live_server, browser, screenshot
):
    context = browser.new_context(
        viewport={"width": 1400, "height": 900}, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/?next=/meetings/intercluster-next/board/")
    page.get_by_label("Username").fill("organizer")
    page.get_by_label("Password").fill("intercluster")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/board/")
    screenshot(page, "board-next")

    session = Session.objects.filter(meeting__slug="intercluster-next", kind="workshop").first()
    card = page.locator(f"#session-{session.pk}")
    card.locator("summary").click()
    local_day = session.starts_at.astimezone(session.meeting.tzinfo).date()
    card.locator("input[name=starts_at]").fill(f"{local_day}T19:00")
    card.get_by_role("button", name="Move").click()

    assert "Moved" in page.locator(".messages").inner_text()
    session.refresh_from_db()
    assert session.starts_at.astimezone(session.meeting.tzinfo).strftime("%H:%M") == "19:00"
    context.close()
