"""Printable schedules, as PDF (WeasyPrint): a person's own schedule, and one sheet per
table of a matchmaking session for the organizers to put on the tables.

The HTML templates (``matchmaking/templates/matchmaking/pdf/``) carry their print
CSS inline (A4) and name only the fonts Debian ships (DejaVu). Nothing is ever
fetched while rendering: the URL fetcher refuses every address, so a template, or
a text that slipped into one, can never make the server call out. Texts come in
safe from ``matchmaking.schedules`` and are escaped by the templates.

WeasyPrint is imported when the first PDF is made, not with the app: importing it
takes about a second (it loads Pango and its fonts), which every process (each
``manage.py`` command, web and Celery worker, test run) would otherwise pay for
nothing.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from matchmaking.schedules import PersonalSchedule, TableSheets, personal_schedule
from registrations.models import Registration

CONTENT_TYPE = "application/pdf"


class NoFetching(ValueError):
    """A PDF template asked for an outside resource: refused (WeasyPrint leaves it out)."""


def refuse_fetch(url: str, *args, **kwargs):
    raise NoFetching(f"PDFs fetch nothing: {url[:80]!r} refused.")


def pdf_render(template: str, context: dict) -> bytes:
    # Deferred: a second of import time on every process start (module docstring).
    from weasyprint import HTML  # noqa: PLC0415

    html = render_to_string(template, context)
    return HTML(string=html, base_url=None, url_fetcher=refuse_fetch).write_pdf()


def person_language(registration: Registration) -> str:
    """The language a person reads their schedule in: theirs, else the meeting's (as emails)."""
    return registration.language or registration.meeting.language or settings.LANGUAGE_CODE


def schedule_pdf(schedule: PersonalSchedule, *, language: str) -> bytes:
    """The person's schedule, dates in the meeting's zone and ``language``."""
    with translation.override(language):
        return pdf_render(
            "matchmaking/pdf/schedule.html",
            {"schedule": schedule, "meeting": schedule.meeting},
        )


def person_schedule_pdf(registration: Registration) -> tuple[bytes, str]:
    """The person's schedule as they read it (their language, else the meeting's): the PDF
    and its file name. The texts that hold words (a table's "Table 3") are read in that
    language too."""
    language = person_language(registration)
    with translation.override(language):
        schedule = personal_schedule(registration=registration)
    return schedule_pdf(schedule, language=language), schedule_filename(schedule)


def table_sheets_pdf(sheets: TableSheets, *, language: str) -> bytes:
    """One A4 page per table: its slots and who meets there."""
    with translation.override(language):
        return pdf_render(
            "matchmaking/pdf/table_sheets.html", {"sheets": sheets, "meeting": sheets.meeting}
        )


def schedule_filename(schedule: PersonalSchedule) -> str:
    return f"schedule-{schedule.meeting.slug}.pdf"


def table_sheets_filename(sheets: TableSheets) -> str:
    return f"tables-{sheets.meeting.slug}-{sheets.b2b_session.pk}.pdf"


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    """A PDF download (the file name is ours, ASCII: a slug and ids)."""
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
