"""B2B settings, sectors and matchmaking sessions in the workspace: who may see them, forms
saved untouched write nothing, bad input is a field error that changes nothing, every
choice is this meeting's, and times are the meeting's."""

import datetime as dt

import pytest

from agenda.models import Session
from events.models import MeetingOrganizer
from mail.models import OutboxMessage
from matchmaking.models import B2BSession, Matchmaking, Sector, Slot, Table
from matchmaking.services.requests import request_accept, request_create
from matchmaking.services.setup import matchmaking_update, sector_create
from tests.factories import (
    MADRID,
    MeetingFactory,
    MeetingOrganizerFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
    at,
)
from tests.matchmaking.b2b import b2b_session_add, person, slots
from tests.orga.conftest import HOSTILE, participant_user
from tests.roundtrip import form_values, resubmit, select_options

pytestmark = pytest.mark.django_db

URL = "/meetings/meet/manage/matchmaking/"
SETTINGS = {"form_id": "matchmaking-form"}


def b2b_kind_session(meeting, *, start="15:00", minutes=60, **fields) -> Session:
    starts_at = at(meeting, 0, start)
    return SessionFactory(
        meeting=meeting,
        kind=Session.Kind.B2B,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        **fields,
    )


def rows(model, **filters) -> list[dict]:
    return list(model.objects.filter(**filters).order_by("pk").values())


@pytest.fixture
def b2b(meeting):
    """The ``meeting`` fixture with B2B meetings on and one matchmaking session."""
    matchmaking_update(
        meeting=meeting,
        enabled=True,
        opens_at=dt.datetime(2026, 11, 2, 9, 30, 15, tzinfo=dt.UTC),
        closes_at=at(meeting, 0, "12:00"),
    )
    b2b_session_add(meeting, tables=3)
    return meeting


# --- who may see it ------------------------------------------------------------------------


def pages(meeting) -> list[str]:
    b2b_session = B2BSession.objects.get(meeting=meeting)
    sector = sector_create(meeting=meeting, name="Energy")
    return [
        URL,
        f"{URL}sectors/{sector.pk}/",
        f"{URL}sectors/{sector.pk}/remove/",
        f"{URL}sessions/new/",
        f"{URL}sessions/{b2b_session.pk}/",
        f"{URL}sessions/{b2b_session.pk}/remove/",
        f"{URL}profiles/",
        f"{URL}requests/",
    ]


def test_anonymous_is_sent_to_log_in(client, b2b):
    for url in pages(b2b):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"/accounts/login/?next={url}")


@pytest.mark.parametrize("who", ["other-organizer", "check-in", "participant"])
def test_nobody_but_this_meetings_organizers_sees_or_changes_anything(client, b2b, who):
    if who == "other-organizer":
        user = MeetingOrganizerFactory(meeting=MeetingFactory()).user
    elif who == "check-in":
        user = UserFactory(username="desk")
        MeetingOrganizerFactory(meeting=b2b, user=user, role=MeetingOrganizer.Role.CHECKIN)
    else:
        user = participant_user(b2b)
    urls = pages(b2b)
    before = [rows(model) for model in (Matchmaking, Sector, B2BSession, Slot, Table)]
    client.force_login(user)

    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Changed", "enabled": ""}).status_code == 403, url
    assert client.post(f"{URL}sectors/new/", {"name": "Sneaked in"}).status_code == 403

    after = [rows(model) for model in (Matchmaking, Sector, B2BSession, Slot, Table)]
    assert after == before


def test_another_meetings_sector_or_session_is_not_found(organizer_client, b2b):
    other = MeetingFactory()
    sector = sector_create(meeting=other, name="Theirs")
    b2b_session = b2b_session_add(other)
    for url in [
        f"{URL}sectors/{sector.pk}/",
        f"{URL}sectors/{sector.pk}/remove/",
        f"{URL}sessions/{b2b_session.pk}/",
        f"{URL}sessions/{b2b_session.pk}/remove/",
    ]:
        assert organizer_client.get(url).status_code == 404
        assert organizer_client.post(url, {"name": "Mine now"}).status_code == 404
    assert Sector.objects.get(pk=sector.pk).name == "Theirs"
    assert B2BSession.objects.filter(pk=b2b_session.pk).exists()


