import io
from pathlib import Path

import pytest
from django.core.management import call_command

from agenda.models import Session
from tests.factories import RegistrationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.browser.calendar_pages"),
]


@pytest.fixture
def calendar_page(transactional_db, live_server, settings):
    call_command("seed_demo", stdout=io.StringIO())
    settings.SITE_URL = live_server.url
    session = Session.objects.get(external_id="ic19-gp-metaindustry4")
    registration = RegistrationFactory(meeting=session.meeting)
    return f"{live_server.url}/test-calendar/intercluster-2019/{session.pk}/{registration.token}/"


def test_session_calendar_file_downloads(calendar_page, page, screenshot):
    """The session's "Add to calendar" link downloads that session's .ics file."""
    page.goto(calendar_page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar (.ics)").click()

    content = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename.startswith("intercluster-2019-session-")
    assert content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"SUMMARY:The development of integral solutions for value chain" in content
    assert page.get_by_role("link", name="Subscribe", exact=True).get_attribute("href") == (
        page.evaluate("location.origin").replace("http://", "webcal://")
        + "/meetings/intercluster-2019/agenda.ics?track=collaboration"
    )
    screenshot(page, "calendar-links")


def test_calendar_links_read_on_a_phone(calendar_page, phone, screenshot):
    """The links wrap on a phone: no sideways scrolling; the private warning is visible."""
    phone.goto(calendar_page)

    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.get_by_text("This link is private").is_visible()
    screenshot(phone, "calendar-links-phone")
