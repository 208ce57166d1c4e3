"""A held seat in a real browser: confirmed by opening the emailed link, or released."""

import re

import pytest
from django.utils import timezone

from mail.models import OutboxMessage
from registrations.emails import build_email
from registrations.models import Registration
from registrations.services import registration_create
from registrations.services.holds import seat_holds_release
from tests.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def emailed_link(registration: Registration, live_server) -> str:
    message = OutboxMessage.objects.filter(registration=registration).latest("pk")
    body = build_email(message).body
    link = re.search(r"https?://\S+/r/[\w-]+/", body).group(0)
    return re.sub(r"^https?://[^/]+", live_server.url, link), body


def test_person_registers_opens_the_emailed_link_and_the_seat_is_theirs(
    live_server, page, screenshot
):
    MeetingFactory(slug="held", title="Held seats", capacity=20, language="en")
    page.goto(live_server.url + "/meetings/held/register/")
    page.get_by_label("First name").fill("Ane")
    page.get_by_label("Last name").fill("Etxeberria")
    page.get_by_label("Email").fill("ane@example.org")
    page.get_by_label("I agree that the organizers process my personal data").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/register/thanks/")
    registration = Registration.objects.get(email="ane@example.org")
    assert registration.is_held

    link, body = emailed_link(registration, live_server)
    assert "We hold this seat for you for 30 minutes: open the link below to keep it." in body
    page.goto(link)

    assert page.locator(".messages").inner_text() == "Thank you: your seat is confirmed."
    assert page.locator(".badge.status-confirmed").first.inner_text() == "Confirmed"
    screenshot(page, "hold-confirmed")
    registration.refresh_from_db()
    assert registration.hold_expires_at is None


def test_a_released_seat_says_why_and_leads_back_to_the_form(live_server, page, screenshot):
    meeting = MeetingFactory(slug="released", title="Released seats", capacity=20, language="en")
    registration = registration_create(
        meeting=meeting,
        first_name="Mikel",
        last_name="Goñi",
        email="mikel@example.org",
        consent_processing=True,
    )
    Registration.objects.filter(pk=registration.pk).update(hold_expires_at=timezone.now())
    assert seat_holds_release() == 1

    link, body = emailed_link(registration, live_server)
    assert "your link was not opened in time" in body
    page.goto(link)

    card = page.locator(".card").first.inner_text()
    assert "this link was not opened in time, so the seat went to the next person" in card
    screenshot(page, "hold-released")
    page.get_by_role("link", name="Register again").click()
    page.wait_for_url("**/meetings/released/register/")