def test_the_workspace_links_to_the_b2b_pages(organizer_client, meeting):
    html = organizer_client.get("/meetings/meet/manage/").content.decode()
    assert f'href="{URL}"' in html
    assert f'href="{URL}profiles/"' in html
    assert f'href="{URL}requests/"' in html


# --- settings ------------------------------------------------------------------------------


@pytest.fixture(params=[dt.date(2027, 1, 19), dt.date(2027, 7, 6)], ids=["winter", "summer"])
def season(request, organizer):
    meeting = MeetingFactory(slug="meet", starts_on=request.param, ends_on=request.param)
    MeetingOrganizerFactory(meeting=meeting, user=organizer)
    matchmaking_update(
        meeting=meeting,
        enabled=True,
        request_mode=Matchmaking.RequestMode.AUTOMATIC,
        opens_at=dt.datetime(2026, 11, 2, 9, 30, 15, 123456, tzinfo=dt.UTC),
        closes_at=dt.datetime.combine(request.param, dt.time(8, 45), tzinfo=MADRID),
    )
    return meeting


def test_settings_saved_untouched_write_nothing(organizer_client, season):
    before = rows(Matchmaking)
    response = resubmit(organizer_client, URL, choice=SETTINGS)
    assert response.status_code == 302
    assert rows(Matchmaking) == before


def test_settings_never_set_saved_untouched_create_nothing(organizer_client, meeting):
    page = organizer_client.get(URL)
    assert form_values(page.content, **SETTINGS) == {
        "csrfmiddlewaretoken": page.context["csrf_token"],
        "request_mode": "accept",
        "scheduling_mode": "participants",
        "opens_at": "",
        "closes_at": "",
    }
    resubmit(organizer_client, URL, choice=SETTINGS)
    assert not Matchmaking.objects.exists()


def test_the_request_window_is_shown_and_read_in_meeting_time(organizer_client, season):
    shown = form_values(organizer_client.get(URL).content, **SETTINGS)
    assert shown["opens_at"] == "2026-11-02T10:30"
    assert shown["closes_at"] == f"{season.starts_on}T08:45"

    resubmit(organizer_client, URL, choice=SETTINGS, closes_at=f"{season.starts_on}T18:00")

    matchmaking = Matchmaking.objects.get(meeting=season)
    assert matchmaking.closes_at == dt.datetime.combine(
        season.starts_on, dt.time(18), tzinfo=MADRID
    )
    # The opening nobody touched keeps its seconds.
    assert matchmaking.opens_at == dt.datetime(2026, 11, 2, 9, 30, 15, 123456, tzinfo=dt.UTC)


def test_an_organizer_turns_b2b_meetings_on_with_their_modes(organizer_client, meeting):
    response = resubmit(
        organizer_client,
        URL,
        choice=SETTINGS,
        enabled="on",
        scheduling_mode="organizers",
        profiles_need_validation="on",
    )
    assert response.status_code == 302
    matchmaking = Matchmaking.objects.get(meeting=meeting)
    assert (
        matchmaking.enabled,
        matchmaking.request_mode,
        matchmaking.scheduling_mode,
        matchmaking.profiles_need_validation,
    ) == (True, "accept", "organizers", True)
    page = organizer_client.get(URL)
    assert 'data-enabled="true"' in page.content.decode()


def test_closing_before_opening_is_a_field_error_and_changes_nothing(organizer_client, season):
    before = rows(Matchmaking)
    response = resubmit(organizer_client, URL, choice=SETTINGS, closes_at="2026-10-01T10:00")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "closes_at": ["Requests must close after they open."]
    }
    assert rows(Matchmaking) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("request_mode", "sometimes"), ("scheduling_mode", ""), ("opens_at", "next tuesday")],
)
def test_a_bad_value_is_a_field_error_and_changes_nothing(organizer_client, season, field, value):
    before = rows(Matchmaking)
    response = resubmit(organizer_client, URL, choice=SETTINGS, **{field: value})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert rows(Matchmaking) == before


# --- sectors -------------------------------------------------------------------------------


