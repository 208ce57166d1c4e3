"""Every B2B list answers in the same number of queries for one item as for several."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaking.models import MarketplaceEntry, Sector
from matchmaking.services.requests import request_accept, request_create
from tests.factories import OrganizationFactory, SessionBookingFactory, SessionFactory, at
from tests.matchmaking.api.conftest import b2b_url, organizer_api, participant_api
from tests.matchmaking.b2b import b2b_meeting, b2b_session_add, person, slots

pytestmark = pytest.mark.django_db


def build(count: int):
    """A meeting where everything Ana can list holds ``count`` items."""
    meeting = b2b_meeting(tables=5)
    ana = person(meeting)
    workshop = SessionFactory(
        meeting=meeting,
        requires_booking=True,
        starts_at=at(meeting, 0, "15:00"),
        ends_at=at(meeting, 0, "16:00"),
    )
    for n in range(count):
        b2b_session_add(meeting, day=1, start=f"{9 + n:02d}:00", tables=2)
        sector = Sector.objects.create(meeting=meeting, name=f"Sector {n}")
        other = person(meeting)
        other.b2b_profile.organization = OrganizationFactory()
        other.b2b_profile.save()
        other.b2b_profile.sectors.add(sector)
        MarketplaceEntry.objects.create(profile=other.b2b_profile, kind="offer", title=f"O{n}")
        MarketplaceEntry.objects.create(profile=ana.b2b_profile, kind="request", title=f"R{n}")
        request = request_create(requester=other, recipient=ana, message="Hello")
        if n % 2 == 0:  # some scheduled, each clashing with the workshop
            request_accept(request=request, by=ana, slot_id=slots(meeting)[n // 2].pk)
    # Booked after the meetings were set (it "moved" onto them): each shows a clash.
    SessionBookingFactory(registration=ana, session=workshop)
    return meeting, ana


PATHS = [
    ("participant", "participants/"),
    ("participant", "marketplace/"),
    ("participant", "requests/"),
    ("participant", "sessions/"),
    ("participant", "sectors/"),
    ("participant", "profile/entries/"),
    ("organizer", "requests/"),
    ("organizer", "profiles/"),
    ("organizer", "sessions/"),
    ("organizer", "participants/"),
]


def queries(meeting, ana, who: str, path: str) -> int:
    api = participant_api(ana) if who == "participant" else organizer_api(meeting)
    with CaptureQueriesContext(connection) as captured:
        response = api.get(b2b_url(meeting, path))
    assert response.status_code == 200, response.json()
    return len(captured)


@pytest.mark.parametrize(("who", "path"), PATHS)
def test_a_list_does_not_grow_its_queries_with_its_length(who, path):
    one = queries(*build(1), who, path)
    three = queries(*build(3), who, path)
    assert one == three
