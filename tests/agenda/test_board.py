"""The organizers' agenda board: who may use it, what it shows, moves and edits (no JavaScript)."""

import datetime as dt

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agenda.models import Session
from events.models import Meeting
from mail.models import OutboxMessage
from tests.factories import (
    MeetingFactory,
    MeetingOrganizerFactory,
    RegistrationFactory,
    RoomFactory,
    SessionBookingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    UserFactory,
    at,
)
from tests.roundtrip import resubmit

pytestmark = pytest.mark.django_db


def board_url(meeting, suffix=""):
    return f"/meetings/{meeting.slug}/board/{suffix}"


@pytest.fixture
def room(meeting):
    return RoomFactory(venue=meeting.venue, name="Auditorio", capacity=200)


@pytest.fixture
def org_client(client, organizer):
    client.force_login(organizer)
    return client


def test_board_asks_anonymous_visitors_to_log_in(client, meeting):
    response = client.get(board_url(meeting))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_board_is_403_for_a_participant_and_another_meetings_organizer(client, meeting):
    client.force_login(UserFactory())
    assert client.get(board_url(meeting)).status_code == 403
    other = UserFactory()
    MeetingOrganizerFactory(user=other)
    client.force_login(other)
    assert client.get(board_url(meeting)).status_code == 403


def test_board_shows_rooms_as_columns_and_loose_ends(org_client, meeting, room):
    SessionFactory(meeting=meeting, room=room, title="Opening", starts_at=at(meeting, 0, "09:30"))
    SessionFactory(meeting=meeting, room=None, title="Coffee", kind="break")
    SessionFactory(meeting=meeting, room=None, starts_at=None, ends_at=None, title="Someday")

    response = org_client.get(board_url(meeting, f"?day={meeting.starts_on}"))

    html = response.content.decode()
    document = lxml.html.fromstring(html)
    assert response.status_code == 200
    assert document.xpath('//*[contains(@class, "board-room-name")]/text()') == ["Auditorio"]
    assert "Opening" in html and "Coffee" in html and "Someday" in html
    board = response.context["board"]
    assert [s.title for s in board.elsewhere] == ["Coffee"]
    assert [s.title for s in board.unscheduled] == ["Someday"]


def test_board_lists_conflicts_written_around_the_services(org_client, meeting, room):
    """Rows created straight through the ORM can clash; the board lists them."""
    speaker = SpeakerFactory(meeting=meeting, name="Ane")
    first = SessionFactory(meeting=meeting, title="A", starts_at=at(meeting, 0, "10:00"))
    second = SessionFactory(meeting=meeting, title="B", starts_at=at(meeting, 0, "10:30"))
    SessionSpeakerFactory(session=first, speaker=speaker)
    SessionSpeakerFactory(session=second, speaker=speaker)

    response = org_client.get(board_url(meeting))

    assert [(a.title, b.title, why) for a, b, why in response.context["board"].conflicts] == [
        ("A", "B", "Ane in both")
    ]


@pytest.mark.parametrize("count", [1, 20])
def test_board_query_count_is_flat(org_client, meeting, room, django_assert_num_queries, count):
    for i in range(count):
        session = SessionFactory(meeting=meeting, starts_at=at(meeting, 0, f"{8 + i % 12:02d}:00"))
        SessionSpeakerFactory(session=session)
    unscheduled = SessionFactory(meeting=meeting, room=None, starts_at=None, ends_at=None)
    SessionSpeakerFactory(session=unscheduled)
    # login session, user, meeting, organizer role, rooms, the day's sessions + their
    # speakers, the sessions without a time + their speakers
    with django_assert_num_queries(9):
        response = org_client.get(board_url(meeting))
    assert response.status_code == 200


def test_move_through_the_board_bumps_sequence(org_client, meeting, room):
    session = SessionFactory(meeting=meeting, room=room, starts_at=at(meeting, 0, "09:00"))

    response = org_client.post(
        board_url(meeting, f"sessions/{session.pk}/move/"),
        {"room": room.pk, "starts_at": f"{meeting.ends_on}T15:00"},
    )

    assert response.status_code == 302
    assert response["Location"] == board_url(
        meeting, f"?day={meeting.ends_on}#session-{session.pk}"
    )
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at, session.sequence) == (
        at(meeting, 1, "15:00"),
        at(meeting, 1, "16:00"),
        1,
    )


