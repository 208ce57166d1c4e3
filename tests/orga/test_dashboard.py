"""The organizer dashboard: who may see it, and that its numbers are the meeting's."""

import datetime as dt

import lxml.html
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.utils import timezone

from events.models import MeetingOrganizer, Organization
from mail.models import OutboxMessage
from registrations.models import Registration, SessionBooking
from tests.factories import (
    MeetingFactory,
    MeetingOrganizerFactory,
    OrganizationFactory,
    RegistrationFactory,
    RoomFactory,
    SessionBookingFactory,
    SessionFactory,
    UserFactory,
    at,
)
from tests.orga.conftest import participant_user

pytestmark = pytest.mark.django_db

Status = Registration.Status


def url(meeting) -> str:
    return f"/meetings/{meeting.slug}/manage/"


# --- who may see it -----------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, meeting):
    response = client.get(url(meeting))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/meetings/meet/manage/")


def test_a_user_without_a_role_is_refused(client, meeting):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(url(meeting)).status_code == 403


def test_check_in_staff_are_not_organizers(client, meeting):
    staff = UserFactory(username="desk")
    MeetingOrganizerFactory(meeting=meeting, user=staff, role=MeetingOrganizer.Role.CHECKIN)
    client.force_login(staff)
    assert client.get(url(meeting)).status_code == 403


def test_an_organizer_of_another_meeting_gets_no_data(client, meeting):
    RegistrationFactory(meeting=meeting, first_name="Secret", last_name="Person")
    other = UserFactory(username="other-org")
    MeetingOrganizerFactory(meeting=MeetingFactory(), user=other)
    client.force_login(other)
    response = client.get(url(meeting))
    assert response.status_code == 403
    assert "Secret" not in response.content.decode()


def test_an_organizer_of_another_meeting_cannot_retry_its_emails(client, meeting):
    message = OutboxMessage.objects.create(
        kind="private_link",
        recipient="a@example.org",
        meeting=meeting,
        dedupe_key="x",
        status=OutboxMessage.Status.FAILED,
    )
    other = UserFactory(username="other-org")
    other_meeting = MeetingFactory()
    MeetingOrganizerFactory(meeting=other_meeting, user=other)
    client.force_login(other)
    assert client.post(f"{url(meeting)}emails/retry/").status_code == 403
    # Their own meeting's URL with this meeting's message id: not found, not retried.
    response = client.post(f"/meetings/{other_meeting.slug}/manage/emails/{message.pk}/retry/")
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED


def test_a_draft_of_another_meeting_is_not_found(client):
    draft = MeetingFactory(status="draft")
    other = UserFactory(username="other-org")
    MeetingOrganizerFactory(meeting=MeetingFactory(), user=other)
    client.force_login(other)
    assert client.get(url(draft)).status_code == 404


def test_the_organizer_sees_it(client, meeting, organizer):
    client.force_login(organizer)
    response = client.get(url(meeting))
    assert response.status_code == 200
    assert "Nobody has registered yet." in response.content.decode()


# --- the numbers ----------------------------------------------------------------------


