import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from mail.models import OutboxMessage
from tests.factories import RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organizer_finds_a_failed_email_with_its_error_and_sends_it_again(
    live_server, page, meeting, organizer, screenshot
):
    organizer.is_staff = True
    organizer.save()
    organizer.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    registration = RegistrationFactory(meeting=meeting, email="ane@example.org")
    OutboxMessage.objects.create(
        kind="private_link",
        recipient="ane@example.org",
        meeting=meeting,
        registration=registration,
        dedupe_key="link:ane",
        status=OutboxMessage.Status.FAILED,
        attempts=8,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )

    page.goto(live_server.url + "/admin/mail/outboxmessage/?status__exact=failed")
    page.fill("#id_username", "org")
    page.fill("#id_password", "secret-password")
    page.click("input[type=submit]")
    page.wait_for_selector("#result_list")
    row = page.locator("#result_list tbody tr")
    assert row.count() == 1
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in row.inner_text()
    screenshot(page, "outbox-admin-failed")

    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "retry_sending")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")

    assert "1 email queued again." in page.locator(".messagelist").inner_text()
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert [email.to for email in mail.outbox] == [["ane@example.org"]]
