"""Settings for the test suite: the real settings, with a test secret.

The environment still decides the database and the broker, so the same suite
runs on SQLite locally and on PostgreSQL and Redis in CI.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-0123456789")

from config.settings import *  # noqa: E402,F403

# tests/run_suite.py runs the suite in streams side by side: each its own test database.
if os.environ.get("TEST_DATABASE_SUFFIX"):
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": f"test_{DATABASES['default']['NAME']}_{os.environ['TEST_DATABASE_SUFFIX']}"  # noqa: F405
    }

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# The per-domain limit would stop the suite's many registrations at example.org;
# the tests of the limit switch it on (tests/registrations/services/test_holds.py).
REGISTRATIONS_PER_DOMAIN_PER_HOUR = 0
