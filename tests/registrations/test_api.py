import json

import pytest
from django.db import connection
from rest_framework.test import APIClient

from events.models import Meeting
from mail.models import OutboxMessage
from registrations.emails import build_email
from registrations.models import Registration, SessionBooking
from tests.factories import (
    MeetingFactory,
    MeetingOrganizerFactory,
    OrganizationFactory,
    RegistrationFactory,
    SessionBookingFactory,
    SessionFactory,
    UserFactory,
    at,
)

pytestmark = pytest.mark.django_db

ACCEPTED = {
    "detail": "Thank you. Check your email: we have sent you a message with your registration link."
}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def organizer_api(organizer):
    client = APIClient()
    client.force_authenticate(organizer)
    return client


def subjects():
    """The subjects of the emails written to the outbox, as they will be sent."""
    return [build_email(message).subject for message in OutboxMessage.objects.order_by("pk")]


def url(meeting, suffix=""):
    return f"/api/v1/meetings/{meeting.slug}/registrations/{suffix}"


def body(**changes):
    data = {
        "first_name": "Ane",
        "last_name": "Etxeberria",
        "email": "ane@example.org",
        "organization": "",
        "job_title": "Cluster manager",
        "region": "ES-NC",
        "sessions": [],
        "consent_processing": True,
    }
    data.update(changes)
    return data


# --- POST: public registration -------------------------------------------------------


def test_post_registers_and_answers_check_your_email(
    api, meeting, django_capture_on_commit_callbacks
):
    session = SessionFactory(meeting=meeting)
    cluster = OrganizationFactory(name="Cluster de Automoción", short_name="ACAN")
    meeting.organizations.add(cluster)

    response = api.post(
        url(meeting),
        body(sessions=[session.pk], organization="acan", language="en"),
        format="json",
    )

    assert response.status_code == 202
    assert response.json() == ACCEPTED
    registration = Registration.objects.get()
    assert (registration.status, registration.organization, registration.language) == (
        Registration.Status.CONFIRMED,
        cluster,
        "en",
    )
    assert list(registration.bookings.values_list("session_id", flat=True)) == [session.pk]
    assert subjects() == [f"Your registration for {meeting.title} is confirmed"]


def test_post_again_with_the_same_email_answers_exactly_alike_and_resends_the_link(api, meeting):
    first = api.post(url(meeting), body(), format="json")

    again = api.post(url(meeting), body(email="ANE@Example.org", first_name="X"), format="json")

    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert Registration.objects.get().first_name == "Ane"
    assert subjects() == [
        f"Tu inscripción en {meeting.title} está confirmada",
        f"El enlace de tu inscripción en {meeting.title}",
    ]


def test_post_is_twelve_queries_first_or_repeat_with_a_seat_limited_session(
    api, django_assert_num_queries
):
    """One registration through the API, a seat-limited session chosen and a known
    organisation named, on a meeting with a capacity: 12 SQL queries on PostgreSQL,
    11 on SQLite (no lock timeout to set). A repeat takes the same path (it answers
    alike, in the same time) plus the look-up of its link email in this window."""
    meeting = MeetingFactory(capacity=100)
    session = SessionFactory(meeting=meeting, capacity=10, requires_booking=True)
    meeting.organizations.add(OrganizationFactory(name="Cluster de Automoción", short_name="ACAN"))
    RegistrationFactory(meeting=meeting)  # seats are counted from real rows
    first = 12 if connection.vendor == "postgresql" else 11

    for email, expected in (("ane@example.org", first), ("ANE@example.org", first + 1)):
        with django_assert_num_queries(expected):
            response = api.post(
                url(meeting),
                body(email=email, sessions=[session.pk], organization="acan"),
                format="json",
            )
        assert response.status_code == 202
    assert SessionBooking.objects.get().status == SessionBooking.Status.BOOKED