def test_an_organizer_adds_renames_and_removes_a_sector(organizer_client, b2b):
    response = resubmit(
        organizer_client, URL, choice={"form_id": "sector-add-form"}, name="  Agri-food  "
    )
    assert response.status_code == 302
    sector = Sector.objects.get(meeting=b2b)
    assert sector.name == "Agri-food"
    ana = person(b2b)
    ana.b2b_profile.sectors.add(sector)

    resubmit(organizer_client, f"{URL}sectors/{sector.pk}/", name="Agrifood")
    assert Sector.objects.get(pk=sector.pk).name == "Agrifood"

    confirm = organizer_client.get(f"{URL}sectors/{sector.pk}/remove/")
    assert "1 profiles name this sector" in confirm.content.decode()
    organizer_client.post(f"{URL}sectors/{sector.pk}/remove/")
    assert not Sector.objects.exists()
    assert list(ana.b2b_profile.sectors.all()) == []


def test_a_sector_renamed_untouched_writes_nothing(organizer_client, b2b):
    sector = sector_create(meeting=b2b, name="Energy")
    before = rows(Sector)
    response = resubmit(organizer_client, f"{URL}sectors/{sector.pk}/")
    assert response.status_code == 302
    assert rows(Sector) == before


def test_the_sector_form_posted_empty_adds_nothing(organizer_client, b2b):
    response = resubmit(organizer_client, URL, choice={"form_id": "sector-add-form"})
    assert response.status_code == 200
    assert response.context["sector_form"].errors == {"name": ["This field is required."]}
    assert not Sector.objects.exists()


def test_a_sector_already_on_the_list_is_refused_in_any_case(organizer_client, b2b):
    sector_create(meeting=b2b, name="Energy")
    other = sector_create(meeting=b2b, name="Health")
    before = rows(Sector)

    added = organizer_client.post(f"{URL}sectors/new/", {"name": "ENERGY"})
    renamed = organizer_client.post(f"{URL}sectors/{other.pk}/", {"name": "energy"})

    for response, form in [(added, "sector_form"), (renamed, "form")]:
        assert response.status_code == 200
        assert response.context[form].errors == {"name": ["This sector is already on the list."]}
    assert rows(Sector) == before


def test_another_meeting_may_have_the_same_sector(organizer_client, b2b):
    sector_create(meeting=MeetingFactory(), name="Energy")
    organizer_client.post(f"{URL}sectors/new/", {"name": "Energy"})
    assert Sector.objects.filter(meeting=b2b, name="Energy").count() == 1


def test_a_hostile_sector_name_is_stored_on_one_line_and_shown_as_text(organizer_client, b2b):
    organizer_client.post(f"{URL}sectors/new/", {"name": HOSTILE})
    sector = Sector.objects.get(meeting=b2b)
    assert sector.name == "=cmd|' /C calc'!A0 BEL ESC [31m evil zerowidth <b>&amp;</b>"

    html = organizer_client.get(URL).content.decode()

    assert (
        "<bdi>=cmd|&#x27; /C calc&#x27;!A0 BEL ESC [31m evil zerowidth &lt;b&gt;&amp;amp;" in html
    )
    assert "<b>&amp;</b>" not in html
    assert "\u202e" not in html and "\x07" not in html


# --- matchmaking sessions ------------------------------------------------------------------


def test_the_session_choices_are_this_meetings_free_timed_b2b_sessions(organizer_client, b2b):
    free = b2b_kind_session(b2b, start="17:00", title="Afternoon B2B")
    b2b_kind_session(b2b, start="18:00", title="Cancelled B2B", status="cancelled")
    SessionFactory(meeting=b2b, title="A talk")
    SessionFactory(meeting=b2b, kind="b2b", title="Untimed B2B", starts_at=None, ends_at=None)
    b2b_kind_session(MeetingFactory(), title="Their B2B")

    page = organizer_client.get(f"{URL}sessions/new/")

    options = select_options(page.content, "session", form_id="b2b-session-form")
    assert [value for value, _label in options] == ["", str(free.pk)]
    start = free.starts_at.astimezone(MADRID)
    assert options[1][1] == f"Afternoon B2B ({start:%a %d %b} 17:00–18:00, {free.room.name})"


def test_a_b2b_session_of_another_meeting_cannot_be_picked(organizer_client, b2b):
    theirs = b2b_kind_session(MeetingFactory())
    talk = SessionFactory(meeting=b2b)
    for session in (theirs, talk):
        response = organizer_client.post(
            f"{URL}sessions/new/", {"session": session.pk, "slot_minutes": "20", "tables": "4"}
        )
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["session"]
    assert B2BSession.objects.count() == 1


