"""The language is in the URL: English unprefixed, Spanish under /es/ (config/language.py).

Remembered (the switcher's cookie, else the browser's Accept-Language) by a redirect of
the unprefixed pages only; the API and the exports have one URL for everyone. Switching
on a person's private pages changes the language of their emails too.
"""

import re

import pytest
from django.conf import settings
from django.utils import translation

from registrations.models import Registration
from tests.factories import RegistrationFactory, SessionBookingFactory, SessionFactory, at
from tests.roundtrip import as_post_data, form_pairs, form_values

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME
SWITCH = "/i18n/language/"


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request in Spanish leaves the thread's language as it found it."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def switcher(html: str) -> list[str]:
    """The switcher's buttons, as written."""
    return re.findall(r'<button type="submit" name="language"[^>]*>[^<]*</button>', html)


def test_unprefixed_page_is_english_and_the_es_page_spanish(client, meeting):
    """The same agenda at two addresses, each in its language, each saying so."""
    english = client.get("/meetings/meet/agenda/")
    spanish = client.get("/es/meetings/meet/agenda/")

    assert (english.status_code, spanish.status_code) == (200, 200)
    assert (english["Content-Language"], spanish["Content-Language"]) == ("en", "es")
    assert '<html lang="en">' in english.content.decode()
    assert "Filter the agenda" in english.content.decode()
    assert '<html lang="es">' in spanish.content.decode()
    assert "Filtrar la agenda" in spanish.content.decode()


@pytest.mark.parametrize(
    ("accept", "cookie"),
    [("es-ES,es;q=0.9,en;q=0.5", None), ("en-GB,en;q=0.9", "es")],
    ids=["spanish-browser", "chose-spanish"],
)
def test_unprefixed_page_redirects_to_the_remembered_language(client, meeting, accept, cookie):
    """A Spanish browser, or one whose cookie says Spanish, is sent to /es/ (query kept),
    for GET and HEAD, with a Vary that keeps caches from handing it to others."""
    if cookie:
        client.cookies[COOKIE] = cookie

    get = client.get("/meetings/meet/agenda/?day=x", HTTP_ACCEPT_LANGUAGE=accept)
    head = client.head("/meetings/meet/", HTTP_ACCEPT_LANGUAGE=accept)

    assert (get.status_code, get["Location"]) == (302, "/es/meetings/meet/agenda/?day=x")
    assert get["Vary"] == "Cookie, Accept-Language"
    assert (head.status_code, head["Location"]) == (302, "/es/meetings/meet/")


