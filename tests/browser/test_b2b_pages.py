"""B2B meetings in a real browser: directory → request → accept → the same meeting on both
sides.

Ana opens her private link, goes to the participants, finds Ben by searching, asks
him for a meeting with a message; Ben opens his private link, sees the request on
"my meetings", accepts it at a time both are free; both "my meetings" pages then
show the meeting at the same time at the same table. The directory, a profile and
"my meetings" are photographed on a desktop and on a 390-pixel phone, where
nothing may scroll sideways.
"""

import pytest
from django.conf import settings
from icalendar import Calendar

from matchmaking.models import MarketplaceEntry, MeetingRequest, Profile
from matchmaking.services.setup import sector_create
from tests.factories import OrganizationFactory, RegistrationFactory
from tests.matchmaking.b2b import b2b_meeting, slots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = [
    ("Ana", "Pérez", "Clúster TIC de Navarra", "ES-NC", "Innovation manager"),
    ("Ben", "Urrutia", "MetaIndustry4", "ES-AS", "Project coordinator"),
    ("Carla", "Soler", "Clúster de la Energía de Cataluña", "ES-CT", "Director"),
    ("Diego", "Martín", "Aragón Plataforma Logística", "ES-AR", "International projects"),
    ("Elena", "Gómez", "Clúster Marítimo de Canarias", "ES-CN", "CEO"),
]


