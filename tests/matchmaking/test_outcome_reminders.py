"""The day after a day of 1:1 meetings, "how did they go?": the right people, the right day in
the meeting's zone, once, in their language, whatever their names hold."""

import datetime as dt

import pytest

from mail.models import OutboxMessage
from mail.render import email_build
from matchmaking.services.outcome_reminders import outcome_reminders_send
from matchmaking.services.outcomes import outcome_record
from matchmaking.services.setup import matchmaking_update
from matchmaking.tasks import send_outcome_reminders
from registrations.services import registration_cancel
from tests.factories import MeetingFactory
from tests.matchmaking.b2b import b2b_session_add, person, slots
from tests.matchmaking.outcomes import meet, past_b2b_meeting

pytestmark = pytest.mark.django_db

REMINDER = OutboxMessage.Kind.B2B_OUTCOME_REMINDER
DAY = dt.date(2030, 3, 5)  # a Tuesday
HOSTILE_NAME = "Eve\r\nBcc: x@evil.example \u202eevil\u202c" + "L" * 50


def meeting_on(day: dt.date, zone: str):
    """A published meeting on ``day`` in ``zone``, with a matchmaking session 15:00–16:00."""
    meeting = MeetingFactory(starts_on=day, ends_on=day + dt.timedelta(days=1), timezone=zone)
    matchmaking_update(meeting=meeting, enabled=True)
    b2b_session_add(meeting, tables=3)
    return meeting


def local(meeting, day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=meeting.tzinfo)


def reminders() -> list[tuple[str, dict]]:
    return sorted(
        (row.recipient, row.payload) for row in OutboxMessage.objects.filter(kind=REMINDER)
    )


@pytest.mark.parametrize("zone", ["America/Bogota", "Pacific/Auckland", "Europe/Madrid"])
def test_the_reminder_is_due_from_nine_the_next_morning_in_the_meetings_zone(zone):
    meeting = meeting_on(DAY, zone)
    ana, ben = person(meeting), person(meeting)
    request = meet(ana, ben, slots(meeting)[0])
    next_day = DAY + dt.timedelta(days=1)

    assert outcome_reminders_send(now=local(meeting, DAY, "23:59")) == 0
    assert outcome_reminders_send(now=local(meeting, next_day, "08:59")) == 0
    assert outcome_reminders_send(now=local(meeting, next_day, "09:00")) == 2

    payload = {"day": DAY.isoformat(), "requests": [request.pk]}
    assert reminders() == sorted([(ana.email, payload), (ben.email, payload)])


def test_a_reminder_missed_by_the_beat_still_goes_the_day_after_but_not_later():
    meeting = meeting_on(DAY, "Pacific/Auckland")
    meet(person(meeting), person(meeting), slots(meeting)[0])

    assert outcome_reminders_send(now=local(meeting, DAY + dt.timedelta(days=3), "00:00")) == 0
    assert outcome_reminders_send(now=local(meeting, DAY + dt.timedelta(days=2), "23:00")) == 2


def test_running_again_writes_nothing_twice():
    meeting = meeting_on(DAY, "Europe/Madrid")
    meet(person(meeting), person(meeting), slots(meeting)[0])
    morning = local(meeting, DAY + dt.timedelta(days=1), "09:05")

    assert outcome_reminders_send(now=morning) == 2
    assert outcome_reminders_send(now=morning + dt.timedelta(hours=1)) == 0
    assert outcome_reminders_send(now=morning + dt.timedelta(days=1)) == 0
    assert OutboxMessage.objects.filter(kind=REMINDER).count() == 2


def test_only_people_with_meetings_left_to_record_and_only_those_meetings():
    meeting = meeting_on(DAY, "Europe/Madrid")
    ana, ben, cai, dan, eve = (person(meeting) for _ in range(5))
    first, second = slots(meeting)[:2]
    ana_ben = meet(ana, ben, first)
    ana_cai = meet(ana, cai, second)
    meet(dan, eve, first)
    # Ben recorded his one meeting, Ana one of her two; Eve left the meeting since.
    after = second.ends_at
    outcome_record(request=ana_ben, registration=ben, held=True, now=after)
    outcome_record(request=ana_ben, registration=ana, held=True, now=after)
    registration_cancel(registration=eve)

    outcome_reminders_send(now=local(meeting, DAY + dt.timedelta(days=1), "10:00"))

    # Eve's cancellation cancelled her meeting with Dan: nothing left to record for either.
    assert reminders() == sorted(
        [
            (ana.email, {"day": DAY.isoformat(), "requests": [ana_cai.pk]}),
            (cai.email, {"day": DAY.isoformat(), "requests": [ana_cai.pk]}),
        ]
    )


