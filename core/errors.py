"""The one base of every domain error, and of "busy, try again".

Services raise a subclass (``AgendaError``, ``MeetingError``, ``RegistrationError``…)
whose message is for people. Forms show it as a field error (``field``) or a
form error; the API's one exception handler (``core.api.exception_handler``)
maps ``DomainError`` to a 400 ``{field: [message]}`` and ``Busy`` to a 503 with
Retry-After.
"""


class DomainError(Exception):
    """A change the rules refuse; nothing was written.

    ``field`` names the input the message is about (for forms and the API), or
    is None when it is about the change as a whole.
    """

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Busy(DomainError):
    """A lock could not be taken in time; nothing was changed, trying again will do."""
