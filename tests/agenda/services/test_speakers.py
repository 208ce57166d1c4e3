"""Speakers on sessions (agenda/services/speakers.py)."""

import pytest

from agenda.models import SessionSpeaker
from agenda.services import (
    AgendaError,
    session_speaker_add,
    session_speaker_remove,
    session_speakers_reorder,
)
from tests.factories import (
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


def test_speakers_are_added_removed_and_reordered(meeting, opening):
    first, second = SpeakerFactory(meeting=meeting), SpeakerFactory(meeting=meeting)
    session_speaker_add(session=opening, speaker=first)
    session_speaker_add(session=opening, speaker=second, role=SessionSpeaker.Role.MODERATOR)

    session_speakers_reorder(session=opening, speakers=[second, first])
    order = list(opening.speaker_links.values_list("speaker_id", "role", "position"))
    assert order == [(second.pk, "moderator", 0), (first.pk, "speaker", 1)]

    session_speaker_remove(session=opening, speaker=second)
    assert list(opening.speaker_links.values_list("speaker_id", flat=True)) == [first.pk]


def test_reorder_must_name_every_speaker(meeting, opening):
    speaker = SpeakerFactory(meeting=meeting)
    session_speaker_add(session=opening, speaker=speaker)
    with pytest.raises(AgendaError) as error:
        session_speakers_reorder(session=opening, speakers=[])
    assert str(error.value) == "Give every speaker of the session exactly once to reorder them."


def test_speaker_of_another_meeting_cannot_be_added(opening):
    with pytest.raises(AgendaError) as error:
        session_speaker_add(session=opening, speaker=SpeakerFactory(name="Stranger"))
    assert str(error.value) == "Stranger is a speaker of another meeting."
