"""A stand-in for a web process whose broker may be unreachable.

Run as ``python -m tests.integration.outbox_writer <meeting slug>`` with the
test database and a ``CELERY_BROKER_URL`` of the test's choosing. It first
publishes one health probe (so a working broker leaves a pooled connection
behind, as in a web process that has served requests), then says it is ready. For every
line on stdin it does what a registration request does after validation:
one durable transaction that writes a registration and its email, then the
after-commit publish. It prints one JSON line per write with the row id and
the wall time of the whole write, publish included — the time a web request
would spend on it.
"""

import contextlib
import json
import os
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django  # noqa: PLC0415 (the settings module is chosen just above)

    django.setup()
    from django.db import transaction  # noqa: PLC0415 (after django.setup())

    from config.celery import ping  # noqa: PLC0415 (after django.setup())
    from events.models import Meeting  # noqa: PLC0415 (after django.setup())
    from mail.services import outbox_message_create  # noqa: PLC0415 (after django.setup())
    from tests.factories import RegistrationFactory  # noqa: PLC0415 (after django.setup())

    meeting = Meeting.objects.get(slug=sys.argv[1])
    with contextlib.suppress(Exception):  # the broker may already be down
        ping.delay("outbox-writer")
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        email = line.strip()
        started = time.monotonic()
        with transaction.atomic(durable=True):
            registration = RegistrationFactory(meeting=meeting, email=email)
            message = outbox_message_create(
                kind="private_link",
                recipient=registration.email,
                meeting=meeting,
                registration=registration,
                dedupe_key=f"private_link:{registration.pk}",
            )
        elapsed = time.monotonic() - started
        print(json.dumps({"message_id": message.pk, "elapsed": elapsed}), flush=True)


if __name__ == "__main__":
    main()
