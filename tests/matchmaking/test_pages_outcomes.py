"""'Past meetings' on the person's "my meetings" page: a form per meeting that has started,
saved one by one, showing what they recorded; nobody else's meeting."""

import pytest

from matchmaking.models import MeetingOutcome
from matchmaking.services.outcomes import outcome_record
from matchmaking.services.requests import request_accept, request_create
from tests.matchmaking.b2b import b2b_meeting, person, slots
from tests.matchmaking.outcomes import meet, past_b2b_meeting
from tests.matchmaking.pages import as_participant, my_meetings_url
from tests.matchmaking.test_pages_meetings import section, text
from tests.roundtrip import form_values, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def past():
    """Yesterday Ana met Ben (first slot) and Cai (second slot)."""
    meeting = past_b2b_meeting()
    ana = person(meeting, first_name="Ana")
    ben = person(meeting, first_name="Ben", last_name="Urrutia")
    cai = person(meeting, first_name="Cai", last_name="Sola")
    first, second = slots(meeting)[:2]
    return meeting, ana, ben, cai, meet(ana, ben, first), meet(cai, ana, second)


def outcome_url(registration, request) -> str:
    return f"{my_meetings_url(registration)}{request.pk}/outcome/"


def test_past_meetings_have_a_form_each_and_no_cancel_button(past):
    meeting, ana, ben, cai, with_ben, with_cai = past

    html = as_participant(ana).get(my_meetings_url(ana)).content.decode()

    past_part = section(html, "past-heading")
    assert "Past meetings 2" in text(past_part)
    assert text(past_part).count("Not recorded yet") == 2
    assert f'id="outcome-{with_ben.pk}"' in past_part and f'id="outcome-{with_cai.pk}"' in past_part
    assert "Ben Urrutia" in past_part and "Cai Sola" in past_part
    assert "Cancel this meeting" not in past_part
    assert "No meeting is scheduled yet." in text(section(html, "scheduled-heading"))


def test_saving_one_meeting_records_it_and_the_page_shows_it(past):
    meeting, ana, ben, cai, with_ben, with_cai = past
    browser = as_participant(ana)
    page = browser.get(my_meetings_url(ana))

    response = submit(
        browser,
        page,
        f"outcome-{with_ben.pk}",
        held="yes",
        result="partnership",
        note="We <b>start</b> a project.\r\nCall in May.",
    )

    assert response.status_code == 302
    assert response["Location"] == f"{my_meetings_url(ana)}#request-{with_ben.pk}"
    outcome = MeetingOutcome.objects.get()
    assert (outcome.request, outcome.registration, outcome.held, outcome.result, outcome.note) == (
        with_ben,
        ana,
        True,
        "partnership",
        "We <b>start</b> a project.\nCall in May.",
    )
    html = browser.get(response["Location"]).content.decode()
    assert "Saved: your meeting with Ben Urrutia." in html
    assert "Recorded You met. Partnership." in text(section(html, "past-heading"))
    assert "We &lt;b&gt;start&lt;/b&gt; a project." in html
    shown = form_values(html, form_id=f"outcome-{with_ben.pk}")
    del shown["csrfmiddlewaretoken"]
    assert shown == {
        "held": "yes",
        "result": "partnership",
        "note": "We <b>start</b> a project.\nCall in May.",
    }
    # Ben's answer is his own to give.
    assert "Not recorded yet" in text(
        section(as_participant(ben).get(my_meetings_url(ben)).content.decode(), "past-heading")
    )


def test_the_form_posted_back_as_shown_changes_nothing(past):
    meeting, ana, ben, cai, with_ben, with_cai = past
    recorded = outcome_record(
        request=with_ben, registration=ana, held=True, result="follow_up", note="Line 1\nLine 2"
    )
    browser = as_participant(ana)

    response = submit(browser, browser.get(my_meetings_url(ana)), f"outcome-{with_ben.pk}")

    assert response.status_code == 302
    assert list(
        MeetingOutcome.objects.values_list("pk", "held", "result", "note", "updated_at")
    ) == [(recorded.pk, True, "follow_up", "Line 1\nLine 2", recorded.updated_at)]
    # An unanswered meeting posted as shown says what is missing, and writes nothing.
    response = submit(browser, browser.get(my_meetings_url(ana)), f"outcome-{with_cai.pk}")
    assert response.status_code == 400
    assert "Say whether the meeting took place." in response.content.decode()
    assert MeetingOutcome.objects.count() == 1


def test_an_outcome_for_a_meeting_that_did_not_take_place_is_refused_on_its_form(past):
    meeting, ana, ben, cai, with_ben, with_cai = past
    browser = as_participant(ana)

    response = submit(
        browser,
        browser.get(my_meetings_url(ana)),
        f"outcome-{with_cai.pk}",
        held="no",
        result="partnership",
    )

    assert response.status_code == 400
    form = section(response.content.decode(), "past-heading")
    form = form[form.index(f'id="outcome-{with_cai.pk}"') :]
    assert "A meeting that did not take place has no outcome" in form[: form.index("</form>")]
    assert not MeetingOutcome.objects.exists()


def test_nobody_records_anothers_meeting_nor_one_that_has_not_started(past):
    meeting, ana, ben, cai, with_ben, with_cai = past
    data = {"held": "yes", "result": "nothing", "note": ""}

    # Cai was not in Ana and Ben's meeting: not found, with his own link.
    assert as_participant(cai).post(outcome_url(cai, with_ben), data).status_code == 404
    # A made-up link.
    assert (
        as_participant(ana).post(f"/r/{'x' * 43}/meetings/{with_ben.pk}/outcome/", data).status_code
        == 404
    )
    # A person of another meeting, with their own link and this meeting's id.
    stranger = person(past_b2b_meeting())
    assert as_participant(stranger).post(outcome_url(stranger, with_ben), data).status_code == 404
    # Not by GET.
    assert as_participant(ana).get(outcome_url(ana, with_ben)).status_code == 405
    # A meeting still to come.
    upcoming = b2b_meeting()
    dan, eve = person(upcoming), person(upcoming)
    soon = request_accept(
        request=request_create(requester=dan, recipient=eve), by=eve, slot_id=slots(upcoming)[0].pk
    )
    response = as_participant(dan).post(outcome_url(dan, soon), data)
    assert response.status_code == 400
    assert "This meeting has not started yet." in response.content.decode()
    assert not MeetingOutcome.objects.exists()


def test_my_meetings_query_count_does_not_grow_with_past_meetings(django_assert_max_num_queries):
    counts = []
    for size in (1, 3):
        meeting = past_b2b_meeting()
        ana = person(meeting)
        for number in range(size):
            other = person(meeting)
            request = meet(other, ana, slots(meeting)[number])
            outcome_record(request=request, registration=ana, held=True, result="nothing")
        browser = as_participant(ana)
        with django_assert_max_num_queries(30) as captured:
            page = browser.get(my_meetings_url(ana))
        assert text(section(page.content.decode(), "past-heading")).count("Recorded") == size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
