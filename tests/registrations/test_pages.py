import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from events.models import Meeting
from mail.models import OutboxMessage
from registrations.models import Registration, SessionBooking
from tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SessionBookingFactory,
    SessionFactory,
    at,
)

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "first_name": "Ane",
        "last_name": "Etxeberria",
        "email": "ane@example.org",
        "organization": "ACAN",
        "job_title": "",
        "region": "ES-NC",
        "consent_processing": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- the form -------------------------------------------------------------------------


def test_register_page_lists_sessions_by_day_with_seats_left(client, meeting):
    SessionFactory(meeting=meeting, title="Open talk")
    workshop = SessionFactory(
        meeting=meeting,
        title="Workshop",
        requires_booking=True,
        capacity=2,
        starts_at=at(meeting, 1, "10:00"),
        ends_at=at(meeting, 1, "11:00"),
    )
    SessionBookingFactory(session=workshop, registration__meeting=meeting)
    SessionFactory(meeting=meeting, title="Hidden draft", status="draft")

    response = client.get(f"/meetings/{meeting.slug}/register/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Open talk" in html and "Workshop" in html
    assert "1 seat left" in html
    assert "Hidden draft" not in html
    assert [day for day, _items in response.context["days"]] == meeting.days


def test_register_page_query_count_does_not_grow_with_sessions(
    client, meeting, django_assert_num_queries
):
    def count_queries():
        with django_assert_num_queries(3) as captured:
            client.get(f"/meetings/{meeting.slug}/register/")
        return len(captured.captured_queries)

    SessionFactory(meeting=meeting)
    one = count_queries()
    for hour in ("12:00", "14:00"):
        SessionFactory(
            meeting=meeting, starts_at=at(meeting, 0, hour), ends_at=at(meeting, 0, "15:00")
        )
    assert count_queries() == one


def test_register_form_success_redirects_to_check_your_email(client, meeting):
    response = client.post(f"/meetings/{meeting.slug}/register/", form_data(), follow=True)

    assert response.redirect_chain == [(f"/meetings/{meeting.slug}/register/thanks/", 302)]
    assert "Check your email" in response.content.decode()
    registration = Registration.objects.get()
    assert (registration.organization_name, registration.language) == ("ACAN", "en")


def test_register_form_errors_are_shown_and_nothing_is_written(client, meeting):
    response = client.post(
        f"/meetings/{meeting.slug}/register/",
        form_data(email="bad", first_name="", consent_processing=None),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a valid email address." in html
    assert "We need your consent to process your data to register you." in html
    assert response.context["form"].errors.keys() == {"email", "first_name", "consent_processing"}
    assert Registration.objects.count() == 0


def test_register_form_shows_the_overlap_and_keeps_the_choices_ticked(client, meeting):
    first = SessionFactory(meeting=meeting, title="One")
    second = SessionFactory(meeting=meeting, title="Two")

    response = client.post(
        f"/meetings/{meeting.slug}/register/", form_data(sessions=[first.pk, second.pk])
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "sessions": ["“One” and “Two” take place at the same time: choose one of them."]
    }
    checked = [s.pk for _day, items in response.context["days"] for s, on in items if on]
    assert checked == [first.pk, second.pk]
    assert Registration.objects.count() == 0


def test_register_form_again_with_same_email_shows_the_same_thanks(client, meeting):
    RegistrationFactory(meeting=meeting, email="ane@example.org")

    response = client.post(
        f"/meetings/{meeting.slug}/register/", form_data(email="ANE@example.org")
    )

    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.slug}/register/thanks/"
    assert list(OutboxMessage.objects.values_list("kind", flat=True)) == ["private_link"]


def test_register_page_of_a_closed_meeting_says_why_and_has_no_form(client):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)

    response = client.get(f"/meetings/{meeting.slug}/register/")
    posted = client.post(f"/meetings/{meeting.slug}/register/", form_data())

    assert "This meeting has been cancelled." in response.content.decode()
    assert "<form" not in response.content.decode().split("<main")[1]
    assert posted.status_code == 200
    assert Registration.objects.count() == 0


def test_register_form_is_rate_limited(client, meeting, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"registrations": "1/min", "private_link": "60/min"},
    }
    client.post(f"/meetings/{meeting.slug}/register/", form_data())

    response = client.post(f"/meetings/{meeting.slug}/register/", form_data(email="b@example.org"))

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert Registration.objects.count() == 1


# --- the meeting page's call to action ---------------------------------------------


def test_meeting_page_offers_to_register_while_open(client, meeting):
    html = client.get(f"/meetings/{meeting.slug}/").content.decode()

    assert f'href="/meetings/{meeting.slug}/register/"' in html
    assert "Registration is open." in html


def test_meeting_page_offers_the_waitlist_when_full(client):
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)

    html = client.get(f"/meetings/{meeting.slug}/").content.decode()

    assert "Join the waitlist" in html


def test_meeting_page_says_registration_is_closed(client):
    now = timezone.now()
    meeting = MeetingFactory(
        registration_opens_at=now - dt.timedelta(days=3),
        registration_closes_at=now - dt.timedelta(days=1),
    )

    html = client.get(f"/meetings/{meeting.slug}/").content.decode()

    assert "Registration is closed." in html
    assert "/register/" not in html


