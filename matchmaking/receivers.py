"""Matchmaking's answers to what the agenda and registrations announce (their ``signals.py``).

Connected in ``MatchmakingConfig.ready()``. Each runs inside the transaction
of the change that sent the signal and hands over to a service.
"""

from django.dispatch import receiver

from agenda.signals import session_changed, session_rules_check, session_saved
from matchmaking.services.agenda import (
    b2b_session_change_check,
    b2b_session_changed,
    b2b_session_follow,
)
from matchmaking.services.requests import registration_requests_cancel
from registrations.signals import registration_left


@receiver(session_rules_check, dispatch_uid="matchmaking.b2b_session_check")
def refuse_dropping_scheduled_meetings(sender, *, session, **kwargs) -> None:
    b2b_session_change_check(session=session)


@receiver(session_saved, dispatch_uid="matchmaking.b2b_session_follow")
def slots_follow_the_session(sender, *, session, **kwargs) -> None:
    b2b_session_follow(session=session)


@receiver(session_changed, dispatch_uid="matchmaking.b2b_session_changed")
def tell_people_whose_meetings_changed(sender, *, session, change, **kwargs) -> None:
    b2b_session_changed(session=session, change=change)


@receiver(registration_left, dispatch_uid="matchmaking.registration_left")
def cancel_the_meetings_of_who_left(sender, *, registration, **kwargs) -> None:
    registration_requests_cancel(registration=registration)
