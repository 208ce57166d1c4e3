"""Speakers and tracks in the workspace, in a real browser: add a speaker, put them in a
session from the board's session page, see a track's colour; no policy violation."""

import io

import pytest
from django.core.management import call_command

from agenda.models import Session, SessionSpeaker, Speaker, Track
from tests.browser.test_csp import log_in, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASE = "/meetings/intercluster-next"


@pytest.fixture
def site(transactional_db, live_server, settings):
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())
    settings.SITE_URL = live_server.url


def test_an_organizer_adds_a_speaker_and_puts_them_in_a_session(
    site, live_server, page, screenshot
):
    log_in(page, live_server, "organizer", "intercluster")
    page.goto(f"{live_server.url}{BASE}/manage/speakers/")
    screenshot(page, "orga-speakers")
    page.get_by_role("link", name="Add a speaker").click()
    page.get_by_label("Name").fill("Lucía Fernández")
    page.get_by_label("Job title").fill("Innovation manager")
    page.get_by_label("Biography").fill("Two lines.\nThe second one.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/manage/speakers/")
    speaker = Speaker.objects.get(meeting__slug="intercluster-next", name="Lucía Fernández")
    assert (speaker.slug, speaker.bio) == ("lucia-fernandez", "Two lines.\nThe second one.")

    session = (
        Session.objects.filter(meeting__slug="intercluster-next", starts_at__isnull=False)
        .exclude(status="cancelled")
        .order_by("starts_at")
        .first()
    )
    page.goto(f"{live_server.url}{BASE}/board/sessions/{session.pk}/")
    form = page.locator("#speaker-add-form")
    form.get_by_label("Speaker").select_option(label="Lucía Fernández")
    form.get_by_label("Role").select_option("moderator")
    form.get_by_role("button", name="Add to the session").click()
    page.wait_for_url(f"**/board/sessions/{session.pk}/#speakers")
    assert SessionSpeaker.objects.filter(session=session, speaker=speaker).get().role == (
        "moderator"
    )
    assert (
        page.locator("#speakers li", has_text="Lucía Fernández").inner_text().count("Moderator")
        == 1
    )
    screenshot(page, "orga-session-speakers")


def test_the_tracks_page_shows_each_colour_under_the_policy(site, live_server, page, screenshot):
    log_in(page, live_server, "organizer", "intercluster")
    problems = walk(
        page,
        live_server,
        [
            f"{BASE}/manage/speakers/",
            f"{BASE}/manage/speakers/new/",
            f"{BASE}/manage/tracks/",
            f"{BASE}/manage/tracks/new/",
        ],
    )
    assert problems == {}
    track = Track.objects.filter(meeting__slug="intercluster-next").order_by("position")[0]
    page.goto(f"{live_server.url}{BASE}/manage/tracks/")
    colour = page.locator(f".track-{track.pk}").evaluate(
        "e => getComputedStyle(e).getPropertyValue('--track').trim()"
    )
    assert colour == track.colour
    screenshot(page, "orga-tracks")
    page.goto(f"{live_server.url}{BASE}/manage/tracks/{track.pk}/")
    assert page.locator("input[name=colour]").get_attribute("type") == "color"
    screenshot(page, "orga-track-form")
