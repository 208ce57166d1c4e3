"""The organizers' meetings board: the grid of each matchmaking session, the accepted
requests waiting for a place, the numbers; moving (refused with what it clashes with),
locking and "Schedule" — for this meeting's organizers only, on this meeting's rows only."""

import json

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import MeetingOrganizer
from events.text import one_line
from mail.models import OutboxMessage
from matchmaking.models import Matchmaking, MeetingRequest, SchedulingRun, SlotSeat, Table
from matchmaking.services.placing import request_lock
from matchmaking.services.requests import request_accept, request_create, request_schedule
from matchmaking.services.setup import matchmaking_update
from registrations.models import Registration
from tests.factories import (
    MeetingFactory,
    MeetingOrganizerFactory,
    RoomFactory,
    SessionBookingFactory,
    SessionFactory,
    UserFactory,
    at,
)
from tests.matchmaking.b2b import b2b_session_add, first_session, person, slots
from tests.orga.conftest import HOSTILE, participant_user
from tests.roundtrip import form_pairs

pytestmark = pytest.mark.django_db

URL = "/meetings/meet/manage/b2b/"
Status = MeetingRequest.Status
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def b2b(meeting):
    matchmaking_update(
        meeting=meeting, enabled=True, scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS
    )
    b2b_session_add(meeting, tables=2)
    return meeting


def named(meeting, first: str, last: str, **fields) -> Registration:
    return person(meeting, first_name=first, last_name=last, **fields)


def accepted(requester, recipient, **fields) -> MeetingRequest:
    request = request_create(requester=requester, recipient=recipient, **fields)
    return request_accept(request=request, by=recipient)


def placed(requester, recipient, slot, table=None) -> MeetingRequest:
    return request_schedule(
        request=accepted(requester, recipient),
        slot_id=slot.pk,
        table_id=table.pk if table else None,
    )


def table(meeting, name: str) -> Table:
    return first_session(meeting).tables.get(name=name)


def state():
    return (
        list(MeetingRequest.objects.order_by("pk").values()),
        list(SlotSeat.objects.order_by("pk").values()),
        OutboxMessage.objects.count(),
    )


def move(client, meeting_request, slot, table, **extra):
    return client.post(
        f"{URL}move/",
        {"request": meeting_request.pk, "slot": slot.pk, "table": table.pk},
        **extra,
    )


def cell(html: bytes, slot, table):
    """The grid cell of this slot and table."""
    found = lxml.html.fromstring(html).xpath(
        f'//td[@data-slot="{slot.pk}"][@data-table="{table.pk}"]'
    )
    assert len(found) == 1
    return found[0]


def cell_text(html: bytes, slot, table) -> str:
    return " ".join(cell(html, slot, table).text_content().split())


# --- the page ------------------------------------------------------------------------------


def test_the_grid_shows_each_meeting_at_its_slot_and_table(organizer_client, b2b):
    Table.objects.filter(b2b_session__meeting=b2b, name="2").update(
        room=RoomFactory(venue=b2b.venue, name="Sala Roncal")
    )
    ana, luis = named(b2b, "Ana", "Pérez"), named(b2b, "Luis", "Gómez")
    carla, dan = named(b2b, "Carla", "Ruiz"), named(b2b, "Dan", "Smith")
    first, second, third = slots(b2b)
    kept = placed(ana, luis, second, table(b2b, "2"))
    request_lock(request=kept, locked=True)
    placed(carla, dan, third, table(b2b, "1"))

    page = organizer_client.get(URL)

    assert page.status_code == 200
    html = page.content
    ana_org = ana.b2b_profile.organization_label
    assert cell_text(html, second, table(b2b, "2")) == (
        f"Ana Pérez {ana_org} Luis Gómez {luis.b2b_profile.organization_label} 🔒 Locked Unlock"
    )
    assert cell_text(html, third, table(b2b, "1")).startswith("Carla Ruiz")
    assert cell_text(html, third, table(b2b, "1")).endswith("Move… Lock")
    assert cell_text(html, first, table(b2b, "1")) == ""
    document = lxml.html.fromstring(html)
    headers = [
        " ".join(th.text_content().split())
        for th in document.xpath("//table[@data-b2b-board]/thead/tr/th")
    ]
    assert headers == ["Time", "Table 1", "Table 2Sala Roncal"]  # a <br> between them
    rows = [
        " ".join(th.text_content().split())
        for th in document.xpath("//table[@data-b2b-board]/tbody/tr/th")
    ]
    assert rows == ["15:00–15:20", "15:20–15:40", "15:40–16:00"]
    assert ana.email.encode() not in html


