"""The directory and the marketplace: search, filters, paging, who appears, query counts."""

import re

import pytest
from django.utils import timezone

from events.models import Organization
from matchmaking.models import MarketplaceEntry, Profile
from matchmaking.services.setup import matchmaking_update, sector_create
from tests.factories import MeetingOrganizerFactory, OrganizationFactory, RegistrationFactory
from tests.matchmaking.b2b import b2b_meeting, person
from tests.matchmaking.pages import (
    as_participant,
    directory_url,
    marketplace_url,
)
from tests.roundtrip import submit

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    """The people on a directory page, in order."""
    return re.findall(r'<h2><a href="[^"]+"><bdi>([^<]+)</bdi></a></h2>', response.content.decode())


def entry_titles(response) -> list[str]:
    return re.findall(r"</span> <bdi>([^<]+)</bdi></h3>", response.content.decode())


@pytest.fixture
def meeting():
    return b2b_meeting()


@pytest.fixture
def viewer(meeting):
    return as_participant(person(meeting, first_name="Viewer", last_name="Zz"))


def test_listed_confirmed_people_appear_by_name_others_never(meeting, viewer):
    person(meeting, first_name="Ana", last_name="Arrieta")
    person(meeting, first_name="Ben", last_name="Barrena")
    person(meeting, first_name="Unlisted", last_name="Person", listed=False)
    person(meeting, first_name="Waiting", last_name="Person", status="waitlisted")
    person(meeting, first_name="Pending", last_name="Person", status="pending")
    person(meeting, first_name="Cancelled", last_name="Person", status="cancelled")
    RegistrationFactory(meeting=meeting, first_name="No", last_name="Profile")
    person(b2b_meeting(), first_name="Other", last_name="Meeting")

    response = viewer.get(directory_url(meeting))

    assert response.status_code == 200
    assert names(response) == ["Ana Arrieta", "Ben Barrena"]  # not the viewer either
    html = response.content.decode()
    for hidden in ("Unlisted", "Waiting", "Pending", "Cancelled", "No Profile", "Other Meeting"):
        assert hidden not in html
    assert "2 participants" in html


def test_with_validation_on_only_validated_profiles_appear(meeting, viewer):
    matchmaking_update(meeting=meeting, profiles_need_validation=True)
    ana = person(meeting, first_name="Ana", last_name="Valid")
    Profile.objects.filter(registration=ana).update(validated_at=timezone.now())
    person(meeting, first_name="Ben", last_name="Notyet")
    MarketplaceEntry.objects.create(profile=ana.b2b_profile, kind="offer", title="Seen")
    MarketplaceEntry.objects.create(
        profile=Profile.objects.get(registration__last_name="Notyet"), kind="offer", title="Unseen"
    )

    assert names(viewer.get(directory_url(meeting))) == ["Ana Valid"]
    assert entry_titles(viewer.get(marketplace_url(meeting))) == ["Seen"]
    assert names(viewer.get(directory_url(meeting) + "?q=notyet")) == []


def test_search_finds_name_organisation_pitch_and_marketplace_text(meeting, viewer):
    ana = person(meeting, first_name="Ana", last_name="Arrieta")
    ben = person(meeting, first_name="Ben", last_name="Barrena")
    cai = person(meeting, first_name="Cai", last_name="Cortés")
    Organization.objects.filter(pk=ben.organization_id).update(name="MetaIndustry4")
    Profile.objects.filter(registration=cai).update(pitch="Hydrogen valleys and ports.")
    MarketplaceEntry.objects.create(
        profile=ana.b2b_profile, kind="offer", title="Pilot line", description="Cobots for SMEs"
    )

    def found(q):
        return names(viewer.get(directory_url(meeting), {"q": q}))

    assert found("arrieta") == ["Ana Arrieta"]
    assert found("metaindustry") == ["Ben Barrena"]
    assert found("HYDROGEN ports") == ["Cai Cortés"]
    assert found("cobots") == ["Ana Arrieta"]
    assert found("cobots hydrogen") == []
    assert found("nothing-like-this") == []


def test_unlisted_people_are_never_found_by_search(meeting, viewer):
    hidden = person(meeting, first_name="Secret", last_name="Hidden", listed=False)
    MarketplaceEntry.objects.create(profile=hidden.b2b_profile, kind="offer", title="Secret plan")

    assert names(viewer.get(directory_url(meeting), {"q": "secret"})) == []
    assert entry_titles(viewer.get(marketplace_url(meeting), {"q": "secret"})) == []
    assert "Secret" not in viewer.get(marketplace_url(meeting)).content.decode()


def test_filters_by_region_sector_organisation_kind_and_entry_type(meeting, viewer):
    energy = sector_create(meeting=meeting, name="Energy")
    ana = person(meeting, first_name="Ana", last_name="Arrieta")
    ben = person(meeting, first_name="Ben", last_name="Barrena")
    Profile.objects.filter(registration=ana).update(region="ES-AS")
    ana.b2b_profile.sectors.set([energy])
    Organization.objects.filter(pk=ben.organization_id).update(kind="company")
    MarketplaceEntry.objects.create(profile=ben.b2b_profile, kind="request", title="Partners")

    def found(**filters):
        return names(viewer.get(directory_url(meeting), filters))

    assert found(region="ES-AS") == ["Ana Arrieta"]
    assert found(sector=energy.pk) == ["Ana Arrieta"]
    assert found(organization_kind="company") == ["Ben Barrena"]
    assert found(entry_kind="request") == ["Ben Barrena"]
    assert found(entry_kind="offer") == []
    assert found(region="ES-AS", organization_kind="company") == []


