"""The agenda grid and "now" in a real browser: desktop grid, phone list, the meeting page."""

import datetime as dt

import pytest
from django.utils import timezone

from agenda import selectors
from agenda.models import Session
from tests.factories import MADRID, MeetingFactory, RoomFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live(transactional_db):
    """A meeting from yesterday to tomorrow (Madrid); today, around the current time:

    Auditorio: Opening (30 min), then Keynote (60 min); Sala Ciudadela: Workshop (60 min);
    a roomless Coffee break (30 min) for every room; Sala Taconera: Panel (60 min).
    """
    now = timezone.now()
    today = timezone.localdate(now, MADRID)
    meeting = MeetingFactory(
        slug="live", starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=1)
    )
    midnight = dt.datetime.combine(today, dt.time.min, tzinfo=MADRID)
    base = (now - dt.timedelta(minutes=45)).astimezone(MADRID)
    base = base.replace(minute=base.minute - base.minute % 5, second=0, microsecond=0)
    # Every session on today's page, whatever the hour the test runs at.
    base = min(max(base, midnight), midnight + dt.timedelta(hours=21))
    rooms = {
        name: RoomFactory(venue=meeting.venue, name=name, position=position)
        for position, name in enumerate(("Auditorio", "Sala Ciudadela", "Sala Taconera"))
    }
    for title, room, start, minutes, kind in (
        ("Opening", "Auditorio", 0, 30, "keynote"),
        ("Keynote", "Auditorio", 30, 60, "keynote"),
        ("Workshop", "Sala Ciudadela", 0, 60, "workshop"),
        ("Coffee", None, 90, 30, "break"),
        ("Panel", "Sala Taconera", 120, 60, "panel"),
    ):
        starts = base + dt.timedelta(minutes=start)
        SessionFactory(
            meeting=meeting,
            title=title,
            kind=kind,
            room=rooms.get(room),
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=minutes),
        )
    on_now = set(
        Session.objects.filter(meeting=meeting, starts_at__lte=now, ends_at__gt=now).values_list(
            "title", flat=True
        )
    )
    return meeting, on_now


def box(locator) -> dict:
    return locator.bounding_box()


def wait_until_still(page, scroller) -> None:
    """Until the box has stopped scrolling (agenda.js scrolls it smoothly)."""
    before = None
    while (top := scroller.evaluate("el => el.scrollTop")) != before:
        before = top
        page.wait_for_timeout(150)


def card(page, title):
    return page.locator(".grid-item").filter(has=page.get_by_role("link", name=title, exact=True))


def test_desktop_grid_places_sessions_by_room_and_time_and_opens_at_now(
    live, live_server, page, screenshot
):
    meeting, on_now = live
    page.set_viewport_size({"width": 1280, "height": 640})
    page.goto(f"{live_server.url}/meetings/{meeting.slug}/agenda/")
    # The grid opens at now (agenda.js scrolls its box, smoothly): wait until it rests there.
    wrap = page.locator(".agenda-grid-wrap")
    page.wait_for_function(
        "() => { const w = document.querySelector('.agenda-grid-wrap').getBoundingClientRect();"
        " const n = document.getElementById('now').getBoundingClientRect();"
        " return n.top >= w.top && n.bottom <= w.bottom; }"
    )
    wait_until_still(page, wrap)

    headers = page.locator(".grid-room")
    assert headers.all_inner_texts() == ["Auditorio", "Sala Ciudadela", "Sala Taconera"]
    # Each card starts on its room's column line, at its time, as long as it lasts.
    auditorio, ciudadela, taconera = (box(headers.nth(i)) for i in range(3))
    opening, keynote = box(card(page, "Opening")), box(card(page, "Keynote"))
    workshop, panel = box(card(page, "Workshop")), box(card(page, "Panel"))
    assert opening["x"] == keynote["x"] == auditorio["x"]
    assert workshop["x"] == ciudadela["x"]
    assert panel["x"] == taconera["x"]
    assert opening["y"] == workshop["y"]  # both start at the same time
    assert abs(keynote["y"] - (opening["y"] + opening["height"])) <= 2
    assert abs(keynote["height"] - 2 * opening["height"]) <= 2  # 60 min = 2 × 30 min
    assert abs(workshop["height"] - keynote["height"]) <= 1
    coffee = box(card(page, "Coffee"))  # the break spans the three rooms, once
    assert page.get_by_role("link", name="Coffee", exact=True).count() == 1
    assert coffee["x"] == auditorio["x"]
    assert abs(coffee["x"] + coffee["width"] - (taconera["x"] + taconera["width"])) <= 5

    # Now: the sessions on are marked, the line is across them, the grid opened there.
    marked = page.locator(".grid-item.is-now")
    assert {text.split("\n")[0] for text in marked.all_inner_texts()} == {"Now"}
    assert {marked.nth(i).get_by_role("heading").inner_text() for i in range(marked.count())} == (
        on_now
    )
    line = box(page.locator("#now"))
    first_on = box(marked.first)
    assert first_on["y"] - 1 <= line["y"] <= first_on["y"] + first_on["height"]
    assert page.get_by_role("link", name="Jump to now").get_attribute("href") == "#now"
    screenshot(page, "agenda-grid-desktop")

    # The room headers and the time column stay in view while the grid scrolls.
    wrap.evaluate("el => el.scrollTo(0, el.scrollHeight)")
    page.wait_for_function(
        "() => { const w = document.querySelector('.agenda-grid-wrap');"
        " return w.scrollTop + w.clientHeight >= w.scrollHeight - 1; }"
    )
    assert wrap.evaluate("el => el.scrollTop") > 0
    assert abs(box(headers.first)["y"] - box(wrap)["y"] - 1) <= 1
    assert page.locator(".grid-time span").last.is_visible()


def test_phone_reads_the_day_as_a_list_with_rooms_and_the_meeting_page_says_now_and_next(
    live, live_server, phone, screenshot
):
    meeting, on_now = live
    phone.goto(f"{live_server.url}/meetings/{meeting.slug}/agenda/")

    assert phone.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    assert not phone.locator(".grid-room").first.is_visible()
    cards = phone.locator(".grid-item .session-card")
    assert cards.count() == 5
    widths = {round(box(cards.nth(i))["width"]) for i in range(5)}
    assert len(widths) == 1 and widths.pop() >= 360  # one card a row, the page's width
    metas = cards.locator(".session-meta").all_inner_texts()
    rooms = [meta.split("·")[-1].strip() if "·" in meta else "" for meta in metas]
    assert sorted(rooms) == ["", "Auditorio", "Auditorio", "Sala Ciudadela", "Sala Taconera"]
    assert phone.locator("h2.grid-slot").first.is_visible()
    assert phone.locator("#now").is_visible()
    assert phone.locator(".grid-item.is-now .badge.now").count() == len(on_now)
    screenshot(phone, "agenda-grid-phone")

    phone.goto(f"{live_server.url}/meetings/{meeting.slug}/")
    table = phone.locator("table.now-next")
    rows = selectors.now_and_next(meeting=meeting, now=timezone.now())
    assert table.locator("tbody th").all_inner_texts() == [
        row.room.name if row.room else "Other places" for row in rows
    ]
    assert phone.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    table.scroll_into_view_if_needed()
    screenshot(phone, "meeting-now-next-phone")
