"""What an agenda change announces to the apps built on the agenda (registrations).

The agenda imports none of them: it sends these signals and the higher apps
answer in their ``receivers.py`` (connected in their ``AppConfig.ready()``).
Every signal is sent with ``send()`` inside the transaction of the change,
with the meeting and the session locked, so a receiver's rows (outbox rows,
promoted bookings) are written in that same transaction, and a receiver's
error rolls the whole change back.
"""

from django.dispatch import Signal

# While a session (saved or not, carrying its new values) is checked against the rules:
# a receiver refuses the change by raising ``AgendaError`` (registrations: fewer seats
# than people already holding one).
session_rules_check = Signal()

# A session of a published meeting was just saved with a change calendar clients must
# take as an update: ``session`` and ``change`` ("moved" for time and/or room,
# "cancelled", "restored" or "confirmed").
session_changed = Signal()

# A session was just saved with more seats (a larger capacity or room; ``session``).
session_seats_added = Signal()

# A session was just saved with a change (any meeting status, drafts included): ``session``.
# Matchmaking keeps the slots of a B2B session in step with its times.
session_saved = Signal()
