"""What registrations announce to the apps built on them (matchmaking).

Registrations imports none of them: it sends these signals and the higher apps
answer in their ``receivers.py``. Sent with ``send()`` inside the transaction
of the change (under the capacity lock), so a receiver's rows are written in
that same transaction and its error rolls the change back.
"""

from django.dispatch import Signal

# A registration stopped holding a place at the meeting (cancelled, rejected, or its
# held seat released): ``registration``. Its session bookings are already released.
registration_left = Signal()
