"""Changes that email people ask first and say how many will be told."""

import pytest

from events.models import Meeting
from mail.models import OutboxMessage
from registrations.models import Registration, SessionBooking
from registrations.services.agenda_notices import (
    session_change_audience,
    session_change_notices_record,
)
from tests.factories import (
    MeetingFactory,
    MeetingOrganizerFactory,
    RegistrationFactory,
    SessionBookingFactory,
    SessionFactory,
    UserFactory,
)
from tests.orga.conftest import participant_user
from tests.roundtrip import resubmit

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_client(client, organizer):
    client.force_login(organizer)
    return client


@pytest.fixture
def workshop(meeting):
    """A session three confirmed people hold; one more waits, one cancelled: not told."""
    session = SessionFactory(meeting=meeting, title="Workshop", requires_booking=True, capacity=3)
    for index in range(3):
        SessionBookingFactory(
            registration=RegistrationFactory(meeting=meeting, last_name=f"Holder{index}"),
            session=session,
        )
    SessionBookingFactory(
        registration=RegistrationFactory(meeting=meeting, last_name="Waiting"),
        session=session,
        status=SessionBooking.Status.WAITLISTED,
    )
    SessionBookingFactory(
        registration=RegistrationFactory(
            meeting=meeting, last_name="Gone", status=Registration.Status.CANCELLED
        ),
        session=session,
        status=SessionBooking.Status.CANCELLED,
    )
    return session


def test_session_cancel_asks_first_and_counts_who_is_told(org_client, meeting, workshop):
    url = f"/meetings/meet/manage/sessions/{workshop.pk}/cancel/"
    page = org_client.get(url)
    html = page.content.decode()
    assert page.context["count"] == 3
    assert "This will email 3 people." in html
    assert [p.last_name for p in page.context["people"]] == ["Holder0", "Holder1", "Holder2"]
    workshop.refresh_from_db()
    assert (workshop.status, OutboxMessage.objects.count()) == ("confirmed", 0)

    response = resubmit(org_client, url)  # the confirmation as shown
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert (workshop.status, workshop.sequence) == ("cancelled", 1)
    told = OutboxMessage.objects.filter(kind="agenda_update")
    assert sorted(m.registration.last_name for m in told) == ["Holder0", "Holder1", "Holder2"]


def test_session_restore_asks_first(org_client, meeting, workshop):
    workshop.status = "cancelled"
    workshop.save()
    url = f"/meetings/meet/manage/sessions/{workshop.pk}/restore/"
    assert org_client.get(url).context["count"] == 3
    resubmit(org_client, url)
    workshop.refresh_from_db()
    assert workshop.status == "confirmed"


def test_the_board_card_links_to_the_confirmation(org_client, meeting, workshop):
    html = org_client.get(f"/meetings/meet/board/?day={meeting.starts_on}").content.decode()
    assert f'href="/meetings/meet/manage/sessions/{workshop.pk}/cancel/"' in html
    assert f"/board/sessions/{workshop.pk}/cancel/" not in html


def test_meeting_cancel_asks_first_and_counts_everyone_registered(org_client, meeting):
    for status in ["confirmed", "confirmed", "waitlisted", "pending", "cancelled", "rejected"]:
        RegistrationFactory(meeting=meeting, status=status)
    RegistrationFactory(meeting=MeetingFactory())  # another meeting's: not told
    url = "/meetings/meet/manage/cancel/"
    page = org_client.get(url)
    assert page.context["count"] == 4
    assert "This will email 4 people." in page.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED

    resubmit(org_client, url)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert OutboxMessage.objects.filter(kind="meeting_cancelled").count() == 4
    # Asking again changes nothing and emails nobody twice.
    again = org_client.post(url, follow=True)
    assert "already cancelled" in again.content.decode()
    assert OutboxMessage.objects.filter(kind="meeting_cancelled").count() == 4


def test_a_draft_meetings_session_cancel_tells_nobody(org_client, meeting, workshop):
    Meeting.objects.filter(pk=meeting.pk).update(status="draft")
    page = org_client.get(f"/meetings/meet/manage/sessions/{workshop.pk}/cancel/")
    assert page.context["count"] == 0
    assert "Nobody will be emailed." in page.content.decode()

    response = resubmit(org_client, f"/meetings/meet/manage/sessions/{workshop.pk}/cancel/")

    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.status == "cancelled"
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_the_audience_of_a_meeting_not_published_is_nobody(meeting, workshop, status):
    """The rule lives in the selector, so the page's count and the notices agree."""
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    workshop.refresh_from_db()

    assert list(session_change_audience(session=workshop)) == []
    assert session_change_notices_record(session=workshop, change="cancelled") == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize("path", ["cancel/", "sessions/{pk}/cancel/", "sessions/{pk}/restore/"])
def test_only_this_meetings_organizers_may_change_it(client, meeting, workshop, path):
    url = f"/meetings/meet/manage/{path.format(pk=workshop.pk)}"
    assert client.post(url).status_code == 302  # anonymous: to the login page
    other = UserFactory(username="other-org")
    MeetingOrganizerFactory(meeting=MeetingFactory(), user=other)
    client.force_login(other)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    meeting.refresh_from_db()
    workshop.refresh_from_db()
    assert (meeting.status, workshop.status) == ("published", "confirmed")
    assert OutboxMessage.objects.count() == 0


def test_a_session_of_another_meeting_is_not_found(org_client):
    foreign = SessionFactory(title="Theirs")
    assert org_client.get(f"/meetings/meet/manage/sessions/{foreign.pk}/cancel/").status_code == 404
    assert (
        org_client.post(f"/meetings/meet/manage/sessions/{foreign.pk}/cancel/").status_code == 404
    )
    foreign.refresh_from_db()
    assert foreign.status == "confirmed"


@pytest.mark.parametrize("path", ["cancel/", "sessions/{pk}/cancel/", "sessions/{pk}/restore/"])
def test_a_participant_with_an_account_gets_403_and_changes_nothing(
    client, meeting, workshop, path
):
    client.force_login(participant_user(meeting))
    url = f"/meetings/meet/manage/{path.format(pk=workshop.pk)}"

    for answer in [client.get(url), client.post(url)]:
        assert answer.status_code == 403
        assert "Holder0" not in answer.content.decode()
    meeting.refresh_from_db()
    workshop.refresh_from_db()
    assert (meeting.status, workshop.status) == ("published", "confirmed")
    assert OutboxMessage.objects.count() == 0


def test_the_confirmation_shows_hostile_titles_and_names_as_text(org_client, meeting):
    hostile = "<script>alert(1)</script>\u202e\x07" + "x" * 300
    session = SessionFactory(meeting=meeting, title=hostile[:200], requires_booking=True)
    SessionBookingFactory(
        registration=RegistrationFactory(meeting=meeting, first_name=hostile[:100]),
        session=session,
    )
    page = org_client.get(f"/meetings/meet/manage/sessions/{session.pk}/cancel/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert page.context["count"] == 1
