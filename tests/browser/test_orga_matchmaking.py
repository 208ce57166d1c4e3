"""B2B meetings in the workspace, in a real browser: an organizer turns them on, adds a
sector, holds 1:1 meetings in the agenda's B2B session with named tables, and finds the
profiles and requests pages; every page runs under the security policy."""

import datetime as dt

import pytest

from agenda.models import Session
from matchmaking.models import B2BSession, Matchmaking, Sector
from matchmaking.services.requests import request_accept, request_create
from matchmaking.services.setup import b2b_session_configure, matchmaking_update
from tests.browser.test_csp import log_in, walk
from tests.factories import (
    MADRID,
    MeetingFactory,
    MeetingOrganizerFactory,
    SessionFactory,
    UserFactory,
    at,
)
from tests.matchmaking.b2b import person, slots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(transactional_db, live_server, settings):
    settings.SITE_URL = live_server.url
    meeting = MeetingFactory(
        slug="b2b-browser",
        title="Intercluster B2B",
        starts_on=dt.date(2027, 1, 19),
        ends_on=dt.date(2027, 1, 20),
    )
    MeetingOrganizerFactory(meeting=meeting, user=UserFactory(username="b2b-organizer"))
    starts_at = at(meeting, 0, "15:00")
    SessionFactory(
        meeting=meeting,
        title="B2B meetings between clusters",
        kind=Session.Kind.B2B,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
    )
    return meeting


def test_an_organizer_turns_b2b_meetings_on_and_sets_up_a_session(
    site, live_server, page, screenshot
):
    base = f"{live_server.url}/meetings/{site.slug}/manage"
    log_in(page, live_server, "b2b-organizer", "secret-password")
    page.goto(f"{base}/")
    page.get_by_role("navigation", name="Organizer workspace").get_by_role(
        "link", name="B2B meetings"
    ).click()
    page.wait_for_url("**/manage/matchmaking/")
    screenshot(page, "orga-b2b-off")

    form = page.locator("#matchmaking-form")
    form.get_by_label("B2B meetings on").check()
    form.get_by_label("The organizers schedule accepted requests").check()
    form.get_by_label("Requests close").fill("2027-01-18T20:00")
    form.get_by_role("button", name="Save").click()
    page.wait_for_url("**/manage/matchmaking/")
    assert page.locator(".messages").inner_text() == "B2B settings saved."
    matchmaking = Matchmaking.objects.get(meeting=site)
    assert (matchmaking.enabled, matchmaking.scheduling_mode) == (True, "organizers")
    assert matchmaking.closes_at == dt.datetime(2027, 1, 18, 20, tzinfo=MADRID)

    sector_form = page.locator("#sector-add-form")
    sector_form.get_by_label("Sector").fill("Agri-food")
    sector_form.get_by_role("button", name="Add the sector").click()
    page.wait_for_url("**/manage/matchmaking/#sectors")
    assert list(Sector.objects.filter(meeting=site).values_list("name", flat=True)) == ["Agri-food"]

    page.get_by_role("link", name="Hold 1:1 meetings in a B2B session…").click()
    session_form = page.locator("#b2b-session-form")
    session_form.get_by_label("Agenda session").select_option(index=1)
    session_form.get_by_label("Meeting length (minutes)").fill("30")
    session_form.get_by_label("Tables").fill("Mesa Navarra\nMesa Aragón\nMesa Asturias")
    session_form.get_by_label("Most meetings per person").fill("3")
    screenshot(page, "orga-b2b-session-new")
    session_form.get_by_role("button", name="Save").click()
    page.wait_for_url("**/manage/matchmaking/sessions/*/")

    b2b_session = B2BSession.objects.get(meeting=site)
    assert [table.name for table in b2b_session.tables.all()] == [
        "Mesa Navarra",
        "Mesa Aragón",
        "Mesa Asturias",
    ]
    slots_shown = page.locator("table[data-table=slots] tbody td:first-child").all_inner_texts()
    assert slots_shown == ["15:00–15:30", "15:30–16:00", "16:00–16:30", "16:30–17:00"]
    screenshot(page, "orga-b2b-session")

    page.get_by_role("link", name="← B2B meetings").click()
    assert page.locator(f"#b2b-session-{b2b_session.pk} [data-stat=tables]").inner_text() == "3"
    screenshot(page, "orga-b2b-setup")


def test_the_profiles_and_requests_pages_under_the_policy(site, live_server, page, screenshot):
    matchmaking_update(meeting=site, enabled=True, profiles_need_validation=True)
    b2b_session_configure(session=Session.objects.get(meeting=site), slot_minutes=20, tables=4)
    people = [
        person(site, first_name=first, last_name=last)
        for first, last in [("Ana", "García"), ("Ben", "Iturralde"), ("Carla", "\u202eMoreno")]
    ]
    matchmaking_update(meeting=site, profiles_need_validation=False)
    request = request_create(requester=people[0], recipient=people[1], message="Energy project?")
    request_accept(request=request, by=people[1], slot_id=slots(site)[2].pk)
    request_create(requester=people[2], recipient=people[0], message="Shall we meet?")
    matchmaking_update(meeting=site, profiles_need_validation=True)

    log_in(page, live_server, "b2b-organizer", "secret-password")
    base = f"/meetings/{site.slug}/manage/matchmaking"
    problems = walk(
        page,
        live_server,
        [
            f"{base}/",
            f"{base}/sessions/new/",
            f"{base}/sessions/{B2BSession.objects.get().pk}/",
            f"{base}/profiles/",
            f"{base}/requests/",
            f"{base}/requests/{request.pk}/cancel/",
            f"{base}/requests/{request.pk}/schedule/",
        ],
    )
    assert problems == {}

    page.goto(f"{live_server.url}{base}/profiles/")
    assert page.locator("[data-stat=waiting]").inner_text() == "3"
    screenshot(page, "orga-b2b-profiles")
    page.locator(f"#profile-{people[0].b2b_profile.pk} button").click()
    assert page.locator(".messages").inner_text() == "1 profile validated."

    page.goto(f"{live_server.url}{base}/requests/")
    screenshot(page, "orga-b2b-requests")
    page.locator(f"#request-{request.pk}").get_by_role("link", name="Cancel…").click()
    assert "This will email 2 people." in page.locator(".confirm").inner_text()
    screenshot(page, "orga-b2b-request-cancel")
