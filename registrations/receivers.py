"""The registrations' answers to what events and the agenda announce (their ``signals.py``).

Connected in ``RegistrationsConfig.ready()``. Each receiver runs inside the
transaction of the change that sent the signal and hands over to a service;
the workflow stays in ``registrations.services``.
"""

from django.dispatch import receiver

from agenda.signals import session_changed, session_rules_check, session_seats_added
from events.signals import meeting_cancelled, meeting_capacity_raised
from registrations.services.agenda_notices import session_change_notices_record
from registrations.services.bookings import session_seats_fill, session_seats_held_check
from registrations.services.meeting_notices import meeting_cancellation_notices_record
from registrations.services.waitlist import waitlist_promote_after_commit


@receiver(session_rules_check, dispatch_uid="registrations.session_seats_held")
def refuse_fewer_seats_than_held(sender, *, session, **kwargs) -> None:
    session_seats_held_check(session=session)


@receiver(session_changed, dispatch_uid="registrations.session_change_notices")
def record_session_change_notices(sender, *, session, change, **kwargs) -> None:
    session_change_notices_record(session=session, change=change)


@receiver(session_seats_added, dispatch_uid="registrations.session_seats_fill")
def fill_added_session_seats(sender, *, session, **kwargs) -> None:
    session_seats_fill(session=session)


@receiver(meeting_cancelled, dispatch_uid="registrations.meeting_cancellation_notices")
def record_meeting_cancellation_notices(sender, *, meeting, **kwargs) -> None:
    meeting_cancellation_notices_record(meeting=meeting)


@receiver(meeting_capacity_raised, dispatch_uid="registrations.waitlist_promote")
def promote_into_added_places(sender, *, meeting, **kwargs) -> None:
    waitlist_promote_after_commit(meeting=meeting)
