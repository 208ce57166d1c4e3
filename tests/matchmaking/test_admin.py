"""The B2B admin: a staff organizer sees only his meetings' rows, in their zone; nothing is
written but through the services' actions; nothing deletes a scheduled meeting."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from mail.models import OutboxMessage
from matchmaking.models import (
    B2BSession,
    MarketplaceEntry,
    Matchmaking,
    MeetingRequest,
    Profile,
    Sector,
)
from matchmaking.services.profiles import entry_create
from matchmaking.services.requests import request_accept, request_create
from matchmaking.services.setup import matchmaking_update, sector_create
from tests.factories import MeetingFactory, UserFactory
from tests.matchmaking.b2b import b2b_session_add, person, slots

pytestmark = pytest.mark.django_db

ADMIN = "/admin/matchmaking"
MODELS = ["matchmaking", "sector", "b2bsession", "profile", "marketplaceentry", "meetingrequest"]


@pytest.fixture
def staff(organizer):
    """The ``meeting`` fixture's organizer, as staff with every matchmaking permission."""
    organizer.is_staff = True
    organizer.save()
    organizer.user_permissions.set(Permission.objects.filter(content_type__app_label="matchmaking"))
    return organizer


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def fill(meeting, name: str) -> MeetingRequest:
    """Matchmaking on, a session, a sector, two people with profiles and an entry, and a
    meeting scheduled between them; every name carries ``name``."""
    matchmaking_update(meeting=meeting, enabled=True)
    b2b_session_add(meeting, tables=[f"{name} table"])
    sector = sector_create(meeting=meeting, name=f"{name} sector")
    ana = person(meeting, first_name=name, last_name="Requester")
    ben = person(meeting, first_name=name, last_name="Recipient")
    ana.b2b_profile.sectors.add(sector)
    entry_create(registration=ana, kind="offer", title=f"{name} offer")
    request = request_create(requester=ana, recipient=ben, message=f"{name} message")
    return request_accept(request=request, by=ben, slot_id=slots(meeting)[0].pk)


def objects(meeting) -> dict[str, object]:
    return {
        "matchmaking": Matchmaking.objects.get(meeting=meeting),
        "sector": Sector.objects.get(meeting=meeting),
        "b2bsession": B2BSession.objects.get(meeting=meeting),
        "profile": Profile.objects.filter(meeting=meeting).first(),
        "marketplaceentry": MarketplaceEntry.objects.get(profile__meeting=meeting),
        "meetingrequest": MeetingRequest.objects.get(meeting=meeting),
    }


@pytest.mark.parametrize("model", MODELS)
def test_a_staff_organizer_sees_only_his_meetings_rows(admin_client, meeting, model):
    fill(meeting, "Mine")
    fill(MeetingFactory(title="Theirs meeting"), "Theirs")

    listed = admin_client.get(f"{ADMIN}/{model}/")
    theirs = objects(MeetingRequest.objects.exclude(meeting=meeting).get().meeting)[model]
    shown = admin_client.get(f"{ADMIN}/{model}/{theirs.pk}/change/")

    assert listed.status_code == 200
    assert listed.context["cl"].result_count == (2 if model == "profile" else 1)
    html = listed.content.decode()
    assert "Theirs" not in html
    assert shown.status_code == 302  # "does not exist" for him
    assert "Theirs" not in admin_client.get(shown["Location"]).content.decode()


@pytest.mark.parametrize("model", MODELS)
def test_his_own_rows_are_shown_read_only(admin_client, meeting, model):
    fill(meeting, "Mine")
    mine = objects(meeting)[model]
    before = list(type(mine).objects.values())

    page = admin_client.get(f"{ADMIN}/{model}/{mine.pk}/change/")
    posted = admin_client.post(f"{ADMIN}/{model}/{mine.pk}/change/", {"name": "Changed"})

    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert posted.status_code == 403
    assert admin_client.get(f"{ADMIN}/{model}/add/").status_code == 403
    assert list(type(mine).objects.values()) == before


