"""The participant's main path, end to end on the demo data, in a real browser.

Home → the upcoming meeting → register with a workshop → "check your email" →
the private link from the email → the booked workshop and the personal calendar
→ the personal .ics carries the workshop.
"""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from agenda.models import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORKSHOP = "Workshop: European funding for cluster partnerships"


@pytest.fixture
def demo(transactional_db, live_server, settings, mailoutbox):
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())
    settings.SITE_URL = live_server.url
    return mailoutbox


def test_register_for_a_workshop_then_find_it_in_the_personal_calendar(
    demo, live_server, page, screenshot
):
    mailoutbox = demo
    workshop = Session.objects.get(meeting__slug="intercluster-next", title=WORKSHOP)

    page.goto(live_server.url + "/")
    card = page.locator("article.meeting-card", has_text="next edition")
    assert "Registration is open." in card.inner_text()
    card.get_by_role("link", name="Intercluster National Meeting — next edition").click()
    page.wait_for_url("**/meetings/intercluster-next/")
    page.get_by_role("link", name="Register", exact=True).click()
    page.wait_for_url("**/meetings/intercluster-next/register/")

    page.get_by_label("First name").fill("Iker")
    page.get_by_label("Last name").fill("Etxeberria")
    page.get_by_label("Email").fill("Iker@Example.org")
    page.get_by_label(WORKSHOP).check()
    page.get_by_label("I agree that the organizers process my personal data").check()
    page.get_by_role("button", name="Register").click()

    page.wait_for_url("**/register/thanks/")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"

    (email,) = [m for m in mailoutbox if m.to == ["Iker@example.org"]]
    link = re.search(r"https?://\S+/r/[\w-]+/", email.body).group(0)
    assert link.startswith(live_server.url + "/r/")
    page.goto(link)

    assert page.get_by_role("heading", level=1).inner_text() == "Your registration"
    booked = page.locator(".my-sessions li", has_text=WORKSHOP)
    assert "Booked" in booked.inner_text()
    assert "11:15–12:30" in booked.inner_text()  # meeting time, not UTC
    assert page.get_by_role("heading", name="Your agenda in your calendar").is_visible()
    screenshot(page, "main-path-private-link")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download my agenda (.ics)").click()

    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert f"UID:session-{workshop.pk}@".encode() in content
    assert f"SUMMARY:{WORKSHOP}".encode() in content
