"""Ids that look like digits to str.isdigit() but are not ("²", "٣") are bad input, not 500s."""

import pytest

from registrations.models import Registration
from tests.factories import RegistrationFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_ASCII_DIGITS = ["²", "٣", "１"]


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS)
def test_register_form_with_a_strange_session_id_answers_a_page(client, meeting, value):
    session = SessionFactory(meeting=meeting, requires_booking=True)
    response = client.post(
        f"/meetings/{meeting.slug}/register/",
        {
            "first_name": "Ane",
            "last_name": "Etxe",
            "email": "ane@example.org",
            "sessions": [value, str(session.pk)],
        },
    )
    assert response.status_code in (200, 400)  # the form again with its errors, not a 500
    assert not Registration.objects.exists()


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS)
def test_private_link_sessions_with_a_strange_id_answers_a_page(client, meeting, value):
    registration = RegistrationFactory(meeting=meeting)
    response = client.post(f"/r/{registration.token}/sessions/", {"sessions": [value]})
    assert response.status_code in (200, 302, 400)


@pytest.mark.parametrize("path", ["events/meeting", "agenda/session", "registrations/registration"])
def test_admin_change_page_of_a_strange_id_is_not_a_500(client, path):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.get(f"/admin/{path}/²/change/")
    assert response.status_code in (302, 404)
