import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())


def test_visitor_goes_from_the_home_page_to_the_reference_meeting(
    demo, live_server, page, screenshot
):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Upcoming").is_visible()

    page.get_by_role("link", name="1st Intercluster National Meeting").click()

    page.wait_for_url("**/meetings/intercluster-2019/")
    assert page.get_by_role("heading", level=1).inner_text() == "1st Intercluster National Meeting"
    assert "10–11 December 2019" in page.locator(".meeting-when").inner_text()
    organizations = page.locator(".organizations li").all_inner_texts()
    assert organizations[0] == "Federación Nacional de Clusters"
    # national bodies first, then by the region's name: Andalucía's two clusters
    assert [name.split(" · ")[-1] for name in organizations[1:3]] == ["Andalucía", "Andalucía"]
    assert (
        "MetaIndustry4 – Cluster de Fabricación Avanzada de Asturias · Principado de Asturias"
        in organizations
    )
    assert "ES-" not in page.locator(".organizations").inner_text()
    page.locator(".organizations").scroll_into_view_if_needed()
    screenshot(page, "meeting-2019")


def test_meeting_page_reads_on_a_phone(demo, live_server, phone, screenshot):
    phone.goto(live_server.url + "/meetings/intercluster-next/")

    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, "the page must not scroll sideways on a phone"
    screenshot(phone, "meeting-next-phone")


def test_api_docs_render_offline(live_server, page):
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    page.goto(live_server.url + "/api/docs/")

    page.get_by_text("Intercluster API").first.wait_for()
    assert failed == []
    assert page.locator(".opblock").count() >= 2