def test_the_board_lists_accepted_requests_waiting_for_a_place(organizer_client, b2b):
    later = b2b_session_add(b2b, day=1, start="10:00")
    ana, ben, cai = named(b2b, "Ana", "Pérez"), named(b2b, "Ben", "Ortiz"), named(b2b, "Cai", "Li")
    waiting = accepted(ana, ben, preferred_session=later)
    placed(ana, cai, slots(b2b)[0])
    request_create(requester=ben, recipient=cai)  # not accepted: not waiting for a place

    page = organizer_client.get(URL)

    assert [item.pk for item in page.context["waiting"]] == [waiting.pk]
    aside = lxml.html.fromstring(page.content).get_element_by_id("waiting")
    text = " ".join(aside.text_content().split())
    assert "Ana Pérez" in text and "Ben Ortiz" in text and "prefers B2B meetings 10:00" in text
    assert "Cai Li" not in text


def test_the_board_counts_requests_and_each_persons_requests_and_meetings(organizer_client, b2b):
    ana, ben, cai = named(b2b, "Ana", "A"), named(b2b, "Ben", "B"), named(b2b, "Cai", "C")
    dani = named(b2b, "Dani", "D")
    eli = named(b2b, "Eli", "E", listed=False)
    named(b2b, "Fran", "F", status="pending")  # not confirmed: not counted
    named(MeetingFactory(), "Gus", "Elsewhere")
    placed(ana, ben, slots(b2b)[0])
    request_create(requester=cai, recipient=ana)
    accepted(ben, cai)

    page = organizer_client.get(URL)

    counts = {value: count for value, _label, count in page.context["counts"]}
    assert counts == {
        "requested": 1,
        "accepted": 1,
        "scheduled": 1,
        "declined": 0,
        "cancelled": 0,
    }
    assert page.context["total"] == 3
    people = {
        p.registration.first_name: (p.sent, p.received, p.meetings) for p in page.context["people"]
    }
    assert people == {
        "Ana": (1, 1, 1),
        "Ben": (1, 1, 1),
        "Cai": (1, 1, 0),
        "Dani": (0, 0, 0),
        "Eli": (0, 0, 0),
    }
    assert [p.registration.first_name for p in page.context["alone"]] == ["Dani", "Eli"]
    flagged = lxml.html.fromstring(page.content).get_element_by_id("alone")
    assert " ".join(flagged.text_content().split()).startswith(
        "2 participants with a B2B profile: nobody asked them and they asked nobody."
    )
    assert dani.email.encode() not in page.content and eli.email.encode() not in page.content


def test_each_matchmaking_session_has_its_own_grid(organizer_client, b2b):
    later = b2b_session_add(b2b, day=1, start="10:00", tables=["Mesa A", "Mesa B", "Mesa C"])

    page = organizer_client.get(URL, {"session": later.pk})

    assert page.context["chosen"] == later
    assert [t.name for t in page.context["grid"].tables] == ["Mesa A", "Mesa B", "Mesa C"]
    tabs = lxml.html.fromstring(page.content).xpath('//a[@aria-current="page"]/@href')
    assert f"?session={later.pk}" in tabs


@pytest.mark.parametrize("value", ["x", "2.5", "١", "999999"])
def test_an_unknown_session_is_not_found(organizer_client, b2b, value):
    assert organizer_client.get(URL, {"session": value}).status_code == 404


def test_another_meetings_session_is_not_found(organizer_client, b2b):
    theirs = b2b_session_add(MeetingFactory())
    assert organizer_client.get(URL, {"session": theirs.pk}).status_code == 404


def test_a_meeting_without_matchmaking_sessions_says_how_to_add_one(organizer_client, meeting):
    page = organizer_client.get(URL)
    assert page.status_code == 200
    assert b"No matchmaking session yet" in page.content


