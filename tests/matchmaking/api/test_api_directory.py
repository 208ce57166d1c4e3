"""The directory and the marketplace through the API: only the profiles others may see,
searched and filtered, paged — and no email address of anybody else, anywhere."""

import pytest
from django.utils import timezone

from events.models import Organization
from events.regions import Region
from matchmaking.models import MarketplaceEntry, Matchmaking, Sector
from matchmaking.services.requests import request_accept, request_create
from tests.factories import OrganizationFactory
from tests.matchmaking.api.conftest import b2b_url, organizer_api, participant_api
from tests.matchmaking.b2b import first_session, person, slots

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["name"] for row in response.json()["results"]]


@pytest.fixture
def crowd(meeting, ana):
    """Ana looks at: Ben (a company in Navarra, energy, an offer), Cai (a cluster in the
    Basque Country, a request), and three people she must never see."""
    energy = Sector.objects.create(meeting=meeting, name="Energy")
    ben = person(meeting, first_name="Ben", last_name="Arrieta", email="ben@ben-private.example")
    ben.b2b_profile.organization = OrganizationFactory(
        name="Hydrogen Works", kind=Organization.Kind.COMPANY
    )
    ben.b2b_profile.region = Region.NAVARRA
    ben.b2b_profile.save()
    ben.b2b_profile.sectors.add(energy)
    MarketplaceEntry.objects.create(
        profile=ben.b2b_profile, kind="offer", title="Electrolyser test bench"
    )
    cai = person(meeting, first_name="Cai", last_name="Zubiri", email="cai@cai-private.example")
    cai.b2b_profile.region = Region.PAIS_VASCO
    cai.b2b_profile.pitch = "We look for partners in advanced manufacturing."
    cai.b2b_profile.save()
    MarketplaceEntry.objects.create(
        profile=cai.b2b_profile, kind="request", title="Partners for a digital twin"
    )
    hidden = [
        person(meeting, first_name="Unlisted", listed=False, email="u@hidden.example"),
        person(meeting, first_name="Waiting", status="waitlisted", email="w@hidden.example"),
        person(meeting, first_name="Gone", status="cancelled", email="g@hidden.example"),
    ]
    for registration in hidden:
        MarketplaceEntry.objects.create(
            profile=registration.b2b_profile, kind="offer", title="Hidden offer"
        )
    return {"ben": ben, "cai": cai, "energy": energy, "hidden": hidden}


def test_the_directory_lists_the_visible_others_by_name(meeting, ana, crowd):
    response = participant_api(ana).get(b2b_url(meeting, "participants/"))

    assert names(response) == ["Ben Arrieta", "Cai Zubiri"]
    card = response.json()["results"][0]
    assert (card["organization"], card["organization_kind"], card["region_name"]) == (
        "Hydrogen Works",
        "company",
        "Comunidad Foral de Navarra",
    )
    assert [entry["title"] for entry in card["entries"]] == ["Electrolyser test bench"]
    assert "email" not in card


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "hydrogen"}, ["Ben Arrieta"]),
        ({"q": "digital twin"}, ["Cai Zubiri"]),
        ({"q": "advanced manufacturing"}, ["Cai Zubiri"]),
        ({"q": "zubiri"}, ["Cai Zubiri"]),
        ({"q": "hidden"}, []),
        ({"region": "ES-PV"}, ["Cai Zubiri"]),
        ({"region": "Navarra"}, ["Ben Arrieta"]),
        ({"organization_kind": "company"}, ["Ben Arrieta"]),
        ({"entry_kind": "request"}, ["Cai Zubiri"]),
        ({"q": " \u202e "}, []),
        ({"q": "  "}, ["Ben Arrieta", "Cai Zubiri"]),
    ],
)
def test_the_directory_searches_and_filters(meeting, ana, crowd, query, expected):
    assert names(participant_api(ana).get(b2b_url(meeting, "participants/"), query)) == expected


