"""Asking for a meeting from a profile, and "my meetings": accept at a free slot, decline,
cancel, the organizers' scheduling, clashes, and what each side sees."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from agenda.services import session_move
from mail.models import OutboxMessage
from matchmaking.models import Matchmaking, MeetingRequest, Profile
from matchmaking.services.errors import MatchmakingBusy
from matchmaking.services.requests import (
    request_accept,
    request_cancel,
    request_create,
    request_decline,
    request_schedule,
)
from matchmaking.services.setup import matchmaking_update
from matchmaking.views import directory as directory_views
from tests.factories import SessionBookingFactory, SessionFactory, at
from tests.matchmaking.b2b import b2b_meeting, b2b_session_add, person, slots
from tests.matchmaking.pages import (
    as_participant,
    my_meetings_url,
    profile_url,
)
from tests.roundtrip import form_values, select_options

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return b2b_meeting()


def section(html: str, heading_id: str) -> str:
    """The HTML of one section of "my meetings" (from its heading to the next section)."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else None]


def text(html: str) -> str:
    """What a reader sees of ``html``: tags out, whitespace as single spaces."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


# --- asking, from a profile ----------------------------------------------------------------


def test_asking_from_a_profile_sends_the_request_and_says_so(meeting):
    ana, ben = person(meeting), person(meeting, first_name="Ben", last_name="Urrutia")
    browser = as_participant(ana)
    url = profile_url(meeting, ben)
    data = form_values(browser.get(url).content, form_id="request-form")
    data["message"] = "Let us talk about\r\nvalue chains."

    response = browser.post(url, data, follow=True)

    assert response.redirect_chain == [(url, 302)]
    html = response.content.decode()
    assert "Your request is sent to Ben Urrutia." in html
    assert "You already have a request with this person" in html
    assert 'id="request-form"' not in html
    request = MeetingRequest.objects.get()
    assert (request.requester, request.recipient, request.message, request.status) == (
        ana,
        ben,
        "Let us talk about\nvalue chains.",
        "requested",
    )
    assert OutboxMessage.objects.filter(kind="b2b_request_received", recipient=ben.email).exists()


def test_the_preferred_session_offers_this_meetings_sessions_only(meeting):
    later = b2b_session_add(meeting, day=1, start="10:00")
    b2b_session_add(b2b_meeting(), start="11:00")
    ana, ben = person(meeting), person(meeting)
    browser = as_participant(ana)
    page = browser.get(profile_url(meeting, ben))

    options = select_options(page.content, "preferred_session", form_id="request-form")

    assert [label for _value, label in options] == [
        "Any",
        "B2B meetings 15:00",
        "B2B meetings 10:00",
    ]
    data = form_values(page.content, form_id="request-form")
    data["preferred_session"] = str(later.pk)
    browser.post(profile_url(meeting, ben), data)
    assert MeetingRequest.objects.get().preferred_session == later


def test_a_message_too_long_is_refused_at_the_field(meeting):
    ana, ben = person(meeting), person(meeting)
    browser = as_participant(ana)

    response = browser.post(profile_url(meeting, ben), {"message": "x" * 1001})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["message"]
    assert 'id="id_message_error"' in response.content.decode()
    assert not MeetingRequest.objects.exists()


def test_someone_whose_profile_is_hidden_is_asked_to_show_it_first(meeting):
    ana, ben = person(meeting, listed=False), person(meeting)
    browser = as_participant(ana)

    page = browser.get(profile_url(meeting, ben)).content.decode()

    assert "Only people who show their profile can ask for meetings" in page
    assert 'id="request-form"' not in page
    response = browser.post(profile_url(meeting, ben), {"message": "Hi"}, follow=True)
    assert "Make your profile visible to the other participants first." in response.content.decode()
    assert not MeetingRequest.objects.exists()


def test_outside_the_request_window_the_page_says_why(meeting):
    matchmaking_update(meeting=meeting, closes_at=timezone.now() - dt.timedelta(minutes=1))
    ana, ben = person(meeting), person(meeting)

    page = as_participant(ana).get(profile_url(meeting, ben)).content.decode()

    assert "Meeting requests are closed." in page
    assert 'id="request-form"' not in page


def test_your_own_profile_has_no_request_form(meeting):
    ana = person(meeting)
    page = as_participant(ana).get(profile_url(meeting, ana)).content.decode()
    assert "This is how the other participants see your profile." in page
    assert 'id="request-form"' not in page


def test_with_automatic_acceptance_the_requester_books_a_free_time(meeting):
    matchmaking_update(meeting=meeting, request_mode=Matchmaking.RequestMode.AUTOMATIC)
    ana, ben = person(meeting), person(meeting)
    first, second, _third = slots(meeting)
    Profile.objects.get(registration=ben).unavailable_slots.set([first])
    browser = as_participant(ana)
    page = browser.get(profile_url(meeting, ben))
    options = select_options(page.content, "slot", form_id="request-form")
    assert [value for value, _label in options][:2] == ["", str(second.pk)]
    assert str(first.pk) not in [value for value, _label in options]

    missing = browser.post(profile_url(meeting, ben), {"message": "", "slot": ""})
    assert missing.status_code == 400
    assert list(missing.context["form"].errors) == ["slot"]

    browser.post(profile_url(meeting, ben), {"message": "", "slot": str(second.pk)})
    request = MeetingRequest.objects.get()
    assert (request.status, request.slot) == ("scheduled", second)


# --- my meetings -----------------------------------------------------------------------------


def test_accepting_offers_only_the_times_both_are_free_then_schedules_at_the_chosen_one(
    meeting,
):
    ana, ben = person(meeting), person(meeting, first_name="Ben", last_name="Urrutia")
    first, second, third = slots(meeting)
    workshop = SessionFactory(
        meeting=meeting, starts_at=at(meeting, 0, "15:00"), ends_at=at(meeting, 0, "15:15")
    )
    SessionBookingFactory(registration=ana, session=workshop)  # ana is busy at 15:00
    Profile.objects.get(registration=ben).unavailable_slots.set([third])  # ben at 15:40
    request = request_create(requester=ana, recipient=ben, message="Hello")
    browser = as_participant(ben)
    page = browser.get(my_meetings_url(ben))

    options = select_options(page.content, "slot", action=f"/{request.pk}/accept/")
    assert [value for value, _label in options] == ["", str(second.pk)]
    assert "15:20–15:40 · 2 tables free" in options[1][1]

    response = browser.post(
        f"{my_meetings_url(ben)}{request.pk}/accept/", {"slot": str(second.pk)}, follow=True
    )

    html = response.content.decode()
    assert "You accepted the meeting with" in html
    request.refresh_from_db()
    assert (request.status, request.slot, request.table.name) == ("scheduled", second, "1")
    scheduled = text(section(html, "scheduled-heading"))
    assert "15:20–15:40" in scheduled and "Table 1" in scheduled
    ana_side = as_participant(ana).get(my_meetings_url(ana)).content.decode()
    assert "15:20–15:40" in text(section(ana_side, "scheduled-heading"))
    assert "Table 1" in text(section(ana_side, "scheduled-heading"))


def test_accepting_without_a_time_or_with_one_just_taken_is_refused_at_the_field(meeting):
    ana, ben, cai, dan = (person(meeting) for _ in range(4))
    first = slots(meeting)[0]
    request = request_create(requester=ana, recipient=ben)
    browser = as_participant(ben)

    missing = browser.post(f"{my_meetings_url(ben)}{request.pk}/accept/", {"slot": ""})
    assert missing.status_code == 400
    assert f'id="id_slot_{request.pk}_error"' in missing.content.decode()
    assert "This field is required." in missing.content.decode()

    # Between the page and the click, both tables of the first slot are taken.
    meeting_request = request_create(requester=cai, recipient=dan)
    request_accept(request=meeting_request, by=dan, slot_id=first.pk)
    Profile.objects.get(registration=ana).unavailable_slots.set([])
    other = request_create(requester=person(meeting), recipient=person(meeting))
    request_accept(request=other, by=other.recipient, slot_id=first.pk)
    taken = browser.post(f"{my_meetings_url(ben)}{request.pk}/accept/", {"slot": str(first.pk)})

    assert taken.status_code == 400
    assert "This time is no longer free for both of you" in taken.content.decode()
    assert MeetingRequest.objects.get(pk=request.pk).status == "requested"


def test_declining_with_a_reason_shows_it_to_the_requester(meeting):
    ana, ben = person(meeting), person(meeting, first_name="Ben", last_name="Urrutia")
    request = request_create(requester=ana, recipient=ben)
    browser = as_participant(ben)

    response = browser.post(
        f"{my_meetings_url(ben)}{request.pk}/decline/", {"reason": "Fully booked"}, follow=True
    )

    assert "You declined the request of" in response.content.decode()
    assert MeetingRequest.objects.get(pk=request.pk).status == "declined"
    closed = text(
        section(as_participant(ana).get(my_meetings_url(ana)).content.decode(), "closed-heading")
    )
    assert "Ben Urrutia — they declined: “Fully booked”" in closed


def test_a_decline_reason_too_long_is_refused_at_the_field(meeting):
    ana, ben = person(meeting), person(meeting)
    request = request_create(requester=ana, recipient=ben)

    response = as_participant(ben).post(
        f"{my_meetings_url(ben)}{request.pk}/decline/", {"reason": "x" * 301}
    )

    assert response.status_code == 400
    assert f'id="request-{request.pk}"' in response.content.decode()
    assert "Ensure this value has at most 300 characters" in response.content.decode()
    assert MeetingRequest.objects.get(pk=request.pk).status == "requested"


def test_the_requester_cannot_accept_their_own_request(meeting):
    ana, ben = person(meeting), person(meeting)
    request = request_create(requester=ana, recipient=ben)

    response = as_participant(ana).post(
        f"{my_meetings_url(ana)}{request.pk}/accept/", {"slot": str(slots(meeting)[0].pk)}
    )

    assert response.status_code == 400
    assert "Only the person asked can accept this request." in response.content.decode()
    assert MeetingRequest.objects.get(pk=request.pk).status == "requested"


def test_withdrawing_a_request_and_cancelling_a_meeting(meeting):
    ana, ben, cai = person(meeting), person(meeting), person(meeting)
    waiting = request_create(requester=ana, recipient=ben)
    meeting_request = request_accept(
        request=request_create(requester=cai, recipient=ana), by=ana, slot_id=slots(meeting)[0].pk
    )
    browser = as_participant(ana)
    page = browser.get(my_meetings_url(ana)).content.decode()
    assert "Withdraw the request…" in page and "Cancel this meeting…" in page

    browser.post(f"{my_meetings_url(ana)}{waiting.pk}/cancel/")
    response = browser.post(f"{my_meetings_url(ana)}{meeting_request.pk}/cancel/", follow=True)

    assert "will get an email" in response.content.decode()
    assert set(MeetingRequest.objects.values_list("status", flat=True)) == {"cancelled"}
    closed = text(section(response.content.decode(), "closed-heading"))
    assert closed.count("you cancelled") == 2
    again = browser.post(f"{my_meetings_url(ana)}{waiting.pk}/cancel/", follow=True)
    assert "This request is already closed." in again.content.decode()


def test_when_the_organizers_schedule_accepting_takes_no_time_and_waits_for_them(meeting):
    matchmaking_update(meeting=meeting, scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS)
    ana, ben = person(meeting), person(meeting)
    request = request_create(requester=ana, recipient=ben)
    browser = as_participant(ben)
    page = browser.get(my_meetings_url(ben)).content.decode()
    assert "The organizers give accepted meetings their time and table." in page
    assert 'name="slot"' not in page

    response = browser.post(f"{my_meetings_url(ben)}{request.pk}/accept/", {}, follow=True)

    assert MeetingRequest.objects.get(pk=request.pk).status == "accepted"
    assert "Accepted, waiting for a time" in response.content.decode()
    request_schedule(request=request, slot_id=slots(meeting)[2].pk)
    page = browser.get(my_meetings_url(ben)).content.decode()
    assert "15:40–16:00" in text(section(page, "scheduled-heading"))


def test_a_booked_session_moved_onto_a_meeting_shows_the_clash_on_both_sides(meeting):
    ana, ben = person(meeting), person(meeting)
    request_accept(
        request=request_create(requester=ana, recipient=ben), by=ben, slot_id=slots(meeting)[0].pk
    )
    talk = SessionFactory(
        meeting=meeting,
        title="Keynote on clusters",
        starts_at=at(meeting, 0, "12:00"),
        ends_at=at(meeting, 0, "13:00"),
    )
    SessionBookingFactory(registration=ana, session=talk)
    SessionBookingFactory(registration=ben, session=talk)
    assert "overlaps" not in as_participant(ana).get(my_meetings_url(ana)).content.decode()

    session_move(
        session=talk,
        room=talk.room,
        starts_at=at(meeting, 0, "15:10"),
        ends_at=at(meeting, 0, "15:50"),
    )

    for who in (ana, ben):
        html = as_participant(who).get(my_meetings_url(who)).content.decode()
        assert "A session you booked on the agenda now overlaps a meeting of yours." in html
        assert "Overlaps a session you booked: Keynote on clusters (15:10–15:50)" in text(
            section(html, "scheduled-heading")
        )


def test_closed_requests_say_who_cancelled(meeting):
    ana, ben, cai = (
        person(meeting),
        person(meeting, first_name="Ben", last_name="B"),
        person(meeting),
    )
    by_ben = request_create(requester=ana, recipient=ben)
    request_cancel(request=by_ben, by=ben)
    by_organizers = request_create(requester=ana, recipient=cai)
    request_cancel(request=by_organizers, by=None)
    declined = request_create(requester=cai, recipient=ana)
    request_decline(request=declined, by=ana)

    closed = text(
        section(as_participant(ana).get(my_meetings_url(ana)).content.decode(), "closed-heading")
    )

    assert "Ben B — they cancelled" in closed
    assert "cancelled by the organizers" in closed
    assert "you declined" in closed


def test_the_page_lists_incoming_and_outgoing_apart_with_their_messages(meeting):
    ana = person(meeting)
    ben, cai = (
        person(meeting, first_name="Ben", last_name="In"),
        person(meeting, first_name="Cai", last_name="Out"),
    )
    request_create(requester=ben, recipient=ana, message="From Ben")
    request_create(requester=ana, recipient=cai, message="To Cai")

    html = as_participant(ana).get(my_meetings_url(ana)).content.decode()

    incoming, outgoing = (
        text(section(html, "incoming-heading")),
        text(section(html, "outgoing-heading")),
    )
    assert "Ben In" in incoming and "From Ben" in incoming and "Cai" not in incoming
    assert "Cai Out" in outgoing and "To Cai" in outgoing and "Ben" not in outgoing


def test_once_requests_are_closed_a_request_can_still_be_declined_but_not_accepted(meeting):
    ana, ben = person(meeting), person(meeting)
    request = request_create(requester=ana, recipient=ben)
    Matchmaking.objects.filter(meeting=meeting).update(
        closes_at=timezone.now() - dt.timedelta(minutes=1)
    )

    html = as_participant(ben).get(my_meetings_url(ben)).content.decode()

    assert "Meeting requests are closed." in html
    assert f"/{request.pk}/accept/" not in html
    assert f"/{request.pk}/decline/" in html


def test_my_meetings_query_count_does_not_grow_with_scheduled_and_closed_meetings(
    django_assert_max_num_queries,
):
    counts = []
    for size in (1, 3):
        meeting = b2b_meeting(tables=5)
        ana = person(meeting)
        for number in range(size):
            other = person(meeting)
            request_accept(
                request=request_create(requester=other, recipient=ana),
                by=ana,
                slot_id=slots(meeting)[number].pk,
            )
            request_decline(
                request=request_create(requester=person(meeting), recipient=ana), by=ana
            )
            request_create(requester=ana, recipient=person(meeting))
        browser = as_participant(ana)
        with django_assert_max_num_queries(30) as captured:
            assert browser.get(my_meetings_url(ana)).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_my_meetings_query_count_does_not_grow_with_requests_waiting_for_an_answer(
    django_assert_max_num_queries,
):
    """Every waiting request offers its free times: read once for all of them."""
    counts = []
    for size in (1, 4):
        meeting = b2b_meeting(tables=5)
        b2b_session_add(meeting, day=1, start="10:00")
        ana = person(meeting)
        for _number in range(size):
            other = person(meeting)
            SessionBookingFactory(
                registration=other,
                session=SessionFactory(
                    meeting=meeting,
                    starts_at=at(meeting, 0, "15:00"),
                    ends_at=at(meeting, 0, "15:20"),
                ),
            )
            request_create(requester=other, recipient=ana, message="Hello")
        browser = as_participant(ana)
        with django_assert_max_num_queries(30) as captured:
            page = browser.get(my_meetings_url(ana))
        assert page.content.decode().count("Accept at this time") == size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_a_busy_moment_answers_503_and_keeps_what_was_typed(meeting, monkeypatch):
    """When the people's rows stay locked past the bounded wait, the service gives up with
    MatchmakingBusy: the page says to try again, with the message still in the form."""
    ana, ben = person(meeting), person(meeting)

    def busy(**kwargs):
        raise MatchmakingBusy()

    monkeypatch.setattr(directory_views, "request_create", busy)

    response = as_participant(ana).post(profile_url(meeting, ben), {"message": "Still here"})

    assert response.status_code == 503
    html = response.content.decode()
    assert "We are busy right now: please try again." in html
    assert "Still here</textarea>" in html
    assert not MeetingRequest.objects.exists()


def test_names_link_to_profiles_only_for_someone_who_may_open_them(meeting):
    ana, ben = person(meeting), person(meeting)
    request_create(requester=ben, recipient=ana)
    link = f'href="{profile_url(meeting, ben)}"'

    assert link in as_participant(ana).get(my_meetings_url(ana)).content.decode()

    ana.status = "waitlisted"
    ana.save()
    html = as_participant(ana).get(my_meetings_url(ana)).content.decode()
    assert link not in html
    assert ben.full_name in html
