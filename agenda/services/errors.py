"""The agenda's domain errors: messages are for people."""

from django.utils.translation import gettext as _

from core.errors import Busy, DomainError


class AgendaError(DomainError):
    """An agenda change that the rules refuse; the message is for people.

    ``field`` names the input the message is about (for forms and the API), or is
    None when it is about the change as a whole.
    """


class AgendaBusy(Busy, AgendaError):
    """Somebody else is changing this meeting's agenda right now; trying again will do."""

    def __init__(self, message: str | None = None):
        message = message or _("The agenda is being changed by someone else; try again.")
        super().__init__(message)