def test_the_directory_filters_by_sector(meeting, ana, crowd):
    response = participant_api(ana).get(
        b2b_url(meeting, "participants/"), {"sector": crowd["energy"].pk}
    )
    assert names(response) == ["Ben Arrieta"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"region": "Mars"}, "region"),
        ({"sector": "energy"}, "sector"),
        ({"sector": str(2**70)}, "sector"),
        ({"organization_kind": "alien"}, "organization_kind"),
        ({"entry_kind": "gift"}, "entry_kind"),
        ({"q": "x" * 201}, "q"),
        ({"q": "hydrogen\x00"}, "q"),
    ],
)
def test_bad_filters_are_a_400_naming_the_filter(meeting, ana, query, field):
    for path in ("participants/", "marketplace/"):
        response = participant_api(ana).get(b2b_url(meeting, path), query)
        assert response.status_code == 400
        assert list(response.json()) == [field]


def test_the_directory_pages(meeting, ana, crowd):
    api = participant_api(ana)
    first = api.get(b2b_url(meeting, "participants/"), {"page_size": 1}).json()
    second = api.get(b2b_url(meeting, "participants/"), {"page_size": 1, "page": 2}).json()

    assert first["count"] == 2
    assert [first["results"][0]["name"], second["results"][0]["name"]] == [
        "Ben Arrieta",
        "Cai Zubiri",
    ]
    assert api.get(b2b_url(meeting, "participants/"), {"page": 9}).status_code == 404


def test_a_hidden_profile_is_not_found_and_cannot_be_asked(meeting, ana, crowd):
    api = participant_api(ana)
    for registration in crowd["hidden"]:
        profile = registration.b2b_profile.pk
        assert api.get(b2b_url(meeting, f"participants/{profile}/")).status_code == 404
        asked = api.post(b2b_url(meeting, "requests/"), {"recipient": profile}, format="json")
        assert asked.json() == {"recipient": ["This person is not available for meetings."]}


def test_validation_hides_profiles_until_an_organizer_validates(meeting, ana, crowd):
    Matchmaking.objects.filter(meeting=meeting).update(profiles_need_validation=True)
    api = participant_api(ana)
    assert names(api.get(b2b_url(meeting, "participants/"))) == []

    validated = organizer_api(meeting).post(
        b2b_url(meeting, f"profiles/{crowd['cai'].b2b_profile.pk}/validate/")
    )

    assert validated.status_code == 200
    assert validated.json()["visible"] is True
    assert names(api.get(b2b_url(meeting, "participants/"))) == ["Cai Zubiri"]


def test_the_marketplace_lists_visible_entries_newest_first_with_whose_they_are(
    meeting, ana, crowd
):
    api = participant_api(ana)
    response = api.get(b2b_url(meeting, "marketplace/"))

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["title"], row["profile"]["name"]) for row in rows] == [
        ("Partners for a digital twin", "Cai Zubiri"),
        ("Electrolyser test bench", "Ben Arrieta"),
    ]
    offers = api.get(b2b_url(meeting, "marketplace/"), {"entry_kind": "offer"}).json()
    assert [row["title"] for row in offers["results"]] == ["Electrolyser test bench"]


