import datetime as dt

import pytest
from django.core import mail

from events.models import Meeting
from mail.models import OutboxMessage
from registrations.models import Registration
from registrations.services.reminders import meeting_reminders_send
from tests.factories import MADRID, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

FIRST_DAY = dt.date(2030, 3, 12)
FIRST_MORNING = dt.datetime(2030, 3, 12, tzinfo=MADRID)


@pytest.fixture
def soon(settings):
    settings.REMINDER_HOURS_BEFORE = 48
    return MeetingFactory(
        starts_on=FIRST_DAY, ends_on=FIRST_DAY + dt.timedelta(days=1), language="en"
    )


def test_confirmed_participants_get_one_reminder_two_days_before(
    soon, django_capture_on_commit_callbacks
):
    confirmed = RegistrationFactory(meeting=soon, first_name="Ane")
    RegistrationFactory(meeting=soon, status=Registration.Status.WAITLISTED)
    RegistrationFactory(meeting=soon, status=Registration.Status.CANCELLED)

    with django_capture_on_commit_callbacks(execute=True):
        written = meeting_reminders_send(now=FIRST_MORNING - dt.timedelta(hours=47))

    assert written == 1
    (reminder,) = mail.outbox
    assert reminder.to == [confirmed.email]
    assert reminder.subject == f"See you soon at {soon.title}"
    assert f"/r/{confirmed.token}/" in reminder.body
    assert "12–13 March 2030" in reminder.body


def test_running_again_sends_nothing_more(soon, django_capture_on_commit_callbacks):
    RegistrationFactory(meeting=soon)
    now = FIRST_MORNING - dt.timedelta(hours=30)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_reminders_send(now=now)

    with django_capture_on_commit_callbacks(execute=True):
        written = meeting_reminders_send(now=now + dt.timedelta(hours=1))

    assert written == 0
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.filter(kind="meeting_reminder").count() == 1


@pytest.mark.parametrize(
    "now",
    [
        FIRST_MORNING - dt.timedelta(hours=49),  # too early
        FIRST_MORNING + dt.timedelta(hours=1),  # already started
    ],
)
def test_no_reminder_outside_the_window(soon, now):
    RegistrationFactory(meeting=soon)

    assert meeting_reminders_send(now=now) == 0
    assert not OutboxMessage.objects.exists()


def test_no_reminder_for_draft_or_cancelled_meetings(soon):
    RegistrationFactory(meeting=soon)
    for status in (Meeting.Status.DRAFT, Meeting.Status.CANCELLED):
        Meeting.objects.filter(pk=soon.pk).update(status=status)

        assert meeting_reminders_send(now=FIRST_MORNING - dt.timedelta(hours=10)) == 0


def test_reminder_is_in_the_meetings_language(soon, django_capture_on_commit_callbacks):
    Meeting.objects.filter(pk=soon.pk).update(language="es")
    RegistrationFactory(meeting=soon, language="")

    with django_capture_on_commit_callbacks(execute=True):
        meeting_reminders_send(now=FIRST_MORNING - dt.timedelta(hours=5))

    (reminder,) = mail.outbox
    assert reminder.subject == f"Nos vemos pronto en {soon.title}"
    assert "tu plaza está confirmada" in reminder.body
