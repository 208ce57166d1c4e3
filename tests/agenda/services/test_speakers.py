"""Speakers on sessions (agenda/services/speakers.py)."""

import pytest

from agenda.models import SessionSpeaker
from agenda.services import (
    AgendaError,
    session_speaker_add,
    session_speaker_remove,
    session_speakers_reorder,
    session_speakers_set,
)
from tests.factories import SessionFactory, SessionSpeakerFactory, SpeakerFactory, at

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


def test_session_speakers_set_writes_only_what_differs(meeting, opening):
    """A new role is a remove and an add; the order is set last; unchanged links stay."""
    ane, iker, miren = (SpeakerFactory(meeting=meeting) for _ in range(3))
    session_speaker_add(session=opening, speaker=ane)
    session_speaker_add(session=opening, speaker=iker)
    kept = opening.speaker_links.get(speaker=ane)

    result = session_speakers_set(
        session=opening,
        speakers=[
            (miren, SessionSpeaker.Role.PANELIST),
            (iker, SessionSpeaker.Role.MODERATOR),
            (ane, SessionSpeaker.Role.SPEAKER),
        ],
    )

    links = list(opening.speaker_links.order_by("position").values_list("speaker_id", "role"))
    assert links == [(miren.pk, "panelist"), (iker.pk, "moderator"), (ane.pk, "speaker")]
    assert [link.speaker_id for link in result.removed] == [iker.pk]
    assert [link.speaker_id for link in result.added] == [miren.pk, iker.pk]
    assert result.reordered is True
    assert opening.speaker_links.get(speaker=ane).pk == kept.pk


def test_session_speakers_set_with_the_same_speakers_writes_nothing(meeting, opening):
    ane = SpeakerFactory(meeting=meeting)
    session_speaker_add(session=opening, speaker=ane)

    result = session_speakers_set(session=opening, speakers=[(ane, SessionSpeaker.Role.SPEAKER)])

    assert (result.added, result.removed, result.reordered) == ([], [], False)


def test_session_speakers_set_refuses_a_clash_and_keeps_the_old_speakers(meeting, opening):
    """One refused speaker refuses the whole set (one transaction)."""
    ane, iker = SpeakerFactory(meeting=meeting), SpeakerFactory(meeting=meeting, name="Iker")
    session_speaker_add(session=opening, speaker=ane)
    other = SessionFactory(meeting=meeting, title="Other", starts_at=at(meeting, 0, "09:00"))
    SessionSpeakerFactory(session=other, speaker=iker)

    with pytest.raises(AgendaError) as error:
        session_speakers_set(session=opening, speakers=[(iker, SessionSpeaker.Role.SPEAKER)])

    assert str(error.value).startswith("Iker already speaks in 'Other'")
    assert list(opening.speaker_links.values_list("speaker_id", flat=True)) == [ane.pk]
