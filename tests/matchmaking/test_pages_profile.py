"""The person's own profile page and marketplace entries (``/r/<token>/profile/``)."""

import datetime as dt

import pytest
from django.utils import timezone

from agenda.models import Session
from mail.models import OutboxMessage
from matchmaking.models import MarketplaceEntry, Profile
from matchmaking.services.profiles import MAX_ENTRIES
from matchmaking.services.setup import matchmaking_update, sector_create
from tests.factories import OrganizationFactory, RegistrationFactory
from tests.matchmaking.b2b import b2b_meeting, b2b_session_add, person, slots
from tests.matchmaking.pages import (
    as_participant,
    my_profile_url,
)
from tests.roundtrip import form_values, resubmit, select_options

pytestmark = pytest.mark.django_db

PROFILE_FORM = {"form_id": "profile-form"}
ENTRY_FORM = {"form_id": "entry-form"}


@pytest.fixture
def meeting():
    return b2b_meeting()


def full_profile(meeting) -> Profile:
    """A profile with every field set, a sector and an unavailable slot in a matchmaking
    session that is no longer on the agenda (so the page does not show it)."""
    energy = sector_create(meeting=meeting, name="Energy")
    sector_create(meeting=meeting, name="Health")
    ana = person(meeting, first_name="Ana", last_name="Arrieta")
    meeting.organizations.add(ana.organization)
    hidden_session = b2b_session_add(meeting, day=1, start="10:00")
    profile = ana.b2b_profile
    Profile.objects.filter(pk=profile.pk).update(
        region="ES-NC",
        website="https://example.org/cluster",
        languages=["en", "es"],
        pitch="First line.\nSecond line, with “quotes” & <angles>.",
    )
    profile.sectors.set([energy])
    profile.unavailable_slots.set([slots(meeting)[1], hidden_session.slots.first()])
    Session.objects.filter(pk=hidden_session.session_id).update(status="cancelled")
    Profile.objects.filter(pk=profile.pk).update(updated_at=timezone.now() - dt.timedelta(days=1))
    return Profile.objects.get(pk=profile.pk)


def snapshot(profile: Profile):
    profile = Profile.objects.get(pk=profile.pk)
    return (
        {field.name: getattr(profile, field.attname) for field in Profile._meta.concrete_fields},
        sorted(profile.sectors.values_list("pk", flat=True)),
        sorted(profile.unavailable_slots.values_list("pk", flat=True)),
    )


def test_the_profile_form_posted_back_as_shown_changes_nothing(meeting):
    profile = full_profile(meeting)
    browser = as_participant(profile.registration)
    before = snapshot(profile)

    response = resubmit(browser, my_profile_url(profile.registration), choice=PROFILE_FORM)

    assert response.status_code == 302
    assert snapshot(profile) == before
    assert OutboxMessage.objects.count() == 0


def test_the_form_shows_what_is_stored(meeting):
    profile = full_profile(meeting)
    page = as_participant(profile.registration).get(my_profile_url(profile.registration))

    values = form_values(page.content, **PROFILE_FORM)

    assert values["organization"] == str(profile.organization_id)
    assert values["region"] == "ES-NC"
    assert values["website"] == "https://example.org/cluster"
    assert values["languages"] == ["en", "es"]
    assert values["pitch"] == "First line.\nSecond line, with “quotes” & <angles>."
    assert values["sectors"] == str(profile.sectors.get().pk)
    assert values["unavailable_slots"] == str(slots(meeting)[1].pk)  # the shown one only
    assert values["listed"] == "on"


def test_a_first_save_makes_the_profile_from_what_the_registration_says(meeting):
    cluster = OrganizationFactory(name="ACAN")
    ana = RegistrationFactory(
        meeting=meeting,
        organization=cluster,
        job_title="Cluster manager",
        region="ES-AR",
        consent_listing=True,
    )
    browser = as_participant(ana)
    page = browser.get(my_profile_url(ana))
    assert page.status_code == 200
    assert "Your profile is hidden" in page.content.decode()

    response = resubmit(browser, my_profile_url(ana), choice=PROFILE_FORM)

    assert response.status_code == 302
    profile = Profile.objects.get(registration=ana)
    assert (profile.organization, profile.role, profile.region, profile.listed) == (
        cluster,
        "Cluster manager",
        "ES-AR",
        True,
    )
    assert "Your profile is visible" in browser.get(my_profile_url(ana)).content.decode()


