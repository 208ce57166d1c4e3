import pytest

from tests.services import require_broker, require_postgres


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") or item.get_closest_marker("integration"):
        require_postgres()
    if item.get_closest_marker("integration"):
        require_broker()


@pytest.fixture
def organizer(db):
    """A user who organizes one meeting (the ``meeting`` fixture) and nothing else."""
    from tests.factories import UserFactory

    return UserFactory(username="org")


@pytest.fixture
def meeting(db, organizer):
    from tests.factories import MeetingFactory, MeetingOrganizerFactory

    meeting = MeetingFactory(slug="meet")
    MeetingOrganizerFactory(meeting=meeting, user=organizer)
    return meeting
