import pytest

from config.celery import app
from tests.factories import MeetingFactory, MeetingOrganizerFactory, UserFactory
from tests.services import require_broker, require_postgres


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") or item.get_closest_marker("integration"):
        require_postgres()
    if item.get_closest_marker("integration"):
        require_broker()


@pytest.fixture
def organizer(db):
    """A user who organizes one meeting (the ``meeting`` fixture) and nothing else."""
    return UserFactory(username="org")


@pytest.fixture
def meeting(db, organizer):
    meeting = MeetingFactory(slug="meet")
    MeetingOrganizerFactory(meeting=meeting, user=organizer)
    return meeting


@pytest.fixture(autouse=True)
def celery_eager_outside_integration(request):
    """Unit tests run tasks in-process even when CELERY_BROKER_URL is set.

    Only tests marked ``integration`` publish to the real broker, where a
    real worker (tests/integration/worker.py) takes them.
    """
    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def connect():
    """Connect a signal receiver for this test only: ``connect(signal, receiver)``."""
    connected = []

    def do(signal, receiver):
        signal.connect(receiver, dispatch_uid=f"tests.{id(receiver)}")
        connected.append((signal, receiver))

    yield do
    for signal, receiver in connected:
        signal.disconnect(dispatch_uid=f"tests.{id(receiver)}")
