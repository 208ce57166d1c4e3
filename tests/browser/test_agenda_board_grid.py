"""The organizers' board in a real browser: a drop at any quarter hour with the target
named while dragging (desktop), and a list by time with its Move forms (phone)."""

import pytest

from tests.factories import (
    MeetingFactory,
    MeetingOrganizerFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    UserFactory,
    at,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TITLE = "Workshop: " + "cross-regional value chains " * 6 + "\u202eend"


@pytest.fixture
def board(transactional_db, live_server):
    """Two rooms, three sessions on the first day, an organizer who can log in."""
    meeting = MeetingFactory(slug="board")
    MeetingOrganizerFactory(meeting=meeting, user=UserFactory(username="planner"))
    room_a = RoomFactory(venue=meeting.venue, name="Room A")
    room_b = RoomFactory(venue=meeting.venue, name="Room B $&")  # no replacement pattern

    def session(title, room, start, end):
        return SessionFactory(
            meeting=meeting,
            title=title,
            room=room,
            starts_at=at(meeting, 0, start),
            ends_at=at(meeting, 0, end),
        )

    opening = session("Opening", room_a, "09:30", "10:00")
    session("Keynote", room_a, "10:00", "11:00")
    workshop = session(LONG_TITLE, room_b, "11:15", "12:45")
    SessionSpeakerFactory(
        session=workshop, speaker=SpeakerFactory(meeting=meeting, name="Ane\nLarrea \u202e")
    )
    return {"meeting": meeting, "opening": opening, "room_a": room_a, "room_b": room_b}


def open_board(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/?next=/meetings/board/board/")
    page.get_by_label("Username").fill("planner")
    page.get_by_label("Password").fill("secret-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/meetings/board/board/")


def test_a_drag_names_its_target_and_drops_at_a_quarter_hour_of_another_room(
    board, live_server, page, screenshot
):
    meeting, opening, room_b = board["meeting"], board["opening"], board["room_b"]
    open_board(page, live_server)
    times = page.locator(".board-time").all_inner_texts()
    assert (len(times), times[0], times[-1]) == (48, "08:00", "19:45")
    target = page.locator(
        f'.board-drop[data-room="{room_b.pk}"][data-start="{meeting.starts_on}T10:45"]'
    )

    target.scroll_into_view_if_needed()
    page.locator(f"#session-{opening.pk}").hover()
    page.mouse.down()
    box = target.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 5, steps=4)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=2)
    status = page.locator("#board-status")
    assert status.inner_text() == "Drop at 10:45 · \u2068Room B $&\u2069"
    assert (status.get_attribute("aria-live"), "is-target" in target.get_attribute("class")) == (
        "polite",
        True,
    )
    screenshot(page, "board-grid-dragging")
    page.mouse.up()
    page.wait_for_url(f"**/meetings/board/board/?day={meeting.starts_on}#session-{opening.pk}")

    assert page.locator(".messages").inner_text().startswith("Moved 'Opening' 10:45–11:15")
    opening.refresh_from_db()
    assert (opening.room, opening.starts_at, opening.sequence) == (
        room_b,
        at(meeting, 0, "10:45"),
        1,
    )
    # On the page the card is where it was dropped: in Room B's 10:45 cell, inside the
    # grid item's 2px × 3px padding.
    card = page.locator(f"#session-{opening.pk}").bounding_box()
    cell = target.bounding_box()
    assert (round(card["x"] - cell["x"]), round(card["y"] - cell["y"])) == (3, 2)
    screenshot(page, "board-grid-dropped")


def test_on_a_phone_the_board_is_a_list_by_time_with_move_forms(
    board, live_server, phone, screenshot
):
    meeting, opening = board["meeting"], board["opening"]
    open_board(phone, live_server)

    widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths == [390, 390]
    visible = [
        heading.inner_text()
        for heading in phone.locator(".board-time").all()
        if heading.is_visible()
    ]
    assert visible == ["09:30", "10:00", "11:15"]
    assert phone.locator(".board-drop").first.is_visible() is False
    assert phone.locator(f"#session-{opening.pk} .session-meta").first.inner_text() == (
        "09:30–10:00 · Room A"
    )
    screenshot(phone, "board-grid-phone")

    card = phone.locator(f"#session-{opening.pk}")
    card.get_by_text("Move", exact=True).first.click()
    card.get_by_label("Room").select_option(label="Room B $&")
    card.get_by_label("Starts at").fill(f"{meeting.starts_on}T14:00")
    screenshot(phone, "board-grid-phone-move")
    card.get_by_role("button", name="Move").click()
    phone.wait_for_url(f"**#session-{opening.pk}")

    assert phone.locator(".messages").inner_text().startswith("Moved 'Opening' 14:00–14:30")
    opening.refresh_from_db()
    assert (opening.room, opening.starts_at) == (board["room_b"], at(meeting, 0, "14:00"))
    assert phone.evaluate("document.documentElement.scrollWidth") == 390
