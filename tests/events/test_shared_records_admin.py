"""Organisations, venues and rooms in the admin: an organizer changes only what no meeting
he does not organize shows; everything else of them is read-only for him."""

import pytest

from demo.management.commands.seed_demo import organizers_group
from events.models import Meeting, MeetingOrganizer, Organization, Room, Venue
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    RegistrationFactory,
    RoomFactory,
    SpeakerFactory,
    UserFactory,
    VenueFactory,
)
from tests.roundtrip import admin_resubmit, form_values, resubmit, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(organizer):
    """The ``meeting`` fixture's organizer, with the seeded Organizers group's permissions."""
    organizer.is_staff = True
    organizer.save()
    organizer.groups.add(organizers_group())
    return organizer


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def other_meeting(db):
    """A meeting the staff user does not organize (a draft: nobody else sees it yet)."""
    meeting = MeetingFactory(slug="other", title="Other meeting", status=Meeting.Status.DRAFT)
    MeetingOrganizer.objects.create(meeting=meeting, user=UserFactory(username="someone"))
    return meeting


def change_url(obj) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def delete_url(obj) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/delete/"


@pytest.mark.parametrize("shown_by", ["taking part", "speaker", "registration"])
def test_an_organization_another_meeting_shows_is_read_only(
    staff_client, meeting, other_meeting, shown_by
):
    fnc = OrganizationFactory(name="FNC", short_name="FNC")
    meeting.organizations.add(fnc)  # his meeting shows it too: still not his alone
    if shown_by == "taking part":
        other_meeting.organizations.add(fnc)
    elif shown_by == "speaker":
        SpeakerFactory(meeting=other_meeting, organization=fnc)
    else:
        RegistrationFactory(meeting=other_meeting, organization=fnc)
    page = staff_client.get(change_url(fnc))
    shown = form_values(page.content, form_id="organization_form")

    changed = staff_client.post(change_url(fnc), {**shown, "name": "Renamed", "_save": "Save"})
    deleted = staff_client.post(delete_url(fnc), {"post": "yes"})

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert "name" not in shown  # shown as text, no input
    assert (changed.status_code, deleted.status_code) == (403, 403)
    fnc.refresh_from_db()
    assert fnc.name == "FNC"


def test_an_organization_only_his_meetings_show_is_renamed_through_its_form(
    staff_client, meeting, other_meeting
):
    own = OrganizationFactory(name="Cluster GAIA")
    meeting.organizations.add(own)

    response = admin_resubmit(staff_client, own, name="GAIA cluster")

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "GAIA cluster"


def test_an_organization_he_adds_is_his_to_change_until_another_meeting_shows_it(
    staff_client, meeting, other_meeting
):
    page = staff_client.get("/admin/events/organization/add/")
    created = submit(
        staff_client, page, "organization_form", press="_save", name="New cluster", kind="cluster"
    )
    organization = Organization.objects.get(name="New cluster")
    editable_before = staff_client.get(change_url(organization)).context["has_change_permission"]
    other_meeting.organizations.add(organization)
    editable_after = staff_client.get(change_url(organization)).context["has_change_permission"]

    assert created.status_code == 302
    assert (editable_before, editable_after) == (True, False)


def test_bulk_delete_refuses_organizations_another_meeting_shows(
    staff_client, meeting, other_meeting
):
    theirs = OrganizationFactory(name="Theirs")
    other_meeting.organizations.add(theirs)
    mine = OrganizationFactory(name="Mine")
    meeting.organizations.add(mine)

    selected = {"action": "delete_selected", "_selected_action": [theirs.pk, mine.pk]}

    confirm = staff_client.post("/admin/events/organization/", selected)
    confirmed = staff_client.post("/admin/events/organization/", {**selected, "post": "yes"})

    assert confirm.status_code == 200
    assert confirm.context["perms_lacking"] == {"organization"}
    assert confirmed.status_code == 403
    assert sorted(Organization.objects.values_list("name", flat=True)) == ["Mine", "Theirs"]


def test_a_venue_another_meeting_uses_and_its_rooms_are_read_only(
    staff_client, meeting, other_meeting
):
    other_meeting.venue = meeting.venue
    other_meeting.save()
    venue = meeting.venue
    RoomFactory(venue=venue, name="Auditorio", capacity=200)
    page = staff_client.get(change_url(venue))
    shown = form_values(page.content, form_id="venue_form")

    response = staff_client.post(
        change_url(venue),
        {**shown, "name": "Renamed", "rooms-0-name": "Sala", "_save": "Save"},
    )

    assert page.status_code == 200
    assert "rooms-0-name" not in shown  # the rooms are listed, not editable
    assert response.status_code == 403
    assert staff_client.post(delete_url(venue), {"post": "yes"}).status_code == 403
    assert Venue.objects.get(pk=venue.pk).name != "Renamed"
    assert list(Room.objects.filter(venue=venue).values_list("name", "capacity")) == [
        ("Auditorio", 200)
    ]


def test_a_venue_only_his_meeting_uses_gets_a_room_through_its_form(
    staff_client, meeting, other_meeting
):
    venue = meeting.venue
    page = staff_client.get(change_url(venue))

    response = resubmit(
        staff_client,
        change_url(venue),
        choice={"form_id": "venue_form"},
        button=("_save", "Save"),
        **{
            "rooms-TOTAL_FORMS": "1",
            "rooms-0-name": "Sala Mayor",
            "rooms-0-capacity": "80",
            "rooms-0-position": "1",
            "rooms-0-venue": str(venue.pk),
        },
    )

    assert page.context["has_change_permission"] is True
    assert response.status_code == 302
    assert list(venue.rooms.values_list("name", "capacity")) == [("Sala Mayor", 80)]


def test_a_venue_no_meeting_uses_is_editable_and_deletable(staff_client, meeting):
    spare = VenueFactory(name="Spare hall")

    response = staff_client.post(delete_url(spare), {"post": "yes"})

    assert response.status_code == 302
    assert not Venue.objects.filter(pk=spare.pk).exists()


def test_a_superuser_changes_any_organization(client, other_meeting):
    fnc = OrganizationFactory(name="FNC")
    other_meeting.organizations.add(fnc)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = admin_resubmit(client, fnc, name="FNC (federation)")

    assert response.status_code == 302
    fnc.refresh_from_db()
    assert fnc.name == "FNC (federation)"


def test_the_seeded_group_hands_out_no_roles(db):
    codenames = set(organizers_group().permissions.values_list("codename", flat=True))

    roles = {"add_meetingorganizer", "change_meetingorganizer", "delete_meetingorganizer"}
    assert roles.isdisjoint(codenames)
    assert {"change_organization", "change_venue", "change_room", "add_meeting"} <= codenames
