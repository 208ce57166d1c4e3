"""An organizer writes to the people booked in one session: compose, preview, send, follow."""

import pytest
from django.core import mail

from mail.models import OutboxMessage
from registrations.models import ParticipantMessage
from tests.factories import RegistrationFactory, SessionBookingFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organizer_writes_to_a_sessions_attendees_previews_and_sends_once(
    live_server, page, meeting, organizer, screenshot
):
    meeting.title = "Intercluster 2027"
    meeting.language = "en"
    meeting.save()
    workshop = SessionFactory(meeting=meeting, title="Value chains workshop")
    SessionFactory(meeting=meeting, title="Opening")
    booked = [
        RegistrationFactory(meeting=meeting, first_name=first, last_name=last, region=region)
        for first, last, region in [
            ("Ane", "Arana", "ES-NC"),
            ("Jon", "Bilbao", "ES-PV"),
            ("Marta", "Castro", "ES-AS"),
        ]
    ]
    for registration in booked:
        SessionBookingFactory(registration=registration, session=workshop)
    RegistrationFactory(meeting=meeting, first_name="Not", last_name="Booked")

    page.goto(f"{live_server.url}/meetings/{meeting.slug}/manage/messages/")
    page.fill("#id_username", "org")
    page.fill("#id_password", "secret-password")
    page.click("main button[type=submit]")
    page.get_by_role("link", name="Write a message").click()
    page.get_by_label("Subject").fill("Room change for the workshop")
    page.get_by_label("Message").fill("Dear all,\n\nThe workshop moves to Sala Pamplona.\nSee you!")
    page.locator("#id_session").select_option(str(workshop.pk))
    screenshot(page, "orga-message-compose")
    page.get_by_role("button", name="Preview").click()

    assert page.locator("#recipient-count").inner_text() == "This will email 3 people."
    names = page.locator("#recipients tbody tr td:first-child").all_inner_texts()
    assert names == ["Ane Arana", "Jon Bilbao", "Marta Castro"]
    assert page.locator("#preview-subject").inner_text() == "Room change for the workshop"
    text = page.locator("#preview-text").inner_text()
    assert "The workshop moves to Sala Pamplona.\nSee you!" in text
    assert not ParticipantMessage.objects.exists()
    screenshot(page, "orga-message-preview")

    page.get_by_role("button", name="Send to 3 people").click()
    page.wait_for_selector("#deliveries")

    assert page.locator(".message.success").inner_text() == (
        "Your message is on its way to 3 people."
    )
    assert page.locator("[data-count=total]").inner_text() == "3"
    assert page.locator("[data-count=sent]").inner_text() == "3"
    assert page.locator("[data-count=pending]").inner_text() == "0"
    screenshot(page, "orga-message-progress")
    page.go_back()  # the preview again: a second confirmation sends nothing
    page.get_by_role("button", name="Send to 3 people").click()
    page.wait_for_selector("#deliveries")
    assert "already been sent" in page.locator(".messages").inner_text()

    assert ParticipantMessage.objects.count() == 1
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == 3
    assert sorted(email.to[0] for email in mail.outbox) == sorted(r.email for r in booked)
    page.get_by_role("link", name="← Messages").click()
    row = page.locator("#message-history tbody tr")
    assert row.count() == 1
    assert "Room change for the workshop" in row.inner_text()
    screenshot(page, "orga-message-history")
