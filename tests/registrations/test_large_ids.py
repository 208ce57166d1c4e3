"""Session ids no id column can hold: the site forms refuse them as any unknown choice."""

import pytest

from registrations.models import Registration, SessionBooking
from tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
STALE = "One of the chosen sessions cannot be chosen any more: reload the page."


def test_register_form_refuses_a_huge_session_id_and_writes_nothing(client, meeting):
    SessionFactory(meeting=meeting, requires_booking=True)
    response = client.post(
        f"/meetings/{meeting.slug}/register/",
        {
            "first_name": "Ane",
            "last_name": "Etxeberria",
            "email": "ane@example.org",
            "consent_processing": "on",
            "sessions": [HUGE],
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["sessions"] == [STALE]
    assert not Registration.objects.exists()


def test_private_link_refuses_a_huge_session_id_and_books_nothing(client, meeting):
    registration = RegistrationFactory(meeting=meeting)
    response = client.post(f"/r/{registration.token}/sessions/", {"sessions": [HUGE]})
    assert response.status_code == 400
    assert response.context["form"].errors["sessions"] == [STALE]
    assert not SessionBooking.objects.exists()
