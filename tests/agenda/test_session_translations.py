"""A session's title and abstract on the pages: the translation into the reader's language
when there is one, else the original marked with its ``lang``; everything else (feeds,
exports, the API) keeps the original. Organizers write the translation on the board."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from agenda.models import SessionTranslation
from tests.factories import SessionFactory, SessionSpeakerFactory, SpeakerFactory, at
from tests.roundtrip import resubmit

pytestmark = pytest.mark.django_db

ENGLISH = ["Value chains", '<span lang="es">Clausura</span>', "Networking lunch"]
SPANISH = ["Cadenas de valor", "Clausura", "Comida de networking"]


@pytest.fixture(autouse=True)
def english_after_each_test():
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def sessions(meeting):
    """The meeting is Spanish: a Spanish session translated into English, one that is not,
    and one written in English with a Spanish translation; all by one speaker."""
    speaker = SpeakerFactory(meeting=meeting, slug="ane")
    chains = SessionFactory(
        meeting=meeting,
        title="Cadenas de valor",
        abstract="Dos líneas.\nSegunda.",
        starts_at=at(meeting, 0, "09:00"),
    )
    closing = SessionFactory(
        meeting=meeting,
        title="Clausura",
        abstract="Hasta pronto.",
        starts_at=at(meeting, 0, "12:00"),
    )
    lunch = SessionFactory(
        meeting=meeting, title="Networking lunch", language="en", starts_at=at(meeting, 0, "14:00")
    )
    SessionTranslation.objects.create(
        session=chains, language="en", title="Value chains", abstract="Two lines.\nSecond."
    )
    SessionTranslation.objects.create(session=lunch, language="es", title="Comida de networking")
    for session in (chains, closing, lunch):
        SessionSpeakerFactory(session=session, speaker=speaker)
    return chains, closing, lunch


def titles(html: str) -> list[str]:
    """The session titles a page links, in order."""
    return re.findall(r'/sessions/\d+/">(.*?)</a>', html)


@pytest.mark.parametrize(("prefix", "expected"), [("", ENGLISH), ("/es", SPANISH)])
def test_lists_show_each_title_in_the_readers_language_or_marked(
    client, sessions, prefix, expected
):
    """Agenda, speaker page and the meeting page's "next up", in English and in Spanish."""
    pages = ["agenda/", "speakers/ane/", ""]

    found = {
        page: titles(client.get(f"{prefix}/meetings/meet/{page}").content.decode())
        for page in pages
    }

    assert found == dict.fromkeys(pages, expected)


def test_session_page_shows_the_translation_or_marks_the_original(client, sessions):
    chains, closing, _lunch = sessions

    english = client.get(f"/meetings/meet/sessions/{chains.pk}/").content.decode()
    spanish = client.get(f"/es/meetings/meet/sessions/{chains.pk}/").content.decode()
    untranslated = client.get(f"/meetings/meet/sessions/{closing.pk}/").content.decode()

    assert "<title>Value chains · " in english
    assert "<h1>Value chains</h1>" in english
    assert "<p>Two lines.<br>Second.</p>" in english
    assert "<h1>Cadenas de valor</h1>" in spanish
    assert "<p>Dos líneas.<br>Segunda.</p>" in spanish
    assert "<title>Clausura · " in untranslated
    assert '<h1><span lang="es">Clausura</span></h1>' in untranslated
    assert '<div lang="es"><p>Hasta pronto.</p></div>' in untranslated


def test_hostile_translation_is_shown_as_text(client, meeting):
    """A translation written around the services (an old row) cannot add markup or
    break the page."""
    session = SessionFactory(meeting=meeting, title="Original")
    hostile = '<script>alert(1)</script>\u202e\x07"' + "x" * 160
    SessionTranslation.objects.create(
        session=session, language="en", title=hostile, abstract=hostile + "\n" + "y" * 5000
    )

    response = client.get(f"/meetings/meet/sessions/{session.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in html
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;\u202e\x07&quot;xxx" in html


def test_feeds_exports_and_api_keep_the_original(client, sessions):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    ics = client.get("/meetings/meet/agenda.ics").content.decode()
    schedule = client.get("/meetings/meet/schedule.json").json()["schedule"]["conference"]
    api = client.get("/api/v1/meetings/meet/sessions/").json()["results"]

    assert [line for line in ics.splitlines() if line.startswith("SUMMARY")] == [
        "SUMMARY:Cadenas de valor",
        "SUMMARY:Clausura",
        "SUMMARY:Networking lunch",
    ]
    events = [e for day in schedule["days"] for room in day["rooms"].values() for e in room]
    assert sorted(event["title"] for event in events) == [
        "Cadenas de valor",
        "Clausura",
        "Networking lunch",
    ]
    assert [session["title"] for session in api] == [
        "Cadenas de valor",
        "Clausura",
        "Networking lunch",
    ]


@pytest.fixture
def org_client(client, organizer):
    client.force_login(organizer)
    return client


def test_board_form_writes_the_translation_and_explains_a_refusal(org_client, meeting):
    """The form offers English for a Spanish session; a translation into the session's own
    language, or an abstract without a title, is refused on its field and nothing is saved."""
    session = SessionFactory(meeting=meeting, title="Cadenas de valor")
    url = f"/meetings/meet/board/sessions/{session.pk}/"
    form = {"choice": {"form_id": "session-form"}}

    saved = resubmit(
        org_client, url, **form, translation_title="Value chains", translation_abstract="Joint."
    )
    same_language = resubmit(org_client, url, **form, language="en")
    no_title = resubmit(org_client, url, **form, translation_title="", translation_abstract="x")

    assert saved.status_code == 302
    assert (same_language.status_code, no_title.status_code) == (200, 200)
    assert "The translation is in the session&#x27;s own language" in same_language.content.decode()
    assert "A translation needs a title." in no_title.content.decode()
    session.refresh_from_db()
    assert session.language == ""
    assert list(session.translations.values_list("language", "title", "abstract")) == [
        ("en", "Value chains", "Joint.")
    ]