@pytest.mark.parametrize("model", ["matchmaking", "b2bsession", "profile", "meetingrequest"])
def test_nothing_deletes_settings_sessions_profiles_or_meetings(admin_client, meeting, model):
    fill(meeting, "Mine")
    mine = objects(meeting)[model]
    response = admin_client.post(f"{ADMIN}/{model}/{mine.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert type(mine).objects.filter(pk=mine.pk).exists()
    changelist = admin_client.get(f"{ADMIN}/{model}/")
    assert "delete_selected" not in changelist.content.decode()


def test_a_sector_is_removed_through_the_service(admin_client, meeting):
    fill(meeting, "Mine")
    sector = Sector.objects.get(meeting=meeting)
    response = admin_client.post(f"{ADMIN}/sector/{sector.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Sector.objects.exists()
    assert Profile.objects.filter(meeting=meeting).count() == 2


def test_the_meeting_filter_lists_only_his_meetings(admin_client, meeting):
    fill(meeting, "Mine")
    fill(MeetingFactory(title="Theirs meeting"), "Theirs")
    for model in MODELS:
        html = admin_client.get(f"{ADMIN}/{model}/").content.decode()
        assert "Theirs meeting" not in html, model


def test_slots_and_requests_are_shown_in_meeting_time(admin_client, staff):
    winter = MeetingFactory(starts_on=dt.date(2027, 1, 19), ends_on=dt.date(2027, 1, 20))
    winter.organizer_roles.create(user=staff)
    request = fill(winter, "Mine")

    session_page = admin_client.get(f"{ADMIN}/b2bsession/{request.slot.b2b_session_id}/change/")
    requests = admin_client.get(f"{ADMIN}/meetingrequest/")

    html = session_page.content.decode()
    # 14:00 and 14:20 in UTC
    assert "Tue 19 Jan 2027, 15:00 CET" in html and "Tue 19 Jan 2027, 15:20 CET" in html
    assert "Tue 19 Jan 2027, 15:00 CET" in requests.content.decode()


def test_validating_profiles_through_the_action(admin_client, meeting):
    fill(meeting, "Mine")
    profiles = Profile.objects.filter(meeting=meeting)

    admin_client.post(
        f"{ADMIN}/profile/",
        {"action": "validate", "_selected_action": [p.pk for p in profiles]},
    )
    assert profiles.filter(validated_at__isnull=False).count() == 2

    admin_client.post(
        f"{ADMIN}/profile/",
        {"action": "take_validation_back", "_selected_action": [profiles[0].pk]},
    )
    assert profiles.filter(validated_at__isnull=False).count() == 1


def test_cancelling_a_meeting_through_the_action_emails_both_people(admin_client, meeting):
    request = fill(meeting, "Mine")
    theirs = fill(MeetingFactory(), "Theirs")

    admin_client.post(
        f"{ADMIN}/meetingrequest/",
        {"action": "cancel", "_selected_action": [request.pk, theirs.pk]},
    )

    request.refresh_from_db()
    assert (request.status, request.cancelled_by) == ("cancelled", None)
    assert OutboxMessage.objects.filter(kind="b2b_meeting_cancelled").count() == 2
    assert MeetingRequest.objects.get(pk=theirs.pk).status == "scheduled"


def test_staff_without_the_change_permission_get_no_actions(client, staff, meeting):
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="matchmaking", codename__startswith="view_"
        )
    )
    fill(meeting, "Mine")
    client.force_login(staff)
    request = MeetingRequest.objects.get()

    client.post(f"{ADMIN}/meetingrequest/", {"action": "cancel", "_selected_action": [request.pk]})

    assert MeetingRequest.objects.get().status == "scheduled"
    assert 'value="validate"' not in client.get(f"{ADMIN}/profile/").content.decode()


def test_a_superuser_sees_every_meeting(client, meeting):
    fill(meeting, "Mine")
    fill(MeetingFactory(), "Theirs")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(f"{ADMIN}/meetingrequest/").context["cl"].result_count == 2


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("count", [1, 3])
def test_changelist_query_count_does_not_grow(
    admin_client, meeting, model, count, django_assert_num_queries
):
    matchmaking_update(meeting=meeting, enabled=True)
    for index in range(count):
        b2b_session_add(meeting, start=f"{9 + index:02d}:00")
        sector_create(meeting=meeting, name=f"Sector {index}")
        ana, ben = person(meeting), person(meeting)
        entry_create(registration=ana, kind="offer", title="Offer")
        request = request_create(requester=ana, recipient=ben)
        slot = B2BSession.objects.order_by("-pk").first().slots.first()
        request_accept(request=request, by=ben, slot_id=slot.pk)
    expected = {
        "matchmaking": 7,
        "sector": 8,
        "b2bsession": 8,
        "profile": 8,
        "marketplaceentry": 8,
        "meetingrequest": 10,
    }[model]
    with django_assert_num_queries(expected):
        admin_client.get(f"{ADMIN}/{model}/")
