"""Organizers log in on the site (no admin account needed) and land on their meetings."""

import pytest

from tests.factories import MeetingFactory, MeetingOrganizerFactory, UserFactory
from tests.roundtrip import resubmit

pytestmark = pytest.mark.django_db


def test_an_organizer_without_staff_status_logs_in_and_sees_their_meetings(client, meeting):
    MeetingFactory(title="Somebody else's")
    response = resubmit(client, "/accounts/login/", username="org", password="secret-password")
    assert (response.status_code, response["Location"]) == (302, "/manage/")
    page = client.get("/manage/").content.decode()
    assert f'href="/meetings/{meeting.slug}/manage/"' in page
    assert "Somebody else&#x27;s" not in page


def test_the_login_page_keeps_where_the_organizer_was_going(client, meeting):
    to_login = client.get("/meetings/meet/manage/participants/")
    response = resubmit(client, to_login["Location"], username="org", password="secret-password")
    assert response["Location"] == "/meetings/meet/manage/participants/"


def test_a_wrong_password_is_refused_with_a_message(client, meeting):
    response = resubmit(client, "/accounts/login/", username="org", password="nope")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_someone_who_organizes_nothing_is_told_so(client):
    client.force_login(UserFactory(username="new"))
    assert "You organize no meeting yet." in client.get("/manage/").content.decode()


def test_check_in_staff_do_not_see_the_meeting_as_theirs_to_organize(client, meeting):
    desk = UserFactory(username="desk")
    MeetingOrganizerFactory(meeting=meeting, user=desk, role="checkin")
    client.force_login(desk)
    assert f"/meetings/{meeting.slug}/manage/" not in client.get("/manage/").content.decode()
