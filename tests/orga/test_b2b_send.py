"""The organizers' "send the schedule" page: what it would send, asked first, sent once (a
double click, a resubmitted form), refused with the reason when the schedule changed meanwhile;
the PDFs; and nobody else gets in (anonymous, another meeting's organizer, a participant)."""

import io

import pytest
from pypdf import PdfReader

from events.models import Meeting
from mail.models import OutboxMessage
from matchmaking.models import Matchmaking, MeetingRequest, ScheduleRelease
from matchmaking.services.releases import schedule_release
from matchmaking.services.requests import request_accept, request_create, request_schedule
from matchmaking.services.setup import matchmaking_update
from tests.factories import MeetingFactory, MeetingOrganizerFactory, UserFactory
from tests.matchmaking.b2b import b2b_session_add, first_session, person, slots
from tests.orga.conftest import participant_user
from tests.roundtrip import form_pairs

pytestmark = pytest.mark.django_db

URL = "/meetings/meet/manage/b2b/send/"


@pytest.fixture
def b2b(meeting):
    matchmaking_update(
        meeting=meeting, enabled=True, scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS
    )
    b2b_session_add(meeting, tables=2)
    return meeting


def placed(meeting, requester, recipient, slot) -> MeetingRequest:
    request = request_create(requester=requester, recipient=recipient)
    request_accept(request=request, by=recipient)
    return request_schedule(request=request, slot_id=slot.pk)


@pytest.fixture
def scheduled(b2b):
    """Ana meets Ben and Cai; Dan has no meeting."""
    ana, ben, cai, dan = (
        person(b2b, first_name=name, last_name="Test") for name in ("Ana", "Ben", "Cai", "Dan")
    )
    first, second, _third = slots(b2b)
    placed(b2b, ana, ben, first)
    placed(b2b, cai, ana, second)
    return ana, ben, cai, dan


def schedule_rows() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind="b2b_schedule").order_by("pk"))


def stat(response, name: str) -> str:
    html = response.content.decode()
    start = html.index(f'data-stat="{name}">') + len(f'data-stat="{name}">')
    return html[start : html.index("<", start)]


def test_the_page_says_who_would_get_the_schedule(organizer_client, scheduled):
    response = organizer_client.get(URL)

    assert response.status_code == 200
    assert (stat(response, "recipients"), stat(response, "meetings")) == ("3", "2")
    assert stat(response, "not-announced") == "2"
    html = response.content.decode()
    assert "Ana Test" in html and "Dan Test" not in html
    b2b_session = first_session(scheduled[0].meeting)
    assert f"/manage/b2b/sessions/{b2b_session.pk}/tables.pdf" in html
    assert f"/manage/b2b/people/{scheduled[0].pk}/schedule.pdf" in html


def test_the_confirmation_sent_as_shown_sends_once_however_often_it_is_posted(
    organizer_client, scheduled, django_capture_on_commit_callbacks
):
    page = organizer_client.get(f"{URL}preliminary/")
    assert page.status_code == 200
    assert "Your preliminary schedule" in page.content.decode()  # the email's preview
    assert ScheduleRelease.objects.count() == 0 and schedule_rows() == []  # asking sends nothing
    pairs = form_pairs(page.content, form_id="confirm")

    with django_capture_on_commit_callbacks(execute=False):
        first = organizer_client.post(f"{URL}preliminary/", dict(pairs))
        second = organizer_client.post(f"{URL}preliminary/", dict(pairs))

    assert first.status_code == second.status_code == 302
    [release] = ScheduleRelease.objects.all()
    assert (release.kind, release.recipients, release.meetings) == ("preliminary", 3, 2)
    assert release.sent_by.username == "org"
    assert sorted(row.registration_id for row in schedule_rows()) == sorted(
        person.pk for person in scheduled[:3]
    )
    followed = organizer_client.get(URL)
    assert "it was not sent again" in followed.content.decode()
    assert stat(followed, "not-announced") == "0"


def test_a_schedule_changed_since_the_confirmation_was_shown_is_asked_again(
    organizer_client, scheduled
):
    ana, ben, cai, dan = scheduled
    page = organizer_client.get(f"{URL}final/")
    pairs = dict(form_pairs(page.content, form_id="confirm"))
    placed(ana.meeting, dan, ben, slots(ana.meeting)[2])  # one more meeting, one more person

    response = organizer_client.post(f"{URL}final/", pairs)

    assert response.status_code == 409
    assert "The schedule has changed since you looked" in response.content.decode()
    assert ScheduleRelease.objects.count() == 0 and schedule_rows() == []
    again = dict(form_pairs(response.content, form_id="confirm"))
    assert organizer_client.post(f"{URL}final/", again).status_code == 302
    assert ScheduleRelease.objects.get().recipients == 4


