"""events.services: creating a meeting, and the checks a change must pass (no writes)."""

import copy
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from events.models import Meeting, MeetingOrganizer
from events.services import MeetingError, meeting_check, meeting_create, meeting_update
from registrations.models import Registration
from tests.admin_forms import admin_change_meeting
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def unsaved_meeting(**fields) -> Meeting:
    start = dt.date.today() + dt.timedelta(days=90)
    values = {"title": "Spring meeting", "slug": "spring", "starts_on": start, "ends_on": start}
    return Meeting(**(values | fields))


def test_create_makes_the_given_user_its_organizer():
    user = UserFactory(username="ane")

    meeting = meeting_create(meeting=unsaved_meeting(), organizer=user)

    roles = MeetingOrganizer.objects.values_list("meeting__slug", "user__username", "role")
    assert list(roles) == [("spring", "ane", "organizer")]
    assert meeting.pk == Meeting.objects.get(slug="spring").pk


def test_create_without_an_organizer_gives_nobody_a_role():
    meeting_create(meeting=unsaved_meeting())

    assert Meeting.objects.filter(slug="spring").exists()
    assert MeetingOrganizer.objects.count() == 0


def test_create_refuses_an_invalid_meeting_and_writes_nothing():
    start = dt.date.today()
    invalid = unsaved_meeting(starts_on=start, ends_on=start - dt.timedelta(days=1))

    with pytest.raises(ValidationError) as excinfo:
        meeting_create(meeting=invalid, organizer=UserFactory())

    assert excinfo.value.message_dict == {
        "ends_on": ["The last day cannot be before the first day."]
    }
    assert (Meeting.objects.count(), MeetingOrganizer.objects.count()) == (0, 0)


def test_check_refuses_a_capacity_below_the_confirmed_and_writes_nothing(
    django_assert_num_queries,
):
    meeting = MeetingFactory(capacity=10)
    RegistrationFactory.create_batch(2, meeting=meeting, status=Registration.Status.CONFIRMED)
    candidate = copy.copy(meeting)
    candidate.capacity = 1

    with django_assert_num_queries(1), pytest.raises(MeetingError) as excinfo:
        meeting_check(meeting=candidate, changed=["capacity"])

    assert str(excinfo.value) == (
        "2 people are confirmed: the capacity cannot be 1. "
        "Cancel registrations first, or keep more places."
    )
    meeting.refresh_from_db()
    assert meeting.capacity == 10


def test_check_looks_only_at_what_changed(django_assert_num_queries):
    """A capacity nobody changed is not counted against (rows from before the rule)."""
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory.create_batch(2, meeting=meeting, status=Registration.Status.CONFIRMED)

    with django_assert_num_queries(0):
        meeting_check(meeting=meeting, changed=["title", "description"])


def test_check_leaves_days_out_of_order_to_the_model(meeting):
    """The frame is not checked then: Meeting.clean names the wrong day instead."""
    SessionFactory(meeting=meeting, title="Opening")
    candidate = copy.copy(meeting)
    candidate.ends_on = meeting.starts_on - dt.timedelta(days=1)

    meeting_check(meeting=candidate, changed=["ends_on"])


def test_check_refuses_days_that_no_longer_hold_a_session(meeting):
    SessionFactory(meeting=meeting, title="Opening")
    candidate = copy.copy(meeting)
    candidate.starts_on = candidate.ends_on = meeting.starts_on + dt.timedelta(days=30)

    with pytest.raises(MeetingError, match="^'Opening' 10:00–11:00"):
        meeting_check(meeting=candidate, changed=["starts_on", "ends_on"])


def test_update_changes_the_slug_for_the_admin(meeting):
    meeting_update(meeting=meeting, data={"slug": "renamed"})

    assert Meeting.objects.get(pk=meeting.pk).slug == "renamed"


def test_the_admin_renames_a_meeting_through_the_service(client, meeting):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = admin_change_meeting(client, meeting, slug="renamed", title="Renamed")

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Meeting.objects.values_list("slug", "title").get(pk=meeting.pk) == (
        "renamed",
        "Renamed",
    )


def test_the_admin_saves_a_change_of_organisations_only(client, meeting):
    """Many-to-many fields are the form's to save, after the (otherwise empty) update."""
    cluster = OrganizationFactory(name="Cluster de Automoción")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = admin_change_meeting(client, meeting, organizations=[str(cluster.pk)])

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(meeting.organizations.all()) == [cluster]
