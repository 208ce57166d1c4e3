"""No log line carries a registration's token: Django's 404 and CSRF logs, runserver's access
lines, gunicorn's access lines (config/gunicorn.conf.py)."""

import io
import logging
import logging.config
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.test import Client

from config.log_filters import MaskTokens, mask_tokens
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

GUNICORN_CONF = Path(__file__).resolve().parents[1] / "config" / "gunicorn.conf.py"


@contextmanager
def handler_output(logger_name: str):
    """What the console handler that LOGGING gives ``logger_name`` writes (filters apply).

    Django's records ("django.request", "django.security.csrf") reach the root logger's
    console; runserver's ("django.server") have their own.
    """
    logger = logging.getLogger(logger_name)
    # LOGGING's console handler (pytest adds capturing handlers of its own beside it).
    [handler] = [handler for handler in logger.handlers if type(handler) is logging.StreamHandler]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def test_not_found_on_a_private_link_logs_no_token(client):
    """An old or mistyped private link: "Not Found: /r/[masked]/" and nothing of the token."""
    registration = RegistrationFactory()
    token = registration.token
    registration.delete()

    with handler_output("") as output:
        response = client.get(f"/r/{token}/")
        client.get(f"/r/{token}/cancel/")
        client.get(f"/calendar/{token}.ics")

    assert response.status_code == 404
    assert output.getvalue().splitlines() == [
        "Not Found: /r/[masked]/",
        "Not Found: /r/[masked]/cancel/",
        "Not Found: /calendar/[masked].ics",
    ]
    assert token[:8] not in output.getvalue()


def test_csrf_failure_on_a_private_link_logs_no_token():
    registration = RegistrationFactory()
    client = Client(enforce_csrf_checks=True)

    with handler_output("") as output:
        response = client.post(f"/r/{registration.token}/sessions/", {})

    assert response.status_code == 403
    assert output.getvalue() == "Forbidden (CSRF cookie not set.): /r/[masked]/sessions/\n"


def test_runserver_access_lines_log_no_token():
    """runserver logs each request line on "django.server": masked too."""
    with handler_output("django.server") as output:
        logging.getLogger("django.server").info(
            '"%s" %s %s', "GET /calendar/SecretFeed_123.ics HTTP/1.1", "200", "512"
        )

    assert output.getvalue().endswith('] "GET /calendar/[masked].ics HTTP/1.1" 200 512\n')
    assert "SecretFeed" not in output.getvalue()


def test_gunicorn_access_lines_log_no_token():
    """gunicorn's access logger gets the format and a dict of atoms: request line and Referer
    are masked by the filter its configuration installs."""
    namespace: dict = {}
    exec(GUNICORN_CONF.read_text(), namespace)  # the file that gunicorn -c reads
    config = {key: value for key, value in namespace["logconfig_dict"].items() if key != "root"}
    assert config["handlers"]["access_console"]["filters"] == ["mask_tokens"]
    # Its access logger's set-up, under another name so the test leaves gunicorn's alone.
    logging.config.dictConfig(
        {**config, "loggers": {"test.gunicorn.access": config["loggers"]["gunicorn.access"]}}
    )
    atoms = {"r": "GET /r/SecretLink-1/ HTTP/1.1", "s": "200", "f": "https://x/r/SecretLink-1/"}
    logger = logging.getLogger("test.gunicorn.access")
    [handler] = logger.handlers
    stream = io.StringIO()
    handler.setStream(stream)

    logger.info('"%(r)s" %(s)s "%(f)s"', atoms)

    assert stream.getvalue() == '"GET /r/[masked]/ HTTP/1.1" 200 "https://x/r/[masked]/"\n'


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ("GET /r/abc_DEF-123/sessions/", "GET /r/[masked]/sessions/"),
        ("GET /r/abc%00def/", "GET /r/[masked]/"),
        (
            "cid=webcal%3A%2F%2Fh%2Fcalendar%2Ftok_1.ics",
            "cid=webcal%3A%2F%2Fh%2Fcalendar%2F[masked].ics",
        ),
        (
            "https://h/calendar/t.ics?x=1 and /r/t/cancel/",
            "https://h/calendar/[masked].ics?x=1 and /r/[masked]/cancel/",
        ),
        ("GET /meetings/m/agenda.ics", "GET /meetings/m/agenda.ics"),
    ],
)
def test_mask_tokens(line, masked):
    assert mask_tokens(line) == masked


def test_a_traceback_that_names_a_token_is_masked():
    """The formatter fills a record's traceback after the filters ran; the filter masks it."""
    token = "T" * 43
    with handler_output("") as stream:
        try:
            raise ValueError(f"no page for /r/{token}/sessions/")
        except ValueError:
            logging.getLogger("django.request").exception("Internal Server Error: /x/")
    written = stream.getvalue()
    assert "ValueError: no page for /r/[masked]/sessions/" in written
    assert token not in written


def test_a_malformed_logging_call_does_not_break_the_caller():
    """Logging reports its own formatting errors; the filter must not raise into the view."""
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "%s %s", ("one",), None)
    assert MaskTokens().filter(record) is True
