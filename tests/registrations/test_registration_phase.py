"""Registration's readers of Meeting.registration_phase: the reason, the page state, choices."""

import datetime as dt

import pytest
from django.utils import timezone

from events.models import Meeting
from registrations.models import Registration
from registrations.selectors import meeting_registration_state
from registrations.services import registration_closed_reason
from tests.factories import MeetingFactory, RegistrationFactory
from tests.registration_window import CLOSES, ENDS, OPENS, meeting

Status = Registration.Status


@pytest.mark.parametrize(
    ("status", "now", "reason"),
    [
        (Meeting.Status.PUBLISHED, OPENS, None),
        (
            Meeting.Status.PUBLISHED,
            OPENS - dt.timedelta(seconds=1),
            "Registration has not opened yet.",
        ),
        (Meeting.Status.PUBLISHED, CLOSES, "Registration is closed."),
        (Meeting.Status.PUBLISHED, ENDS, "This meeting is over."),
        (Meeting.Status.DRAFT, OPENS, "Registration is not open for this meeting."),
        (Meeting.Status.CANCELLED, ENDS, "This meeting has been cancelled."),
    ],
)
def test_closed_reason_words_each_phase(status, now, reason):
    assert registration_closed_reason(meeting(status=status), now) == reason


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "now", "state"),
    [
        (Meeting.Status.PUBLISHED, OPENS, "open"),
        (Meeting.Status.PUBLISHED, OPENS - dt.timedelta(seconds=1), "not_yet"),
        (Meeting.Status.PUBLISHED, CLOSES, "closed"),
        (Meeting.Status.PUBLISHED, ENDS, "over"),
        (Meeting.Status.DRAFT, OPENS, "draft"),
        (Meeting.Status.CANCELLED, OPENS, "cancelled"),
    ],
)
def test_registration_state_is_the_phase_with_its_reason(
    status, now, state, django_assert_num_queries
):
    """No seats to count: no query."""
    subject = meeting(status=status, capacity=None)

    with django_assert_num_queries(0):
        result = meeting_registration_state(meeting=subject, now=now)

    assert result == {
        "state": state,
        "reason": registration_closed_reason(subject, now),
        "opens_at": OPENS,
    }


@pytest.mark.django_db
def test_registration_state_is_waitlist_when_open_and_the_seats_are_taken(
    django_assert_num_queries,
):
    full = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=full, status=Status.CONFIRMED)

    with django_assert_num_queries(1):
        result = meeting_registration_state(meeting=full)

    assert (result["state"], result["reason"]) == ("waitlist", None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "days_from_end", "expected"),
    [
        (Status.CONFIRMED, -1, True),
        (Status.PENDING, -1, True),
        (Status.WAITLISTED, -1, True),
        (Status.CONFIRMED, 0, False),
        (Status.CANCELLED, -1, False),
        (Status.REJECTED, -1, False),
    ],
)
def test_choices_can_change_while_the_registration_counts_and_the_meeting_is_not_over(
    status, days_from_end, expected
):
    registration = RegistrationFactory(status=status)
    now = registration.meeting.ends_at + dt.timedelta(days=days_from_end)

    assert registration.can_change_choices(now) is expected


@pytest.mark.django_db
def test_choices_cannot_change_from_the_instant_the_meeting_is_over():
    registration = RegistrationFactory(status=Status.CONFIRMED)
    ends = registration.meeting.ends_at

    assert [
        registration.can_change_choices(when)
        for when in (ends - dt.timedelta(microseconds=1), ends)
    ] == [True, False]
    assert registration.can_change_choices() is (timezone.now() < ends)
