"""Matchmaking sessions' tables: numbered, named, in rooms of the venue."""

import pytest

from matchmaking.services.errors import MatchmakingError
from matchmaking.services.setup import b2b_session_configure
from tests.factories import RoomFactory
from tests.matchmaking.b2b import b2b_meeting, first_session

pytestmark = pytest.mark.django_db


def tables(b2b_session):
    return [(t.name, t.room.name if t.room else None) for t in b2b_session.tables.all()]


def test_tables_take_a_room_of_the_venue_after_a_bar_and_keep_their_meetings_by_name():
    meeting = b2b_meeting(tables=["A", "B"])
    RoomFactory(venue=meeting.venue, name="Sala Baluarte")
    b2b_session = first_session(meeting)
    kept = {t.name: t.pk for t in b2b_session.tables.all()}

    b2b_session = b2b_session_configure(
        session=b2b_session.session,
        slot_minutes=20,
        tables=["A | sala  baluarte", "B", "C\u202e | Sala Baluarte"],
    )

    assert tables(b2b_session) == [
        ("A", "Sala Baluarte"),
        ("B", None),
        ("C", "Sala Baluarte"),
    ]
    assert {t.name: t.pk for t in b2b_session.tables.all() if t.name in kept} == kept


def test_a_room_of_another_venue_is_refused_and_nothing_changes():
    meeting = b2b_meeting(tables=["A"])
    RoomFactory(name="Elsewhere")  # another venue's
    b2b_session = first_session(meeting)
    with pytest.raises(MatchmakingError) as refused:
        b2b_session_configure(
            session=b2b_session.session, slot_minutes=20, tables=["A | Elsewhere"]
        )
    assert refused.value.field == "tables"
    assert tables(b2b_session) == [("A", None)]