def test_the_board_reads_in_a_constant_number_of_queries(organizer_client, b2b):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert organizer_client.get(URL).status_code == 200
        return len(captured)

    ana, ben = named(b2b, "Ana", "P"), named(b2b, "Ben", "P")
    placed(ana, ben, slots(b2b)[0])
    small = queries()

    b2b_session_add(b2b, day=1, tables=5)
    first_session(b2b).tables.update(room=RoomFactory(venue=b2b.venue))
    people = [named(b2b, f"P{n}", "Q") for n in range(8)]
    for n, slot in enumerate(slots(b2b)):
        placed(people[2 * n], people[2 * n + 1], slot)
    placed(ana, people[0], slots(b2b)[1])
    accepted(people[6], people[7])
    accepted(ben, people[2])
    request_lock(request=MeetingRequest.objects.filter(status="scheduled").first(), locked=True)
    SchedulingRun.objects.create(meeting=b2b)

    assert queries() == small
    # 13 for the board, 2 for its "Schedule the rest" section (the last run, the sessions).
    assert small <= 15, small


# --- who may ---------------------------------------------------------------------------------


def board_urls(meeting_request) -> list[str]:
    return [
        f"{URL}move/",
        f"{URL}requests/{meeting_request.pk}/lock/",
        f"{URL}requests/{meeting_request.pk}/schedule/",
    ]


def test_anonymous_is_sent_to_log_in(client, b2b):
    meeting_request = accepted(named(b2b, "Ana", "P"), named(b2b, "Ben", "P"))
    before = state()

    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={URL}")
    for url in board_urls(meeting_request):
        response = client.post(url, {"locked": "1", "request": meeting_request.pk})
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    assert state() == before


@pytest.mark.parametrize("who", ["other-organizer", "check-in", "participant"])
def test_nobody_but_this_meetings_organizers_sees_or_changes_the_board(client, b2b, who):
    if who == "other-organizer":
        user = MeetingOrganizerFactory(meeting=MeetingFactory()).user
    elif who == "check-in":
        user = UserFactory(username="desk")
        MeetingOrganizerFactory(meeting=b2b, user=user, role=MeetingOrganizer.Role.CHECKIN)
    else:
        user = participant_user(b2b)
    ana, ben = named(b2b, "Ana", "P"), named(b2b, "Ben", "P")
    scheduled = placed(ana, ben, slots(b2b)[0])
    waiting = accepted(named(b2b, "Cai", "P"), named(b2b, "Dan", "P"))
    before = state()
    client.force_login(user)

    assert client.get(URL).status_code == 403
    assert move(client, scheduled, slots(b2b)[1], table(b2b, "2")).status_code == 403
    assert client.post(f"{URL}requests/{scheduled.pk}/lock/", {"locked": "1"}).status_code == 403
    assert client.post(f"{URL}requests/{waiting.pk}/schedule/").status_code == 403
    assert state() == before


# --- moving ----------------------------------------------------------------------------------


def test_a_meeting_dropped_on_a_free_cell_moves_there_and_both_are_told(organizer_client, b2b):
    ana, ben = named(b2b, "Ana", "Pérez"), named(b2b, "Ben", "Ortiz")
    meeting_request = placed(ana, ben, slots(b2b)[0])
    target = slots(b2b)[2]

    response = move(organizer_client, meeting_request, target, table(b2b, "2"), **JSON)

    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "message": "Ana Pérez and Ben Ortiz meet at 15:40 (Table 2); both are emailed.",
    }
    meeting_request.refresh_from_db()
    assert (meeting_request.slot, meeting_request.table, meeting_request.sequence) == (
        target,
        table(b2b, "2"),
        1,
    )
    moved = OutboxMessage.objects.filter(kind="b2b_meeting_scheduled", payload__moved=True)
    assert sorted(moved.values_list("registration", flat=True)) == sorted([ana.pk, ben.pk])
    # the page the script reloads shows the meeting there, with the message
    page = organizer_client.get(URL)
    assert cell_text(page.content, target, table(b2b, "2")).startswith("Ana Pérez")
    assert [str(m) for m in page.context["messages"]] == [response.json()["message"]]


def test_a_waiting_request_dropped_on_a_cell_is_scheduled_there(organizer_client, b2b):
    meeting_request = accepted(named(b2b, "Ana", "P"), named(b2b, "Ben", "P"))

    response = move(organizer_client, meeting_request, slots(b2b)[1], table(b2b, "2"), **JSON)

    assert response.status_code == 200
    meeting_request.refresh_from_db()
    assert (meeting_request.status, meeting_request.slot, meeting_request.table) == (
        Status.SCHEDULED,
        slots(b2b)[1],
        table(b2b, "2"),
    )