def test_post_when_full_answers_alike_and_waitlists(api):
    meeting = MeetingFactory(capacity=0)

    response = api.post(url(meeting), body(), format="json")

    assert (response.status_code, response.json()) == (202, ACCEPTED)
    assert Registration.objects.get().status == Registration.Status.WAITLISTED


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"email": "nope"}, {"email": ["Enter a valid email address."]}),
        ({"first_name": ""}, {"first_name": ["This field may not be blank."]}),
        (
            {"last_name": "x" * 101},
            {"last_name": ["Ensure this field has no more than 100 characters."]},
        ),
        (
            {"consent_processing": False},
            {"consent_processing": ["We need your consent to process your data to register you."]},
        ),
        ({"sessions": "1"}, {"sessions": ['Expected a list of items but got type "str".']}),
        ({"sessions": ["x"]}, {"sessions": {"0": ["A valid integer is required."]}}),
        ({"language": "fr"}, {"language": ['"fr" is not a valid choice.']}),
    ],
)
def test_post_bad_input_answers_400_with_field_errors_and_writes_nothing(
    api, meeting, changes, errors
):
    response = api.post(url(meeting), body(**changes), format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert Registration.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_post_without_consent_field_is_refused(api, meeting):
    data = body()
    del data["consent_processing"]

    response = api.post(url(meeting), data, format="json")

    assert response.json() == {"consent_processing": ["This field is required."]}


def test_post_sessions_of_another_meeting_are_refused(api, meeting):
    other = SessionFactory()

    response = api.post(url(meeting), body(sessions=[other.pk]), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "sessions": [f"These sessions cannot be chosen at this meeting: {other.pk}."]
    }


def test_post_overlapping_sessions_are_refused_naming_both(api, meeting):
    first = SessionFactory(meeting=meeting, title="B2B round")
    second = SessionFactory(
        meeting=meeting,
        title="Workshop",
        starts_at=at(meeting, 0, "10:15"),
        ends_at=at(meeting, 0, "10:45"),
    )

    response = api.post(url(meeting), body(sessions=[first.pk, second.pk]), format="json")

    assert response.json() == {
        "sessions": ["“B2B round” and “Workshop” take place at the same time: choose one of them."]
    }


def test_post_to_a_cancelled_meeting_answers_400(api):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)

    response = api.post(url(meeting), body(), format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["This meeting has been cancelled."]}


def test_post_to_a_draft_meeting_is_not_found(api):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)

    assert api.post(url(meeting), body(), format="json").status_code == 404


@pytest.mark.parametrize(
    ("content", "content_type"),
    [("{not json", "application/json"), ("first_name=Ane", "text/plain")],
)
def test_post_non_json_answers_400(api, meeting, content, content_type):
    response = api.generic("POST", url(meeting), content, content_type=content_type)

    assert response.status_code == 400
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("where", ["body", "field"])
def test_post_json_nested_2000_deep_answers_400_and_writes_nothing(api, meeting, where):
    deep = "[" * 2000 + "]" * 2000
    content = deep if where == "body" else json.dumps(body())[:-1] + f', "first_name": {deep}}}'

    response = api.generic("POST", url(meeting), content, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error: the body is nested too deeply."}
    assert Registration.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_post_json_nested_a_little_answers_field_errors(api, meeting):
    content = json.dumps(body(first_name=[[[["Ane"]]]]))

    response = api.generic("POST", url(meeting), content, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"first_name": ["Not a valid string."]}
    assert Registration.objects.count() == 0


def test_post_a_json_list_answers_400(api, meeting):
    response = api.post(url(meeting), json.dumps([1, 2]), content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }


def test_post_is_rate_limited_per_address(api, meeting, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"registrations": "2/min", "private_link": "60/min"},
    }

    statuses = [
        api.post(url(meeting), body(email=f"p{i}@example.org"), format="json").status_code
        for i in range(3)
    ]

    assert statuses == [202, 202, 429]
    assert Registration.objects.count() == 2


# --- GET and actions: organizers only -------------------------------------------------


def test_anonymous_cannot_list_registrations(api, meeting):
    RegistrationFactory(meeting=meeting)

    assert api.get(url(meeting)).status_code == 401


def test_organizer_of_another_meeting_cannot_list_registrations(meeting):
    other = UserFactory()
    MeetingOrganizerFactory(user=other)
    client = APIClient()
    client.force_authenticate(other)

    assert client.get(url(meeting)).status_code == 403