def _strings(value):
    """Every string anywhere in a JSON value (keys too)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def test_no_answer_carries_anybody_elses_email(meeting, ana, crowd):
    """Every read a participant or an organizer can make, with requests in every state."""
    ben, cai = crowd["ben"], crowd["cai"]
    scheduled = request_accept(
        request=request_create(requester=ana, recipient=ben, message="Write to ben@x.example"),
        by=ben,
        slot_id=slots(meeting)[0].pk,
    )
    asked = request_create(requester=cai, recipient=ana)
    Sector.objects.create(meeting=meeting, name="Food")
    session = first_session(meeting)
    paths = [
        "profile/",
        "profile/entries/",
        "participants/",
        f"participants/{ben.b2b_profile.pk}/",
        "marketplace/",
        "sessions/",
        f"sessions/{session.pk}/",
        f"sessions/{session.pk}/free-slots/?with={cai.b2b_profile.pk}",
        "requests/",
        f"requests/{scheduled.pk}/",
        f"requests/{asked.pk}/",
        f"requests/{asked.pk}/free-slots/",
        "sectors/",
        "settings/",
        "profiles/",
        f"profiles/{ben.b2b_profile.pk}/",
    ]
    others = {r.email for r in [ben, cai, *crowd["hidden"]]}
    as_ana, as_organizer = participant_api(ana), organizer_api(meeting)
    seen = {"participant": [], "organizer": []}
    for path in paths:
        for who, api in (("participant", as_ana), ("organizer", as_organizer)):
            response = api.get(b2b_url(meeting, path))
            if response.status_code == 200:
                seen[who].extend(_strings(response.json()))
    # Enough answered to mean something: every path for one side or the other.
    assert len(seen["participant"]) > 100 and len(seen["organizer"]) > 100

    leaked = [text for text in seen["participant"] + seen["organizer"] if "@" in text]
    assert not [text for text in leaked if any(email in text for email in others)]
    # Ana's own address, in her own profile only; nobody's for the organizers' API.
    assert [text for text in seen["participant"] if ana.email in text] == [ana.email]
    assert not [text for text in seen["organizer"] if "-private.example" in text]
    # An unlisted, waitlisted or cancelled person's name never shows to another participant.
    assert not [text for text in seen["participant"] if text in ("Unlisted", "Waiting", "Gone")]
    assert not any("Hidden offer" in text for text in seen["participant"])


def test_a_profile_opened_by_id_is_the_card_of_the_directory(meeting, ana, crowd):
    ben = crowd["ben"].b2b_profile
    api = participant_api(ana)
    card = api.get(b2b_url(meeting, f"participants/{ben.pk}/")).json()
    listed = api.get(b2b_url(meeting, "participants/"), {"q": "hydrogen"}).json()["results"]

    assert card == listed[0]
    assert card["sectors"] == [{"id": crowd["energy"].pk, "name": "Energy", "position": 0}]


def test_an_organizer_sees_every_profile_with_whether_others_see_it(meeting, ana, crowd):
    crowd["cai"].b2b_profile.validated_at = timezone.now()
    crowd["cai"].b2b_profile.save()
    api = organizer_api(meeting)

    every = api.get(b2b_url(meeting, "profiles/")).json()["results"]
    hidden = api.get(b2b_url(meeting, "profiles/"), {"visible": "false"}).json()["results"]

    assert len(every) == 6
    assert sorted(row["first_name"] for row in hidden) == ["Gone", "Unlisted", "Waiting"]
    cai = next(row for row in every if row["first_name"] == "Cai")
    assert (cai["listed"], cai["visible"], cai["registration_status"]) == (
        True,
        True,
        "confirmed",
    )
    assert cai["validated_at"] is not None
    unvalidated = api.post(b2b_url(meeting, f"profiles/{cai['id']}/unvalidate/")).json()
    assert unvalidated["validated_at"] is None


@pytest.mark.parametrize("query", ["visible=null", "listed=", "listed=maybe"])
def test_the_organizers_profile_filters_take_true_or_false_only(meeting, ana, crowd, query):
    response = organizer_api(meeting).get(b2b_url(meeting, "profiles/") + "?" + query)

    assert response.status_code == 400
    assert set(response.json()) == {query.split("=")[0]}


@pytest.mark.parametrize(
    "query",
    ["page_size=0", "page_size=two", "page_size=1&page_size=2", "page=1&page=2", "q=a&q=b"],
)
def test_a_page_or_filter_that_is_not_one_good_value_is_a_400(meeting, ana, crowd, query):
    response = participant_api(ana).get(b2b_url(meeting, "participants/") + "?" + query)

    assert response.status_code == 400
    assert list(response.json()) == [query.split("=")[0]]


@pytest.mark.parametrize("query", ["sector=null", "sector=", "sector=x"])
def test_the_directory_sector_filter_takes_a_sector_id_only(meeting, ana, crowd, query):
    response = participant_api(ana).get(b2b_url(meeting, "participants/") + "?" + query)

    assert response.status_code == 400
    assert set(response.json()) == {"sector"}