def test_a_drop_without_the_script_redirects_to_the_session_with_the_message(organizer_client, b2b):
    later = b2b_session_add(b2b, day=1, start="10:00")
    meeting_request = accepted(named(b2b, "Ana", "P"), named(b2b, "Ben", "P"))
    slot, later_table = later.slots.first(), later.tables.first()

    response = move(organizer_client, meeting_request, slot, later_table)

    assert response.status_code == 302
    assert response["Location"] == f"{URL}?session={later.pk}"
    assert MeetingRequest.objects.get(pk=meeting_request.pk).slot == slot


def test_a_drop_on_its_own_cell_changes_nothing(organizer_client, b2b):
    meeting_request = placed(named(b2b, "Ana", "P"), named(b2b, "Ben", "P"), slots(b2b)[0])
    before = state()

    response = move(organizer_client, meeting_request, slots(b2b)[0], table(b2b, "1"), **JSON)

    assert response.json() == {"ok": True, "message": "Nothing changed."}
    assert state() == before


@pytest.fixture
def crowded(b2b):
    """Ana meets Luis at 15:20 (table 2); Carla and Dan hold table 1 at 15:40; Ana booked the
    hydrogen workshop at 15:00; Ben marked 15:40 unavailable; Ana and Ben's meeting sits at
    15:00 on table 2 (Ana's workshop came after)."""
    ana, luis = named(b2b, "Ana", "Pérez"), named(b2b, "Luis", "Gómez")
    ben = named(b2b, "Ben", "Ortiz")
    carla, dan = named(b2b, "Carla", "Ruiz"), named(b2b, "Dan", "Smith")
    first, second, third = slots(b2b)
    mine = placed(ana, ben, first, table(b2b, "2"))
    placed(ana, luis, second, table(b2b, "2"))
    placed(carla, dan, third, table(b2b, "1"))
    workshop = SessionFactory(
        meeting=b2b,
        title="Workshop on hydrogen",
        requires_booking=True,
        starts_at=at(b2b, 0, "14:30"),
        ends_at=at(b2b, 0, "15:10"),
    )
    SessionBookingFactory(registration=ana, session=workshop)
    ben.b2b_profile.unavailable_slots.add(third)
    return b2b, mine


@pytest.mark.parametrize(
    ("slot", "table_name", "message"),
    [
        (1, "1", "Ana Pérez already meets Luis Gómez at 15:20 (Table 2)."),
        (
            1,
            "2",
            "Ana Pérez already meets Luis Gómez at 15:20 (Table 2). "
            "Table 2 already holds Ana Pérez – Luis Gómez at 15:20.",
        ),
        (2, "2", "Ben Ortiz marked 15:40 as not available."),
        (
            2,
            "1",
            "Ben Ortiz marked 15:40 as not available. "
            "Table 1 already holds Carla Ruiz – Dan Smith at 15:40.",
        ),
        (0, "1", "Ana Pérez booked “Workshop on hydrogen” (14:30–15:10)."),
    ],
)
def test_a_drop_on_a_clashing_cell_is_refused_saying_what_it_clashes_with(
    organizer_client, crowded, slot, table_name, message
):
    meeting, mine = crowded
    before = state()

    response = move(
        organizer_client, mine, slots(meeting)[slot], table(meeting, table_name), **JSON
    )

    assert response.status_code == 409
    assert response.json() == {"ok": False, "error": message}
    assert state() == before


def test_a_refused_drop_without_the_script_shows_the_clash_on_the_board(organizer_client, crowded):
    meeting, mine = crowded

    response = move(organizer_client, mine, slots(meeting)[1], table(meeting, "1"), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Ana Pérez already meets Luis Gómez at 15:20 (Table 2)."
    ]


def test_a_locked_meeting_is_not_moved(organizer_client, b2b):
    meeting_request = placed(named(b2b, "Ana", "P"), named(b2b, "Ben", "P"), slots(b2b)[0])
    request_lock(request=meeting_request, locked=True)
    before = state()

    response = move(organizer_client, meeting_request, slots(b2b)[2], table(b2b, "2"), **JSON)

    assert response.status_code == 409
    assert response.json()["error"] == "This meeting is locked: unlock it to move it."
    assert state() == before


