"""The agenda's answers to what events announces (``events/signals.py``).

Connected in ``AgendaConfig.ready()``; runs inside the meeting change's transaction.
"""

from django.dispatch import receiver

from agenda.services import AgendaError, sessions_fit_meeting
from events.services import MeetingError
from events.signals import meeting_frame_check


@receiver(meeting_frame_check, dispatch_uid="agenda.sessions_fit_meeting")
def refuse_a_frame_that_strands_sessions(sender, *, meeting, **kwargs) -> None:
    try:
        sessions_fit_meeting(meeting=meeting)
    except AgendaError as exc:
        raise MeetingError(str(exc)) from exc
