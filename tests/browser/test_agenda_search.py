"""Search and seats in a real browser: the search box, its results, and a full workshop."""

import pytest

from agenda.models import Session
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    SessionBookingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    at,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FULL = "Full – join the waitlist"


@pytest.fixture
def meeting(live_server):
    meeting = MeetingFactory(slug="pamplona", title="Intercluster Pamplona")
    asturias = OrganizationFactory(name="MetaIndustry4 Asturias Cluster", short_name="MI4")
    SessionSpeakerFactory(
        session=SessionFactory(
            meeting=meeting,
            title="Consorcios de hidrógeno verde",
            abstract="Proyectos europeos entre clusters.",
            starts_at=at(meeting, 0, "09:30"),
        ),
        speaker=SpeakerFactory(
            meeting=meeting,
            slug="ana",
            name="Ana Fernández",
            job_title="Directora \u202egerente",
            organization=asturias,
        ),
    )
    full = SessionFactory(
        meeting=meeting,
        title="Workshop: from first contact to joint project",
        kind=Session.Kind.WORKSHOP,
        requires_booking=True,
        capacity=1,
        starts_at=at(meeting, 0, "11:15"),
    )
    SessionBookingFactory(session=full, registration__meeting=meeting)
    roomy = SessionFactory(
        meeting=meeting,
        title="Workshop: European funding",
        kind=Session.Kind.WORKSHOP,
        requires_booking=True,
        capacity=3,
        starts_at=at(meeting, 0, "11:15"),
    )
    SessionBookingFactory(session=roomy, registration__meeting=meeting)
    SessionFactory(
        meeting=meeting,
        title="Workshop: called off",
        requires_booking=True,
        capacity=5,
        status=Session.Status.CANCELLED,
        starts_at=at(meeting, 0, "16:00"),
    )
    meeting.full_workshop = full
    return meeting


def test_search_box_and_full_workshop(meeting, live_server, page, phone, screenshot):
    """Type a word of her organisation in the agenda's search box, see her, open her page;
    the full workshop says so on the agenda, its page and the registration form, and the
    search results read on a phone."""
    base = f"{live_server.url}/meetings/{meeting.slug}"
    page.goto(f"{base}/agenda/")
    cards = page.locator("article.session-card")
    assert cards.filter(has_text="from first contact").get_by_text(FULL).is_visible()
    assert cards.filter(has_text="European funding").get_by_text("2 seats left").is_visible()
    called_off = cards.filter(has_text="called off")
    assert called_off.get_by_text("Cancelled").is_visible()
    assert called_off.get_by_text("seats left").count() == 0
    screenshot(page, "agenda-seats")

    page.get_by_label("Search sessions, speakers and organisations").fill("asturias")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/search/?q=asturias")
    assert page.get_by_role("status").inner_text() == "2 results for “asturias”"
    assert page.get_by_role("heading", name="Organisations").is_visible()
    assert page.get_by_label("Search sessions, speakers and organisations").input_value() == (
        "asturias"
    )
    screenshot(page, "search-results")
    page.get_by_role("region", name="Speakers").get_by_role("link", name="Ana Fernández").click()
    page.wait_for_url("**/speakers/ana/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ana Fernández"

    page.goto(f"{base}/sessions/{meeting.full_workshop.pk}/")
    assert page.get_by_text(FULL).is_visible()
    assert page.get_by_role("link", name="Register").is_visible()
    screenshot(page, "session-full")
    page.goto(f"{base}/register/")
    choice = page.locator("label.choice").filter(has_text="from first contact")
    assert choice.get_by_text(FULL).is_visible()
    assert page.locator("label.choice").filter(has_text="called off").count() == 0
    screenshot(page, "register-full")

    phone.goto(f"{base}/")
    screenshot(phone, "meeting-search-box-phone")
    phone.get_by_label("Search sessions, speakers and organisations").fill("hidrógeno")
    phone.get_by_label("Search sessions, speakers and organisations").press("Enter")
    phone.wait_for_url("**/search/?q=*")
    assert phone.get_by_role("status").inner_text() == "1 result for “hidrógeno”"
    assert phone.get_by_role("link", name="Consorcios de hidrógeno verde").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "search-results-phone")