def test_a_tampered_confirmation_sends_nothing(organizer_client, scheduled):
    for data in ({}, {"after": "x", "expected_recipients": "3", "expected_meetings": "2"}):
        response = organizer_client.post(f"{URL}final/", data)
        assert response.status_code == 400
    assert organizer_client.get(f"{URL}weekly/").status_code == 404
    assert ScheduleRelease.objects.count() == 0 and schedule_rows() == []


def test_with_nothing_scheduled_there_is_no_button_and_nothing_is_sent(organizer_client, b2b):
    person(b2b)
    page = organizer_client.get(f"{URL}final/")
    assert "there is nothing to send" in page.content.decode()
    assert 'id="confirm"' not in page.content.decode()
    response = organizer_client.post(
        f"{URL}final/", {"after": "0", "expected_recipients": "1", "expected_meetings": "1"}
    )
    assert response.status_code == 409
    assert ScheduleRelease.objects.count() == 0


def pdf_pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    reader = PdfReader(io.BytesIO(response.content))
    return [page.extract_text() for page in reader.pages]


def test_the_table_sheets_have_a_page_per_table_with_who_meets_there(organizer_client, scheduled):
    ana, ben, cai, _dan = scheduled
    Meeting.objects.filter(pk=ana.meeting_id).update(language="en")  # the sheets' language
    b2b_session = first_session(ana.meeting)

    pages = pdf_pages(
        organizer_client.get(f"/meetings/meet/manage/b2b/sessions/{b2b_session.pk}/tables.pdf")
    )

    assert len(pages) == 2
    first, second = pages
    assert "Table 1" in first and "Table 2" in second
    assert "15:00–15:20" in first and "Ana Test" in first and "Ben Test" in first
    assert "15:20–15:40" in first and "Cai Test" in first
    assert "Ana Test" not in second and second.count("free") == 3


def test_an_organizer_downloads_a_persons_schedule(organizer_client, scheduled):
    ana = scheduled[0]
    [page] = pdf_pages(
        organizer_client.get(f"/meetings/meet/manage/b2b/people/{ana.pk}/schedule.pdf")
    )
    assert "Schedule of Ana Test" in page
    assert "Ben Test" in page and "Cai Test" in page and "15:20–15:40" in page


def test_nobody_else_gets_the_page_the_confirmation_or_the_pdfs(client, scheduled):
    ana = scheduled[0]
    other_meeting = MeetingFactory(slug="other")
    stranger = UserFactory(username="stranger")
    MeetingOrganizerFactory(meeting=other_meeting, user=stranger)
    b2b_session = first_session(ana.meeting)
    urls = [
        URL,
        f"{URL}final/",
        f"/meetings/meet/manage/b2b/people/{ana.pk}/schedule.pdf",
        f"/meetings/meet/manage/b2b/sessions/{b2b_session.pk}/tables.pdf",
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login
    for user in (stranger, participant_user(ana.meeting)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403
        response = client.post(
            f"{URL}final/", {"after": "0", "expected_recipients": "3", "expected_meetings": "2"}
        )
        assert response.status_code == 403
    assert ScheduleRelease.objects.count() == 0


def test_another_meetings_person_or_session_is_not_found(organizer_client, scheduled):
    other = MeetingFactory(slug="other")
    b2b_session_add(other)
    stranger = person(other)
    assert (
        organizer_client.get(
            f"/meetings/meet/manage/b2b/people/{stranger.pk}/schedule.pdf"
        ).status_code
        == 404
    )
    assert (
        organizer_client.get(
            f"/meetings/meet/manage/b2b/sessions/{first_session(other).pk}/tables.pdf"
        ).status_code
        == 404
    )


def test_the_page_reads_the_same_number_of_queries_for_one_or_many_meetings(
    organizer_client, b2b, django_assert_max_num_queries
):
    """Counted with one meeting and one schedule sent, then with three of each."""
    people = [person(b2b) for _ in range(6)]
    first, second, third = slots(b2b)
    placed(b2b, people[0], people[1], first)
    schedule_release(meeting=b2b, kind="preliminary", sent_by=None)
    with django_assert_max_num_queries(20) as one:
        organizer_client.get(URL)
    placed(b2b, people[2], people[3], second)
    placed(b2b, people[4], people[5], third)
    schedule_release(meeting=b2b, kind="preliminary", sent_by=None)
    schedule_release(meeting=b2b, kind="final", sent_by=None)

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = organizer_client.get(URL)

    assert stat(response, "recipients") == "6"
    assert response.content.decode().count('id="release-') == 3
