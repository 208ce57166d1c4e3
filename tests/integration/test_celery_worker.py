import uuid

import pytest
from django.core.cache import cache

from config.celery import ping
from tests.integration.worker import celery_worker  # noqa: F401 (fixture)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_runs_a_task_enqueued_through_redis(celery_worker):  # noqa: F811
    """A separate `celery worker` process takes the task from Redis and runs it."""
    token = uuid.uuid4().hex

    ping.delay(token)

    assert celery_worker.wait_for(lambda: cache.get(f"ping:{token}") is not None, timeout=30)
    assert cache.get(f"ping:{token}") == celery_worker.process.pid
