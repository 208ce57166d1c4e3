"""Settings for the test suite: the real settings, with a test secret.

The environment still decides the database and the broker, so the same suite
runs on SQLite locally and on PostgreSQL and Redis in CI.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-0123456789")

from config.settings import *  # noqa: E402,F403

# Unit tests run tasks in the test process whatever the broker; the integration
# tests' worker fixture switches this off to go through Redis and a real worker,
# and starts the worker itself with TEST_CELERY_EAGER=0.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("TEST_CELERY_EAGER", "1") == "1"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
