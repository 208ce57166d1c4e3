"""The personal calendar feed /calendar/<feed token>.ics (registrations/calendar.py) and its
snippet on the private link page."""

import pytest
from django.template.loader import render_to_string

from registrations.calendar import personal_ics_url
from registrations.models import Registration, SessionBooking
from tests.agenda.exporters import conftest as exporters
from tests.agenda.exporters.conftest import parse, uid, uids
from tests.factories import RegistrationFactory, SessionBookingFactory

pytestmark = pytest.mark.django_db

# The exporter tests' small agenda, with their cold export cache and site address.
agenda = exporters.agenda
cold_cache = exporters.cold_cache
site = exporters.site


@pytest.fixture
def registration(agenda):
    """Booked: keynote and cancelled talk; waitlisted: workshop; cancelled booking: panel."""
    registration = RegistrationFactory(meeting=agenda.meeting)
    SessionBookingFactory(registration=registration, session=agenda.keynote)
    SessionBookingFactory(registration=registration, session=agenda.cancelled)
    SessionBookingFactory(
        registration=registration,
        session=agenda.workshop,
        status=SessionBooking.Status.WAITLISTED,
    )
    SessionBookingFactory(
        registration=registration, session=agenda.panel, status=SessionBooking.Status.CANCELLED
    )
    return registration


def test_personal_feed_holds_booked_sessions_only(client, agenda, registration):
    """Booked sessions only (a cancelled session as CANCELLED); no waitlisted or cancelled ones."""
    response = client.get(f"/calendar/{registration.feed_token}.ics")

    assert response.status_code == 200
    calendar = parse(response.content)
    assert uids(calendar) == sorted([uid(agenda.keynote), uid(agenda.cancelled)])
    assert calendar["X-WR-CALNAME"] == f"{agenda.meeting.title} — my agenda"


def test_personal_feed_is_private(client, registration):
    """No CORS, private caching, no referrer, a personal file name."""
    response = client.get(f"/calendar/{registration.feed_token}.ics")

    assert "Access-Control-Allow-Origin" not in response
    assert response["Cache-Control"] == "private, no-cache"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Content-Disposition"] == 'attachment; filename="meet-my-agenda.ics"'


def test_personal_feed_is_rate_limited_per_address_guesses_included(client, registration, settings):
    """One address trying tokens is stopped (429 with Retry-After); public feeds are not."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "calendar_feed": "3/min",
        },
    }
    address = {"REMOTE_ADDR": "203.0.113.77"}
    answers = [client.get(f"/calendar/guess{n}.ics", **address).status_code for n in range(2)]
    answers.append(client.get(f"/calendar/{registration.feed_token}.ics", **address).status_code)

    limited = client.get(f"/calendar/{registration.feed_token}.ics", **address)
    other_address = client.get(
        f"/calendar/{registration.feed_token}.ics", REMOTE_ADDR="203.0.113.78"
    )
    public = client.get(f"/meetings/{registration.meeting.slug}/agenda.ics", **address)

    assert answers == [404, 404, 200]
    assert (limited.status_code, int(limited["Retry-After"]) > 0) == (429, True)
    assert (other_address.status_code, public.status_code) == (200, 200)


def test_personal_feed_follows_bookings(client, agenda, registration):
    """Booking another session changes the ETag and adds it to the feed."""
    url = f"/calendar/{registration.feed_token}.ics"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    booking = registration.bookings.get(session=agenda.workshop)
    booking.status = SessionBooking.Status.BOOKED  # promoted from the waitlist
    booking.save()

    response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert uid(agenda.workshop) in uids(parse(response.content))


def test_personal_feed_404_for_unknown_token(client, registration):
    """A made-up token, or a prefix of a real one, is a 404."""
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert client.get(f"/calendar/{registration.feed_token[:-1]}.ics").status_code == 404


def test_personal_feed_404_after_revocation(client, registration):
    """Regenerating the feed token revokes the old address."""
    old = registration.feed_token
    registration.feed_token = "x" * 43
    registration.save()

    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{'x' * 43}.ics").status_code == 200


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (Registration.Status.CANCELLED, 404),
        (Registration.Status.REJECTED, 404),
        (Registration.Status.PENDING, 200),
        (Registration.Status.WAITLISTED, 200),
    ],
)
def test_personal_feed_by_registration_status(client, registration, status, code):
    """Cancelled and rejected registrations have no calendar any more."""
    registration.status = status
    registration.save()

    assert client.get(f"/calendar/{registration.feed_token}.ics").status_code == code


def test_personal_feed_url_is_absolute(registration):
    """The feed link uses SITE_URL and the feed's own token."""
    assert personal_ics_url(registration) == (
        f"https://testserver.example/calendar/{registration.feed_token}.ics"
    )


def test_personal_snippet_explains_and_warns(agenda):
    """The private page offers the personal feed, says what it holds and that it is private."""
    registration = RegistrationFactory(meeting=agenda.meeting)

    html = render_to_string("registrations/_personal_calendar.html", {"registration": registration})

    assert f'href="webcal://testserver.example/calendar/{registration.feed_token}.ics"' in html
    assert f'value="https://testserver.example/calendar/{registration.feed_token}.ics"' in html
    assert "the sessions you have booked or chosen" in html
    assert "It follows every change" in html
    assert "This address is private" in html
