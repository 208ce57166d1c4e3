"""The "add to calendar" links on the real pages: session page, agenda, private link."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from agenda.models import Session
from tests.factories import RegistrationFactory, SessionBookingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD_PRACTICE = "The development of integral solutions for value chain"


@pytest.fixture
def demo_session(transactional_db, live_server, settings):
    """The MetaIndustry4 good-practice session of the reference meeting."""
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())
    settings.SITE_URL = live_server.url
    return Session.objects.get(external_id="ic19-gp-metaindustry4")


def test_session_page_calendar_file_downloads(demo_session, live_server, page, screenshot):
    """The session page's "Add to calendar" link downloads that session's .ics file."""
    page.goto(f"{live_server.url}/meetings/intercluster-2019/sessions/{demo_session.pk}/")

    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar (.ics)").click()

    content = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename.startswith("intercluster-2019-session-")
    assert content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert f"SUMMARY:{GOOD_PRACTICE}".encode() in content
    assert f"UID:session-{demo_session.pk}@".encode() in content
    screenshot(page, "calendar-links-session")


def test_agenda_subscription_follows_the_page_filters(demo_session, live_server, page):
    """The agenda's Subscribe link is the webcal:// feed with the page's track, on every day."""
    page.goto(f"{live_server.url}/meetings/intercluster-2019/agenda/?day=2019-12-10")
    page.get_by_label("Track").select_option("collaboration")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**track=collaboration**")

    assert page.get_by_role("link", name="Subscribe", exact=True).get_attribute("href") == (
        live_server.url.replace("http://", "webcal://")
        + "/meetings/intercluster-2019/agenda.ics?track=collaboration"
    )
    assert page.get_by_text("Only the sessions matching these filters.").is_visible()


def test_private_link_calendar_reads_on_a_phone(demo_session, live_server, phone, screenshot):
    """On a phone the personal calendar block wraps (no sideways scroll) and says it is private."""
    registration = RegistrationFactory(meeting=demo_session.meeting)
    SessionBookingFactory(registration=registration, session=demo_session)

    phone.goto(f"{live_server.url}/r/{registration.token}/")

    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.get_by_role("heading", name="Your agenda in your calendar").is_visible()
    assert phone.get_by_text("This address is private").is_visible()
    assert phone.get_by_label("Or copy this address").input_value() == (
        f"{live_server.url}/calendar/{registration.feed_token}.ics"
    )
    screenshot(phone, "calendar-links-private-phone")


def test_agenda_subscription_without_filters_is_the_whole_agenda(demo_session, live_server, page):
    """On a day tab with no filter, Subscribe gives every day's sessions, not that day's."""
    page.goto(f"{live_server.url}/meetings/intercluster-2019/agenda/?day=2019-12-11")

    assert page.get_by_role("link", name="Subscribe", exact=True).get_attribute("href") == (
        live_server.url.replace("http://", "webcal://") + "/meetings/intercluster-2019/agenda.ics"
    )