@pytest.fixture
def known(meeting):
    """12 registrations over three days with known statuses, regions and organisations;
    a 2-seat workshop with one waiting; emails sent, pending and failed; and another
    meeting's registrations that must not count."""
    meeting.capacity = 8
    meeting.save()
    cluster = OrganizationFactory(name="Aclunaga", kind=Organization.Kind.CLUSTER)
    company = OrganizationFactory(name="Acme", kind=Organization.Kind.COMPANY)
    tz = meeting.tzinfo
    day1 = dt.datetime(2026, 11, 2, 23, 30, tzinfo=tz)  # 22:30 UTC: still the 2nd in Madrid
    plan = [
        # (status, region, organisation, arrival)
        (Status.CONFIRMED, "ES-NC", cluster, day1),
        (Status.CONFIRMED, "ES-NC", cluster, day1),
        (Status.CONFIRMED, "ES-AR", company, day1),
        (Status.CONFIRMED, "ES-AR", None, day1 + dt.timedelta(days=2)),
        (Status.CONFIRMED, "", None, day1 + dt.timedelta(days=2)),
        (Status.WAITLISTED, "ES-NC", cluster, day1 + dt.timedelta(days=2)),
        (Status.WAITLISTED, "ES-GA", company, day1 + dt.timedelta(days=2)),
        (Status.PENDING, "ES-GA", None, day1 + dt.timedelta(days=2)),
        (Status.CANCELLED, "ES-NC", cluster, day1),
        (Status.CANCELLED, "ES-AR", company, day1),
        (Status.REJECTED, "ES-GA", cluster, day1),
        (Status.CONFIRMED, "ES-NC", company, day1 + dt.timedelta(days=2)),
    ]
    people = []
    for index, (status, region, organisation, arrival) in enumerate(plan):
        person = RegistrationFactory(
            meeting=meeting,
            status=status,
            region=region,
            organization=organisation,
            organization_name="" if organisation else "Typed in Ltd",
            email=f"p{index}@example.org",
        )
        Registration.objects.filter(pk=person.pk).update(created_at=arrival)
        people.append(person)
    workshop = SessionFactory(
        meeting=meeting,
        title="Workshop",
        requires_booking=True,
        capacity=2,
        room=RoomFactory(venue=meeting.venue, capacity=40),
        starts_at=at(meeting, 0, "11:00"),
    )
    SessionFactory(meeting=meeting, title="Keynote", requires_booking=False)
    for person, status in zip(
        people[:3],
        [SessionBooking.Status.BOOKED, SessionBooking.Status.BOOKED, "waitlisted"],
        strict=True,
    ):
        SessionBookingFactory(registration=person, session=workshop, status=status)
    for index, status in enumerate(["sent", "sent", "sent", "pending", "failed", "failed"]):
        OutboxMessage.objects.create(
            kind="registration_confirmed",
            recipient=f"p{index}@example.org",
            meeting=meeting,
            registration=people[index],
            dedupe_key=f"known-{index}",
            status=status,
            sent_at=day1 if status == "sent" else None,
            last_error="550 mailbox unavailable" if status == "failed" else "",
        )
    elsewhere = MeetingFactory()
    RegistrationFactory.create_batch(3, meeting=elsewhere, region="ES-NC")
    OutboxMessage.objects.create(
        kind="x", recipient="z@example.org", meeting=elsewhere, dedupe_key="e", status="failed"
    )
    return {"meeting": meeting, "workshop": workshop, "day1": day1.date()}


def table(html: str, name: str) -> dict[str, str]:
    """A table's rows as {row header: last cell}."""
    rows = lxml.html.fromstring(html).xpath(f'//table[@data-table="{name}"]/tbody/tr')
    return {
        row.xpath("th")[0].text_content().strip(): row.xpath("td")[-1].text_content().strip()
        for row in rows
    }


def test_dashboard_numbers_are_the_meetings(client, organizer, known):
    client.force_login(organizer)
    response = client.get(url(known["meeting"]))
    html = response.content.decode()
    data = response.context["data"]

    assert data.total == 12
    assert table(html, "status") == {
        "Pending approval": "1",
        "Confirmed": "6",
        "Waitlisted": "2",
        "Cancelled": "2",
        "Rejected": "1",
    }
    # Active people only (pending, confirmed, waitlisted): 9.
    assert table(html, "region") == {
        "Comunidad Foral de Navarra": "4",
        "Aragón": "2",
        "Galicia": "2",
        "Not given": "1",
    }
    assert table(html, "kind") == {"Not a listed organisation": "3", "Cluster": "3", "Company": "3"}
    seats = table(html, "seats")
    assert seats["The meeting"] == "2"  # waiting
    meeting_row, workshop_row = (
        [cell.text_content().strip() for cell in row.xpath("td")]
        for row in lxml.html.fromstring(html).xpath('//table[@data-table="seats"]/tbody/tr')
    )
    assert meeting_row == ["8", "6", "2", "2"]  # capacity, taken, left, waiting
    assert workshop_row == ["2", "2", "0", "1"]
    assert [seat.label for seat in data.seats] == ["The meeting", "Workshop"]  # no keynote
    assert data.emails == {"pending": 1, "sent": 3, "failed": 2}
    assert [m.recipient for m in data.failed_emails] == ["p5@example.org", "p4@example.org"]


def test_registrations_per_day_follow_the_meeting_zone_and_fill_gaps(client, organizer, known):
    client.force_login(organizer)
    response = client.get(url(known["meeting"]))
    day1 = known["day1"]
    per_day = response.context["data"].per_day
    assert per_day[:3] == [
        (day1, 6),
        (day1 + dt.timedelta(days=1), 0),
        (day1 + dt.timedelta(days=2), 6),
    ]
    assert sum(count for _day, count in per_day) == 12
    chart = response.context["chart"]
    assert [bar.total for bar in chart.bars][:3] == [6, 6, 12]
    bars = lxml.html.fromstring(response.content).xpath('//g[@class="bars"]/rect')
    assert len(bars) == len(per_day)


