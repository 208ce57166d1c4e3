"""Public agenda pages: the agenda with day tabs and filters, session and speaker pages."""

import datetime as dt
import re

import lxml.html
import pytest
from django.utils import timezone, translation

from agenda.models import Session, SessionTranslation
from events.models import Meeting
from tests.factories import (
    MADRID,
    MeetingFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    TrackFactory,
    at,
)

pytestmark = pytest.mark.django_db


def agenda_url(meeting, query=""):
    return f"/meetings/{meeting.slug}/agenda/{query}"


def test_agenda_shows_the_day_in_meeting_time_with_the_zone_named(client, meeting):
    SessionFactory(meeting=meeting, title="Opening", starts_at=at(meeting, 0, "09:30"))
    response = client.get(agenda_url(meeting, f"?day={meeting.starts_on:%Y-%m-%d}"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Opening" in html
    assert "09:30</time>" in html  # the slot, in Madrid time (08:30 UTC)
    assert "09:30–10:30</time>" in html  # the session card
    assert "(Europe/Madrid)" in html


def test_agenda_day_tabs_split_the_days(client, meeting):
    SessionFactory(meeting=meeting, title="First day talk")
    SessionFactory(meeting=meeting, title="Second day talk", starts_at=at(meeting, 1, "10:00"))
    day_two = client.get(agenda_url(meeting, f"?day={meeting.ends_on:%Y-%m-%d}")).content.decode()
    default = client.get(agenda_url(meeting)).content.decode()
    assert "Second day talk" in day_two
    assert "First day talk" not in day_two
    assert "First day talk" in default  # the first day by default, before the meeting
    assert f'href="?day={meeting.ends_on:%Y-%m-%d}"' in default


def test_agenda_hides_drafts_and_marks_cancelled(client, meeting):
    SessionFactory(meeting=meeting, title="Secret plan", status=Session.Status.DRAFT)
    SessionFactory(meeting=meeting, title="Called off", status=Session.Status.CANCELLED)
    html = client.get(agenda_url(meeting)).content.decode()
    assert "Secret plan" not in html
    assert "Called off" in html
    assert "is-cancelled" in html


def test_agenda_filters_by_track_room_and_kind(client, meeting):
    track = TrackFactory(meeting=meeting, slug="industry")
    room = RoomFactory(venue=meeting.venue, name="Sala B")
    SessionFactory(meeting=meeting, title="Industry talk", track=track)
    SessionFactory(meeting=meeting, title="Room B panel", room=room, kind="panel")

    def page(query):
        return client.get(agenda_url(meeting, query)).content.decode()

    assert "Room B panel" not in page("?track=industry")
    assert "Industry talk" in page("?track=industry")
    assert "Industry talk" not in page(f"?room={room.pk}")
    assert "Industry talk" not in page("?kind=panel")
    assert "Room B panel" in page("?kind=panel")


def test_agenda_passes_the_filters_but_not_the_day_to_the_calendar_links(client, meeting):
    """The subscription follows the track/room/kind filters on every day of the meeting."""
    TrackFactory(meeting=meeting, slug="industry")
    response = client.get(agenda_url(meeting, f"?track=industry&day={meeting.starts_on}"))
    assert response.context["filter_query"] == "track=industry"


def test_agenda_with_a_bad_filter_still_renders_with_the_error(client, meeting):
    response = client.get(agenda_url(meeting, "?kind=party"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_draft_meeting_agenda_is_404_for_visitors(client, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFT)
    assert client.get(agenda_url(meeting)).status_code == 404


@pytest.mark.parametrize("count", [1, 50])
def test_agenda_page_query_count_is_flat(client, meeting, django_assert_num_queries, count):
    """Meeting, sessions (with their English translations joined in), speaker links, tracks,
    rooms: 5 queries for 1 and for 50 sessions (the grid, its style block and a break without
    a room add none)."""
    rooms = [RoomFactory(venue=meeting.venue) for _ in range(5)]
    track = TrackFactory(meeting=meeting)
    for i in range(count):
        session = SessionFactory(
            meeting=meeting,
            room=rooms[i % 5],
            track=track,
            starts_at=at(meeting, 0, f"{8 + i // 5:02d}:00"),
        )
        SessionSpeakerFactory(session=session)
        SessionTranslation.objects.create(session=session, language="en", title=f"English {i}")
    SessionFactory(meeting=meeting, kind="break", room=None, starts_at=at(meeting, 0, "19:00"))
    with django_assert_num_queries(5):
        response = client.get(agenda_url(meeting))
    html = response.content.decode()
    assert html.count('class="session-card') == count + 1
    assert html.count('class="grid-item ') == count + 1
    assert html.count(f">English {count - 1}</a>") == 1


def test_session_page_shows_everything_but_private_emails(client, meeting):
    track = TrackFactory(meeting=meeting, name="Industry 4.0")
    room = RoomFactory(venue=meeting.venue, name="Auditorio")
    session = SessionFactory(
        meeting=meeting,
        title="Value chains",
        abstract="Integral solutions.",
        kind="good_practice",
        track=track,
        room=room,
        starts_at=at(meeting, 0, "12:00"),
    )
    speaker = SpeakerFactory(meeting=meeting, name="Marta", email="marta@private.example.org")
    SessionSpeakerFactory(session=session, speaker=speaker, role="moderator")

    response = client.get(f"/meetings/{meeting.slug}/sessions/{session.pk}/")

    html = response.content.decode()
    for text in (
        "Value chains",
        "Integral solutions.",
        "Good practice",
        "Industry 4.0",
        "Auditorio",
    ):
        assert text in html
    assert "12:00–13:00" in html
    assert "Marta" in html and "Moderator" in html
    assert "private.example.org" not in html


def test_draft_session_page_is_404_for_visitors_and_shown_to_organizers(client, meeting, organizer):
    draft = SessionFactory(meeting=meeting, status=Session.Status.DRAFT)
    url = f"/meetings/{meeting.slug}/sessions/{draft.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(organizer)
    assert client.get(url).status_code == 200


def test_session_of_another_meeting_is_404(client, meeting):
    other = SessionFactory()
    assert client.get(f"/meetings/{meeting.slug}/sessions/{other.pk}/").status_code == 404


def test_speaker_page_lists_their_published_sessions(client, meeting):
    speaker = SpeakerFactory(meeting=meeting, slug="ane", name="Ane", bio="Runs a cluster.")
    SessionSpeakerFactory(session=SessionFactory(meeting=meeting, title="Talk A"), speaker=speaker)
    SessionSpeakerFactory(
        session=SessionFactory(
            meeting=meeting,
            title="Hidden B",
            status=Session.Status.DRAFT,
            starts_at=at(meeting, 1, "10:00"),
        ),
        speaker=speaker,
    )
    response = client.get(f"/meetings/{meeting.slug}/speakers/ane/")
    html = response.content.decode()
    assert response.status_code == 200
    assert ("Runs a cluster." in html, "Talk A" in html, "Hidden B" in html) == (True, True, False)
    assert speaker.email not in html


def test_speaker_without_published_sessions_is_404(client, meeting):
    SpeakerFactory(meeting=meeting, slug="nobody")
    assert client.get(f"/meetings/{meeting.slug}/speakers/nobody/").status_code == 404


def test_meeting_page_shows_the_agenda_summary(client, meeting):
    SessionFactory(meeting=meeting, title="Opening")
    SessionFactory(meeting=meeting, title="Closing", starts_at=at(meeting, 1, "17:00"))
    html = client.get(f"/meetings/{meeting.slug}/").content.decode()
    assert "1 session" in html
    assert "Opening" in html
    assert f"/meetings/{meeting.slug}/agenda/" in html


@pytest.mark.parametrize("count", [1, 3])
def test_speaker_list_page_query_count_is_flat(client, meeting, django_assert_num_queries, count):
    """Meeting and speakers (with their organisations): 2 queries for 1 and for 3 speakers."""
    for _ in range(count):
        SessionSpeakerFactory(session=SessionFactory(meeting=meeting))
    with django_assert_num_queries(2):
        response = client.get(f"/meetings/{meeting.slug}/speakers/")
    assert len(response.context["speakers"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_speaker_page_query_count_is_flat(client, meeting, django_assert_num_queries, count):
    """Meeting, speaker, their sessions, speaker links: 4 queries for 1 and for 3 sessions."""
    speaker = SpeakerFactory(meeting=meeting, slug="ane")
    for i in range(count):
        session = SessionFactory(meeting=meeting, starts_at=at(meeting, 0, f"{9 + i:02d}:00"))
        SessionSpeakerFactory(session=session, speaker=speaker)
    with django_assert_num_queries(4):
        response = client.get(f"/meetings/{meeting.slug}/speakers/ane/")
    assert len(response.context["speaker"].talks) == count


def test_speaker_page_names_the_day_of_each_session(client, meeting):
    """A speaker on both days: each card says which day, not just the hour."""
    speaker = SpeakerFactory(meeting=meeting, slug="ana")
    for day, title in ((0, "Opening"), (1, "Closing")):
        session = SessionFactory(meeting=meeting, title=title, starts_at=at(meeting, day, "09:30"))
        SessionSpeakerFactory(session=session, speaker=speaker)
    html = client.get(f"/meetings/{meeting.slug}/speakers/ana/").content.decode()
    first, second = meeting.starts_on, meeting.ends_on
    assert f"{first:%a} {first.day} {first:%b}, 09:30–10:30" in html
    assert f"{second:%a} {second.day} {second:%b}, 09:30–10:30" in html


def test_session_needing_booking_links_to_registration_while_it_is_open(client, meeting):
    session = SessionFactory(meeting=meeting, requires_booking=True, capacity=20)
    html = client.get(f"/meetings/{meeting.slug}/sessions/{session.pk}/").content.decode()
    assert f'booking needed · <a href="/meetings/{meeting.slug}/register/">Register</a>' in html


def test_session_needing_booking_has_no_register_link_once_registration_closed(client, meeting):
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        registration_opens_at=now - dt.timedelta(days=2),
        registration_closes_at=now - dt.timedelta(days=1),
    )
    session = SessionFactory(meeting=meeting, requires_booking=True, capacity=20)
    html = client.get(f"/meetings/{meeting.slug}/sessions/{session.pk}/").content.decode()
    assert "booking needed" in html
    assert "/register/" not in html


def test_agenda_links_to_registration_while_it_is_open(client, meeting):
    html = client.get(agenda_url(meeting)).content.decode()
    assert f'<a href="/meetings/{meeting.slug}/register/">Register</a>' in html


def test_agenda_day_tabs_read_as_spanish_dates_in_spanish(client):
    """Spanish visitors read 'martes 12 de enero', not the English 'l j F' pattern in Spanish."""
    meeting = MeetingFactory(
        slug="enero", starts_on=dt.date(2099, 1, 12), ends_on=dt.date(2099, 1, 13)
    )
    with translation.override("en"):
        html = client.get(f"/es{agenda_url(meeting)}").content.decode()
    assert "lunes 12 de enero" in html
    assert "martes 13 de enero" in html


@pytest.mark.parametrize("room", ["abc", "99999999999999999999999"])
def test_agenda_page_ignores_a_room_filter_no_room_can_have(client, meeting, room):
    """As for ?room=abc, a room id beyond the id column is an ignored filter (no 500)."""
    SessionFactory(meeting=meeting, title="Opening talk")
    response = client.get(agenda_url(meeting, f"?room={room}"))
    assert response.status_code == 200
    assert response.context["filter_query"] == ""
    assert "Opening talk" in response.content.decode()


# --- the grid and now/next -------------------------------------------------------------


def having(*classes: str, tag: str = "*") -> str:
    """An XPath for elements with all these classes."""
    tests = " and ".join(f"contains(concat(' ', @class, ' '), ' {name} ')" for name in classes)
    return f"//{tag}[{tests}]"


def grid_cells(html: str) -> dict[str, list[str]]:
    """{session title: the classes of its grid cell} from the agenda page."""
    document = lxml.html.fromstring(html)
    return {
        cell.xpath("string(.//h3)").strip(): cell.get("class").split()
        for cell in document.xpath(having("grid-item"))
    }


def test_agenda_grid_puts_each_session_in_its_room_column_for_its_length(client, meeting):
    auditorio = RoomFactory(venue=meeting.venue, name="Auditorio", position=1)
    sala = RoomFactory(venue=meeting.venue, name="Sala", position=2)
    SessionFactory(
        meeting=meeting,
        title="Opening",
        room=auditorio,
        starts_at=at(meeting, 0, "09:30"),
        ends_at=at(meeting, 0, "10:00"),
    )
    SessionFactory(meeting=meeting, title="Panel", room=sala, starts_at=at(meeting, 0, "10:00"))
    SessionFactory(
        meeting=meeting,
        title="Coffee",
        kind=Session.Kind.BREAK,
        room=sala,
        starts_at=at(meeting, 0, "11:00"),
        ends_at=at(meeting, 0, "11:30"),
    )

    response = client.get(agenda_url(meeting))

    html = response.content.decode()
    document = lxml.html.fromstring(html)
    assert [h.text_content() for h in document.xpath(having("grid-room"))] == ["Auditorio", "Sala"]
    assert grid_cells(html) == {
        "Opening": ["grid-item", "gr-8", "gs-6", "gc-2", "gw-1"],
        "Panel": ["grid-item", "gr-14", "gs-12", "gc-3", "gw-1"],
        "Coffee": ["grid-item", "gr-26", "gs-6", "gc-2", "gw-2", "spans-all"],
    }
    # The positions come from a style block carrying the response's CSP nonce.
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    style = document.xpath("//style[contains(., 'agenda-grid')]")[0]
    assert style.get("nonce") == nonce
    assert ".gs-12{grid-row-end:span 12}" in style.text
    # Phones read the same cells as a list under a heading per start time.
    assert [h.text_content() for h in document.xpath(having("grid-slot", tag="h2"))] == [
        "09:30",
        "10:00",
        "11:00",
    ]


def test_agenda_grid_with_hostile_names_escapes_them_and_keeps_them_out_of_the_style(
    client, meeting
):
    """Text written around the forms (an old import, the ORM) is shown, never run."""
    room = RoomFactory(venue=meeting.venue, name="Sala</style><script>alert(1)</script>\u202e")
    title = "Line one\nline two \u202etxt.exe " + "x" * 173  # one unbroken word, 200 in all
    SessionFactory(meeting=meeting, title=title, room=room)

    html = client.get(agenda_url(meeting)).content.decode()

    assert "<script>alert(1)" not in html
    assert "Sala&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;\u202e" in html
    document = lxml.html.fromstring(html)
    style = document.xpath("//style[contains(., 'agenda-grid')]")[0].text
    assert re.fullmatch(r"[-.a-z0-9{}:;(), \n]+", style)
    assert list(grid_cells(html)) == [title]


def live_meeting():
    """A meeting from yesterday to tomorrow (Madrid) with a talk on now in the Auditorio."""
    now = timezone.now()
    today = timezone.localdate(now, MADRID)
    meeting = MeetingFactory(
        slug="live", starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=1)
    )
    midnight = dt.datetime.combine(today, dt.time.min, tzinfo=MADRID)
    starts = max(now - dt.timedelta(minutes=20), midnight)
    auditorio = RoomFactory(venue=meeting.venue, name="Auditorio", position=1)
    SessionFactory(
        meeting=meeting,
        title="Talk on now",
        room=auditorio,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
    )
    SessionFactory(
        meeting=meeting,
        title="Talk after",
        room=auditorio,
        starts_at=starts + dt.timedelta(hours=1),
        ends_at=starts + dt.timedelta(hours=2),
    )
    return meeting, today


def test_agenda_during_the_meeting_opens_on_today_at_now(client):
    meeting, today = live_meeting()

    html = client.get(agenda_url(meeting)).content.decode()

    document = lxml.html.fromstring(html)
    assert (
        document.xpath('//ul[@class="tabs"]//a[@aria-current="page"]')[0].get("href")
        == f"?day={today}"
    )
    assert document.xpath(having("jump-now") + "/a")[0].get("href") == "#now"
    assert len(document.xpath(having("agenda-grid") + "//p[@id='now']")) == 1
    assert "is-now" in grid_cells(html)["Talk on now"]
    assert "is-now" not in grid_cells(html)["Talk after"]
    assert document.xpath(having("grid-item", "is-now") + "/span")[0].text_content() == "Now"

    tomorrow = today + dt.timedelta(days=1)
    other_day = lxml.html.fromstring(
        client.get(agenda_url(meeting, f"?day={tomorrow}&kind=talk")).content
    )
    assert (
        other_day.xpath(having("jump-now") + "/a")[0].get("href") == f"?day={today}&kind=talk#now"
    )
    assert not other_day.xpath("//*[@id='now']")


def test_meeting_page_shows_now_and_next_per_room_during_the_meeting(client):
    meeting, _ = live_meeting()

    html = client.get(f"/meetings/{meeting.slug}/").content.decode()

    document = lxml.html.fromstring(html)
    rows = [
        [cell.text_content().split() for cell in row.xpath("th|td")]
        for row in document.xpath(having("now-next", tag="table") + "/tbody/tr")
    ]
    ends = timezone.localtime(
        meeting.sessions.get(title="Talk on now").ends_at, meeting.tzinfo
    ).strftime("%H:%M")
    assert rows == [[["Auditorio"], ["Talk", "on", "now", "until", ends], [ends, "Talk", "after"]]]
    assert f'href="/meetings/{meeting.slug}/agenda/#now"' in html
    assert "Next up" not in html
