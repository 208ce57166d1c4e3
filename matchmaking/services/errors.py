"""The matchmaking app's domain errors: messages are for people."""

from django.utils.translation import gettext as _

from core.errors import Busy, DomainError


class MatchmakingError(DomainError):
    """A B2B change the rules refuse; nothing was written."""


class MatchmakingBusy(Busy, MatchmakingError):
    """The people's or the slot's rows could not be locked in time; nothing was changed."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("We are busy right now: please try again."))