@pytest.mark.parametrize("what", ["request", "slot", "table", "table-of-another-session"])
def test_another_meetings_request_slot_or_table_is_refused(organizer_client, b2b, what):
    mine = placed(named(b2b, "Ana", "P"), named(b2b, "Ben", "P"), slots(b2b)[0])
    other = MeetingFactory()
    matchmaking_update(meeting=other, enabled=True, scheduling_mode="organizers")
    b2b_session_add(other)
    theirs = accepted(person(other), person(other))
    later = b2b_session_add(b2b, day=1)
    data = {"request": mine.pk, "slot": slots(b2b)[2].pk, "table": table(b2b, "2").pk}
    data.update(
        {
            "request": {"request": theirs.pk},
            "slot": {"slot": slots(other)[0].pk},
            "table": {"table": first_session(other).tables.first().pk},
            "table-of-another-session": {"table": later.tables.first().pk},
        }[what]
    )
    before = state()

    response = organizer_client.post(f"{URL}move/", data, **JSON)

    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error": {
            "request": "Choose one of this meeting's accepted or scheduled requests.",
            "slot": "Choose one of this meeting's slots.",
            "table": "Choose one of this meeting's tables.",
            "table-of-another-session": "This table is not in the slot's session.",
        }[what],
    }
    assert state() == before


def test_the_move_form_as_the_page_shows_it_moves_nothing(organizer_client, b2b):
    placed(named(b2b, "Ana", "P"), named(b2b, "Ben", "P"), slots(b2b)[0])
    page = organizer_client.get(URL)
    pairs = form_pairs(page.content, form_id="b2b-move-form")
    assert [name for name, _value in pairs] == ["csrfmiddlewaretoken"]
    before = state()

    response = organizer_client.post(f"{URL}move/", dict(pairs), **JSON)

    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": "Choose a meeting to move."}
    assert state() == before


def test_a_request_that_is_not_accepted_cannot_be_placed(organizer_client, b2b):
    waiting = request_create(requester=named(b2b, "Ana", "P"), recipient=named(b2b, "Ben", "P"))
    before = state()

    response = move(organizer_client, waiting, slots(b2b)[0], table(b2b, "1"), **JSON)

    assert response.status_code == 400
    assert state() == before


# --- lock and quick schedule -------------------------------------------------------------


def test_an_organizer_locks_and_unlocks_a_meeting_from_its_card(organizer_client, b2b):
    meeting_request = placed(named(b2b, "Ana", "P"), named(b2b, "Ben", "P"), slots(b2b)[0])
    page = organizer_client.get(URL)
    lock_url = f"{URL}requests/{meeting_request.pk}/lock/"
    pairs = form_pairs(page.content, action=lock_url)
    emails = OutboxMessage.objects.count()

    response = organizer_client.post(lock_url, dict(pairs))

    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{URL}?session={first_session(b2b).pk}#meeting-{meeting_request.pk}"
    )
    assert MeetingRequest.objects.get(pk=meeting_request.pk).locked is True
    page = organizer_client.get(URL)
    assert cell_text(page.content, slots(b2b)[0], table(b2b, "1")).endswith("🔒 Locked Unlock")
    organizer_client.post(lock_url, dict(form_pairs(page.content, action=lock_url)))
    assert MeetingRequest.objects.get(pk=meeting_request.pk).locked is False
    assert OutboxMessage.objects.count() == emails


@pytest.mark.parametrize("value", ["", "yes", "2"])
def test_a_bad_lock_value_changes_nothing(organizer_client, b2b, value):
    meeting_request = placed(named(b2b, "Ana", "P"), named(b2b, "Ben", "P"), slots(b2b)[0])

    response = organizer_client.post(
        f"{URL}requests/{meeting_request.pk}/lock/", {"locked": value}, follow=True
    )

    assert len(response.context["messages"]) == 1
    assert MeetingRequest.objects.get(pk=meeting_request.pk).locked is False