def test_retry_all_failed_emails_of_the_meeting(
    client, organizer, known, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url(known['meeting'])}emails/retry/", follow=True)
    assert "2 emails queued again." in response.content.decode()
    statuses = OutboxMessage.objects.filter(meeting=known["meeting"]).values_list(
        "status", flat=True
    )
    # Sent in-process (eager tasks, locmem backend): the failed ones went out this time;
    # the pending one is left to its own schedule.
    assert sorted(statuses) == ["pending"] + ["sent"] * 5
    assert OutboxMessage.objects.exclude(meeting=known["meeting"]).get().status == "failed"


def test_dashboard_queries_do_not_grow_with_the_meeting(
    client, organizer, known, django_assert_max_num_queries
):
    client.force_login(organizer)
    client.get(url(known["meeting"]))  # warm the session
    with django_assert_max_num_queries(14) as small:
        client.get(url(known["meeting"]))
    for index in range(30):
        RegistrationFactory(meeting=known["meeting"], email=f"more{index}@example.org")
        SessionFactory(
            meeting=known["meeting"],
            requires_booking=True,
            starts_at=at(known["meeting"], 1, "09:00"),
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url(known["meeting"]))


def test_hostile_names_are_escaped_on_the_dashboard(client, organizer, meeting):
    hostile = "<script>alert(1)</script>\u202e\x07\r\n" + "x" * 5000
    session = SessionFactory(
        meeting=meeting, title=hostile[:200], requires_booking=True, capacity=3
    )
    person = RegistrationFactory(meeting=meeting, first_name=hostile[:100])
    SessionBookingFactory(registration=person, session=session)
    OutboxMessage.objects.create(
        kind="registration_confirmed",
        recipient="p@example.org",
        meeting=meeting,
        registration=person,
        dedupe_key="h",
        status="failed",
        last_error=hostile,
    )
    client.force_login(organizer)
    response = client.get(url(meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text


def test_retry_of_an_email_sent_meanwhile_says_nothing_was_queued(client, organizer, meeting):
    """The worker sends the email between the page's read and the retry's lock: the answer is
    the status read under the lock, not the one read before it."""
    message = OutboxMessage.objects.create(
        kind="registration_confirmed",
        recipient="late@example.org",
        meeting=meeting,
        dedupe_key="late",
        status=OutboxMessage.Status.FAILED,
    )
    table = OutboxMessage._meta.db_table
    reads = []

    def worker_sends_it_before_the_second_read(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT") and f'FROM "{table}"' in sql:
            reads.append(sql)
            if len(reads) == 2:  # the retry's locked read: the worker got there first
                context["cursor"].execute(
                    f'UPDATE "{table}" SET status = %s, sent_at = %s WHERE id = %s',
                    ["sent", timezone.now(), message.pk],
                )
        return execute(sql, params, many, context)

    client.force_login(organizer)
    with connection.execute_wrapper(worker_sends_it_before_the_second_read):
        response = client.post(f"{url(meeting)}emails/{message.pk}/retry/")

    assert len(reads) == 2
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Nothing to send again."]
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 0)


def test_a_participant_with_an_account_gets_403_and_no_data(client, meeting):
    RegistrationFactory(meeting=meeting, first_name="Secret", last_name="Person")
    client.force_login(participant_user(meeting))

    for answer in [client.get(url(meeting)), client.post(f"{url(meeting)}emails/retry/")]:
        assert answer.status_code == 403
        assert "Secret" not in answer.content.decode()
        assert "ane.participant@example.org" not in answer.content.decode()


def test_failed_emails_show_the_kind_by_its_name(client, organizer, meeting):
    OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.REGISTRATION_CONFIRMED,
        recipient="p@example.org",
        meeting=meeting,
        dedupe_key="named",
        status=OutboxMessage.Status.FAILED,
    )
    client.force_login(organizer)

    html = lxml.html.fromstring(client.get(url(meeting)).content)

    cells = html.xpath('//section[@aria-labelledby="emails"]//tbody/tr/td[2]/text()')
    assert cells == ["Registration confirmed"]
