"""Settings for bench/registration.py only: production settings, bench URLs.

The same settings as ``config.settings`` (middleware, DRF, database, cache), with
``ROOT_URLCONF`` pointing at bench/floor_urls.py, which adds one empty DRF POST
view (the framework's floor) to the real URLs. Nothing here is used outside the
bench: production URLs stay as they are.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"

if os.environ.get("BENCH_PGBOUNCER"):  # noqa: F405
    # Behind pgbouncer in transaction mode a server-side cursor could land on
    # another server connection than its FETCH (Django's documented setting).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True  # noqa: F405
