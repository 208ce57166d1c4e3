"""Privacy and hostile text on the B2B pages.

No page shows another participant's email address; text people typed (or rows
written around the forms) with markup, line breaks, control characters, direction
overrides and very long strings is shown escaped, isolated and in full, and never
stops a page.
"""

import pytest
from django.utils.html import escape

from agenda.models import Session
from events.models import Organization
from matchmaking.models import MarketplaceEntry, MeetingRequest, Profile, Sector, Table
from matchmaking.services.requests import request_accept, request_create, request_decline
from matchmaking.services.setup import sector_create
from registrations.models import Registration
from tests.factories import MeetingOrganizerFactory
from tests.matchmaking.b2b import b2b_meeting, first_session, person, slots
from tests.matchmaking.pages import (
    as_participant,
    directory_url,
    marketplace_url,
    my_meetings_url,
    my_profile_url,
    profile_url,
)

pytestmark = pytest.mark.django_db

LONG = "Ω" * 5000
HOSTILE = '<script>alert("x")</script>\u202eevil\u200b\x07\nsecond line & "quotes"'
ONE_LINE_HOSTILE = '<img src=x onerror=alert(1)>\u202eRTL\u200b&"q'
# As long as each one-line column holds: names 100, sector 100, titles and roles 200.
WORD = "Ω" * 60


def every_page(meeting, viewer: Registration, others: list[Registration]) -> dict[str, str]:
    """Every B2B page this person can open, as HTML."""
    browser = as_participant(viewer)
    urls = [
        viewer.get_absolute_url(),
        directory_url(meeting),
        directory_url(meeting) + "?q=a",
        marketplace_url(meeting),
        my_profile_url(viewer),
        my_meetings_url(viewer),
    ] + [profile_url(meeting, other) for other in others]
    pages = {}
    for url in urls:
        response = browser.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def test_no_page_shows_another_participants_email_address():
    meeting = b2b_meeting()
    people = [person(meeting, email=f"private{n}@secret.example") for n in range(4)]
    hidden = person(meeting, listed=False, email="hidden@secret.example")
    ana, ben, cai, dan = people
    request_accept(
        request=request_create(requester=ana, recipient=ben, message="Hi"),
        by=ben,
        slot_id=slots(meeting)[0].pk,
    )
    request_create(requester=cai, recipient=ana)
    request_decline(request=request_create(requester=ana, recipient=dan), by=dan, reason="No")
    for entry_owner in people:
        MarketplaceEntry.objects.create(profile=entry_owner.b2b_profile, kind="offer", title="T")

    for viewer in people:
        others = [other for other in people if other != viewer]
        for url, html in every_page(meeting, viewer, others).items():
            for other in [*others, hidden]:
                assert other.email not in html, (url, other.email)


def test_an_organizer_sees_no_email_address_in_the_directory(organizer, client):
    meeting = b2b_meeting()
    MeetingOrganizerFactory(meeting=meeting, user=organizer)
    people = [person(meeting, email=f"private{n}@secret.example") for n in range(3)]
    client.force_login(organizer)
    for url in [directory_url(meeting), marketplace_url(meeting), profile_url(meeting, people[0])]:
        html = client.get(url).content.decode()
        assert "@secret.example" not in html, url