def test_english_chosen_wins_over_a_spanish_browser(client, meeting):
    client.cookies[COOKIE] = "en"

    response = client.get("/meetings/meet/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_api_exports_and_posts_are_never_redirected(client, meeting):
    """Only pages have languages: the API, the feeds and the exports answer a Spanish
    visitor where they are (the exports the same bytes to everyone, without Vary:
    Accept-Language); a form posted is not redirected."""
    registration = RegistrationFactory(meeting=meeting)
    client.cookies[COOKIE] = "es"
    urls = [
        "/api/v1/meetings/meet/",
        "/meetings/meet/agenda.ics",
        "/meetings/meet/schedule.json",
        f"/calendar/{registration.feed_token}.ics",
    ]

    answers = {url: client.get(url, HTTP_ACCEPT_LANGUAGE="es") for url in urls}
    posted = client.post("/meetings/meet/register/", {"first_name": ""})

    assert {url: response.status_code for url, response in answers.items()} == dict.fromkeys(
        urls, 200
    )
    assert [
        url for url, response in answers.items() if "Accept-Language" in response.get("Vary", "")
    ] == ["/api/v1/meetings/meet/"]
    assert posted.status_code == 400
    assert '<html lang="en">' in posted.content.decode()


def test_switcher_keeps_the_page_both_ways(client, meeting):
    """Español on an English page leads to the same page (and query) in Spanish and
    remembers it; English there leads back to the unprefixed page, which then stays."""
    page = client.get("/meetings/meet/agenda/?kind=talk")
    shown = form_values(page.content, action=SWITCH)
    assert shown["next"] == "/meetings/meet/agenda/?kind=talk"

    to_spanish = client.post(SWITCH, {**shown, "language": "es"})
    spanish = client.get(to_spanish["Location"])
    to_english = client.post(
        SWITCH, {**form_values(spanish.content, action=SWITCH), "language": "en"}
    )
    english = client.get(to_english["Location"], HTTP_ACCEPT_LANGUAGE="es")

    assert to_spanish["Location"] == "/es/meetings/meet/agenda/?kind=talk"
    assert to_spanish.cookies[COOKIE].value == "es"
    assert spanish.status_code == 200
    assert to_english["Location"] == "/meetings/meet/agenda/?kind=talk"
    assert to_english.cookies[COOKIE].value == "en"
    assert english.status_code == 200  # no redirect back: the choice beats the browser
    assert '<html lang="en">' in english.content.decode()


def test_switcher_names_each_language_in_itself_and_marks_the_current_one(client, meeting):
    html = client.get("/es/meetings/meet/").content.decode()

    assert switcher(html) == [
        '<button type="submit" name="language" value="en" lang="en" class="secondary">'
        "English</button>",
        '<button type="submit" name="language" value="es" lang="es" class="secondary" '
        'aria-current="true">Español</button>',
    ]


@pytest.mark.parametrize("next_url", ["https://evil.example/x", "//evil.example/", "", "nope"])
def test_switcher_stays_on_the_site(client, meeting, next_url):
    response = client.post(SWITCH, {"language": "es", "next": next_url})

    assert (response.status_code, response["Location"]) == (302, "/es/")


def test_switcher_refuses_a_language_we_do_not_have(client, meeting):
    response = client.post(SWITCH, {"language": "fr", "next": "/meetings/meet/"})

    assert (response.status_code, response["Location"]) == (302, "/meetings/meet/")
    assert COOKIE not in response.cookies
    assert client.get(SWITCH).status_code == 405


def test_every_page_links_its_other_languages(client, meeting):
    """hreflang links with absolute URLs, x-default the unprefixed page; none on a page
    that does not exist."""
    html = client.get("/es/meetings/meet/speakers/").content.decode()
    missing = client.get("/nowhere/")

    site = settings.SITE_URL
    assert re.findall(r'<link rel="alternate"[^>]*>', html) == [
        f'<link rel="alternate" hreflang="en" href="{site}/meetings/meet/speakers/">',
        f'<link rel="alternate" hreflang="es" href="{site}/es/meetings/meet/speakers/">',
        f'<link rel="alternate" hreflang="x-default" href="{site}/meetings/meet/speakers/">',
    ]
    assert missing.status_code == 404
    assert 'rel="alternate"' not in missing.content.decode()


def test_registering_on_the_spanish_page_writes_to_the_person_in_spanish(
    client, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    page = client.get("/es/meetings/meet/register/")
    data = form_values(page.content, xpath="form[contains(@class, 'registration-form')]")
    data.update(
        first_name="Ane", last_name="Etxeberria", email="ane@example.org", consent_processing="on"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/es/meetings/meet/register/", data)

    assert response["Location"] == "/es/meetings/meet/register/thanks/"
    registration = Registration.objects.get(email="ane@example.org")
    assert registration.language == "es"
    [email] = mailoutbox
    assert f"{settings.SITE_URL}/es/r/{registration.token}/" in email.body
    assert email.body.startswith("Hola, Ane:")


def test_switching_on_the_private_link_makes_the_next_emails_spanish(
    client, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    """English on the page and in the emails, then Español on the private link: the next
    email (a booking) is Spanish, subject and body, with /es/ links; the calendar in it
    keeps the session's one unprefixed address."""
    registration = RegistrationFactory(meeting=meeting, first_name="Ane", language="en")
    SessionBookingFactory(registration=registration)
    workshop = SessionFactory(
        meeting=meeting,
        title="Cadenas de valor",
        starts_at=at(meeting, 0, "12:00"),
        capacity=10,
        requires_booking=True,
    )
    link = f"/r/{registration.token}/"
    page = client.get(link)

    switched = client.post(SWITCH, {**form_values(page.content, action=SWITCH), "language": "es"})
    spanish = client.get(switched["Location"])
    choices = form_pairs(spanish.content, action="/sessions/", check=[workshop.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/es{link}sessions/", as_post_data(choices))
    registration.refresh_from_db()

    assert switched["Location"] == f"/es{link}"
    assert registration.language == "es"
    [email] = [m for m in mailoutbox if "Cadenas de valor" in m.subject]
    assert email.subject == "Tienes plaza reservada: Cadenas de valor"
    assert email.body.startswith("Hola, Ane:")
    assert f"{settings.SITE_URL}/es{link}" in email.body
    [calendar] = [content for _name, content, _type in email.attachments]
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert f"URL:{settings.SITE_URL}/meetings/meet/sessions/{workshop.pk}/" in calendar


def test_switching_with_a_token_that_opens_nothing_answers_the_same(client, meeting):
    """A made-up private link: the same redirect as any page, nothing written, no error."""
    registration = RegistrationFactory(meeting=meeting, language="en")

    response = client.post(SWITCH, {"language": "es", "next": "/r/not-a-real-token/"})

    assert (response.status_code, response["Location"]) == (302, "/es/r/not-a-real-token/")
    registration.refresh_from_db()
    assert registration.language == "en"


def test_the_api_answers_in_the_language_its_client_asks_for(client, meeting):
    """API URLs carry no language: a refusal reads in the client's Accept-Language."""
    url = "/api/v1/meetings/meet/registrations/"
    spanish = client.post(url, {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="es")
    english = client.post(url, {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")

    assert (spanish.status_code, english.status_code) == (400, 400)
    assert spanish.json()["email"] == ["Este campo es obligatorio."]
    assert english.json()["email"] == ["This field is required."]
    assert "Accept-Language" in spanish["Vary"]