def test_move_into_a_taken_room_shows_the_conflict(org_client, meeting, room):
    SessionFactory(meeting=meeting, room=room, title="Opening", starts_at=at(meeting, 0, "09:30"))
    session = SessionFactory(meeting=meeting, room=room, starts_at=at(meeting, 0, "12:00"))

    response = org_client.post(
        board_url(meeting, f"sessions/{session.pk}/move/"),
        {"room": room.pk, "starts_at": f"{meeting.starts_on}T10:00"},
        follow=True,
    )

    html = response.content.decode()
    assert "Room Auditorio is taken by &#x27;Opening&#x27;" in html
    session.refresh_from_db()
    assert session.starts_at == at(meeting, 0, "12:00")


# --- the time grid: a drop target at every quarter hour of every room ----------------------

HOSTILE_TITLE = "Panel \u202elenaP\nsecond line\x07 " + "x" * 150


def drop_cell(document, *, room, hhmm: str) -> dict[str, str]:
    """What the script posts when a card is dropped on ``room``'s cell at ``hhmm``."""
    [cell] = document.xpath(
        f'//i[contains(@class, "board-drop")][@data-room="{room.pk}"]'
        f'[substring(@data-start, 12) = "{hhmm}"]'
    )
    return {"room": cell.get("data-room"), "starts_at": cell.get("data-start")}


def stacks_of(response) -> dict[str, str]:
    """Each grid item's classes (its row, column and span), by the titles it holds."""
    document = lxml.html.fromstring(response.content)
    return {
        " + ".join(stack.xpath(".//h3/a/bdi/text()")): stack.get("class")
        for stack in document.xpath('//div[contains(@class, "board-stack")]')
    }


def test_board_has_a_row_per_quarter_hour_and_a_drop_target_in_every_room(
    org_client, meeting, room
):
    annex = RoomFactory(venue=meeting.venue, name="Sala B")
    SessionFactory(
        meeting=meeting,
        room=room,
        title="Opening",
        starts_at=at(meeting, 0, "09:30"),
        ends_at=at(meeting, 0, "10:00"),
    )
    SessionFactory(
        meeting=meeting,
        room=annex,
        title=HOSTILE_TITLE,
        starts_at=at(meeting, 0, "10:50"),
        ends_at=at(meeting, 0, "11:40"),
    )
    SessionFactory(
        meeting=meeting,
        room=room,
        title="Late",
        starts_at=at(meeting, 0, "20:10"),
        ends_at=at(meeting, 0, "21:00"),
    )

    response = org_client.get(board_url(meeting, f"?day={meeting.starts_on}"))

    document = lxml.html.fromstring(response.content)
    labels = document.xpath('//*[contains(@class, "board-time")]/text()')
    assert (len(labels), labels[0], labels[-1]) == (52, "08:00", "20:45")
    assert len(document.xpath('//i[contains(@class, "board-drop")]')) == 52 * 2
    assert drop_cell(document, room=annex, hhmm="11:15") == {
        "room": str(annex.pk),
        "starts_at": f"{meeting.starts_on}T11:15",
    }
    # Rows start on grid line 2 (08:00); 10:50–11:40 spans the rows 10:45 to 11:30.
    assert stacks_of(response) == {
        "Opening": "board-stack row-8 col-2 span-2",
        HOSTILE_TITLE: "board-stack row-13 col-3 span-4",
        "Late": "board-stack row-50 col-2 span-4",
    }


def test_board_on_the_night_the_clocks_go_back_shows_the_hour_twice(org_client, organizer):
    """31 October 2027 in Madrid: 02:00–02:45 come twice; the second pass takes no drops."""
    meeting = MeetingFactory(
        slug="autumn", starts_on=dt.date(2027, 10, 31), ends_on=dt.date(2027, 10, 31)
    )
    MeetingOrganizerFactory(meeting=meeting, user=organizer)
    SessionFactory(meeting=meeting, starts_at=at(meeting, 0, "01:45"))

    document = lxml.html.fromstring(org_client.get(board_url(meeting)).content)

    labels = document.xpath('//*[contains(@class, "board-time")]/text()')
    assert labels[:10] == [
        "01:45",
        "02:00 CEST",
        "02:15 CEST",
        "02:30 CEST",
        "02:45 CEST",
        "02:00 CET",
        "02:15 CET",
        "02:30 CET",
        "02:45 CET",
        "03:00",
    ]
    starts = document.xpath('//i[contains(@class, "board-drop")]/@data-start')
    assert starts[:6] == [
        f"2027-10-31T{hhmm}" for hhmm in ("01:45", "02:00", "02:15", "02:30", "02:45", "03:00")
    ]
    assert len(starts) == len(labels) - 4