def test_an_organizer_holds_meetings_in_a_session_with_named_tables(organizer_client, b2b):
    session = b2b_kind_session(b2b, start="17:00", minutes=90)
    page = organizer_client.get(f"{URL}sessions/new/")
    values = form_values(page.content, form_id="b2b-session-form")
    assert (values["slot_minutes"], values["tables"]) == ("20", "10")

    response = resubmit(
        organizer_client,
        f"{URL}sessions/new/",
        choice={"form_id": "b2b-session-form"},
        session=str(session.pk),
        slot_minutes="30",
        tables="Mesa Navarra\r\n\r\n<b>Aragón</b> \u202e2\r\nTable\x07 3\r\n",
        max_meetings_per_person="2",
    )

    b2b_session = B2BSession.objects.get(session=session)
    assert response["Location"] == f"{URL}sessions/{b2b_session.pk}/"
    assert (b2b_session.slot_minutes, b2b_session.max_meetings_per_person) == (30, 2)
    assert [table.name for table in b2b_session.tables.all()] == [
        "Mesa Navarra",
        "<b>Aragón</b> 2",
        "Table 3",
    ]
    assert [
        slot.starts_at.astimezone(MADRID).strftime("%H:%M") for slot in b2b_session.slots.all()
    ] == ["17:00", "17:30", "18:00"]
    html = organizer_client.get(response["Location"]).content.decode()
    assert "&lt;b&gt;Aragón&lt;/b&gt; 2" in html and "<b>Aragón</b>" not in html
    assert "17:30–18:00" in html


def test_a_session_saved_untouched_writes_nothing(organizer_client, b2b):
    b2b_session = B2BSession.objects.get(meeting=b2b)
    named = b2b_session_add(b2b, start="17:00", tables=["Navarra", "Aragón"])
    for pk in (b2b_session.pk, named.pk):
        before = [rows(model) for model in (B2BSession, Slot, Table)]
        response = resubmit(
            organizer_client, f"{URL}sessions/{pk}/", choice={"form_id": "b2b-session-form"}
        )
        assert response.status_code == 302
        assert [rows(model) for model in (B2BSession, Slot, Table)] == before
    values = form_values(
        organizer_client.get(f"{URL}sessions/{named.pk}/").content, form_id="b2b-session-form"
    )
    assert values["tables"] == "Navarra\nAragón"