# --- the private link ---------------------------------------------------------------


def test_private_link_shows_status_and_choices_without_caching(client, meeting):
    registration = RegistrationFactory(meeting=meeting, first_name="Ane")
    session = SessionFactory(meeting=meeting, title="Workshop on exports")
    SessionBookingFactory(registration=registration, session=session)

    response = client.get(f"/r/{registration.token}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Workshop on exports" in html
    assert "Confirmed" in html
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_unknown_token_is_not_found(client):
    assert client.get("/r/not-a-real-token/").status_code == 404


def test_private_link_changes_choices_and_says_when_waitlisted(client, meeting):
    registration = RegistrationFactory(meeting=meeting)
    workshop = SessionFactory(
        meeting=meeting, title="Full workshop", requires_booking=True, capacity=1
    )
    SessionBookingFactory(session=workshop, registration__meeting=meeting)

    response = client.post(
        f"/r/{registration.token}/sessions/", {"sessions": [workshop.pk]}, follow=True
    )

    html = response.content.decode()
    assert "Your choices are saved." in html
    assert "“Full workshop” is full: you are on its waitlist." in html
    assert registration.bookings.get().status == SessionBooking.Status.WAITLISTED


def test_private_link_refuses_overlapping_choices_with_the_reason(client, meeting):
    registration = RegistrationFactory(meeting=meeting)
    one = SessionFactory(meeting=meeting, title="One")
    two = SessionFactory(meeting=meeting, title="Two")

    response = client.post(f"/r/{registration.token}/sessions/", {"sessions": [one.pk, two.pk]})

    assert response.status_code == 400
    assert "“One” and “Two” take place at the same time" in response.content.decode()
    assert registration.bookings.count() == 0


def test_private_link_cancel_asks_first_then_cancels(client, meeting):
    registration = RegistrationFactory(meeting=meeting)

    confirm = client.get(f"/r/{registration.token}/cancel/")
    response = client.post(f"/r/{registration.token}/cancel/", follow=True)

    assert "Yes, cancel my registration" in confirm.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert "Your registration is cancelled." in response.content.decode()


def test_private_link_reset_emails_a_new_link_and_kills_the_old_one(client, meeting):
    registration = RegistrationFactory(meeting=meeting)
    old = registration.token

    response = client.post(f"/r/{old}/reset/")

    registration.refresh_from_db()
    assert response.status_code == 200
    assert registration.token not in response.content.decode()
    assert client.get(f"/r/{old}/").status_code == 404
    assert client.get(f"/r/{registration.token}/").status_code == 200
    message = OutboxMessage.objects.get(kind="private_link")
    assert message.registration == registration


def test_private_link_is_rate_limited(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"registrations": "30/min", "private_link": "2/min"},
    }

    statuses = [client.get(f"/r/guess-{i}/").status_code for i in range(3)]

    assert statuses == [404, 404, 429]


def test_meeting_page_says_when_registration_opens_in_the_meetings_time_zone(client):
    opens = dt.datetime(2030, 3, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Madrid"))
    meeting = MeetingFactory(
        starts_on=dt.date(2030, 5, 6),
        ends_on=dt.date(2030, 5, 7),
        registration_opens_at=opens,
        registration_closes_at=opens + dt.timedelta(days=30),
    )

    html = client.get(f"/meetings/{meeting.slug}/").content.decode()

    assert "Registration opens on 1 March 2030, 09:00." in html
    assert "/register/" not in html


def test_private_link_of_a_waitlisted_person_explains_requested_workshops(client, meeting):
    registration = RegistrationFactory(meeting=meeting, status=Registration.Status.WAITLISTED)
    workshop = SessionFactory(meeting=meeting, requires_booking=True, capacity=5)
    SessionBookingFactory(
        registration=registration, session=workshop, status=SessionBooking.Status.REQUESTED
    )

    html = client.get(f"/r/{registration.token}/").content.decode()

    assert "Waitlisted" in html
    assert "Requested" in html
    assert "when your registration is confirmed" in html


def test_register_page_speaks_spanish_at_its_spanish_address(client, meeting):
    response = client.get(f"/es/meetings/{meeting.slug}/register/")

    html = response.content.decode()
    assert "Sesiones a las que quieres asistir" not in html  # no sessions: no list
    assert "Acepto que la organización trate mis datos personales" in html
    assert '<button type="submit">Inscribirme</button>' in html


def test_private_link_choices_link_to_their_session_pages(client, meeting):
    """Each chosen session's title leads to its public page (abstract, room, speakers)."""
    registration = RegistrationFactory(meeting=meeting)
    booking = SessionBookingFactory(registration=registration)
    html = client.get(f"/r/{registration.token}/").content.decode()
    url = f"/meetings/{meeting.slug}/sessions/{booking.session.pk}/"
    assert f'<a href="{url}">{booking.session.title}</a>' in html


@pytest.mark.parametrize("token", ["%00", "abc%00def", "x" * 65, "a.b"])
def test_private_link_and_calendar_with_an_impossible_token_are_404(client, token):
    """Not a 500 (PostgreSQL refuses NUL bytes in queries): simply no such registration."""
    assert client.get(f"/r/{token}/").status_code == 404
    assert client.get(f"/calendar/{token}.ics").status_code == 404
