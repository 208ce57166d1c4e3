"""The session card's tags give what ``{% url %}`` and ``get_kind_display`` give."""

import pytest
from django.urls import reverse
from django.utils import translation

from agenda.templatetags.session_links import session_kind, session_url, speaker_url
from tests.factories import SessionFactory, SpeakerFactory


@pytest.mark.parametrize("language", ["en", "es"])
def test_card_links_and_kind_match_reverse_and_get_display(meeting, language):
    """In each language (its URL prefix, its labels), for two sessions in a row (the cache)."""
    sessions = [SessionFactory(meeting=meeting, kind=kind) for kind in ("panel", "good_practice")]
    speaker = SpeakerFactory(meeting=meeting, slug="ane-987654321")

    with translation.override(language):
        for session in sessions:
            assert session_url(meeting, session) == reverse(
                "agenda:session-detail", kwargs={"slug": meeting.slug, "pk": session.pk}
            )
            assert session_kind(session) == session.get_kind_display()
        assert speaker_url(meeting, speaker) == reverse(
            "agenda:speaker-detail", kwargs={"slug": meeting.slug, "speaker": speaker.slug}
        )
