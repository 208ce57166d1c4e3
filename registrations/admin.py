"""Admin for registrations; the outbox's admin lives in admin_outbox.py."""

from registrations import admin_outbox  # noqa: F401  (registers OutboxMessage)
