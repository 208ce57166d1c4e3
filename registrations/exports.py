"""Tables of registrations for spreadsheets: one row builder, written as CSV or XLSX.

The participants page exports the filtered list with ``PARTICIPANT_COLUMNS``
(times in the meeting's time zone); the admin exports across meetings with
``ADMIN_COLUMNS`` (raw values). Every cell passes ``cell_safe``: a spreadsheet
must not run a participant's text as a formula.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from core.choices import choice_label
from registrations.models import Registration, SessionBooking
from registrations.selectors import registrations_choice_rows

# Characters a spreadsheet reads as the start of a formula (a tab or CR as well:
# some programs drop them and read what follows).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0, and so XLSX, cannot hold: C0 controls other than tab, LF and CR.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_CELL_MAX = 32767


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[Registration], Any]


def cell_safe(value: Any) -> str:
    """The cell as text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def local_time(value) -> str:
    """``value`` in its meeting's time zone, to the minute; the caller activates that zone."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def current_sessions(registration: Registration, *, label: bool) -> str:
    """The person's session choices that are not cancelled, with their state.

    From ``registration.export_choices`` ((title, status) pairs, already without the
    cancelled ones) when ``participant_table`` loaded them, else from the prefetched bookings.
    """
    choices = getattr(registration, "export_choices", None)
    if choices is None:
        choices = [
            (booking.session.title, booking.status)
            for booking in registration.bookings.all()
            if booking.status != SessionBooking.Status.CANCELLED
        ]
    return "; ".join(
        f"{title} ({choice_label(SessionBooking, 'status', status) if label else status})"
        for title, status in choices
    )


def _attribute(name: str) -> Callable[[Registration], Any]:
    return lambda registration: getattr(registration, name)


PARTICIPANT_COLUMNS = [
    Column("first_name", _("first name"), _attribute("first_name")),
    Column("last_name", _("last name"), _attribute("last_name")),
    Column("email", _("email"), _attribute("email")),
    Column("organization", _("organization"), _attribute("organization_display")),
    Column("job_title", _("job title"), _attribute("job_title")),
    Column("region", _("region"), lambda r: choice_label(Registration, "region", r.region)),
    Column("status", _("status"), lambda r: choice_label(Registration, "status", r.status)),
    Column("registered_at", _("registered at"), lambda r: local_time(r.created_at)),
    Column("sessions", _("sessions"), lambda r: current_sessions(r, label=True)),
    Column("checked_in_at", _("checked in at"), lambda r: local_time(r.checked_in_at)),
]

ADMIN_COLUMNS = [
    Column(name, name, _attribute(name))
    for name in [
        "id",
        "meeting",
        "status",
        "first_name",
        "last_name",
        "email",
        "organization",
        "job_title",
        "region",
        "region_legacy",
        "language",
        "sessions",
        "waitlisted_at",
        "created_at",
        "cancelled_at",
        "checked_in_at",
        "consent_processing_at",
        "consent_text_version",
        "consent_listing",
    ]
]
_ADMIN_OVERRIDES = {
    "meeting": lambda r: r.meeting.slug,
    "organization": lambda r: r.organization_display,
    "region": lambda r: choice_label(Registration, "region", r.region),
    "sessions": lambda r: current_sessions(r, label=False),
}
ADMIN_COLUMNS = [
    Column(c.key, c.label, _ADMIN_OVERRIDES.get(c.key, c.value)) for c in ADMIN_COLUMNS
]


def registration_table(
    registrations: Iterable[Registration], *, columns: list[Column]
) -> Iterator[list[str]]:
    """The header, then one row of text cells per registration (the writers make them safe).

    ``registrations`` should come with ``organization`` selected and
    ``bookings__session`` prefetched (``selectors.registration_list``).
    """
    yield [str(column.label) for column in columns]
    for registration in registrations:
        yield [
            "" if (value := column.value(registration)) is None else str(value)
            for column in columns
        ]


def table_csv(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([cell_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def xlsx_text(cell: str) -> str:
    """A safe cell XLSX can hold: without the control characters XML refuses, within its length.

    Stripped before the formula check, so "\x07=1" cannot turn into a formula.
    """
    return cell_safe(XLSX_ILLEGAL.sub("", cell))[:XLSX_CELL_MAX]


def table_xlsx(rows: Iterable[list[str]], *, title: str) -> bytes:
    """One sheet called ``title`` (a fixed word: sheet names refuse some characters)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    for row in rows:
        # openpyxl reads a string starting with "=" as a formula: xlsx_text quoted those.
        sheet.append([xlsx_text(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# What PARTICIPANT_COLUMNS read: the rest of a registration (tokens, consent) is not loaded.
PARTICIPANT_FIELDS = [
    "meeting_id",
    "first_name",
    "last_name",
    "email",
    "organization__name",
    "organization__short_name",
    "organization_name",
    "job_title",
    "region",
    "status",
    "created_at",
    "checked_in_at",
]


def participant_table(*, meeting, registrations: QuerySet[Registration]) -> list[list[str]]:
    """The participants page's export: ``PARTICIPANT_COLUMNS``, times in the meeting's zone.

    Two queries whatever the size: the registrations, then their choices as plain
    (registration, title, status) rows, instead of a model object per booking and session.
    """
    people = list(registrations.prefetch_related(None).only(*PARTICIPANT_FIELDS))
    choices: dict[int, list[tuple[str, str]]] = {person.pk: [] for person in people}
    for registration_id, title, status in registrations_choice_rows(registrations=registrations):
        choices[registration_id].append((title, status))
    for person in people:
        person.export_choices = choices[person.pk]
    with timezone.override(meeting.tzinfo):
        return list(registration_table(people, columns=PARTICIPANT_COLUMNS))
