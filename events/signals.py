"""What a meeting change announces to the apps built on events (agenda, registrations).

events imports none of them: it sends these signals and the higher apps answer
in their ``receivers.py`` (connected in their ``AppConfig.ready()``). Every
signal is sent with ``send()`` inside the transaction of the change, so a
receiver's rows are written in that same transaction, and a receiver's error
rolls the whole change back.
"""

from django.dispatch import Signal

# Before a change of the meeting's days, zone or venue is saved: ``meeting`` holds the
# new values (unsaved). A receiver refuses by raising ``MeetingError`` (the agenda: a
# scheduled session would fall outside the new frame).
meeting_frame_check = Signal()

# The meeting has just become cancelled (``meeting``): everyone registered is told.
meeting_cancelled = Signal()

# The meeting's capacity has just grown (``meeting``): the new places go to the waitlist.
meeting_capacity_raised = Signal()
