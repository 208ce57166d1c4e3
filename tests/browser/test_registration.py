import io
import re

import pytest
from django.core.management import call_command

from mail.models import OutboxMessage
from registrations.emails import build_email
from registrations.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORKSHOP_A = "Workshop: from first contact to joint project"
WORKSHOP_B = "Workshop: European funding for cluster partnerships"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())


def link_in_last_email(registration: Registration) -> str:
    """The private link as the email written for this registration carries it."""
    message = OutboxMessage.objects.filter(registration=registration).latest("pk")
    return re.search(r"https?://\S+/r/[\w-]+/", build_email(message).body).group(0)


def test_participant_registers_fixes_errors_then_cancels_from_the_emailed_link(
    demo, live_server, page, screenshot
):
    page.goto(live_server.url + "/meetings/intercluster-next/")
    page.get_by_role("link", name="Register", exact=True).click()
    page.wait_for_url("**/meetings/intercluster-next/register/")

    page.get_by_label("First name").fill("Ane")
    page.get_by_label("Last name").fill("Etxeberria")
    page.get_by_label("Email").fill("ane@")
    page.get_by_label("Organisation", exact=True).fill("MetaIndustry4")
    page.get_by_label("Region", exact=True).select_option(label="País Vasco")
    page.get_by_label(WORKSHOP_A).check()
    page.get_by_label(WORKSHOP_B).check()
    page.get_by_role("button", name="Register").click()

    alert = page.get_by_role("alert")
    assert "There is a problem" in alert.inner_text()
    assert page.locator("#id_email_error").inner_text() == "Enter a valid email address."
    assert page.locator("#id_consent_processing_error").inner_text() == (
        "We need your consent to process your data to register you."
    )
    assert page.get_by_label(WORKSHOP_A).is_checked()
    assert page.get_by_label("Region", exact=True).input_value() == "ES-PV"
    screenshot(page, "register-errors")

    page.get_by_label("Email").fill("ane@example.org")
    page.get_by_label("I agree that the organizers process my personal data").check()
    page.get_by_role("button", name="Register").click()

    assert page.locator("#id_sessions_error").inner_text() == (
        f"“{WORKSHOP_A}” and “{WORKSHOP_B}” take place at the same time: choose one of them."
    )
    screenshot(page, "register-overlap")

    page.get_by_label(WORKSHOP_B).uncheck()
    page.get_by_label("I agree that the organizers process my personal data").check()
    page.get_by_role("button", name="Register").click()

    page.wait_for_url("**/register/thanks/")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    screenshot(page, "register-thanks")

    registration = Registration.objects.get(email="ane@example.org")
    assert (registration.status, registration.region) == ("confirmed", "ES-PV")
    page.goto(link_in_last_email(registration).replace("http://127.0.0.1:8000", live_server.url))
    assert page.get_by_role("heading", level=1).inner_text() == "Your registration"
    assert WORKSHOP_A in page.locator(".my-sessions").inner_text()
    screenshot(page, "private-link")

    page.get_by_role("link", name="Cancel my registration").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()

    assert "Your registration is cancelled." in page.locator(".messages").inner_text()
    assert page.locator(".card .badge").first.inner_text() == "Cancelled"
    screenshot(page, "private-link-cancelled")
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_registration_form_reads_on_a_phone(demo, live_server, phone, screenshot):
    phone.goto(live_server.url + "/meetings/intercluster-next/register/")

    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, "the form must not scroll sideways on a phone"
    screenshot(phone, "register-phone")


def test_region_select_lists_spains_regions_then_another_country(
    demo, live_server, page, screenshot
):
    page.goto(live_server.url + "/meetings/intercluster-next/register/")

    region = page.get_by_label("Region", exact=True)
    options = region.locator("option").all_inner_texts()
    assert options[:4] == ["—", "Andalucía", "Aragón", "Principado de Asturias"]
    assert options[-3:] == ["Ceuta", "Melilla", "Other country"]
    assert len(options) == 21
    region.select_option("ES-NC")
    region.scroll_into_view_if_needed()
    screenshot(page, "register-region-chosen")
