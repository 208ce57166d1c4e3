"""The registrations app's domain errors: messages are for people."""


class RegistrationError(Exception):
    """A registration change that the rules refuse.

    ``field`` names the input the message is about (for forms and the API),
    or is None when it is about the request as a whole.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class RegistrationBusy(RegistrationError):
    """The capacity lock could not be taken in time; nothing was changed, try again."""
