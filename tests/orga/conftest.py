import pytest

from tests.factories import RegistrationFactory, UserFactory

# Text that has broken pages, emails and spreadsheets elsewhere: line breaks,
# control characters, a bidi override, a zero-width space, formula starts.
HOSTILE = "=cmd|' /C calc'!A0\r\nBEL\x07 ESC\x1b[31m \u202eevil\u202c zero\u200bwidth <b>&amp;</b>"


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


def participant_user(meeting, email="ane.participant@example.org"):
    """A real participant with an account: a user whose email has a confirmed registration in
    the meeting. Registering gives no role: every workspace page must refuse them."""
    RegistrationFactory(meeting=meeting, email=email, status="confirmed")
    return UserFactory(username="participant", email=email)
