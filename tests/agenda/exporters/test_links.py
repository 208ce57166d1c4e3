"""Calendar links (agenda/exporters/links.py) and the two snippets that show them."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.template.loader import render_to_string

from agenda.exporters import links
from agenda.models import Session
from agenda.selectors import sessions_with_details

pytestmark = pytest.mark.django_db


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


@pytest.fixture
def keynote(agenda):
    (session,) = sessions_with_details(
        Session.objects.filter(pk=agenda.keynote.pk), meeting=agenda.meeting
    )
    return session


def test_webcal_replaces_the_scheme():
    """http and https feeds both become webcal:// (clients fetch over https when they can)."""
    assert links.webcal("https://x.example/a.ics?track=b") == "webcal://x.example/a.ics?track=b"
    assert links.webcal("http://x.example/a.ics") == "webcal://x.example/a.ics"


def test_feed_urls_are_absolute(agenda):
    """Feed links use SITE_URL and keep the page's filters."""
    assert (
        links.agenda_ics_url(agenda.meeting)
        == "https://testserver.example/meetings/meet/agenda.ics"
    )
    assert links.agenda_ics_url(agenda.meeting, "?track=collab&day=2027-01-01") == (
        "https://testserver.example/meetings/meet/agenda.ics?track=collab&day=2027-01-01"
    )
    assert links.session_ics_url(agenda.keynote) == (
        f"https://testserver.example/meetings/meet/sessions/{agenda.keynote.pk}.ics"
    )


def test_google_calendar_link(keynote):
    """Google's TEMPLATE form: title, UTC dates, details with the session URL, location, zone."""
    url = links.google_calendar_url(keynote)

    start = keynote.starts_at.astimezone(links.dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    end = keynote.ends_at.astimezone(links.dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert url.startswith("https://calendar.google.com/calendar/render?")
    assert query(url) == {
        "action": "TEMPLATE",
        "text": "Opening keynote",
        "dates": f"{start}/{end}",
        "details": (
            "What clusters do together.\n\nWith: Marta Fernández (MetaIndustry4)\n\n"
            f"https://testserver.example/meetings/meet/sessions/{keynote.pk}/"
        ),
        "location": links.session_location(keynote),
        "ctz": "Europe/Madrid",
    }


def test_outlook_calendar_link(keynote):
    """Outlook.com's compose deep link with ISO UTC times."""
    url = links.outlook_calendar_url(keynote)

    params = query(url)
    assert url.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    assert params["subject"] == "Opening keynote"
    assert params["startdt"] == keynote.starts_at.astimezone(links.dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert params["enddt"] == keynote.ends_at.astimezone(links.dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert params["location"].startswith("Auditorio, ")
    assert params["body"].endswith(f"/meetings/meet/sessions/{keynote.pk}/")


def test_long_details_are_cut(keynote):
    """A long abstract is cut so the link stays a usable length."""
    keynote.abstract = "x" * 5000

    assert len(query(links.google_calendar_url(keynote))["details"]) == links.MAX_DETAILS


def test_session_snippet_offers_file_google_and_outlook(keynote):
    """A session gets a download and the two web calendars; no subscription to one session."""
    html = render_to_string("agenda/_calendar_links.html", {"session": keynote})

    assert (
        f'href="https://testserver.example/meetings/meet/sessions/{keynote.pk}.ics" download'
        in html
    )
    assert 'href="https://calendar.google.com/calendar/render?action=TEMPLATE&amp;' in html
    assert 'href="https://outlook.live.com/calendar/0/deeplink/compose?' in html
    assert "webcal://" not in html


def test_session_snippet_is_empty_for_a_draft(agenda):
    """A draft session gets no links (its export would be a 404)."""
    html = render_to_string("agenda/_calendar_links.html", {"session": agenda.draft})

    assert "href" not in html


def test_agenda_snippet_subscribes_with_the_current_filters(agenda):
    """The agenda's links carry the page's filters, to subscribe or download."""
    html = render_to_string(
        "agenda/_calendar_links.html",
        {"meeting": agenda.meeting, "filter_query": "track=collab&kind=panel"},
    )

    assert (
        'href="webcal://testserver.example/meetings/meet/agenda.ics?track=collab&amp;kind=panel"'
        in html
    )
    feed = "testserver.example/meetings/meet/agenda.ics?track=collab&amp;kind=panel"
    assert f'href="https://{feed}" download' in html
    assert (
        "cid=webcal%3A%2F%2Ftestserver.example%2Fmeetings%2Fmeet%2Fagenda.ics%3Ftrack%3Dcollab%26kind%3Dpanel"
        in html
    )
    assert "Only the sessions matching these filters." in html


def test_agenda_snippet_without_filters(agenda):
    """Without filters the links point at the whole agenda."""
    html = render_to_string("agenda/_calendar_links.html", {"meeting": agenda.meeting})

    assert 'href="webcal://testserver.example/meetings/meet/agenda.ics"' in html
    assert "Only the sessions matching these filters." not in html
