"""Email: one outbox row per message, sent by a Celery task, never lost, never doubled.

The domain apps decide which email goes to whom (``outbox_message_create`` in
their own transaction) and register how each kind of message looks
(``mail.render.register``); mail writes, sends, retries and sweeps. It imports
no app above it: the foreign keys to registrations are string references.
"""
