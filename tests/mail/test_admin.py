"""The outbox in the admin: organizers see their meetings' emails, with errors, and can retry."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from mail.models import OutboxMessage
from mail.services import outbox_message_create
from tests.factories import MeetingFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/mail/outboxmessage/"


def failed_message(meeting, recipient="ane@example.org", error="SMTPDataError: 554 Rejected"):
    registration = RegistrationFactory(meeting=meeting, email=recipient)
    message = outbox_message_create(
        kind="private_link",
        recipient=recipient,
        meeting=meeting,
        registration=registration,
        dedupe_key=f"link:{registration.pk}",
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.FAILED, attempts=1, last_error=error
    )
    return message


@pytest.fixture
def staff_organizer(organizer):
    organizer.is_staff = True
    organizer.save()
    organizer.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    return organizer


def test_organizer_sees_only_their_meetings_emails_with_the_error(client, meeting, staff_organizer):
    failed_message(meeting, "mine@example.org", error="SMTPRecipientsRefused: 550 No such user")
    failed_message(MeetingFactory(), "theirs@example.org")
    client.force_login(staff_organizer)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert [m.recipient for m in response.context["cl"].result_list] == ["mine@example.org"]
    html = response.content.decode()
    assert "SMTPRecipientsRefused: 550 No such user" in html
    assert "theirs@example.org" not in html


def test_changelist_filters_by_status_and_searches_by_recipient(client, meeting):
    failed_message(meeting, "ane@example.org")
    failed_message(meeting, "jon@example.org")
    OutboxMessage.objects.filter(recipient="jon@example.org").update(status="pending")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    failed = client.get(CHANGELIST, {"status__exact": "failed"})
    found = client.get(CHANGELIST, {"q": "jon@"})

    assert [m.recipient for m in failed.context["cl"].result_list] == ["ane@example.org"]
    assert [m.recipient for m in found.context["cl"].result_list] == ["jon@example.org"]


def test_retry_action_sends_a_failed_email_again(
    client, meeting, staff_organizer, django_capture_on_commit_callbacks
):
    message = failed_message(meeting)
    client.force_login(staff_organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "retry_sending", "_selected_action": [message.pk]}
        )

    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 1, "")
    assert [email.to for email in mail.outbox] == [["ane@example.org"]]


def test_retry_action_cannot_reach_another_meetings_email(client, meeting, staff_organizer):
    other = failed_message(MeetingFactory(), "theirs@example.org")
    client.force_login(staff_organizer)

    client.post(CHANGELIST, {"action": "retry_sending", "_selected_action": [other.pk]})

    other.refresh_from_db()
    assert other.status == OutboxMessage.Status.FAILED
    assert mail.outbox == []


@pytest.mark.parametrize("count", [1, 3])
def test_changelist_query_count_does_not_grow_with_the_messages(
    client, meeting, staff_organizer, django_assert_num_queries, count
):
    for n in range(count):
        failed_message(meeting, f"p{n}@example.org")
    client.force_login(staff_organizer)
    client.get(CHANGELIST)  # warm the session and content types

    # The kind filter lists OutboxMessage.Kind, not the distinct kinds in the table.
    with django_assert_num_queries(10):
        response = client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == count
