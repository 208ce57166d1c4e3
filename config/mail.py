"""Email backend of the embedded mode: every message to a file, and to the console in DEBUG."""

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(FileBackend):
    """Writes each message to a file under EMAIL_FILE_PATH; prints it too when DEBUG is on.

    With DEBUG off nothing is printed: emails carry private links, and the console
    ends up in log files. (``check --deploy`` refuses this backend then anyway:
    registrations/checks.py.)
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._console = ConsoleBackend(*args, **kwargs) if settings.DEBUG else None

    def send_messages(self, email_messages):
        if self._console is not None:
            self._console.send_messages(email_messages)
        return super().send_messages(email_messages)
