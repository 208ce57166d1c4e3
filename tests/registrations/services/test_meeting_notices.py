"""When the organizers cancel a meeting, everybody registered is told, with a calendar CANCEL."""

import pytest
from django.core import mail
from icalendar import Calendar

from mail.models import OutboxMessage
from registrations.models import Registration
from registrations.services import registration_cancel, registration_create
from tests.admin_forms import admin_change_meeting
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(meeting, django_capture_on_commit_callbacks):
    """Two confirmed (one holding a workshop), one waitlisted, one who had cancelled."""
    meeting.capacity = 2
    meeting.save()
    workshop = SessionFactory(meeting=meeting, requires_booking=True, capacity=10)
    registrations = []
    with django_capture_on_commit_callbacks(execute=True):
        for n, sessions in enumerate([[workshop.pk], [], [], []]):
            registrations.append(
                registration_create(
                    meeting=meeting,
                    first_name="P",
                    last_name=str(n),
                    email=f"p{n}@example.org",
                    session_ids=sessions,
                    consent_processing=True,
                    language="en",
                )
            )
        registration_cancel(registration=registrations[3])
    mail.outbox.clear()
    return registrations, workshop


def test_cancelling_through_the_api_emails_every_live_registration_once(
    client, meeting, organizer, people, settings, django_capture_on_commit_callbacks
):
    (holder, *_), workshop = people
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            f"/api/v1/meetings/{meeting.slug}/",
            {"status": "cancelled"},
            content_type="application/json",
        )
        client.patch(  # saving again as cancelled tells nobody twice
            f"/api/v1/meetings/{meeting.slug}/",
            {"description": "See you next year."},
            content_type="application/json",
        )

    assert response.status_code == 200
    assert sorted(m.to[0] for m in mail.outbox) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    assert {m.subject for m in mail.outbox} == {f"{meeting.title} is cancelled"}
    email = next(m for m in mail.outbox if m.to == [holder.email])
    ((calendar, mimetype),) = [
        (c, t) for c, t in email.alternatives if t.startswith("text/calendar")
    ]
    assert mimetype == "text/calendar; method=CANCEL"
    parsed = Calendar.from_ical(calendar)
    assert sorted(str(e["UID"]) for e in parsed.walk("VEVENT")) == sorted(
        [
            f"meeting-{meeting.pk}@{settings.SITE_DOMAIN}",
            f"session-{workshop.pk}@{settings.SITE_DOMAIN}",
        ]
    )
    assert {str(e["STATUS"]) for e in parsed.walk("VEVENT")} == {"CANCELLED"}
    # Registrations keep their status: the history stays as it was.
    assert Registration.objects.filter(status="confirmed").count() == 2


def test_cancelling_in_the_admin_tells_them_too(
    client, meeting, people, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_change_meeting(client, meeting, status="cancelled")

    assert response.status_code == 302
    assert OutboxMessage.objects.filter(kind="meeting_cancelled").count() == 3
    assert len(mail.outbox) == 3


def test_other_changes_send_nothing(client, meeting, organizer, people):
    client.force_login(organizer)

    client.patch(
        f"/api/v1/meetings/{meeting.slug}/", {"title": "Renamed"}, content_type="application/json"
    )

    assert not OutboxMessage.objects.filter(kind="meeting_cancelled").exists()
