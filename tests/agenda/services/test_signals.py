"""The agenda's seams (agenda/signals.py): sent inside the change's transaction, so a
receiver's error refuses the whole change and nothing of it is kept."""

import pytest

from agenda.models import Session
from agenda.services import AgendaError, session_create, session_move, session_update
from agenda.signals import session_changed, session_rules_check, session_seats_added
from tests.factories import at

pytestmark = pytest.mark.django_db


def test_a_failing_session_changed_receiver_rolls_the_move_back(meeting, room, opening, connect):
    """The receiver runs after the save, inside the transaction: its error undoes the save."""

    def fail(sender, **kwargs):
        raise RuntimeError("receiver failed")

    connect(session_changed, fail)

    with pytest.raises(RuntimeError):
        session_move(session=opening, room=room, starts_at=at(meeting, 1, "16:00"))

    stored = Session.objects.get(pk=opening.pk)
    assert (stored.starts_at, stored.sequence) == (at(meeting, 0, "09:30"), 0)


def test_a_session_rules_check_receiver_refuses_a_new_session(meeting, room, connect):
    """A receiver's AgendaError is the service's refusal, with its message; nothing is saved."""

    def refuse(sender, *, session, **kwargs):
        raise AgendaError(f"No room for {session.title}.")

    connect(session_rules_check, refuse)

    with pytest.raises(AgendaError) as error:
        session_create(
            meeting=meeting,
            title="Late",
            room=room,
            starts_at=at(meeting, 0, "12:00"),
            ends_at=at(meeting, 0, "13:00"),
        )

    assert str(error.value) == "No room for Late."
    assert not Session.objects.filter(title="Late").exists()


def test_session_seats_added_is_sent_for_more_seats_only(opening, connect):
    """A larger capacity announces more seats; a smaller one does not."""
    calls = []
    connect(session_seats_added, lambda sender, *, session, **kwargs: calls.append(session.pk))
    Session.objects.filter(pk=opening.pk).update(capacity=10, requires_booking=True)
    opening.refresh_from_db()

    session_update(session=opening, data={"capacity": 5})
    session_update(session=opening, data={"capacity": 20})

    assert calls == [opening.pk]


def test_session_changed_tells_the_change_without_the_previous_values(
    meeting, room, opening, connect
):
    """Receivers get the session as saved and the kind of change."""
    calls = []
    connect(session_changed, lambda sender, **kwargs: calls.append(sorted(kwargs)))

    session_move(session=opening, room=room, starts_at=at(meeting, 1, "16:00"))

    assert calls == [["change", "session", "signal"]]
