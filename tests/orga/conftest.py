import pytest

# Text that has broken pages, emails and spreadsheets elsewhere: line breaks,
# control characters, a bidi override, a zero-width space, formula starts.
HOSTILE = "=cmd|' /C calc'!A0\r\nBEL\x07 ESC\x1b[31m \u202eevil\u202c zero\u200bwidth <b>&amp;</b>"


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client
