"""Every page shows a session's time in the meeting's zone, never in UTC.

One session at 09:30 in Madrid (08:30 UTC in winter): each page that shows it
must say 09:30 and never 08:30.
"""

import datetime as dt

import lxml.html
import pytest

from tests.factories import (
    MeetingFactory,
    MeetingOrganizerFactory,
    RegistrationFactory,
    SessionBookingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def winter_session(organizer):
    """A 09:30–10:15 Madrid session in January, when Madrid is UTC+1."""
    meeting = MeetingFactory(
        slug="winter", starts_on=dt.date(2099, 1, 12), ends_on=dt.date(2099, 1, 13)
    )
    MeetingOrganizerFactory(meeting=meeting, user=organizer)
    session = SessionFactory(
        meeting=meeting,
        title="Opening",
        starts_at=at(meeting, 0, "09:30"),
        ends_at=at(meeting, 0, "10:15"),
        requires_booking=True,
        capacity=20,
    )
    SessionSpeakerFactory(session=session, speaker=SpeakerFactory(meeting=meeting, slug="ana"))
    assert session.starts_at.astimezone(dt.UTC).strftime("%H:%M") == "08:30"
    return session


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/winter/",
        "/meetings/winter/agenda/",
        "/meetings/winter/speakers/ana/",
        "/meetings/winter/register/",
    ],
)
def test_public_pages_show_meeting_time(client, winter_session, url):
    html = page_of(client, url)
    assert "09:30" in html
    assert "08:30" not in html


def test_session_page_shows_meeting_time_and_names_the_zone(client, winter_session):
    html = page_of(client, f"/meetings/winter/sessions/{winter_session.pk}/")
    assert "09:30–10:15" in html
    assert "CET (Europe/Madrid)" in html
    assert "08:30" not in html


def test_private_link_shows_booked_session_in_meeting_time(client, winter_session):
    registration = RegistrationFactory(meeting=winter_session.meeting)
    SessionBookingFactory(registration=registration, session=winter_session)
    html = page_of(client, f"/r/{registration.token}/")
    assert "09:30–10:15" in html
    assert "08:30" not in html


def test_board_shows_meeting_time(client, organizer, winter_session):
    """The board has a row for every quarter hour (08:30 too): the session is under 09:30."""
    client.force_login(organizer)
    html = page_of(client, "/meetings/winter/board/?day=2099-01-12")
    document = lxml.html.fromstring(html)
    assert "09:30–10:15" in html
    assert 'value="2099-01-12T09:30"' in html  # the Move form's start field
    assert document.xpath('//h2[contains(@class, "board-time")]/text()') == ["09:30"]
    assert document.xpath('//*[contains(@class, "board-time")]/text()')[:2] == ["08:00", "08:15"]
