"""The organizer dashboard in Chromium: log in, read the numbers and the chart, retry an email,
cancel a session through its confirmation."""

import datetime as dt

import pytest
from django.core import mail

from mail.models import OutboxMessage
from registrations.models import Registration
from tests.factories import (
    RegistrationFactory,
    SessionBookingFactory,
    SessionFactory,
    at,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, next_path: str) -> None:
    page.goto(f"{live_server.url}{next_path}")
    page.fill("#id_username", "org")
    page.fill("#id_password", "secret-password")
    page.click("main button[type=submit]")


def test_organizer_reads_the_dashboard_and_retries_a_failed_email(
    live_server, page, meeting, organizer, screenshot
):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    start = dt.datetime(2026, 11, 20, 10, 0, tzinfo=meeting.tzinfo)
    for index in range(9):
        person = RegistrationFactory(
            meeting=meeting,
            email=f"p{index}@example.org",
            status="waitlisted" if index == 8 else "confirmed",
            region="ES-NC" if index % 2 else "ES-AR",
        )
        Registration.objects.filter(pk=person.pk).update(
            created_at=start + dt.timedelta(days=index // 3)
        )
    OutboxMessage.objects.create(
        kind="private_link",
        recipient="p0@example.org",
        meeting=meeting,
        registration=person,
        dedupe_key="failed-one",
        status=OutboxMessage.Status.FAILED,
        last_error="550 5.1.1 mailbox unavailable",
    )

    log_in(page, live_server, "/meetings/meet/manage/")
    page.wait_for_selector("h1:has-text('Dashboard')")
    assert page.locator("[data-stat=total]").inner_text() == "9"
    assert page.locator("[data-stat=confirmed]").inner_text() == "8"
    assert page.locator("figure.chart svg g.bars rect").count() >= 3
    box = page.locator("figure.chart svg").bounding_box()
    assert box["width"] > 600 and box["height"] > 150  # drawn at a readable size
    assert "550 5.1.1 mailbox unavailable" in page.locator("#emails ~ div").inner_text()
    screenshot(page, "orga-dashboard")

    page.click("text=Send the failed email again")
    page.wait_for_selector("text=1 email queued again.")
    assert OutboxMessage.objects.get(dedupe_key="failed-one").status == "sent"
    assert [m.to for m in mail.outbox] == [["p0@example.org"]]
    assert page.locator("[data-stat=failed]").inner_text() == "0"
    assert errors == []


def test_cancelling_a_session_from_the_board_asks_first(
    live_server, page, meeting, organizer, screenshot
):
    workshop = SessionFactory(
        meeting=meeting,
        title="Workshop",
        requires_booking=True,
        capacity=5,
        starts_at=at(meeting, 0, "11:00"),
    )
    for index in range(2):
        SessionBookingFactory(
            registration=RegistrationFactory(meeting=meeting, email=f"w{index}@example.org"),
            session=workshop,
        )
    log_in(page, live_server, f"/meetings/meet/board/?day={meeting.starts_on}")
    page.click(f"#session-{workshop.pk} summary")
    page.click(f"#session-{workshop.pk} >> text=Cancel session…")
    page.wait_for_selector("text=This will email 2 people.")
    screenshot(page, "orga-session-cancel-confirm")
    workshop.refresh_from_db()
    assert workshop.status == "confirmed"
    page.click("button:has-text('Cancel the session')")
    page.wait_for_selector("text=Cancelled:")
    workshop.refresh_from_db()
    assert workshop.status == "cancelled"
    assert OutboxMessage.objects.filter(kind="agenda_update").count() == 2