def test_a_drop_where_no_session_starts_moves_the_session_there(org_client, meeting, room):
    annex = RoomFactory(venue=meeting.venue, name="Sala B")
    session = SessionFactory(
        meeting=meeting,
        room=room,
        title="Opening",
        starts_at=at(meeting, 0, "09:30"),
        ends_at=at(meeting, 0, "10:00"),
    )
    board = lxml.html.fromstring(org_client.get(board_url(meeting)).content)

    response = org_client.post(
        board_url(meeting, f"sessions/{session.pk}/move/"),
        drop_cell(board, room=annex, hhmm="10:45"),
        follow=True,
    )

    session.refresh_from_db()
    assert (session.room, session.starts_at, session.ends_at, session.sequence) == (
        annex,
        at(meeting, 0, "10:45"),
        at(meeting, 0, "11:15"),
        1,
    )
    assert response.redirect_chain == [
        (board_url(meeting, f"?day={meeting.starts_on}#session-{session.pk}"), 302)
    ]
    assert stacks_of(response) == {"Opening": "board-stack row-13 col-3 span-2"}


def test_a_drop_onto_a_taken_room_is_refused_naming_the_session_there(org_client, meeting, room):
    annex = RoomFactory(venue=meeting.venue, name="Sala B")
    session = SessionFactory(
        meeting=meeting,
        room=room,
        title="Opening",
        starts_at=at(meeting, 0, "09:30"),
        ends_at=at(meeting, 0, "10:00"),
    )
    SessionFactory(
        meeting=meeting,
        room=annex,
        title=HOSTILE_TITLE,
        starts_at=at(meeting, 0, "10:30"),
        ends_at=at(meeting, 0, "11:30"),
    )
    board = lxml.html.fromstring(org_client.get(board_url(meeting)).content)

    response = org_client.post(
        board_url(meeting, f"sessions/{session.pk}/move/"),
        drop_cell(board, room=annex, hhmm="10:45"),
        follow=True,
    )

    [message] = lxml.html.fromstring(response.content).xpath('//li[contains(@class, "message")]')
    assert message.text_content().startswith(
        f"Could not move 'Opening': Room Sala B is taken by '{HOSTILE_TITLE}' 10:30–11:30 ("
    )
    assert response.redirect_chain == [(board_url(meeting, f"?day={meeting.starts_on}"), 302)]
    session.refresh_from_db()
    assert (session.room, session.starts_at, session.sequence) == (
        room,
        at(meeting, 0, "09:30"),
        0,
    )


def test_edit_form_saves_through_the_services(org_client, meeting, room):
    session = SessionFactory(meeting=meeting, room=room, title="Old")
    url = board_url(meeting, f"sessions/{session.pk}/")
    assert org_client.get(url).status_code == 200

    response = org_client.post(
        url,
        {
            "title": "New title",
            "kind": "panel",
            "status": "confirmed",
            "room": room.pk,
            "starts_at": f"{meeting.starts_on}T10:00",
            "ends_at": f"{meeting.starts_on}T11:00",
        },
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title, session.kind, session.sequence) == ("New title", "panel", 0)


def test_new_session_outside_the_days_redisplays_the_form_with_the_reason(
    org_client, meeting, room
):
    response = org_client.post(
        board_url(meeting, "sessions/new/"),
        {
            "title": "Too late",
            "kind": "talk",
            "status": "draft",
            "starts_at": "2099-01-01T10:00",
            "ends_at": "2099-01-01T11:00",
        },
    )
    assert response.status_code == 200
    assert "must lie within the meeting" in response.content.decode()
    assert not Session.objects.exists()


def test_publish_from_the_board(org_client, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFT)
    draft = SessionFactory(meeting=meeting, status=Session.Status.DRAFT)
    response = org_client.post(board_url(meeting, "publish/"), follow=True)
    assert "Published: 1 sessions confirmed." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "confirmed"
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PUBLISHED


