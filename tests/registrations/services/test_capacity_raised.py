"""Seats added by an organizer go at once to the people waiting, in arrival order."""

import pytest
from django.core import mail

from agenda.services import AgendaError, session_update
from registrations.models import Registration, SessionBooking
from registrations.services import registration_create
from tests.admin_forms import admin_change_meeting
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(meeting, django_capture_on_commit_callbacks):
    def do(email, session_ids=()):
        with django_capture_on_commit_callbacks(execute=True):
            return registration_create(
                meeting=meeting,
                first_name="Ane",
                last_name=email,
                email=email,
                session_ids=session_ids,
                consent_processing=True,
                language="en",
            )

    return do


def statuses(model, **filters):
    return list(model.objects.filter(**filters).order_by("pk").values_list("status", flat=True))


def test_raising_the_meeting_capacity_through_the_api_promotes_the_first_waiting(
    client, meeting, organizer, register, django_capture_on_commit_callbacks
):
    meeting.capacity = 1
    meeting.save()
    for n in range(4):
        register(f"p{n}@example.org")
    mail.outbox.clear()
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            f"/api/v1/meetings/{meeting.slug}/", {"capacity": 3}, content_type="application/json"
        )

    assert response.status_code == 200
    assert statuses(Registration, meeting=meeting) == [
        "confirmed",
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["p1@example.org", "p2@example.org"]


def test_raising_the_capacity_in_the_admin_promotes_too(
    client, meeting, register, django_capture_on_commit_callbacks
):
    meeting.capacity = 1
    meeting.save()
    register("first@example.org")
    register("waiting@example.org")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_change_meeting(client, meeting, capacity=2)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert statuses(Registration, meeting=meeting) == ["confirmed", "confirmed"]


def test_lowering_the_capacity_below_the_confirmed_is_refused(client, meeting, organizer, register):
    register("a@example.org")
    register("b@example.org")
    client.force_login(organizer)

    response = client.patch(
        f"/api/v1/meetings/{meeting.slug}/", {"capacity": 1}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "2 people are confirmed: the capacity cannot be 1. "
            "Cancel registrations first, or keep more places."
        ]
    }
    meeting.refresh_from_db()
    assert meeting.capacity == 100
    assert statuses(Registration, meeting=meeting) == ["confirmed", "confirmed"]


def test_lowering_the_capacity_in_the_admin_below_the_confirmed_is_refused(
    client, meeting, register
):
    register("a@example.org")
    register("b@example.org")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = admin_change_meeting(client, meeting, capacity=1)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["capacity"] == [
        "2 people are confirmed: the capacity cannot be 1. "
        "Cancel registrations first, or keep more places."
    ]


def test_fewer_session_seats_than_people_holding_one_is_refused(meeting, register):
    workshop = SessionFactory(meeting=meeting, title="Joint", requires_booking=True, capacity=5)
    register("a@example.org", [workshop.pk])
    register("b@example.org", [workshop.pk])

    with pytest.raises(AgendaError) as excinfo:
        session_update(session=workshop, data={"capacity": 1})

    assert str(excinfo.value).startswith("2 people hold a seat in 'Joint'")
    workshop.refresh_from_db()
    assert workshop.capacity == 5


@pytest.mark.parametrize(
    ("new_capacity", "expected"), [(2, ["booked", "booked", "waitlisted"]), (None, ["booked"] * 3)]
)
def test_more_seats_in_a_session_go_to_its_waitlist(
    meeting, register, django_capture_on_commit_callbacks, new_capacity, expected
):
    workshop = SessionFactory(
        meeting=meeting, requires_booking=True, capacity=1, room__capacity=None
    )
    for n in range(3):
        register(f"w{n}@example.org", [workshop.pk])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=workshop, data={"capacity": new_capacity})

    assert statuses(SessionBooking, session=workshop) == expected
    assert {m.subject for m in mail.outbox} == {f"A seat is free, you are booked: {workshop.title}"}
    assert len(mail.outbox) == expected.count("booked") - 1