def test_a_bad_filter_value_is_shown_and_left_out(meeting, viewer):
    person(meeting, first_name="Ana", last_name="Arrieta")
    other_meetings_sector = sector_create(meeting=b2b_meeting(), name="Elsewhere")

    response = viewer.get(
        directory_url(meeting), {"region": "XX", "sector": other_meetings_sector.pk}
    )

    assert response.status_code == 200
    assert names(response) == ["Ana Arrieta"]
    assert response.context["form"].errors.keys() == {"region", "sector"}
    assert "Select a valid choice." in response.content.decode()


def test_the_sector_filter_offers_only_this_meetings_sectors(meeting, viewer):
    sector_create(meeting=meeting, name="Energy")
    sector_create(meeting=b2b_meeting(), name="Elsewhere sector")

    html = viewer.get(directory_url(meeting)).content.decode()

    assert ">Energy</option>" in html
    assert "Elsewhere sector" not in html


def test_24_people_a_page_and_the_page_links_keep_the_filters(meeting, viewer):
    for number in range(30):
        person(meeting, first_name="Ana", last_name=f"Person{number:02d}")

    first = viewer.get(directory_url(meeting), {"q": "ana"})
    second = viewer.get(directory_url(meeting), {"q": "ana", "page": 2})

    assert len(names(first)) == 24 and len(names(second)) == 6
    assert set(names(first)).isdisjoint(names(second))
    assert 'href="?q=ana&amp;page=2"' in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()
    assert names(viewer.get(directory_url(meeting), {"page": "junk"})) == names(first)


def test_the_search_form_submitted_as_shown_finds_the_same_people(meeting, viewer):
    person(meeting, first_name="Ana", last_name="Arrieta", region="ES-NC")
    person(meeting, first_name="Ben", last_name="Barrena")
    Profile.objects.filter(registration__last_name="Arrieta").update(region="ES-NC")
    page = viewer.get(directory_url(meeting), {"q": "arr", "region": "ES-NC"})

    again = submit(viewer, page, "filters")

    assert names(again) == names(page) == ["Ana Arrieta"]
    assert again.context["form"].cleaned_data == page.context["form"].cleaned_data


def test_the_marketplace_lists_entries_of_visible_profiles_with_filters(meeting, viewer):
    ana = person(meeting, first_name="Ana", last_name="Arrieta")
    ben = person(meeting, first_name="Ben", last_name="Barrena")
    hidden = person(meeting, listed=False)
    MarketplaceEntry.objects.create(profile=ana.b2b_profile, kind="offer", title="Test lines")
    MarketplaceEntry.objects.create(profile=ben.b2b_profile, kind="request", title="Partners")
    MarketplaceEntry.objects.create(profile=hidden.b2b_profile, kind="offer", title="Hidden")

    everything = viewer.get(marketplace_url(meeting))
    requests = viewer.get(marketplace_url(meeting), {"entry_kind": "request"})

    assert entry_titles(everything) == ["Partners", "Test lines"]  # newest first
    assert entry_titles(requests) == ["Partners"]
    assert f"/participants/{ben.b2b_profile.pk}/" in requests.content.decode()
    assert "2 entries" in everything.content.decode()


def _directory_with(meeting, count: int) -> None:
    energy = sector_create(meeting=meeting, name=f"Energy {count}")
    for number in range(count):
        registration = person(meeting, first_name="P", last_name=f"{count}-{number:02d}")
        registration.b2b_profile.sectors.set([energy])
        MarketplaceEntry.objects.create(
            profile=registration.b2b_profile, kind="offer", title=f"Offer {number}"
        )


@pytest.mark.parametrize("url", [directory_url, marketplace_url])
def test_the_query_count_does_not_grow_with_the_people(url, django_assert_max_num_queries):
    counts = []
    for size in (5, 30):
        meeting = b2b_meeting()
        _directory_with(meeting, size)
        browser = as_participant(person(meeting))
        with django_assert_max_num_queries(20) as captured:
            response = browser.get(url(meeting), {"q": "p"})
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_an_organizer_sees_everyone_visible_and_is_told_why(meeting, organizer, client):
    MeetingOrganizerFactory(meeting=meeting, user=organizer)
    person(meeting, first_name="Ana", last_name="Arrieta")
    client.force_login(organizer)

    response = client.get(directory_url(meeting))

    assert names(response) == ["Ana Arrieta"]
    assert "You see this list as an organizer" in response.content.decode()
    assert "Forget me on this device" not in response.content.decode()


def test_a_person_typed_organisation_is_shown_when_no_organisation_is_linked(meeting, viewer):
    registration = RegistrationFactory(
        meeting=meeting, first_name="Ana", last_name="Typed", organization_name="Typed Cluster"
    )
    Profile.objects.create(registration=registration, meeting=meeting, listed=True)
    OrganizationFactory(name="Unrelated")

    assert "Typed Cluster" in viewer.get(directory_url(meeting)).content.decode()