def test_board_refuses_a_capacity_beyond_the_column_and_writes_nothing(org_client, meeting):
    response = org_client.post(
        board_url(meeting, "sessions/new/"),
        {"title": "Big", "kind": "talk", "status": "draft", "capacity": str(2**40)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "capacity": ["Ensure this value is less than or equal to 2147483647."]
    }
    assert not Session.objects.exists()


def test_upload_imports_or_lists_every_problem(org_client, meeting, room):
    good = (
        "external_id,title,date,start,end,room\n"
        f"u1,Uploaded,{meeting.starts_on},09:00,10:00,Auditorio\n"
    )
    bad = "external_id,title,date,start,end,room\nu2,Broken,2099-01-01,09:00,10:00,Cellar\n"

    failed = org_client.post(
        board_url(meeting, "import/"), {"file": SimpleUploadedFile("bad.csv", bad.encode())}
    )
    done = org_client.post(
        board_url(meeting, "import/"), {"file": SimpleUploadedFile("good.csv", good.encode())}
    )

    assert failed.status_code == 200
    assert failed.context["problems"] == ["line 2: no room 'Cellar' at the venue"]
    assert done.status_code == 302
    assert list(Session.objects.values_list("title", flat=True)) == ["Uploaded"]


def test_board_post_needs_an_organizer(client, meeting):
    session = SessionFactory(meeting=meeting)
    client.force_login(UserFactory())
    response = client.post(
        board_url(meeting, f"sessions/{session.pk}/move/"),
        {"room": "", "starts_at": f"{meeting.starts_on}T15:00"},
    )
    assert response.status_code == 403
    session.refresh_from_db()
    assert (session.status, session.starts_at) == ("confirmed", at(meeting, 0, "10:00"))


# --- the edit form neither cancels nor restores (that asks first, on its own page) -------------


def test_the_edit_form_does_not_offer_cancelled_and_refuses_it_without_emailing(
    org_client, meeting, room
):
    session = SessionFactory(
        meeting=meeting,
        title="Booked talk",
        room=room,
        status=Session.Status.CONFIRMED,
        starts_at=at(meeting, 0, "10:00"),
        ends_at=at(meeting, 0, "11:00"),
    )
    SessionBookingFactory(session=session, registration=RegistrationFactory(meeting=meeting))
    url = board_url(meeting, f"sessions/{session.pk}/")
    page = org_client.get(url)
    document = lxml.html.fromstring(page.content)

    assert document.xpath('//select[@name="status"]/option/@value') == ["draft", "confirmed"]
    cancel_url = f"/meetings/{meeting.slug}/manage/sessions/{session.pk}/cancel/"
    assert document.xpath("//small[contains(@class, 'help')]/a/@href") == [cancel_url]

    answer = resubmit(org_client, url, choice={"form_id": "session-form"}, status="cancelled")

    assert answer.status_code == 200
    assert answer.context["form"].errors == {
        "status": ["Select a valid choice. cancelled is not one of the available choices."]
    }
    session.refresh_from_db()
    assert (session.status, session.sequence) == ("confirmed", 0)
    assert not OutboxMessage.objects.exists()


def test_a_cancelled_session_form_shows_its_status_and_cannot_restore_it(org_client, meeting, room):
    session = SessionFactory(
        meeting=meeting,
        title="Gone",
        room=room,
        status=Session.Status.CANCELLED,
        starts_at=at(meeting, 0, "10:00"),
        ends_at=at(meeting, 0, "11:00"),
    )
    SessionBookingFactory(session=session, registration=RegistrationFactory(meeting=meeting))
    url = board_url(meeting, f"sessions/{session.pk}/")
    document = lxml.html.fromstring(org_client.get(url).content)

    select = document.xpath('//select[@name="status"]')[0]
    assert select.get("disabled") is not None
    assert select.xpath("option/@value") == ["cancelled"]
    restore_url = f"/meetings/{meeting.slug}/manage/sessions/{session.pk}/restore/"
    assert document.xpath("//small[contains(@class, 'help')]/a/@href") == [restore_url]

    # A hand-made post (the browser sends no disabled field) cannot restore it either.
    answer = org_client.post(
        url,
        {
            "title": "Gone",
            "kind": session.kind,
            "status": "confirmed",
            "room": room.pk,
            "starts_at": f"{meeting.starts_on}T10:00",
            "ends_at": f"{meeting.starts_on}T11:00",
        },
    )

    assert answer.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.sequence) == ("cancelled", 0)
    assert not OutboxMessage.objects.exists()


def test_a_new_session_cannot_be_created_cancelled(org_client, meeting):
    page = org_client.get(board_url(meeting, "sessions/new/"))

    options = lxml.html.fromstring(page.content).xpath('//select[@name="status"]/option/@value')
    assert options == ["draft", "confirmed"]
    answer = org_client.post(
        board_url(meeting, "sessions/new/"),
        {"title": "Born dead", "kind": "talk", "status": "cancelled"},
    )
    assert answer.status_code == 200
    assert not Session.objects.exists()
