"""Email backend of the embedded mode: every message to the console and to a file."""

from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(FileBackend):
    """Writes each message to a file under EMAIL_FILE_PATH and prints it too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._console = ConsoleBackend(*args, **kwargs)

    def send_messages(self, email_messages):
        self._console.send_messages(email_messages)
        return super().send_messages(email_messages)
