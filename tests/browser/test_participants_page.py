import datetime as dt

import pytest
from django.utils import timezone

from mail.models import OutboxMessage
from registrations.models import Registration
from tests.factories import OrganizationFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    """Through the site's login page, as an organizer who is not staff does."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-password")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/manage/")


def test_organizer_filters_selects_two_and_rejects_them_after_confirming(
    live_server, page, meeting, organizer, screenshot
):
    cluster = OrganizationFactory(name="MetaIndustry4", short_name="MI4")
    RegistrationFactory(
        meeting=meeting,
        first_name="Ane",
        last_name="Confirmed",
        region="ES-AS",
        organization=cluster,
    )
    jon = RegistrationFactory(
        meeting=meeting,
        first_name="Jon",
        last_name="Pending",
        status="pending",
        region="ES-NC",
        email="jon@example.org",
    )
    marta = RegistrationFactory(
        meeting=meeting,
        first_name="Marta",
        last_name="Pending",
        status="pending",
        region="ES-NC",
        email="marta@example.org",
        job_title="\u202eCEO\u200b",
    )
    RegistrationFactory(
        meeting=meeting,
        first_name="Luis",
        last_name="Waiting",
        status="waitlisted",
        waitlisted_at=timezone.now() - dt.timedelta(hours=1),
        region="ES-AR",
    )
    log_in(page, live_server, organizer)

    page.goto(f"{live_server.url}/meetings/meet/manage/participants/")
    page.select_option("#filter-form select[name=status]", "pending")
    page.click("#filter-form button[type=submit]")
    page.wait_for_url("**status=pending**")
    rows = page.locator("table.participants tbody tr")
    assert rows.count() == 2
    # The region's name, as people read it, not its code.
    assert "Comunidad Foral de Navarra" in page.locator(f"#registration-{jon.pk}").inner_text()
    screenshot(page, "orga-participants-filtered")

    page.check(f"#registration-{jon.pk} input[type=checkbox]")
    page.check(f"#registration-{marta.pk} input[type=checkbox]")
    page.select_option("#bulk-form select[name=action]", "reject")
    page.fill("#bulk-form textarea[name=reason]", "The room is full <sorry>.")
    page.click("#bulk-form button[type=submit]")
    page.wait_for_selector("#confirm-form")

    assert page.locator(".confirm-count").inner_text() == "2 people will be emailed:"
    assert page.locator(".confirm-to-do li").count() == 2
    assert page.locator(".confirm-reason").inner_text() == "The room is full <sorry>."
    assert Registration.objects.filter(status="pending").count() == 2
    screenshot(page, "orga-participants-bulk-confirm")

    page.click("#confirm-form button[name=confirm]")
    page.wait_for_selector(".messages")

    assert page.locator(".messages").inner_text() == "Reject: 2 done, 0 refused."
    assert "status=pending" in page.url
    assert page.locator("table.participants tbody tr").inner_text() == "Nobody matches."
    assert sorted(
        Registration.objects.filter(status="rejected").values_list("email", flat=True)
    ) == [
        "jon@example.org",
        "marta@example.org",
    ]
    assert sorted(
        OutboxMessage.objects.filter(kind="registration_rejected").values_list(
            "recipient", "payload__reason"
        )
    ) == [
        ("jon@example.org", "The room is full <sorry>."),
        ("marta@example.org", "The room is full <sorry>."),
    ]
    page.goto(f"{live_server.url}/meetings/meet/manage/participants/")
    screenshot(page, "orga-participants-all")
