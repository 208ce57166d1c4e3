import pytest
from django.contrib.auth.models import Permission

from events.models import Meeting
from tests.factories import MeetingFactory, MeetingOrganizerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_organizer(meeting, organizer):
    organizer.is_staff = True
    organizer.save()
    organizer.user_permissions.set(
        Permission.objects.filter(content_type__app_label="events", codename__endswith="meeting")
    )
    return organizer


def test_admin_meeting_list_shows_only_the_meetings_the_staff_user_organizes(
    client, staff_organizer, meeting
):
    other = MeetingFactory(title="Somebody else's meeting")
    client.force_login(staff_organizer)

    response = client.get("/admin/events/meeting/")

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [meeting]
    assert client.get(f"/admin/events/meeting/{other.pk}/change/").status_code == 302


def test_admin_search_and_status_filter(client, staff_organizer, meeting):
    second = MeetingFactory(title="Regional cluster day", status=Meeting.Status.DRAFT)
    MeetingOrganizerFactory(meeting=second, user=staff_organizer)
    client.force_login(staff_organizer)

    found = client.get("/admin/events/meeting/", {"q": "regional"}).context["cl"].queryset
    drafts = client.get("/admin/events/meeting/", {"status__exact": "draft"}).context["cl"].queryset

    assert list(found) == [second]
    assert list(drafts) == [second]


def test_superuser_sees_every_meeting(client, meeting):
    MeetingFactory()
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.get("/admin/events/meeting/")

    assert response.context["cl"].result_count == 2
