"""Profiles through the service: what may be named, and untouched saves."""

import pytest

from matchmaking.models import Profile
from matchmaking.services.errors import MatchmakingError
from matchmaking.services.profiles import profile_update
from tests.factories import OrganizationFactory
from tests.matchmaking.b2b import b2b_meeting, person

pytestmark = pytest.mark.django_db


def test_a_profile_names_only_an_organisation_of_the_meeting_or_of_the_registration():
    meeting = b2b_meeting()
    ana = person(meeting)
    taking_part = OrganizationFactory()
    meeting.organizations.add(taking_part)
    stranger = OrganizationFactory()

    with pytest.raises(MatchmakingError) as refused:
        profile_update(registration=ana, organization=stranger.pk)
    assert refused.value.field == "organization"
    assert Profile.objects.get(registration=ana).organization == ana.organization

    assert profile_update(registration=ana, organization=taking_part.pk).organization == taking_part
    assert profile_update(registration=ana, organization=ana.organization).organization == (
        ana.organization
    )


def test_an_unchanged_profile_is_not_saved():
    meeting = b2b_meeting()
    ana = person(meeting)
    profile = Profile.objects.get(registration=ana)
    stamp = profile.updated_at
    profile_update(
        registration=ana,
        organization=profile.organization_id,
        role=profile.role,
        pitch=profile.pitch,
        listed=True,
        sectors=[],
        languages=[],
    )
    profile.refresh_from_db()
    assert profile.updated_at == stamp