@pytest.fixture
def hostile_meeting():
    """Hostile text in every field the B2B pages show, written around the forms."""
    meeting = b2b_meeting()
    sector = sector_create(meeting=meeting, name="Energy")
    Sector.objects.filter(pk=sector.pk).update(name=ONE_LINE_HOSTILE)
    for table in Table.objects.filter(b2b_session=first_session(meeting)):
        Table.objects.filter(pk=table.pk).update(name=f"{ONE_LINE_HOSTILE}{table.name}")
    Session.objects.filter(pk=first_session(meeting).session_id).update(title=ONE_LINE_HOSTILE)
    people = []
    for number in range(3):
        registration = person(meeting)
        Registration.objects.filter(pk=registration.pk).update(
            first_name=ONE_LINE_HOSTILE, last_name=f"{number}{WORD}"
        )
        Organization.objects.filter(pk=registration.organization_id).update(
            name=f"{ONE_LINE_HOSTILE} {number}"
        )
        Profile.objects.filter(registration=registration).update(
            role=ONE_LINE_HOSTILE + WORD,
            pitch=HOSTILE + LONG,
            website="javascript:alert(1)",
            languages=["en", "<b>"],
        )
        registration.b2b_profile.sectors.set([sector])
        MarketplaceEntry.objects.create(
            profile=registration.b2b_profile,
            kind="offer",
            title=ONE_LINE_HOSTILE + WORD,
            description=HOSTILE + LONG,
        )
        people.append(Registration.objects.get(pk=registration.pk))
    ana, ben, cai = people
    scheduled = request_create(requester=ben, recipient=ana)
    MeetingRequest.objects.filter(pk=scheduled.pk).update(message=HOSTILE + LONG)
    request_accept(request=scheduled, by=ana, slot_id=slots(meeting)[0].pk)
    waiting = request_create(requester=cai, recipient=ana)
    MeetingRequest.objects.filter(pk=waiting.pk).update(message=HOSTILE + LONG)
    return meeting, people


def test_hostile_text_is_escaped_isolated_and_shown_in_full(hostile_meeting):
    meeting, (ana, ben, cai) = hostile_meeting

    for url, html in every_page(meeting, ana, [ben, cai]).items():
        assert "<script>" not in html, url
        assert "<img src=x" not in html, url
        assert 'href="javascript:' not in html, url
        assert "<b>" not in html, url
        if url != ana.get_absolute_url():
            # Each shown name sits in its own <bdi>, so a direction override stays inside.
            assert f"<bdi>{escape(ONE_LINE_HOSTILE)}" in html, url
    pages = every_page(meeting, ana, [ben, cai])
    assert LONG in pages[profile_url(meeting, ben)]  # the pitch and entry, in full
    assert escape(HOSTILE).replace("\n", "<br>") in pages[profile_url(meeting, ben)]
    assert escape(HOSTILE).replace("\n", "<br>") in pages[my_meetings_url(ana)]
    assert LONG in pages[my_meetings_url(ana)]  # both messages


def test_hostile_text_typed_into_the_forms_is_refused_or_cleaned(hostile_meeting):
    meeting, (ana, ben, _cai) = hostile_meeting
    browser = as_participant(ana)
    base = {"organization": "", "region": "", "website": "", "pitch": "", "listed": "on"}

    refused = browser.post(my_profile_url(ana), {**base, "role": "CEO\u202e"})
    assert refused.status_code == 400
    assert list(refused.context["form"].errors) == ["role"]

    browser.post(
        my_profile_url(ana), {**base, "role": "CEO", "pitch": "We\u202e build\x07\r\nlines"}
    )
    assert Profile.objects.get(registration=ana).pitch == "We build\nlines"

    response = browser.post(
        f"{my_profile_url(ana)}entries/",
        {"kind": "offer", "title": "Line\u202e", "description": ""},
    )
    assert response.status_code == 400
    assert list(response.context["entry_form"].errors) == ["title"]


def test_a_hostile_decline_reason_is_shown_escaped_to_the_requester(hostile_meeting):
    meeting, (ana, _ben, cai) = hostile_meeting
    waiting = MeetingRequest.objects.get(requester=cai, recipient=ana)
    as_participant(ana).post(
        f"{my_meetings_url(ana)}{waiting.pk}/decline/", {"reason": ONE_LINE_HOSTILE}
    )

    html = as_participant(cai).get(my_meetings_url(cai)).content.decode()

    reason = MeetingRequest.objects.get(pk=waiting.pk).decline_reason
    assert "\u202e" not in reason and reason.startswith("<img")
    assert f"<bdi>{escape(reason)}</bdi>" in html
    assert "<img src=x" not in html