def test_a_meeting_with_matchmaking_off_or_cancelled_sends_nothing():
    off = meeting_on(DAY, "Europe/Madrid")
    meet(person(off), person(off), slots(off)[0])
    matchmaking_update(meeting=off, enabled=False)
    cancelled = meeting_on(DAY, "Europe/Madrid")
    meet(person(cancelled), person(cancelled), slots(cancelled)[0])
    cancelled.status = "cancelled"
    cancelled.save()

    assert outcome_reminders_send(now=local(off, DAY + dt.timedelta(days=1), "10:00")) == 0


def test_the_email_lists_the_meetings_and_links_to_the_persons_page_in_their_language():
    meeting = meeting_on(DAY, "America/Bogota")
    ana = person(meeting, language="es", first_name="Ana")
    ben = person(meeting, first_name="Ben", last_name="Ortiz")
    ben.b2b_profile.organization.name = "Cluster Andino"
    ben.b2b_profile.organization.save()
    meet(ben, ana, slots(meeting)[1])
    outcome_reminders_send(now=local(meeting, DAY + dt.timedelta(days=1), "09:30"))

    email = email_build(message=OutboxMessage.objects.get(kind=REMINDER, registration=ana))

    body = email.body
    html = email.alternatives[0][0]
    assert email.to == [ana.email]
    assert "martes 5 de marzo" in body  # Tuesday 5 March, in Spanish
    assert "\n- 15:20–15:40: Ben Ortiz (Cluster Andino), Mesa 1\n" in body
    assert "(America/Bogota)" in body
    assert f"/r/{ana.token}/meetings/#past-meetings" in body
    assert f"/r/{ana.token}/meetings/#past-meetings" in html
    assert ben.email not in body and ben.email not in html


def test_hostile_names_never_stop_the_email_nor_split_its_subject():
    meeting = meeting_on(DAY, "Europe/Madrid")
    meeting.title = "Intercluster\r\nX-Injected: 1"
    meeting.save()
    ana = person(meeting, first_name=HOSTILE_NAME)
    eve = person(meeting, first_name=HOSTILE_NAME, last_name="\u202e" + HOSTILE_NAME)
    eve.b2b_profile.organization.name = "=cmd|' /C calc'!A0\n\u202eOrg"
    eve.b2b_profile.organization.save()
    slot = slots(meeting)[0]
    table = slot.b2b_session.tables.order_by("position").first()  # the first free one
    table.name = "Blue\nroom \u202eleft"
    table.save()
    meet(eve, ana, slot)
    outcome_reminders_send(now=local(meeting, DAY + dt.timedelta(days=1), "09:30"))

    for message in OutboxMessage.objects.filter(kind=REMINDER):
        email = email_build(message=message)
        assert "\n" not in email.subject and "\r" not in email.subject
        assert "\u202e" not in email.body and "\u202e" not in email.alternatives[0][0]
        assert "Bcc: x@evil.example" in email.body  # the name, on its own line no more
        assert "\nBcc" not in email.body
    email = email_build(message=OutboxMessage.objects.get(kind=REMINDER, registration=ana))
    assert "=cmd|' /C calc'!A0 Org" in email.body
    assert "Blue room left" in email.body


def test_the_hourly_task_writes_the_reminders_of_yesterday_once():
    """A meeting two days ago, in its zone: the reminder is due all day today."""
    meeting = past_b2b_meeting(days_ago=2, zone="Pacific/Auckland")
    meet(person(meeting), person(meeting), slots(meeting)[0])

    assert send_outcome_reminders.delay().get() == 2
    assert send_outcome_reminders.delay().get() == 0
