"""A real SMTP server for integration tests (aiosmtpd on 127.0.0.1, a free port).

It records every message it accepted. It can be stopped and started again on
the same port (an SMTP outage), and it can hold a client at a chosen step of
the conversation (``hold_at``) so a test can kill the worker mid-send.
"""

import asyncio
import email
import email.policy
import socket
import threading
import time
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """Accepts every message and keeps it; optionally refuses first, or holds the client.

    ``refusals`` are replies given instead of accepting, one per message.

    ``hold_at="RCPT"`` holds before the server answers the recipient, so the
    message text has not been sent yet; ``hold_at="DATA"`` holds after the
    server has taken the whole message but before it answers 250. The first
    client to reach that step sets ``held``; the others pass. ``release``
    lets the held one go on.
    """

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        # Replies to give at the end of DATA before accepting, e.g. "451 Try later".
        self.refusals: list[str] = []
        self.hold_at: str | None = None
        self.held = threading.Event()
        self.release = threading.Event()

    async def _maybe_hold(self, step: str) -> None:
        if self.hold_at != step or self.held.is_set():
            return
        self.held.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        await self._maybe_hold("RCPT")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refusals:
            return self.refusals.pop(0)
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        await self._maybe_hold("DATA")
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self) -> None:
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def start(self) -> "SmtpSink":
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def worker_env(self) -> dict[str, str]:
        """What a worker needs to send through this server."""
        return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.port), "EMAIL_TIMEOUT": "5"}

    def wait_for_messages(self, count: int, timeout: float = 20) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.messages) < count:
            time.sleep(0.05)
        return list(self.messages)


@pytest.fixture
def smtp_sink():
    """A running SMTP server on 127.0.0.1; stopped after the test."""
    sink = SmtpSink().start()
    yield sink
    sink.handler.release.set()
    sink.stop()
