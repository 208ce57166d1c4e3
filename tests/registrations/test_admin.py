import csv
import io

import pytest
from django.contrib.auth.models import Permission

from mail.models import OutboxMessage
from registrations.models import Registration
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    RegistrationFactory,
    SessionBookingFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/registrations/registration/"


@pytest.fixture
def staff_client(client, organizer):
    """The ``meeting`` fixture's organizer, as staff with the registrations permissions."""
    organizer.is_staff = True
    organizer.save()
    organizer.user_permissions.set(
        Permission.objects.filter(content_type__app_label="registrations")
    )
    client.force_login(organizer)
    return client


def test_organizer_sees_only_their_meetings_registrations_with_counts(staff_client, meeting):
    RegistrationFactory(meeting=meeting, last_name="Mine")
    RegistrationFactory(meeting=meeting, last_name="Waiting", status="waitlisted")
    RegistrationFactory(last_name="Elsewhere")

    response = staff_client.get(CHANGELIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mine" in html and "Waiting" in html
    assert "Elsewhere" not in html
    assert response.context["status_counts"] == [
        ("Pending approval", 0),
        ("Confirmed", 1),
        ("Waitlisted", 1),
        ("Cancelled", 0),
        ("Rejected", 0),
    ]


def test_filtering_one_meeting_shows_counts_per_session(staff_client, meeting):
    workshop = SessionFactory(meeting=meeting, title="Workshop", requires_booking=True, capacity=9)
    SessionBookingFactory(session=workshop, registration__meeting=meeting)

    response = staff_client.get(CHANGELIST, {"meeting__id__exact": meeting.pk})

    assert response.context["stats"]["by_session"] == [
        {"id": workshop.pk, "title": "Workshop", "capacity": 9, "booked": 1, "waitlisted": 0}
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_changelist_query_count_does_not_grow(
    staff_client, meeting, count, django_assert_num_queries
):
    for _ in range(count):
        RegistrationFactory(meeting=meeting, organization=OrganizationFactory())

    # The region filter lists the fixed regions: no query for the values in use.
    with django_assert_num_queries(12):
        staff_client.get(CHANGELIST)


def test_cancel_action_promotes_the_next_person_and_emails(staff_client, meeting):
    meeting.capacity = 1
    meeting.save()
    holder = RegistrationFactory(meeting=meeting)
    waiting = RegistrationFactory(meeting=meeting, status="waitlisted")

    response = staff_client.post(
        CHANGELIST, {"action": "cancel", "_selected_action": [holder.pk]}, follow=True
    )

    assert "Cancelled: 1." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert set(OutboxMessage.objects.values_list("kind", flat=True)) == {
        "registration_cancelled",
        "registration_promoted",
    }


def test_action_refused_by_the_rules_is_reported_per_person(staff_client, meeting):
    registration = RegistrationFactory(meeting=meeting, first_name="Ane", last_name="Goñi")

    response = staff_client.post(
        CHANGELIST, {"action": "approve", "_selected_action": [registration.pk]}, follow=True
    )

    assert "Ane Goñi: Only registrations waiting for approval can be approved." in (
        response.content.decode()
    )


def test_organizer_cannot_act_on_another_meetings_registration(staff_client, meeting):
    other = RegistrationFactory(meeting=MeetingFactory())

    staff_client.post(CHANGELIST, {"action": "cancel", "_selected_action": [other.pk]})

    other.refresh_from_db()
    assert other.status == Registration.Status.CONFIRMED


def test_csv_export_lists_people_with_their_sessions_and_defuses_formulas(staff_client, meeting):
    registration = RegistrationFactory(
        meeting=meeting, first_name="=HYPERLINK(1)", organization_name="New Co"
    )
    session = SessionFactory(meeting=meeting, title="Workshop")
    SessionBookingFactory(registration=registration, session=session)

    response = staff_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [registration.pk]}
    )

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(rows) == 1
    assert rows[0]["first_name"] == "'=HYPERLINK(1)"
    assert rows[0]["organization"] == "New Co"
    assert rows[0]["sessions"] == "Workshop (booked)"
    assert rows[0]["meeting"] == meeting.slug


def test_change_form_shows_the_email_but_does_not_change_it(client, meeting):
    """The email is read-only: the form has no input for it, and a POST giving another
    person's address (other case) changes nothing instead of failing on the unique email."""
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    RegistrationFactory(meeting=meeting, email="one@example.org")
    other = RegistrationFactory(meeting=meeting, email="two@example.org", first_name="Bea")
    url = f"{CHANGELIST}{other.pk}/change/"
    response = client.get(url)
    assert "email" not in response.context["adminform"].form.fields
    assert 'name="email"' not in response.content.decode()
    assert "two@example.org" in response.content.decode()

    response = client.post(
        url,
        {
            "first_name": "Beatriz",
            "last_name": other.last_name,
            "email": "ONE@example.org",
            "region": other.region,
            "language": other.language,
            "bookings-TOTAL_FORMS": "0",
            "bookings-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.first_name, other.email) == ("Beatriz", "two@example.org")