def test_schedule_puts_a_waiting_request_at_the_first_free_place(organizer_client, b2b):
    ana, ben, cai = named(b2b, "Ana", "Pérez"), named(b2b, "Ben", "Ortiz"), named(b2b, "Cai", "Li")
    placed(ana, cai, slots(b2b)[0])
    meeting_request = accepted(ana, ben)
    page = organizer_client.get(URL)
    url = f"{URL}requests/{meeting_request.pk}/schedule/"

    response = organizer_client.post(url, dict(form_pairs(page.content, action=url)), follow=True)

    meeting_request.refresh_from_db()
    assert (meeting_request.slot, meeting_request.table.name) == (slots(b2b)[1], "1")
    assert [str(m) for m in response.context["messages"]] == [
        "Ana Pérez and Ben Ortiz meet at 15:20 (Table 1); both are emailed."
    ]


def test_schedule_without_a_free_place_says_so_and_changes_nothing(organizer_client, b2b):
    ana, ben = named(b2b, "Ana", "P"), named(b2b, "Ben", "P")
    ben.b2b_profile.unavailable_slots.set(slots(b2b))
    meeting_request = accepted(ana, ben)
    before = state()

    response = organizer_client.post(
        f"{URL}requests/{meeting_request.pk}/schedule/", {"session": "nonsense"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{URL}#request-{meeting_request.pk}"
    assert state() == before


def test_another_meetings_request_cannot_be_locked_or_scheduled(organizer_client, b2b):
    other = MeetingFactory()
    matchmaking_update(meeting=other, enabled=True, scheduling_mode="organizers")
    b2b_session_add(other)
    a, b = person(other), person(other)
    scheduled = placed(a, b, slots(other)[0])
    waiting = accepted(person(other), person(other))
    before = state()

    assert (
        organizer_client.post(f"{URL}requests/{scheduled.pk}/lock/", {"locked": "1"}).status_code
        == 404
    )
    assert organizer_client.post(f"{URL}requests/{waiting.pk}/schedule/").status_code == 404
    assert state() == before


def test_the_move_link_of_a_card_comes_back_to_the_board(organizer_client, b2b):
    meeting_request = placed(named(b2b, "Ana", "P"), named(b2b, "Ben", "P"), slots(b2b)[0])
    url = f"/meetings/meet/manage/matchmaking/requests/{meeting_request.pk}/schedule/?from=board"
    assert url.encode().replace(b"&", b"&amp;") in organizer_client.get(URL).content

    response = organizer_client.post(url, {"slot": slots(b2b)[2].pk})

    assert response["Location"] == f"{URL}?session={first_session(b2b).pk}"
    assert MeetingRequest.objects.get(pk=meeting_request.pk).slot == slots(b2b)[2]


# --- hostile text ------------------------------------------------------------------------------


def test_hostile_names_organisations_and_tables_are_shown_as_text(organizer_client, b2b):
    long = "Ł" * 100  # the longest a name holds
    ana, ben = named(b2b, "Ana", "P"), named(b2b, "Ben", "P")
    cai, dan = named(b2b, "Cai", "P"), named(b2b, "Dan", "P")
    meeting_request = placed(ana, ben, slots(b2b)[0], table(b2b, "1"))
    accepted(cai, dan)
    Registration.objects.filter(pk__in=[ana.pk, cai.pk]).update(first_name=HOSTILE, last_name=long)
    Registration.objects.filter(pk__in=[ben.pk, dan.pk]).update(
        organization=None, organization_name=HOSTILE
    )
    ben.b2b_profile.__class__.objects.filter(
        pk__in=[ben.b2b_profile.pk, dan.b2b_profile.pk]
    ).update(organization=None)
    Table.objects.filter(pk=table(b2b, "1").pk).update(name=f"{HOSTILE[:30]}")

    page = organizer_client.get(URL)

    assert page.status_code == 200
    html = page.content.decode()
    assert "<b>&amp;</b>" not in html
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in html
    card = lxml.html.fromstring(page.content).get_element_by_id(f"meeting-{meeting_request.pk}")
    names = card.xpath(".//bdi")
    shown = HOSTILE.replace("\r\n", "\n")  # as HTML reads a line break
    assert names[0].text_content() == f"{shown} {long}"
    assert names[3].text_content() == shown
    # a refusal naming them comes on one line, without the direction override
    response = move(organizer_client, accepted(ana, dan), slots(b2b)[0], table(b2b, "2"), **JSON)
    error = response.json()["error"]
    assert "\u202e" not in error and "\n" not in error and "\x07" not in error
    assert error == (
        f"{one_line(HOSTILE)} {long} already meets Ben P at 15:00 ({one_line(HOSTILE[:30])})."
    )
    assert json.loads(response.content)["ok"] is False