def make_people(meeting):
    energy = sector_create(meeting=meeting, name="Energy")
    industry = sector_create(meeting=meeting, name="Advanced manufacturing")
    people = {}
    for first, last, organisation, region, role in PEOPLE:
        registration = RegistrationFactory(
            meeting=meeting,
            first_name=first,
            last_name=last,
            email=f"{first.lower()}@example.org",
            organization=OrganizationFactory(name=organisation, region=region),
            region=region,
        )
        profile = Profile.objects.create(
            registration=registration,
            meeting=meeting,
            organization=registration.organization,
            role=role,
            region=region,
            pitch=(
                f"{organisation} brings together companies and research centres. We look for "
                "partners for European projects on digital value chains and energy efficiency."
            ),
            languages=["es", "en"],
            listed=True,
        )
        profile.sectors.set([industry] if first != "Carla" else [energy, industry])
        MarketplaceEntry.objects.create(
            profile=profile,
            kind="offer",
            title=f"Pilot plants at {organisation}",
            description="Test lines for 5G-connected robots, open to partner SMEs.",
        )
        people[first] = registration
    # Someone who typed one very long word everywhere (and a direction override, written
    # around the forms): it wraps inside its card on a phone.
    long = RegistrationFactory(
        meeting=meeting, first_name="Zoë\u202e", last_name="X" * 100, email="zoe@example.org"
    )
    Profile.objects.create(
        registration=long, meeting=meeting, role="R" * 200, pitch="P" * 600, listed=True
    )
    MarketplaceEntry.objects.create(profile=long.b2b_profile, kind="request", title="T" * 200)
    people["Zoë"] = long
    MarketplaceEntry.objects.create(
        profile=people["Ben"].b2b_profile,
        kind="cooperation",
        title="Integral solutions for value chains",
        description="A joint Horizon Europe proposal with two more clusters.",
    )
    return people


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_find_request_accept_then_both_see_the_same_meeting(live_server, page, phone, screenshot):
    meeting = b2b_meeting(tables=["Table A", "Table B"])
    people = make_people(meeting)
    ana, ben = people["Ana"], people["Ben"]
    second_slot = slots(meeting)[1]

    # Ana: private link → participants → search → Ben's profile → request.
    page.goto(live_server.url + ana.get_absolute_url())
    section = page.locator("#b2b")
    assert "B2B meetings" in section.inner_text()
    screenshot(page, "b2b-private-link-desktop")
    section.get_by_role("link", name="Participants").click()
    page.wait_for_url("**/participants/")
    assert page.locator(".person-card").count() == 5  # everyone but Ana
    assert "ana@example.org" not in page.content() and "ben@example.org" not in page.content()
    screenshot(page, "b2b-directory-desktop")
    page.get_by_label("Search").fill("metaindustry4")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/participants/?q=metaindustry4*")
    assert page.locator(".person-card").count() == 1
    page.locator(".person-card").get_by_role("link", name="Ben Urrutia").click()
    page.wait_for_url("**/participants/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ben Urrutia"
    assert "Integral solutions for value chains" in page.content()
    screenshot(page, "b2b-profile-desktop")
    page.get_by_label("Message").fill("Hola Ben,\nlet us talk about the value-chain project.")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_selector("text=Your request is sent to Ben Urrutia.")
    assert "You already have a request with this person" in page.content()

    # Ben: private link → my meetings → accept at the second slot.
    ben_page = page.context.browser.new_page(viewport={"width": 1280, "height": 900})
    ben_page.goto(live_server.url + ben.get_absolute_url())
    assert "1 waiting for your answer" in ben_page.locator("#b2b").inner_text()
    ben_page.locator("#b2b").get_by_role("link", name="My meetings").click()
    ben_page.wait_for_url("**/meetings/")
    request = ben_page.locator("article.request", has_text="Ana Pérez")
    assert "let us talk about the value-chain project." in request.inner_text()
    screenshot(ben_page, "b2b-my-meetings-request-desktop")
    request.get_by_label("Time").select_option(str(second_slot.pk))
    request.get_by_role("button", name="Accept at this time").click()
    ben_page.wait_for_selector("text=You accepted the meeting with Ana Pérez.")
    ben_meeting = ben_page.locator("#scheduled-heading ~ article.scheduled").inner_text()
    screenshot(ben_page, "b2b-my-meetings-desktop")
    ben_page.get_by_role("link", name="My profile").click()
    ben_page.wait_for_url("**/profile/")
    screenshot(ben_page, "b2b-my-profile-desktop")
    ben_page.close()

    # Ana's side shows the same meeting: same time, same table.
    page.goto(live_server.url + ana.get_absolute_url() + "meetings/")
    ana_meeting = page.locator("#scheduled-heading ~ article.scheduled").inner_text()
    when = "15:20–15:40"
    assert when in ben_meeting and when in ana_meeting
    assert "Table Table A" not in ana_meeting  # the table's own name, said once
    assert "Table A" in ben_meeting and "Table A" in ana_meeting
    assert "Ben Urrutia" in ana_meeting and "Ana Pérez" in ben_meeting
    request = MeetingRequest.objects.get()
    assert (request.status, request.slot, request.table.name) == (
        "scheduled",
        second_slot,
        "Table A",
    )

    # Both calendars: each downloads their agenda from their private link page; the same
    # meeting (one UID) at the same instant, at the table, naming the other person.
    events = {}
    for person, other in ((ana, "Ben Urrutia"), (ben, "Ana Pérez")):
        page.goto(live_server.url + person.get_absolute_url())
        href = page.locator("#personal-calendar a[download]").get_attribute("href")
        feed = page.request.get(live_server.url + href)
        assert feed.status == 200
        calendar = Calendar.from_ical(feed.body())
        (event,) = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("b2b-")]
        assert other in str(event["SUMMARY"]) and "Table A" in str(event["LOCATION"])
        assert b"@example.org" not in feed.body().replace(person.email.encode(), b"")
        events[person.pk] = event
    first, second = events.values()
    assert str(first["UID"]) == str(second["UID"]) == f"b2b-{request.pk}@{settings.SITE_DOMAIN}"
    assert first.decoded("DTSTART") == second.decoded("DTSTART") == second_slot.starts_at
    assert first.decoded("DTEND") == second_slot.ends_at

    # On a phone: the same pages, nothing scrolls sideways.
    phone.goto(live_server.url + ben.get_absolute_url())  # remembers Ben in this browser
    for url, name in [
        (f"/meetings/{meeting.slug}/participants/", "b2b-directory-phone"),
        (f"/meetings/{meeting.slug}/participants/{ana.b2b_profile.pk}/", "b2b-profile-phone"),
        (
            f"/meetings/{meeting.slug}/participants/{people['Zoë'].b2b_profile.pk}/",
            "b2b-long-profile-phone",
        ),
        (f"/meetings/{meeting.slug}/marketplace/", "b2b-marketplace-phone"),
        (ben.get_absolute_url() + "meetings/", "b2b-my-meetings-phone"),
        (ben.get_absolute_url() + "profile/", "b2b-my-profile-phone"),
    ]:
        phone.goto(live_server.url + url)
        assert phone.url.endswith(url)
        no_sideways_scroll(phone)
        screenshot(phone, name)
