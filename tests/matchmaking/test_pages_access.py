"""Who may open the B2B pages: the permission matrix, the remembered identity, the headers."""

import pytest
from django.test import Client

from matchmaking.models import MarketplaceEntry, MeetingRequest
from matchmaking.services.requests import request_create
from matchmaking.services.setup import matchmaking_update
from registrations.identity import SESSION_KEY
from registrations.services import registration_token_rotate
from tests.factories import MeetingFactory, MeetingOrganizerFactory, UserFactory
from tests.matchmaking.b2b import b2b_meeting, person
from tests.matchmaking.pages import (
    as_participant,
    directory_url,
    marketplace_url,
    my_meetings_url,
    my_profile_url,
    profile_url,
)

pytestmark = pytest.mark.django_db

LET_IN = "Participants"
HOW_TO_GET_IN = "Open the private link from your registration email"


def directory_pages(meeting, listed) -> list[str]:
    return [directory_url(meeting), marketplace_url(meeting), profile_url(meeting, listed)]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def b2b(organizer):
    meeting = b2b_meeting()
    MeetingOrganizerFactory(meeting=meeting, user=organizer)
    ben = person(meeting, first_name="Ben", last_name="Zubizarreta")
    MarketplaceEntry.objects.create(profile=ben.b2b_profile, kind="offer", title="Test lines")
    return meeting, ben


def test_anonymous_visitors_get_a_403_page_that_says_how_to_get_in(client, b2b):
    meeting, ben = b2b
    for url in directory_pages(meeting, ben):
        response = client.get(url)
        assert response.status_code == 403, url
        assert HOW_TO_GET_IN in response.content.decode()
        assert "Zubizarreta" not in response.content.decode()


@pytest.mark.parametrize("status", ["pending", "waitlisted", "cancelled", "rejected"])
def test_people_not_confirmed_get_a_403_page(b2b, status):
    meeting, ben = b2b
    ana = person(meeting, status=status)
    browser = as_participant(ana)
    for url in directory_pages(meeting, ben):
        response = browser.get(url)
        assert response.status_code == 403, url
        assert "Zubizarreta" not in response.content.decode()


def test_a_participant_of_another_meeting_gets_a_403(b2b):
    meeting, ben = b2b
    other = b2b_meeting()
    stranger = person(other)
    browser = as_participant(stranger)
    assert browser.get(directory_url(other)).status_code == 200
    for url in directory_pages(meeting, ben):
        response = browser.get(url)
        assert response.status_code == 403, url
        assert HOW_TO_GET_IN in response.content.decode()


def test_another_meetings_profile_is_a_404_even_for_its_own_participants(b2b):
    meeting, ben = b2b
    other = b2b_meeting()
    browser = as_participant(person(other))
    url = f"/meetings/{other.slug}/participants/{ben.b2b_profile.pk}/"
    assert browser.get(url).status_code == 404


def test_confirmed_participants_unlisted_ones_too_may_browse(b2b):
    meeting, ben = b2b
    for ana in (person(meeting), person(meeting, listed=False)):
        browser = as_participant(ana)
        for url in directory_pages(meeting, ben):
            response = browser.get(url)
            assert response.status_code == 200, url
            assert "Zubizarreta" in response.content.decode()


def test_an_organizer_sees_the_directory_but_cannot_ask(b2b, organizer):
    meeting, ben = b2b
    browser = logged_in(organizer)
    for url in directory_pages(meeting, ben):
        assert browser.get(url).status_code == 200, url
    page = browser.get(profile_url(meeting, ben)).content.decode()
    assert "Organizers see the directory but cannot ask for meetings" in page
    assert 'id="request-form"' not in page

    response = browser.post(profile_url(meeting, ben), {"message": "Hello"})

    assert response.status_code == 403
    assert MeetingRequest.objects.count() == 0


def test_an_organizer_of_another_meeting_gets_a_403(b2b):
    meeting, ben = b2b
    elsewhere = UserFactory()
    MeetingOrganizerFactory(meeting=MeetingFactory(), user=elsewhere)
    browser = logged_in(elsewhere)
    for url in directory_pages(meeting, ben):
        assert browser.get(url).status_code == 403, url


@pytest.mark.parametrize(
    "hidden", ["unlisted", "waitlisted", "unvalidated", "matchmaking-off-then-on-elsewhere"]
)
def test_a_profile_others_may_not_see_is_a_404_on_its_page(b2b, hidden):
    meeting, _ben = b2b
    viewer = as_participant(person(meeting))
    if hidden == "unlisted":
        other = person(meeting, listed=False)
    elif hidden == "waitlisted":
        other = person(meeting, status="waitlisted")
    elif hidden == "unvalidated":
        matchmaking_update(meeting=meeting, profiles_need_validation=True)
        other = person(meeting)
    else:
        other = person(b2b_meeting())
    url = f"/meetings/{meeting.slug}/participants/{other.b2b_profile.pk}/"
    assert viewer.get(url).status_code == 404


def test_without_matchmaking_the_pages_are_404_and_the_private_link_has_no_b2b_section(b2b):
    meeting, ben = b2b
    matchmaking_update(meeting=meeting, enabled=False)
    browser = as_participant(ben)
    for url in [*directory_pages(meeting, ben), my_profile_url(ben), my_meetings_url(ben)]:
        assert browser.get(url).status_code == 404, url
    assert 'id="b2b"' not in browser.get(ben.get_absolute_url()).content.decode()


def test_a_draft_meeting_is_a_404_for_its_participants(b2b):
    meeting, ben = b2b
    browser = as_participant(ben)
    meeting.status = "draft"
    meeting.save()
    assert browser.get(directory_url(meeting)).status_code == 404


