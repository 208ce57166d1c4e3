"""Switching language in a real browser, on the reference meeting's demo data.

The opening of intercluster-2019 is written in Spanish with an English translation: the
English page shows the translation, Español leads to the same page at /es/ with the
original, English back to the unprefixed page, which then stays English.
"""

import io

import pytest
from django.core.management import call_command

from agenda.models import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_switching_language_keeps_the_page_and_shows_its_translation(
    transactional_db, live_server, page, phone, screenshot
):
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())
    opening = Session.objects.get(external_id="ic19-opening")
    english_url = f"{live_server.url}/meetings/intercluster-2019/sessions/{opening.pk}/"
    heading = page.get_by_role("heading", level=1)

    page.goto(english_url)
    assert heading.inner_text() == "Opening of the 1st Intercluster National Meeting"
    assert page.get_by_role("button", name="English").get_attribute("aria-current") == "true"
    screenshot(page, "language-session-english")

    page.get_by_role("button", name="Español").click()
    page.wait_for_url(f"{live_server.url}/es/meetings/intercluster-2019/sessions/{opening.pk}/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert heading.inner_text() == "Inauguración del I Encuentro Nacional Intercluster"
    assert "Resumen" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Español").get_attribute("aria-current") == "true"
    screenshot(page, "language-session-spanish")

    # The choice is remembered: the English address now leads to the Spanish page.
    page.goto(english_url)
    page.wait_for_url("**/es/meetings/intercluster-2019/**")
    page.get_by_role("button", name="English").click()
    page.wait_for_url(english_url)
    assert heading.inner_text() == "Opening of the 1st Intercluster National Meeting"
    page.reload()
    assert page.url == english_url

    phone.goto(f"{live_server.url}/es/meetings/intercluster-2019/agenda/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # Spanish originals as written; a session written in English is marked as such.
    assert phone.locator(".session-card h3").all_inner_texts()[:4] == [
        "Acreditación y café de bienvenida",
        "Inauguración del I Encuentro Nacional Intercluster",
        "Los clústeres, motores de la competitividad regional",
        "Coffee break",
    ]
    assert phone.locator(".session-card h3 [lang=en]").first.inner_text() == "Coffee break"
    screenshot(phone, "language-agenda-spanish-phone")
