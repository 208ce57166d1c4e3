"""The Spanish translation is complete, compiled, and what the Spanish pages show.

The Spanish pages live under /es/ (config/urls.py); any string without a Spanish
translation shows up in English in the middle of a Spanish page.
``locale/es/LC_MESSAGES/django.po`` is the source: ``make messages`` adds new
strings to it (empty, or as fuzzy guesses that gettext ignores), a translator
fills them in, and the same command compiles ``django.mo``.
"""

import ast
import datetime as dt
import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from agenda.models import Session
from agenda.services import AgendaError, session_create
from mail.models import OutboxMessage
from registrations.emails import build_email
from tests.factories import MeetingFactory, RegistrationFactory, SessionFactory, TrackFactory, at
from tests.services import missing

LOCALE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@dataclass
class Entry:
    """One message of a .po file (obsolete ``#~`` entries are never read)."""

    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    fuzzy: bool = False


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, without its header."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().split("\n") if not line.startswith("#~")]
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            match = re.match(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) (\".*\")$", line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if not fields.get("msgid"):
            continue  # the header, or a block of obsolete entries only
        forms = sorted(key for key in fields if key.startswith("msgstr"))
        entries.append(
            Entry(
                msgid=fields["msgid"],
                msgid_plural=fields.get("msgid_plural"),
                msgctxt=fields.get("msgctxt"),
                msgstr=[fields[key] for key in forms],
                fuzzy=any(line.startswith("#,") and "fuzzy" in line for line in lines),
            )
        )
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return read_po(LOCALE / "django.po")


def test_po_parser_reads_plurals_contexts_and_fuzzy_marks(tmp_path):
    """The small parser sees what msgfmt sees: continued lines, plural forms, contexts, fuzzy."""
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        '#: a.html:1\nmsgid ""\n"Long "\n"text"\nmsgstr "Texto largo"\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "Adivina"\n\n'
        'msgctxt "seat counts"\nmsgid "Booked"\nmsgstr ""\n\n'
        'msgid "%(n)s seat"\nmsgid_plural "%(n)s seats"\nmsgstr[0] "%(n)s plaza"\n'
        'msgstr[1] ""\n\n'
        '#~ msgid "Gone"\n#~ msgstr ""\n',
        encoding="utf-8",
    )

    assert read_po(po) == [
        Entry(msgid="Long text", msgstr=["Texto largo"]),
        Entry(msgid="Guess", msgstr=["Adivina"], fuzzy=True),
        Entry(msgid="Booked", msgctxt="seat counts", msgstr=[""]),
        Entry(msgid="%(n)s seat", msgid_plural="%(n)s seats", msgstr=["%(n)s plaza", ""]),
    ]


def test_every_string_has_a_spanish_translation(entries):
    """No msgid is left empty or fuzzy: translate what ``make messages`` added to the .po."""
    missing = [entry.msgid for entry in entries if entry.fuzzy or not all(entry.msgstr)]

    assert len(entries) > 300
    assert missing == []


