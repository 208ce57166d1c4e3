"""Send the B2B outbox rows the services wrote, and read the emails back as a mail client does.

``deliver()`` sends every pending row through the real send path
(``mail.services.outbox_message_send``), in the order they were written, and
returns each email parsed with the standard library, with its calendars parsed
with icalendar.
"""

from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from icalendar import Calendar

from mail.models import OutboxMessage
from mail.services import outbox_message_send


@dataclass
class Sent:
    row: OutboxMessage
    email: EmailMessage
    raw: bytes

    @property
    def subject(self) -> str:
        # The parser keeps the space of a header folded right after its name.
        return self.email["Subject"].strip()

    @property
    def text(self) -> str:
        return self.email.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.email.get_body(preferencelist=("html",)).get_content()

    def calendar_parts(self) -> list[tuple[str, bytes]]:
        """(content type with its method, bytes) of the invitation alternative and the .ics."""
        return [
            (part["Content-Type"], part.get_payload(decode=True))
            for part in self.email.walk()
            if part.get_content_type() in ("text/calendar", "application/ics")
        ]

    @property
    def calendars(self) -> list[Calendar]:
        return [Calendar.from_ical(data) for _type, data in self.calendar_parts()]

    @property
    def event(self):
        """The one VEVENT of the invitation alternative."""
        [event] = self.calendars[0].walk("VEVENT")
        return event


def deliver(mailoutbox) -> list[Sent]:
    """Send every pending row (in the order written); the emails they became."""
    mailoutbox.clear()
    rows = list(OutboxMessage.objects.filter(status="pending").order_by("pk"))
    sent = []
    for row in rows:
        outbox_message_send(message_id=row.pk)
        row.refresh_from_db()
        assert (row.status, row.last_error) == ("sent", ""), row.last_error
        message = mailoutbox[-1]
        raw = message.message().as_bytes()
        email = BytesParser(policy=policy.default).parsebytes(raw)
        sent.append(Sent(row=row, email=email, raw=raw))
    assert len(mailoutbox) == len(rows)
    return sent


def one(sent: list[Sent], kind: str, to: str) -> Sent:
    [found] = [item for item in sent if item.row.kind == kind and item.email["To"] == to]
    return found
