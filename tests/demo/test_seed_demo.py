import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Max, Min

from agenda.models import Session, SessionSpeaker, Speaker, Track
from events.models import Meeting, Organization, Room, Venue
from events.regions import Region
from registrations.models import Registration
from tests.roundtrip import resubmit

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "organizations": Organization.objects.count(),
        "sessions": sorted(
            Session.objects.values_list("meeting__slug", "external_id", "starts_at", "room__name")
        ),
        "meetings": sorted(
            Meeting.objects.values_list("slug", "starts_on", "ends_on", "updated_at")
        ),
    }


def test_seed_demo_loads_the_reference_meeting():
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())

    meeting = Meeting.objects.get(slug="intercluster-2019")
    assert (meeting.starts_on, meeting.ends_on) == (dt.date(2019, 12, 10), dt.date(2019, 12, 11))
    assert meeting.timezone == "Europe/Madrid"
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.capacity == 250
    assert meeting.venue.city == "Pamplona"
    assert meeting.venue.rooms.count() >= 3
    assert meeting.organizations.filter(kind="cluster").count() >= 40
    regions = set(meeting.organizations.values_list("region", flat=True))
    assert {
        Region.NAVARRA,
        Region.ARAGON,
        Region.PAIS_VASCO,
        Region.CATALUNA,
        Region.COMUNITAT_VALENCIANA,
        Region.CANARIAS,
        Region.ASTURIAS,
    } <= regions
    sessions = meeting.sessions.all()
    assert sessions.count() >= 25
    assert {s.starts_at.astimezone(meeting.tzinfo).date() for s in sessions} == set(meeting.days)
    assert sessions.filter(
        title="The development of integral solutions for value chain",
        speakers__organization__short_name="MetaIndustry4",
    ).exists()


def test_seed_demo_organisations_come_from_14_regions_and_the_federation():
    """46 organisations: each with a region from the list, except the national federation."""
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())

    meeting = Meeting.objects.get(slug="intercluster-2019")
    regions = list(meeting.organizations.values_list("region", flat=True))
    assert len(regions) == 46
    assert len(set(regions) - {""}) == 14
    assert set(regions) - {""} <= set(Region.values) - {Region.OTHER_COUNTRY}
    assert list(meeting.organizations.filter(region="").values_list("short_name", "kind")) == [
        ("FNC", "federation")
    ]


def test_seed_demo_upcoming_edition_is_open_with_bookable_workshops():
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())

    upcoming = Meeting.objects.get(slug="intercluster-next")
    assert upcoming.starts_on.weekday() == 1  # a Tuesday
    assert upcoming.starts_on - dt.date.today() >= dt.timedelta(days=45)
    assert upcoming.ends_on == upcoming.starts_on + dt.timedelta(days=1)
    assert upcoming.registration_is_open()
    assert upcoming.capacity == 250
    workshops = upcoming.sessions.filter(requires_booking=True, kind="workshop")
    assert workshops.count() >= 3
    assert all(20 <= w.capacity <= 30 for w in workshops)


def per_meeting(queryset, field="meeting__slug"):
    return dict(queryset.values_list(field).annotate(n=Count("pk")).order_by(field))


def test_seed_demo_writes_exactly_the_rows_of_the_data_files():
    """The numbers demo/fixtures/ holds, as the Python tables before them produced them."""
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())

    assert (Organization.objects.count(), Venue.objects.count(), Room.objects.count()) == (46, 1, 4)
    assert per_meeting(Track.objects) == {"intercluster-2019": 4, "intercluster-next": 4}
    assert per_meeting(Speaker.objects) == {"intercluster-2019": 21, "intercluster-next": 21}
    assert per_meeting(Session.objects) == {"intercluster-2019": 31, "intercluster-next": 14}
    assert per_meeting(SessionSpeaker.objects, "session__meeting__slug") == {
        "intercluster-2019": 39,
        "intercluster-next": 13,
    }
    assert sorted(
        Session.objects.filter(requires_booking=True).values_list("meeting__slug", "capacity")
    ) == [
        ("intercluster-2019", 40),
        ("intercluster-2019", 40),
        ("intercluster-2019", 40),
        ("intercluster-next", 20),
        ("intercluster-next", 25),
        ("intercluster-next", 30),
    ]
    assert Session.objects.exclude(status=Session.Status.CONFIRMED).count() == 0
    reference = Meeting.objects.get(slug="intercluster-2019")
    assert reference.sessions.aggregate(first=Min("starts_at"), last=Max("ends_at")) == {
        "first": dt.datetime(2019, 12, 10, 8, tzinfo=dt.UTC),
        "last": dt.datetime(2019, 12, 11, 14, tzinfo=dt.UTC),
    }
    assert (reference.registration_opens_at, reference.registration_closes_at) == (
        dt.datetime(2019, 10, 1, 7, tzinfo=dt.UTC),
        dt.datetime(2019, 12, 8, 23, tzinfo=dt.UTC),
    )
    assert Speaker.objects.get(meeting=reference, slug="marta-fernandez").bio == (
        "Cluster Manager at MetaIndustry4 – Cluster de Fabricación Avanzada de Asturias."
    )


def test_seed_demo_upcoming_dates_follow_today():
    """The upcoming edition's registration closes as its first day begins, in Madrid."""
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())

    upcoming = Meeting.objects.get(slug="intercluster-next")
    first_day = (
        upcoming.sessions.order_by("starts_at").first().starts_at.astimezone(upcoming.tzinfo)
    )
    assert first_day.date() == upcoming.starts_on
    assert upcoming.registration_closes_at == dt.datetime.combine(
        upcoming.starts_on, dt.time.min, tzinfo=upcoming.tzinfo
    )


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())
    first = snapshot()

    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())

    assert snapshot() == first
    # The reference meeting is over: nobody registers for it (intercluster-next's demo
    # participants: tests/demo/test_seed_demo_b2b.py).
    assert Registration.objects.filter(meeting__slug="intercluster-2019").count() == 0


def test_seed_demo_creates_the_demo_organizer_for_both_meetings(client):
    call_command("seed_demo", "--skip-b2b", stdout=io.StringIO())

    # Through the login page, as a person would (the login lockout sits in between).
    login = resubmit(client, "/accounts/login/", username="organizer", password="intercluster")
    assert (login.status_code, login["Location"]) == (302, "/manage/")
    organized = set(Meeting.objects.organized_by(_user()).values_list("slug", flat=True))
    assert organized == {"intercluster-2019", "intercluster-next"}
    response = client.get("/admin/events/meeting/")
    assert response.status_code == 200
    assert "1st Intercluster National Meeting" in response.content.decode()


def _user():
    return get_user_model().objects.get(username="organizer")
