import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from events.models import Meeting, MeetingOrganizer
from tests.factories import MeetingFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_meeting_ending_before_it_starts_is_refused_by_the_database():
    """The CHECK constraint holds even when validation is bypassed."""
    meeting = MeetingFactory()
    meeting.ends_on = meeting.starts_on - dt.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting.save()


def test_meeting_clean_names_the_wrong_dates():
    meeting = MeetingFactory.build(starts_on=dt.date(2030, 5, 2), ends_on=dt.date(2030, 5, 1))
    with pytest.raises(ValidationError) as excinfo:
        meeting.clean()
    assert excinfo.value.message_dict == {
        "ends_on": ["The last day cannot be before the first day."]
    }


def test_meeting_registration_window_must_be_in_order_in_the_database():
    meeting = MeetingFactory()
    meeting.registration_closes_at = meeting.registration_opens_at - dt.timedelta(hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting.save()


def test_meeting_negative_capacity_is_refused_by_the_database():
    meeting = MeetingFactory()
    Meeting.objects.filter(pk=meeting.pk).update()  # row exists
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(capacity=-1)


def test_room_negative_capacity_is_refused_by_the_database():
    room = RoomFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(room).objects.filter(pk=room.pk).update(capacity=-5)


def test_meeting_slugs_are_unique():
    MeetingFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(slug="same")


def test_unknown_timezone_is_a_validation_error():
    meeting = MeetingFactory.build(timezone="Europe/Atlantis", venue=None)
    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean(exclude=["venue"])
    assert "timezone" in excinfo.value.message_dict


def test_a_user_organizes_a_meeting_once():
    meeting = MeetingFactory()
    user = UserFactory()
    MeetingOrganizer.objects.create(meeting=meeting, user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingOrganizer.objects.create(meeting=meeting, user=user)


@pytest.mark.parametrize(
    ("offset_days", "expected"),
    [(-2, False), (0, True), (59, True), (61, False)],
)
def test_registration_is_open_only_inside_the_window(offset_days, expected):
    """Factory meeting: opens yesterday, closes at midnight before the first day (60 days on)."""
    meeting = MeetingFactory()
    assert meeting.registration_is_open(timezone.now() + dt.timedelta(days=offset_days)) is expected


def test_draft_or_cancelled_meeting_never_takes_registrations():
    for status in (Meeting.Status.DRAFT, Meeting.Status.CANCELLED):
        assert MeetingFactory(status=status).registration_is_open() is False


def test_meeting_days_and_bounds_are_in_its_timezone():
    meeting = MeetingFactory.build(starts_on=dt.date(2019, 12, 10), ends_on=dt.date(2019, 12, 11))
    assert meeting.days == [dt.date(2019, 12, 10), dt.date(2019, 12, 11)]
    assert meeting.starts_at.isoformat() == "2019-12-10T00:00:00+01:00"
    assert meeting.ends_at.isoformat() == "2019-12-12T00:00:00+01:00"


@pytest.mark.postgres
def test_postgres_has_the_room_exclusion_constraint():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conname = 'session_room_no_overlap'"
        )
        assert cursor.fetchall() == [("session_room_no_overlap",)]
