import pytest

from agenda.signals import session_changed
from tests.factories import RoomFactory, SessionFactory, at


@pytest.fixture
def room(meeting):
    return RoomFactory(venue=meeting.venue, name="Auditorio", capacity=200)


@pytest.fixture
def opening(meeting, room):
    return SessionFactory(
        meeting=meeting,
        room=room,
        title="Opening",
        starts_at=at(meeting, 0, "09:30"),
        ends_at=at(meeting, 0, "10:00"),
    )


@pytest.fixture
def notices():
    """Record what ``session_changed`` announces, with a receiver of our own."""
    calls = []

    def record(sender, *, session, change, **kwargs):
        calls.append((session.pk, change))

    session_changed.connect(record, dispatch_uid="tests.notices")
    yield calls
    session_changed.disconnect(dispatch_uid="tests.notices")