def test_every_b2b_page_is_private_uncached_and_unindexed(b2b, client):
    meeting, ben = b2b
    browser = as_participant(ben)
    other = person(meeting)
    urls = [
        directory_url(meeting),
        marketplace_url(meeting),
        profile_url(meeting, other),
        my_profile_url(ben),
        my_meetings_url(ben),
    ]
    responses = [browser.get(url) for url in urls] + [client.get(directory_url(meeting))]
    for response in responses:
        assert response.status_code in (200, 403)
        assert response["X-Robots-Tag"] == "noindex"
        assert response["Referrer-Policy"] == "same-origin"
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_opening_the_private_link_remembers_the_person_under_a_new_session_key(b2b):
    meeting, ben = b2b
    browser = Client()
    browser.get(directory_url(meeting))
    browser.session.save()
    before = browser.session.session_key
    browser.get(ben.get_absolute_url())

    assert browser.session.session_key != before
    assert browser.session[SESSION_KEY] == {str(meeting.pk): ben.token_hash}
    assert browser.get(directory_url(meeting)).status_code == 200


def test_resetting_the_private_link_forgets_the_person_in_every_browser(b2b):
    meeting, ben = b2b
    laptop, phone = as_participant(ben), as_participant(ben)

    registration_token_rotate(registration=ben)

    for browser in (laptop, phone):
        response = browser.get(directory_url(meeting))
        assert response.status_code == 403
        assert HOW_TO_GET_IN in response.content.decode()


def test_forget_me_on_this_device_ends_the_browsing_but_not_the_link(b2b):
    meeting, ben = b2b
    browser = as_participant(ben)
    page = browser.get(directory_url(meeting)).content.decode()
    assert "Forget me on this device" in page

    response = browser.post(f"/meetings/{meeting.slug}/forget-me/", follow=True)

    assert response.redirect_chain == [(meeting.get_absolute_url(), 302)]
    assert "This browser no longer remembers you" in response.content.decode()
    assert browser.get(directory_url(meeting)).status_code == 403
    assert browser.get(ben.get_absolute_url()).status_code == 200
    assert browser.get(directory_url(meeting)).status_code == 200


def test_forget_me_answers_get_with_405(b2b):
    meeting, ben = b2b
    assert as_participant(ben).get(f"/meetings/{meeting.slug}/forget-me/").status_code == 405


def test_one_browser_remembers_one_person_per_meeting(b2b):
    meeting, ben = b2b
    other = b2b_meeting()
    ana = person(other)
    browser = as_participant(ben)
    browser.get(ana.get_absolute_url())

    assert browser.get(directory_url(meeting)).status_code == 200
    assert browser.get(directory_url(other)).status_code == 200
    assert browser.session[SESSION_KEY] == {
        str(meeting.pk): ben.token_hash,
        str(other.pk): ana.token_hash,
    }


def test_the_private_link_shows_the_b2b_links_and_the_requests_waiting(b2b):
    meeting, ben = b2b
    request_create(requester=person(meeting), recipient=ben)
    request_create(requester=person(meeting), recipient=ben)

    page = as_participant(ben).get(ben.get_absolute_url()).content.decode()

    assert 'id="b2b"' in page
    for url in (my_profile_url(ben), directory_url(meeting), marketplace_url(meeting)):
        assert f'href="{url}"' in page
    assert f'href="{my_meetings_url(ben)}"' in page
    assert "2 waiting for your answer" in page


def test_a_waitlisted_person_can_fill_a_profile_but_not_browse(b2b):
    meeting, _ben = b2b
    ana = person(meeting, status="waitlisted")
    browser = as_participant(ana)

    page = browser.get(ana.get_absolute_url()).content.decode()

    assert f'href="{my_profile_url(ana)}"' in page
    assert f'href="{directory_url(meeting)}"' not in page
    assert "The participants' list opens when your registration is confirmed" in page
    assert browser.get(my_profile_url(ana)).status_code == 200
    assert browser.get(my_meetings_url(ana)).status_code == 200


def test_a_cancelled_person_has_no_profile_page_but_keeps_their_meetings_history(b2b):
    meeting, _ben = b2b
    ana = person(meeting, status="cancelled")
    browser = as_participant(ana)

    response = browser.get(my_profile_url(ana))

    assert response.status_code == 403
    assert "This registration is cancelled." in response.content.decode()
    assert browser.get(my_meetings_url(ana)).status_code == 200


def test_a_bad_token_is_a_404_on_the_private_pages(client, b2b):
    for url in ("/r/not-a-token/profile/", "/r/not-a-token/meetings/"):
        assert client.get(url).status_code == 404


def test_someone_elses_request_or_entry_is_a_404(b2b):
    meeting, ben = b2b
    ana, cai = person(meeting), person(meeting)
    theirs = request_create(requester=cai, recipient=ben)
    entry = ben.b2b_profile.entries.get()
    browser = as_participant(ana)

    for action in ("accept", "decline", "cancel"):
        response = browser.post(f"{my_meetings_url(ana)}{theirs.pk}/{action}/")
        assert response.status_code == 404, action
    assert browser.get(f"{my_profile_url(ana)}entries/{entry.pk}/").status_code == 404
    assert browser.post(f"{my_profile_url(ana)}entries/{entry.pk}/delete/").status_code == 404
    assert MeetingRequest.objects.get(pk=theirs.pk).status == "requested"
    assert MarketplaceEntry.objects.filter(pk=entry.pk).exists()
