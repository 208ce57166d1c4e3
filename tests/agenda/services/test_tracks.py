"""Speakers and tracks themselves: unique per meeting (agenda/services/tracks.py)."""

import pytest

from agenda.services import (
    AgendaError,
    speaker_create,
    track_create,
)

pytestmark = pytest.mark.django_db


def test_speaker_and_track_slugs_are_unique_per_meeting(meeting):
    speaker_create(meeting=meeting, name="Ane", slug="ane")
    track_create(meeting=meeting, name="Industry", slug="industry")
    with pytest.raises(AgendaError) as speaker_error:
        speaker_create(meeting=meeting, name="Another Ane", slug="ane")
    with pytest.raises(AgendaError) as track_error:
        track_create(meeting=meeting, name="Industry", slug="industry-2")
    assert str(speaker_error.value) == "Ane already uses the slug 'ane'."
    assert str(track_error.value) == "Industry already uses the name 'Industry'."
