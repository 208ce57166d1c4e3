"""The registrations app's domain errors: messages are for people."""

from django.utils.translation import gettext as _

from core.errors import Busy, DomainError


class RegistrationError(DomainError):
    """A registration change that the rules refuse.

    ``field`` names the input the message is about (for forms and the API),
    or is None when it is about the request as a whole.
    """


class RegistrationBusy(Busy, RegistrationError):
    """The capacity lock could not be taken in time; nothing was changed, try again."""

    # The registrations API has always answered this, untranslated; clients may match it.
    api_detail = "busy, try again"

    def __init__(self, message: str | None = None):
        super().__init__(message or _("We are busy right now: please try again."))