def test_saving_changes_the_fields_and_sets_sectors_languages_and_unavailable_slots(meeting):
    energy = sector_create(meeting=meeting, name="Energy")
    ana = person(meeting)
    browser = as_participant(ana)
    first, third = slots(meeting)[0], slots(meeting)[2]
    data = form_values(browser.get(my_profile_url(ana)).content, **PROFILE_FORM)
    data.update(
        role="Head of projects",
        pitch="We build\r\ntest lines.",
        website="example.org",
        languages=["es", "eu"],
        sectors=[str(energy.pk)],
        unavailable_slots=[str(first.pk), str(third.pk)],
        region="ES-PV",
    )

    response = browser.post(my_profile_url(ana), data, follow=True)

    assert "Your profile is saved." in response.content.decode()
    profile = Profile.objects.get(registration=ana)
    assert (profile.role, profile.pitch, profile.website, profile.languages, profile.region) == (
        "Head of projects",
        "We build\ntest lines.",
        "https://example.org",
        ["es", "eu"],
        "ES-PV",
    )
    assert list(profile.sectors.all()) == [energy]
    assert set(profile.unavailable_slots.all()) == {first, third}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("website", "not a web address", "Enter a web address like https://example.org."),
        ("role", "CEO\u202e", "Use one line of plain text"),
        ("role", "x" * 201, "Ensure this value has at most 200 characters"),
        ("pitch", "x" * 601, "Ensure this value has at most 600 characters"),
        ("region", "XX", "Select a valid choice."),
        ("languages", ["en", "xx"], "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_at_its_field_and_changes_nothing(meeting, field, value, message):
    profile = full_profile(meeting)
    browser = as_participant(profile.registration)
    before = snapshot(profile)
    data = form_values(browser.get(my_profile_url(profile.registration)).content, **PROFILE_FORM)
    data[field] = value

    response = browser.post(my_profile_url(profile.registration), data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert snapshot(profile) == before


def test_choices_of_another_meeting_are_refused(meeting):
    profile = full_profile(meeting)
    other = b2b_meeting()
    foreign_sector = sector_create(meeting=other, name="Foreign")
    foreign_slot = slots(other)[0]
    foreign_organization = OrganizationFactory(name="Not here")
    browser = as_participant(profile.registration)
    before = snapshot(profile)
    page = browser.get(my_profile_url(profile.registration))
    assert "Not here" not in page.content.decode()
    assert "Foreign" not in page.content.decode()

    for field, value in [
        ("organization", str(foreign_organization.pk)),
        ("sectors", [str(foreign_sector.pk)]),
        ("unavailable_slots", [str(foreign_slot.pk)]),
    ]:
        data = form_values(page.content, **PROFILE_FORM)
        data[field] = value
        response = browser.post(my_profile_url(profile.registration), data)
        assert response.status_code == 400, field
        assert list(response.context["form"].errors) == [field]
    assert snapshot(profile) == before


def test_the_organisations_offered_are_the_meetings_and_the_persons_own(meeting):
    taking_part = OrganizationFactory(name="Taking part")
    meeting.organizations.add(taking_part)
    OrganizationFactory(name="Somewhere else")
    ana = person(meeting)
    page = as_participant(ana).get(my_profile_url(ana))

    offered = [
        label for _value, label in select_options(page.content, "organization", **PROFILE_FORM)
    ]

    assert offered == ["—", *sorted(["Taking part", ana.organization.name])]


def test_the_page_says_when_the_profile_waits_for_the_organizers(meeting):
    matchmaking_update(meeting=meeting, profiles_need_validation=True)
    ana = person(meeting)
    browser = as_participant(ana)

    assert (
        "waiting for the organizers' validation"
        in browser.get(my_profile_url(ana)).content.decode()
    )

    Profile.objects.filter(registration=ana).update(validated_at=timezone.now())
    assert "Your profile is visible" in browser.get(my_profile_url(ana)).content.decode()


def test_the_page_says_when_the_registration_is_not_confirmed_yet(meeting):
    ana = person(meeting, status="pending")
    page = as_participant(ana).get(my_profile_url(ana)).content.decode()
    assert "once your registration is confirmed" in page


def test_the_unavailable_slots_are_shown_per_session_in_the_meetings_time(meeting):
    ana = person(meeting)
    html = as_participant(ana).get(my_profile_url(ana)).content.decode()
    for times in ("15:00–15:20", "15:20–15:40", "15:40–16:00"):
        assert times in html


# --- marketplace entries ----------------------------------------------------------------


def test_adding_an_entry(meeting):
    ana = person(meeting)
    browser = as_participant(ana)
    data = form_values(browser.get(my_profile_url(ana)).content, **ENTRY_FORM)
    data.update(kind="cooperation", title="Joint proposal", description="Horizon Europe.")

    response = browser.post(f"{my_profile_url(ana)}entries/", data, follow=True)

    assert "Your entry is added to the marketplace." in response.content.decode()
    entry = MarketplaceEntry.objects.get()
    assert (entry.profile.registration, entry.kind, entry.title, entry.description) == (
        ana,
        "cooperation",
        "Joint proposal",
        "Horizon Europe.",
    )


def test_the_add_entry_form_posted_as_shown_adds_nothing(meeting):
    ana = person(meeting)
    browser = as_participant(ana)
    before = Profile.objects.filter(registration=ana).values().get()

    response = resubmit(browser, my_profile_url(ana), choice=ENTRY_FORM)

    assert response.status_code == 400
    assert list(response.context["entry_form"].errors) == ["title"]
    assert not MarketplaceEntry.objects.exists()
    assert Profile.objects.filter(registration=ana).values().get() == before


def test_an_entry_without_a_title_is_refused_at_the_field(meeting):
    ana = person(meeting)
    browser = as_participant(ana)

    response = browser.post(f"{my_profile_url(ana)}entries/", {"kind": "offer", "title": " "})

    assert response.status_code == 400
    assert response.context["entry_form"].errors == {"title": ["This field is required."]}
    assert 'id="id_entry_title_error"' in response.content.decode()
    assert MarketplaceEntry.objects.count() == 0


def test_the_entry_edit_form_posted_back_as_shown_changes_nothing(meeting):
    ana = person(meeting)
    entry = MarketplaceEntry.objects.create(
        profile=ana.b2b_profile, kind="offer", title="Test lines", description="Two\nlines"
    )
    MarketplaceEntry.objects.filter(pk=entry.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=1)
    )
    before = MarketplaceEntry.objects.filter(pk=entry.pk).values().get()

    response = resubmit(as_participant(ana), f"{my_profile_url(ana)}entries/{entry.pk}/")

    assert response.status_code == 302
    assert MarketplaceEntry.objects.filter(pk=entry.pk).values().get() == before


def test_editing_and_deleting_an_entry(meeting):
    ana = person(meeting)
    entry = MarketplaceEntry.objects.create(profile=ana.b2b_profile, kind="offer", title="Old")
    browser = as_participant(ana)
    url = f"{my_profile_url(ana)}entries/{entry.pk}/"

    bad = browser.post(url, {"kind": "nonsense", "title": "New"})
    assert bad.status_code == 400
    assert list(bad.context["form"].errors) == ["kind"]
    response = browser.post(url, {"kind": "request", "title": "New", "description": ""})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.kind, entry.title) == ("request", "New")

    page = browser.post(f"{url}delete/", follow=True)
    assert "“New” is removed from the marketplace." in page.content.decode()
    assert not MarketplaceEntry.objects.exists()


def test_a_full_profile_offers_no_more_entries(meeting):
    ana = person(meeting)
    MarketplaceEntry.objects.bulk_create(
        MarketplaceEntry(profile=ana.b2b_profile, kind="offer", title=f"Entry {n}")
        for n in range(MAX_ENTRIES)
    )
    browser = as_participant(ana)
    page = browser.get(my_profile_url(ana)).content.decode()
    assert 'id="entry-form"' not in page
    assert f"A profile holds at most {MAX_ENTRIES} entries." in page

    response = browser.post(f"{my_profile_url(ana)}entries/", {"kind": "offer", "title": "One"})

    assert response.status_code == 400
    assert MarketplaceEntry.objects.count() == MAX_ENTRIES
