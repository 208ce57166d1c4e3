"""After the meeting, in a real browser: a participant says how a meeting went on a phone
(nothing scrolls sideways), and the organizers' outcomes page shows it under the security
policy."""

import pytest

from matchmaking.models import MeetingOutcome, Profile
from tests.browser.test_b2b_pages import no_sideways_scroll
from tests.browser.test_csp import log_in, walk
from tests.factories import MeetingOrganizerFactory, UserFactory
from tests.matchmaking.b2b import person, slots
from tests.matchmaking.outcomes import meet, past_b2b_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_participant_records_a_meeting_and_the_organizers_see_it(
    live_server, settings, page, phone, screenshot
):
    settings.SITE_URL = live_server.url
    meeting = past_b2b_meeting(slug="b2b-after", title="Intercluster 2027")
    MeetingOrganizerFactory(meeting=meeting, user=UserFactory(username="b2b-organizer"))
    people = [
        person(meeting, first_name=first, last_name=last)
        for first, last in [("Ana", "García"), ("Ben", "Iturralde"), ("Carla", "\u202eMoreno")]
    ]
    for registration, region in zip(people, ["ES-NC", "ES-AS", "ES-CT"], strict=True):
        Profile.objects.filter(registration=registration).update(region=region)
    ana, ben, carla = people
    first, second = slots(meeting)[:2]
    with_ben = meet(ana, ben, first)
    meet(carla, ana, second)

    phone.goto(f"{live_server.url}{ana.get_absolute_url()}meetings/#past-meetings")
    form = phone.locator(f"#outcome-{with_ben.pk}")
    form.get_by_label("Yes, we met").check()
    form.get_by_label("What came of it").select_option("project_idea")
    form.get_by_label("Note (optional)").fill("A joint proposal for the value-chain call.")
    form.get_by_role("button", name="Save").click()

    assert "Saved: your meeting with Ben Iturralde." in phone.locator(".messages").inner_text()
    outcome = MeetingOutcome.objects.get()
    assert (outcome.registration, outcome.held, outcome.result) == (ana, True, "project_idea")
    no_sideways_scroll(phone)
    screenshot(phone, "b2b-past-meetings-phone")

    log_in(page, live_server, "b2b-organizer", "secret-password")
    url = f"/meetings/{meeting.slug}/manage/b2b/outcomes/"
    assert walk(page, live_server, [url]) == {}
    assert page.locator("[data-stat=held]").inner_text() == "1"
    assert page.locator("[data-stat=answer-rate]").inner_text() == "25.0 %"
    screenshot(page, "orga-b2b-outcomes")
