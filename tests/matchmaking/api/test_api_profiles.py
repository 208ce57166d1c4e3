"""One's own profile and marketplace entries through the API: what a PUT of what a GET
showed changes (nothing), field errors that name the field and change nothing, and text
that arrives hostile and leaves clean."""

import pytest

from events.regions import Region
from mail.models import OutboxMessage
from matchmaking.models import MarketplaceEntry, Profile, Sector
from matchmaking.services.profiles import MAX_ENTRIES
from tests.factories import OrganizationFactory, RegistrationFactory
from tests.matchmaking.api.conftest import b2b_url, participant_api
from tests.matchmaking.b2b import b2b_meeting, slots

pytestmark = pytest.mark.django_db

WRITABLE = [
    "organization",
    "role",
    "pitch",
    "sectors",
    "region",
    "website",
    "languages",
    "listed",
    "unavailable_slots",
]


def as_input(shown: dict) -> dict:
    """What a client sends back of what GET showed: ids for the sectors and the organisation."""
    body = {name: shown[name] for name in WRITABLE if name in shown}
    body["organization"] = shown["organization_id"]
    body["sectors"] = [sector["id"] for sector in shown["sectors"]]
    return body


def test_before_the_first_save_the_profile_shows_what_the_registration_says(meeting):
    organization = OrganizationFactory(name="Aclunaga")
    newcomer = RegistrationFactory(
        meeting=meeting,
        organization=organization,
        job_title="Cluster manager",
        region=Region.NAVARRA,
        consent_listing=True,
        email="new@newcomer.example",
    )

    shown = participant_api(newcomer).get(b2b_url(meeting, "profile/")).json()

    assert shown["id"] is None
    assert (shown["organization"], shown["role"], shown["region"], shown["listed"]) == (
        "Aclunaga",
        "Cluster manager",
        "ES-NC",
        True,
    )
    assert shown["email"] == "new@newcomer.example"  # one's own, and only here
    assert shown["visible"] is False
    assert not Profile.objects.exists()


def test_put_saves_the_profile_and_patch_changes_only_what_is_sent(meeting, ana):
    energy = Sector.objects.create(meeting=meeting, name="Energy")
    api = participant_api(ana)
    body = {
        "organization": None,
        "role": "CEO",
        "pitch": "Hydrogen valleys.\nAnd batteries.",
        "sectors": [energy.pk],
        "region": "Navarra",
        "website": "example.org",
        "languages": ["es", "en", "es"],
        "listed": True,
        "unavailable_slots": [slots(meeting)[2].pk],
    }

    saved = api.put(b2b_url(meeting, "profile/"), body, format="json")

    assert saved.status_code == 200, saved.json()
    shown = saved.json()
    assert (shown["role"], shown["pitch"], shown["region"], shown["website"]) == (
        "CEO",
        "Hydrogen valleys.\nAnd batteries.",
        "ES-NC",
        "https://example.org",
    )
    assert shown["languages"] == ["en", "es"]
    assert [s["name"] for s in shown["sectors"]] == ["Energy"]
    assert shown["unavailable_slots"] == [slots(meeting)[2].pk]
    assert shown["visible"] is True

    patched = api.patch(b2b_url(meeting, "profile/"), {"role": "Chair"}, format="json").json()
    assert (patched["role"], patched["pitch"], patched["sectors"]) == (
        "Chair",
        shown["pitch"],
        shown["sectors"],
    )

    # PUT replaces: what it leaves out goes back to its default.
    replaced = api.put(b2b_url(meeting, "profile/"), {"role": "Chair"}, format="json").json()
    assert (replaced["pitch"], replaced["sectors"], replaced["listed"]) == ("", [], False)


