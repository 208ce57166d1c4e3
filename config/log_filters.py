"""Keep the registrations' secret tokens out of every log line.

``/r/<token>/…`` (the private link: full control of a registration) and
``/calendar/<token>.ics`` (the personal feed) are secrets in a URL path. Django
logs paths ("Not Found: /r/…/", CSRF failures, runserver's access lines), and so
do gunicorn and the proxy. ``MaskTokens`` sits on every handler in LOGGING and
in config/gunicorn.conf.py and rewrites each record's message with the token
replaced by ``[masked]`` — also when the slashes are percent-encoded (``%2F``),
as in a Google Calendar ``cid=`` link.
"""

import logging
import re

MASK = "[masked]"
SLASH = r"(?:/|%2[fF])"
TOKEN_IN_PATH = re.compile(
    rf"(?P<prefix>{SLASH}(?:r|calendar){SLASH})(?P<token>[^/%\s?#\"'<>]+)"
    # A token is URL-safe base64; a percent-escape inside one (%00 …) is part of it.
    rf"(?:%(?!2[fF])[0-9A-Fa-f]{{2}}[^/%\s?#\"'<>]*)*"
)


def mask_tokens(text: str) -> str:
    """``text`` with whatever follows ``/r/`` or ``/calendar/`` up to the next ``/`` masked
    (a ``.ics`` extension is kept, so the line still says what was asked for)."""

    def replace(match: re.Match) -> str:
        extension = ".ics" if match.group(0).endswith(".ics") else ""
        return f"{match.group('prefix')}{MASK}{extension}"

    return TOKEN_IN_PATH.sub(replace, text)


class MaskTokens(logging.Filter):
    """Rewrites the record's message (and its formatted traceback) with tokens masked.

    The message is formatted once here with its arguments, so a token passed as
    an argument (Django's ``"Not Found: %s", path``, gunicorn's dict of atoms)
    is masked as well as one written into the message itself.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed logging call: let the handler report it, not the caller
            return True
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Formatters fill exc_text only after the filters ran: format it here, masked.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_tokens(record.exc_text)
        return True