def test_organizer_lists_their_meeting_registrations_only(organizer_api, meeting):
    mine = RegistrationFactory(meeting=meeting, first_name="Mine", region="ES-AR")
    RegistrationFactory(first_name="Elsewhere")
    booking = SessionBookingFactory(registration=mine)

    response = organizer_api.get(url(meeting))

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["id"], row["first_name"], row["region"], row["region_name"]) == (
        mine.pk,
        "Mine",
        "ES-AR",
        "Aragón",
    )
    assert row["bookings"] == [
        {
            "session": booking.session_id,
            "title": booking.session.title,
            "status": "booked",
            "waitlisted_at": None,
        }
    ]


def test_organizer_filters_by_status_and_region_and_searches(organizer_api, meeting):
    RegistrationFactory(meeting=meeting, region="ES-NC", last_name="Goñi")
    RegistrationFactory(meeting=meeting, region="ES-NC", status="waitlisted", last_name="Ruiz")
    RegistrationFactory(meeting=meeting, region="ES-AS", last_name="Díaz")

    def names(query):
        return [r["last_name"] for r in organizer_api.get(url(meeting) + query).json()["results"]]

    assert names("?status=waitlisted") == ["Ruiz"]
    assert names("?region=ES-NC") == ["Goñi", "Ruiz"]
    assert names("?region=navarra") == ["Goñi", "Ruiz"]
    assert names("?region=Principado%20de%20Asturias") == ["Díaz"]
    assert names("?region=Pamplona") == []
    assert names("?search=díaz") == ["Díaz"]


@pytest.mark.parametrize("query", ["?status=", "?organization=", "?status=%20", "?status=maybe"])
def test_organizer_filter_with_an_empty_or_unknown_value_is_a_400_naming_it(
    organizer_api, meeting, query
):
    RegistrationFactory(meeting=meeting)
    response = organizer_api.get(url(meeting) + query)
    assert response.status_code == 400
    name = query[1:].split("=")[0]
    assert list(response.json()) == [name]


@pytest.mark.parametrize("count", [1, 3])
def test_organizer_list_query_count_does_not_grow(
    organizer_api, meeting, count, django_assert_num_queries
):
    for _ in range(count):
        registration = RegistrationFactory(meeting=meeting, organization=OrganizationFactory())
        SessionBookingFactory.create_batch(2, registration=registration)

    # user roles, meeting, count, page, bookings prefetch
    with django_assert_num_queries(5):
        response = organizer_api.get(url(meeting))

    assert len(response.json()["results"]) == count


def test_organizer_approves_a_pending_registration(organizer_api):
    meeting = MeetingFactory(requires_approval=True)
    user = UserFactory(username="approver")
    MeetingOrganizerFactory(meeting=meeting, user=user)
    organizer_api.force_authenticate(user)
    registration = RegistrationFactory(meeting=meeting, status="pending")

    response = organizer_api.post(url(meeting, f"{registration.pk}/approve/"))

    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"


def test_organizer_cancel_promotes_the_next_person(organizer_api, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(capacity=1)
    holder = RegistrationFactory(meeting=meeting)
    waiting = RegistrationFactory(meeting=meeting, status="waitlisted")

    response = organizer_api.post(url(meeting, f"{holder.pk}/cancel/"))

    assert response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_organizer_action_refused_by_the_rules_answers_400(organizer_api, meeting):
    registration = RegistrationFactory(meeting=meeting)

    response = organizer_api.post(url(meeting, f"{registration.pk}/promote/"))

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Only people on the waitlist can be moved from it."]
    }


def test_organizer_resends_the_link(organizer_api, meeting):
    registration = RegistrationFactory(meeting=meeting)

    organizer_api.post(url(meeting, f"{registration.pk}/resend-link/"))
    organizer_api.post(url(meeting, f"{registration.pk}/resend-link/"))

    assert OutboxMessage.objects.filter(kind="private_link").count() == 2