def test_putting_back_what_get_showed_changes_nothing(meeting, ana):
    energy = Sector.objects.create(meeting=meeting, name="Energy")
    api = participant_api(ana)
    api.patch(
        b2b_url(meeting, "profile/"),
        {"sectors": [energy.pk], "languages": ["es"], "website": "https://x.example"},
        format="json",
    )
    before = Profile.objects.values_list("updated_at", flat=True).get(pk=ana.b2b_profile.pk)
    shown = api.get(b2b_url(meeting, "profile/")).json()

    again = api.put(b2b_url(meeting, "profile/"), as_input(shown), format="json")

    assert again.status_code == 200
    assert again.json() == shown
    assert Profile.objects.values_list("updated_at", flat=True).get(pk=ana.b2b_profile.pk) == before
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"region": "Pamplona"}, "region"),
        ({"languages": ["xx"]}, "languages"),
        ({"website": "not a web address"}, "website"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"role": "Line one\nline two"}, "role"),
        ({"role": "Right\u202eleft"}, "role"),
        ({"pitch": "x" * 601}, "pitch"),
        ({"organization": 2**40}, "organization"),
        ({"organization": 999_999}, "organization"),
        ({"sectors": ["Energy"]}, "sectors"),
        ({"listed": "perhaps"}, "listed"),
        ({"unavailable_slots": [999_999]}, "unavailable_slots"),
    ],
)
def test_bad_profile_input_is_a_400_naming_the_field_and_changes_nothing(meeting, ana, body, field):
    before = Profile.objects.filter(pk=ana.b2b_profile.pk).values().get()

    response = participant_api(ana).patch(b2b_url(meeting, "profile/"), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Profile.objects.filter(pk=ana.b2b_profile.pk).values().get() == before


def test_sectors_and_slots_of_another_meeting_are_refused(meeting, ana):
    other = b2b_meeting()
    foreign = Sector.objects.create(meeting=other, name="Energy")
    api = participant_api(ana)

    sectors = api.patch(b2b_url(meeting, "profile/"), {"sectors": [foreign.pk]}, format="json")
    unavailable = api.patch(
        b2b_url(meeting, "profile/"), {"unavailable_slots": [slots(other)[0].pk]}, format="json"
    )

    assert sectors.json() == {"sectors": ["Choose sectors from this meeting's list."]}
    assert unavailable.json() == {
        "unavailable_slots": ["Choose slots of this meeting's B2B sessions."]
    }
    assert not ana.b2b_profile.sectors.exists()


def test_hostile_pitch_is_kept_as_lines_without_controls_or_direction_marks(meeting, ana):
    hostile = "Line one\r\nline two\x07\u202e and \u200b more " + "long " * 50

    shown = participant_api(ana).patch(
        b2b_url(meeting, "profile/"), {"pitch": hostile}, format="json"
    )

    assert shown.status_code == 200
    assert shown.json()["pitch"] == ("Line one\nline two and  more " + "long " * 50).strip()


def test_entries_are_added_changed_and_removed_and_put_back_unchanged(meeting, ana):
    api = participant_api(ana)
    url = b2b_url(meeting, "profile/entries/")

    created = api.post(
        url, {"kind": "offer", "title": "  Pilot line  ", "description": "Our plant."}, "json"
    )
    assert created.status_code == 201
    entry = created.json()
    assert (entry["kind"], entry["title"]) == ("offer", "Pilot line")

    changed = api.patch(f"{url}{entry['id']}/", {"kind": "cooperation"}, format="json").json()
    assert (changed["kind"], changed["title"], changed["description"]) == (
        "cooperation",
        "Pilot line",
        "Our plant.",
    )
    before = MarketplaceEntry.objects.values_list("updated_at", flat=True).get()
    shown = api.get(f"{url}{entry['id']}/").json()
    body = {name: shown[name] for name in ("kind", "title", "description")}
    assert api.put(f"{url}{entry['id']}/", body, format="json").json() == shown
    assert MarketplaceEntry.objects.values_list("updated_at", flat=True).get() == before

    assert [e["id"] for e in api.get(url).json()["results"]] == [entry["id"]]
    assert api.delete(f"{url}{entry['id']}/").status_code == 204
    assert not MarketplaceEntry.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "gift", "title": "X"}, "kind"),
        ({"kind": "offer", "title": ""}, "title"),
        ({"kind": "offer", "title": "Two\nlines"}, "title"),
        ({"kind": "offer", "title": "x" * 201}, "title"),
        ({"kind": "offer", "title": "X", "description": "x" * 2001}, "description"),
        ({"title": "X"}, "kind"),
    ],
)
def test_bad_entry_input_is_a_400_naming_the_field(meeting, ana, body, field):
    response = participant_api(ana).post(b2b_url(meeting, "profile/entries/"), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not MarketplaceEntry.objects.exists()


def test_a_profile_holds_a_bounded_number_of_entries(meeting, ana):
    MarketplaceEntry.objects.bulk_create(
        MarketplaceEntry(profile=ana.b2b_profile, kind="offer", title=f"E{n}")
        for n in range(MAX_ENTRIES)
    )
    response = participant_api(ana).post(
        b2b_url(meeting, "profile/entries/"), {"kind": "offer", "title": "One more"}, "json"
    )
    assert response.status_code == 400
    assert MarketplaceEntry.objects.count() == MAX_ENTRIES


def test_someone_elses_entry_is_not_found(meeting, ana, ben):
    theirs = MarketplaceEntry.objects.create(profile=ben.b2b_profile, kind="offer", title="Mine")
    api = participant_api(ana)
    url = b2b_url(meeting, f"profile/entries/{theirs.pk}/")

    assert api.get(url).status_code == 404
    assert api.patch(url, {"title": "Stolen"}, format="json").status_code == 404
    assert api.delete(url).status_code == 404
    assert MarketplaceEntry.objects.get().title == "Mine"
