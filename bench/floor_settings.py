"""Settings for bench/registration.py only: production settings, bench URLs.

The same settings as ``config.settings`` (middleware, DRF, database, cache), with
``ROOT_URLCONF`` pointing at bench/floor_urls.py, which adds one empty DRF POST
view (the framework's floor) to the real URLs. Nothing here is used outside the
bench: production URLs stay as they are.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