def test_organizer_cannot_act_on_another_meetings_registration(organizer_api, meeting):
    registration = RegistrationFactory()

    response = organizer_api.post(url(meeting, f"{registration.pk}/cancel/"))

    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_organizer_reads_counts_per_state_organisation_region_and_session(organizer_api, meeting):
    cluster = OrganizationFactory(name="ACAN")
    workshop = SessionFactory(meeting=meeting, title="Workshop", requires_booking=True, capacity=3)
    first = RegistrationFactory(meeting=meeting, organization=cluster, region="ES-NC")
    RegistrationFactory(meeting=meeting, organization_name="New Co", region="ES-NC")
    RegistrationFactory(meeting=meeting, status="waitlisted", region="ES-AR")
    RegistrationFactory(meeting=meeting, status="cancelled", region="ES-AR")
    SessionBookingFactory(registration=first, session=workshop)
    SessionBookingFactory(
        session=workshop, registration__meeting=meeting, status=SessionBooking.Status.WAITLISTED
    )

    stats = organizer_api.get(url(meeting, "stats/")).json()

    assert stats["by_status"] == {
        "pending": 0,
        "confirmed": 3,
        "waitlisted": 1,
        "cancelled": 1,
        "rejected": 0,
    }
    assert stats["by_region"] == [
        {"region": "ES-NC", "label": "Comunidad Foral de Navarra", "count": 2},
        {"region": "", "label": "", "count": 1},
        {"region": "ES-AR", "label": "Aragón", "count": 1},
    ]
    assert stats["by_organization"][:2] == [
        {"organization": "", "count": 2},
        {"organization": "ACAN", "count": 1},
    ]
    assert stats["by_session"] == [
        {"id": workshop.pk, "title": "Workshop", "capacity": 3, "booked": 1, "waitlisted": 1}
    ]


def test_post_still_registers_when_the_rate_limit_cache_is_down(api, meeting, settings):
    """A Redis outage must not stop registrations: the limit is skipped, not failed."""
    down = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {"default": down, "ratelimit": down}

    response = api.post(url(meeting), body(), format="json")

    assert response.status_code == 202
    assert Registration.objects.count() == 1


def test_organizer_reads_one_registration_and_filters_by_organization(organizer_api, meeting):
    cluster = OrganizationFactory(short_name="ACAN")
    member = RegistrationFactory(meeting=meeting, organization=cluster)
    RegistrationFactory(meeting=meeting, organization_name="Other")

    detail = organizer_api.get(url(meeting, f"{member.pk}/")).json()
    listed = organizer_api.get(url(meeting) + f"?organization={cluster.pk}").json()

    assert (detail["id"], detail["organization"], detail["organization_id"]) == (
        member.pk,
        "ACAN",
        cluster.pk,
    )
    assert [row["id"] for row in listed["results"]] == [member.pk]


def test_a_forged_forwarded_for_header_does_not_escape_the_rate_limit(api, meeting, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"registrations": "1/min", "private_link": "60/min"},
    }

    first = api.post(url(meeting), body(), format="json", HTTP_X_FORWARDED_FOR="10.0.0.1")
    second = api.post(
        url(meeting), body(email="b@example.org"), format="json", HTTP_X_FORWARDED_FOR="10.0.0.2"
    )

    assert (first.status_code, second.status_code) == (202, 429)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("kelvin@example.org", "\u212aelvin@example.org"),
        ("ines@example.org", "\u0130nes@example.org"),
    ],
)
def test_repeat_with_a_letter_that_only_lower_case_folds_answers_like_any_repeat(
    api, meeting, first, again
):
    """The Kelvin sign and the dotted capital I pass email validation and lower-case to
    "k" and "i" on PostgreSQL, so the unique constraint counts them as the same email.
    The repeat is found with that same expression: the same 202 and a link email,
    not a constraint violation (a 500 that only registered emails would get)."""
    api.post(url(meeting), body(email=first), format="json")

    response = api.post(url(meeting), body(email=again), format="json")

    assert (response.status_code, response.json()) == (202, ACCEPTED)
    assert list(Registration.objects.values_list("email", flat=True)) == [first]
    assert list(OutboxMessage.objects.order_by("pk").values_list("kind", flat=True)) == [
        "registration_confirmed",
        "private_link",
    ]


@pytest.mark.parametrize("session_id", [2**31, 2**63, 10**30])
def test_post_with_a_session_id_no_id_column_holds_is_a_400_and_writes_nothing(
    api, meeting, session_id
):
    """A session id beyond the integer id column is refused by the serializer, not the DB."""
    response = api.post(url(meeting), body(sessions=[session_id]), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "sessions": {"0": ["Ensure this value is less than or equal to 2147483647."]}
    }
    assert Registration.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