def test_po_holds_every_marked_string(entries, tmp_path):
    """makemessages, run on a copy of the project, finds no string the .po lacks or keeps.

    Otherwise a string marked in the code (or one no longer used) would pass the
    other tests here unnoticed: run ``make messages`` and translate what it adds.
    """
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        missing("GNU gettext (xgettext, msgmerge): apt-get install gettext")
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(
        base,
        copy,
        ignore=shutil.ignore_patterns(".*", "var", "tests", "bench", "node_modules", "*.pyc"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-obsolete"],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"},
        check=True,
        capture_output=True,
    )

    def keys(found):
        return {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in found}

    fresh = keys(read_po(copy / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    assert sorted(fresh - keys(entries), key=str) == []
    assert sorted(keys(entries) - fresh, key=str) == []


def test_translations_keep_every_placeholder(entries):
    """Each translation names exactly the placeholders of its English text."""
    wrong = []
    for entry in entries:
        for index, text in enumerate(entry.msgstr):
            english = entry.msgid if index == 0 or not entry.msgid_plural else entry.msgid_plural
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(english)):
                wrong.append((entry.msgid, text))

    assert wrong == []


def test_compiled_mo_matches_the_po(entries):
    """django.mo holds every translation of django.po: recompile after any change."""
    with (LOCALE / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    stale = []
    for entry in entries:
        if entry.msgid_plural:
            # Spanish plural forms: 1 -> [0], a whole number of millions -> [1], others -> [2].
            found = [
                catalog.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                if entry.msgctxt
                else catalog.ngettext(entry.msgid, entry.msgid_plural, n)
                for n in (1, 1_000_000, 2)
            ]
        elif entry.msgctxt:
            found = [catalog.pgettext(entry.msgctxt, entry.msgid)]
        else:
            found = [catalog.gettext(entry.msgid)]
        if found != entry.msgstr:
            stale.append(entry.msgid)

    assert stale == []


@pytest.fixture
def spanish_meeting(db):
    """A meeting on 10–11 December 2030 with one bookable workshop on its first day."""
    meeting = MeetingFactory(
        slug="encuentro",
        title="Encuentro 2030",
        starts_on=dt.date(2030, 12, 10),
        ends_on=dt.date(2030, 12, 11),
    )
    SessionFactory(
        meeting=meeting,
        title="Cadenas de valor",
        kind=Session.Kind.WORKSHOP,
        track=TrackFactory(meeting=meeting, name="Industria"),
        capacity=20,
        requires_booking=True,
    )
    return meeting


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request in Spanish leaves the thread's language as it found it."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def get(client, page: str, slug: str, language: str) -> str:
    """The page at its address in ``language`` (/es/… for Spanish)."""
    with translation.override(language):
        url = reverse(page, kwargs={"slug": slug})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("page", "spanish", "english"),
    [
        (
            "events:meeting-detail",
            [
                '<html lang="es">',
                "10–11 de diciembre de 2030",
                "horario CET (Europe/Madrid)",
                "La inscripción está abierta.",
                "martes 10 de diciembre",
                "1 sesión",
                "Ver la agenda completa",
                "Ponentes",
                "Acceso para organizadores",
            ],
            ["See the full agenda", "Speakers", "times in", "Organizer login", "1 session"],
        ),
        (
            "agenda:agenda",
            [
                "Filtrar la agenda",
                "Línea temática",
                "Todas las líneas",
                "Todos los tipos",
                "Taller",
                "Suscribirme en Google Calendar",
                "La suscripción recoge todos los cambios posteriores",
            ],
            ["Filter the agenda", "All tracks", "Workshop", "Subscribe", "Download (.ics)"],
        ),
        (
            "registrations:register",
            [
                "Inscribirme",
                "Apellidos",
                "Comunidad autónoma",
                "Sesiones a las que quieres asistir",
                "Quedan 20 plazas",
                "No necesitas cuenta",
            ],
            ["Register", "Last name", "Sessions you want to attend", "20 seats left"],
        ),
    ],
)
def test_spanish_page_has_its_labels_in_spanish(client, spanish_meeting, page, spanish, english):
    """The Spanish page (/es/…) has its labels in Spanish, none left in English.

    The same labels are on the English page, so their absence in Spanish means
    they were translated, not that the page lost them.
    """
    english_page = get(client, page, spanish_meeting.slug, "en")
    spanish_page = get(client, page, spanish_meeting.slug, "es")

    assert [text for text in english if text not in english_page] == []
    assert [text for text in spanish if text not in spanish_page] == []
    assert [text for text in english if text in spanish_page] == []


@pytest.mark.parametrize(
    ("language", "when"), [("es", "10–11 de diciembre de 2030"), ("en", "10–11 December 2030")]
)
def test_email_is_written_in_the_registrations_language(spanish_meeting, language, when):
    """An email's text, dates and HTML ``lang`` follow the registration's language."""
    registration = RegistrationFactory(meeting=spanish_meeting, language=language)
    message = OutboxMessage(
        kind="private_link",
        recipient=registration.email,
        meeting=spanish_meeting,
        registration=registration,
        dedupe_key="test:private_link",
    )

    email = build_email(message)

    assert f"{when} (CET (Europe/Madrid))" in email.body
    assert email.alternatives[0][0].startswith(f'<!doctype html>\n<html lang="{language}">')


@pytest.mark.django_db
def test_agenda_conflicts_are_explained_in_the_organizers_language():
    """A Spanish organizer reads the refusal, with the clashing session's day, in Spanish."""
    meeting = MeetingFactory(starts_on=dt.date(2030, 12, 10), ends_on=dt.date(2030, 12, 11))
    opening = SessionFactory(meeting=meeting, title="Apertura")

    with translation.override("es"), pytest.raises(AgendaError) as excinfo:
        session_create(
            meeting=meeting,
            title="Otra",
            room=opening.room,
            starts_at=at(meeting, 0, "10:30"),
            ends_at=at(meeting, 0, "11:30"),
        )

    assert str(excinfo.value) == (
        f"La sala {opening.room.name} está ocupada por 'Apertura' 10:00–11:00 (mar 10 de dic)."
    )