def test_tables_in_rooms_of_their_own_show_their_room_and_round_trip(organizer_client, b2b):
    hall = RoomFactory(venue=b2b.venue, name="Hall B")
    b2b_session = b2b_session_add(b2b, start="17:00", tables=["Navarra", "Aragón | hall b"])
    assert [(t.name, t.room) for t in b2b_session.tables.order_by("position")] == [
        ("Navarra", None),
        ("Aragón", hall),
    ]
    url = f"{URL}sessions/{b2b_session.pk}/"
    values = form_values(organizer_client.get(url).content, form_id="b2b-session-form")
    assert values["tables"] == "Navarra\nAragón | Hall B"
    before = [rows(model) for model in (B2BSession, Slot, Table)]

    response = resubmit(organizer_client, url, choice={"form_id": "b2b-session-form"})

    assert response.status_code == 302
    assert [rows(model) for model in (B2BSession, Slot, Table)] == before
    response = organizer_client.post(url, {**values, "tables": "Navarra | Nowhere\nAragón"})
    assert response.context["form"].errors == {
        "tables": ["Nowhere is not a room of this meeting's venue."]
    }
    assert [rows(model) for model in (B2BSession, Slot, Table)] == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"tables": "0"}, "tables", "Between 1 and 500 tables."),
        ({"tables": "Navarra\nnavarra"}, "tables", "Two tables have the same name."),
        ({"tables": "x" * 41}, "tables", "A table's name is at most 40 characters."),
        ({"tables": " \n "}, "tables", "This field is required."),
        ({"slot_minutes": "4"}, "slot_minutes", "Ensure this value is greater than or equal to 5."),
        ({"slot_minutes": "90"}, "slot_minutes", "The session is shorter than one meeting."),
        ({"max_meetings_per_person": "0"}, "max_meetings_per_person", None),
    ],
)
def test_bad_session_settings_are_field_errors_and_change_nothing(
    organizer_client, b2b, changes, field, message
):
    b2b_session = B2BSession.objects.get(meeting=b2b)
    before = [rows(model) for model in (B2BSession, Slot, Table)]
    response = resubmit(
        organizer_client,
        f"{URL}sessions/{b2b_session.pk}/",
        choice={"form_id": "b2b-session-form"},
        **changes,
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert [rows(model) for model in (B2BSession, Slot, Table)] == before


def scheduled_meeting(meeting):
    ana, ben = person(meeting), person(meeting)
    request = request_create(requester=ana, recipient=ben)
    return request_accept(request=request, by=ben, slot_id=slots(meeting)[1].pk)


def test_the_meeting_length_of_a_session_with_meetings_cannot_change(organizer_client, b2b):
    scheduled_meeting(b2b)
    b2b_session = B2BSession.objects.get(meeting=b2b)
    before = [rows(model) for model in (B2BSession, Slot, Table)]
    response = resubmit(
        organizer_client,
        f"{URL}sessions/{b2b_session.pk}/",
        choice={"form_id": "b2b-session-form"},
        slot_minutes="30",
    )
    assert response.context["form"].errors == {
        "slot_minutes": [
            "Meetings are scheduled in this session: the meeting length cannot change until "
            "they are moved or cancelled."
        ]
    }
    assert [rows(model) for model in (B2BSession, Slot, Table)] == before


def test_the_session_page_counts_scheduled_meetings_per_slot(organizer_client, b2b):
    scheduled_meeting(b2b)
    b2b_session = B2BSession.objects.get(meeting=b2b)
    page = organizer_client.get(f"{URL}sessions/{b2b_session.pk}/")
    html = page.content.decode()
    assert '<td>15:20–15:40</td><td class="num">1 / 3</td>' in html
    assert '<td class="num" data-stat="scheduled">1</td>' in html
    overview = organizer_client.get(URL).content.decode()
    assert '<dd data-stat="scheduled">1</dd>' in overview
    assert '<span class="b2b-slot">15:00</span>, <span class="b2b-slot">15:20</span>' in overview


def test_a_session_with_scheduled_meetings_is_not_removed(organizer_client, b2b):
    scheduled_meeting(b2b)
    b2b_session = B2BSession.objects.get(meeting=b2b)
    url = f"{URL}sessions/{b2b_session.pk}/remove/"

    page = organizer_client.get(url)
    assert "1 meeting is scheduled here: move or cancel it first." in page.content.decode()
    assert b'type="submit" class="danger"' not in page.content
    organizer_client.post(url)

    assert B2BSession.objects.filter(pk=b2b_session.pk).exists()
    assert Slot.objects.filter(b2b_session=b2b_session).count() == 3


def test_a_session_without_meetings_is_removed_and_stays_on_the_agenda(organizer_client, b2b):
    b2b_session = B2BSession.objects.get(meeting=b2b)
    response = organizer_client.post(f"{URL}sessions/{b2b_session.pk}/remove/")
    assert response.status_code == 302
    assert not B2BSession.objects.exists() and not Slot.objects.exists()
    assert Session.objects.filter(pk=b2b_session.session_id).exists()
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_the_setup_page_query_count_does_not_grow(
    organizer_client, meeting, count, django_assert_num_queries
):
    matchmaking_update(meeting=meeting, enabled=True)
    for index in range(count):
        sector_create(meeting=meeting, name=f"Sector {index}")
        b2b_session_add(meeting, start=f"{15 + index}:00", tables=2)
    with django_assert_num_queries(10):
        organizer_client.get(URL)


def test_the_new_session_form_posted_untouched_adds_nothing(organizer_client, b2b):
    b2b_kind_session(b2b, start="17:00")
    before = [rows(model) for model in (B2BSession, Slot, Table)]
    response = resubmit(
        organizer_client, f"{URL}sessions/new/", choice={"form_id": "b2b-session-form"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"session": ["This field is required."]}
    assert [rows(model) for model in (B2BSession, Slot, Table)] == before


@pytest.mark.parametrize("count", [1, 3])
def test_the_session_page_query_count_does_not_grow(
    organizer_client, meeting, count, django_assert_num_queries
):
    matchmaking_update(meeting=meeting, enabled=True)
    b2b_session = b2b_session_add(meeting, minutes=20 * count, tables=count)
    for index in range(count):
        ana, ben = person(meeting), person(meeting)
        request = request_create(requester=ana, recipient=ben)
        request_accept(request=request, by=ben, slot_id=slots(meeting)[index].pk)
    with django_assert_num_queries(7):
        organizer_client.get(f"{URL}sessions/{b2b_session.pk}/")
