"""The participants page: who sees it, search and filters, actions, bulk actions, waitlists."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from mail.models import OutboxMessage
from registrations.models import Registration, SessionBooking
from registrations.services.organizer_actions import (
    registrations_bulk_act,
    registrations_bulk_plan,
)
from tests.factories import (
    MeetingFactory,
    MeetingOrganizerFactory,
    OrganizationFactory,
    RegistrationFactory,
    SessionBookingFactory,
    SessionFactory,
    UserFactory,
)
from tests.orga.conftest import HOSTILE, participant_user
from tests.roundtrip import submit

pytestmark = pytest.mark.django_db

LIST = "/meetings/meet/manage/participants/"


def names(response) -> list[str]:
    return [r.full_name for r in response.context["page"].object_list]


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def outbox() -> list[tuple[str, str]]:
    return list(OutboxMessage.objects.order_by("pk").values_list("kind", "recipient"))


# --- who may see it -------------------------------------------------------------------------

GET_URLS = ["", "waitlists/", "export.csv", "export.xlsx"]


@pytest.fixture
def secret(meeting):
    return RegistrationFactory(
        meeting=meeting, first_name="Secreta", last_name="Person", email="secret@example.org"
    )


@pytest.mark.parametrize("suffix", GET_URLS)
def test_anonymous_is_sent_to_login(client, meeting, secret, suffix):
    response = client.get(LIST + suffix)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("suffix", GET_URLS)
@pytest.mark.parametrize("who", ["plain user", "organizer of another meeting"])
def test_others_get_403_and_no_data(client, meeting, secret, suffix, who):
    user = UserFactory(username="other")
    if who == "organizer of another meeting":
        MeetingOrganizerFactory(user=user, meeting=MeetingFactory(slug="theirs"))
    client.force_login(user)

    response = client.get(LIST + suffix)

    assert response.status_code == 403
    assert b"secret@example.org" not in response.content
    assert b"Secreta" not in response.content


@pytest.mark.parametrize(
    "suffix", ["bulk/", "{pk}/approve/", "{pk}/reject/", "{pk}/cancel/", "{pk}/resend/"]
)
def test_posts_of_others_are_refused_and_change_nothing(client, meeting, suffix):
    pending = RegistrationFactory(meeting=meeting, status="pending")
    url = LIST + suffix.format(pk=pending.pk)
    data = {"action": "reject", "selected": [pending.pk], "confirm": "yes"}

    anonymous = client.post(url, data)
    other = UserFactory(username="other")
    MeetingOrganizerFactory(user=other, meeting=MeetingFactory(slug="theirs"))
    client.force_login(other)
    theirs = client.post(url, data)

    assert anonymous.status_code == 302
    assert theirs.status_code == 403
    assert Registration.objects.get().status == "pending"
    assert outbox() == []


def test_organizer_cannot_reach_another_meetings_registration_through_their_own(
    organizer_client, meeting
):
    """The registration is looked up in the meeting of the URL: someone else's is a 404."""
    elsewhere = RegistrationFactory(status="pending")

    response = organizer_client.post(f"{LIST}{elsewhere.pk}/approve/")
    bulk = organizer_client.post(
        LIST + "bulk/", {"action": "approve", "selected": [elsewhere.pk], "confirm": "yes"}
    )

    assert response.status_code == 404
    assert bulk.status_code == 302
    assert texts(bulk) == ["Some of the selected people are not registered here."]
    assert Registration.objects.get().status == "pending"
    assert outbox() == []


@pytest.mark.parametrize("suffix", GET_URLS)
def test_organizer_gets_every_page(organizer_client, meeting, secret, suffix):
    response = organizer_client.get(LIST + suffix)

    assert response.status_code == 200


# --- the list -------------------------------------------------------------------------------


def test_list_shows_each_registration_with_its_details_in_the_meetings_time(
    organizer_client, meeting
):
    cluster = OrganizationFactory(name="MetaIndustry4", short_name="MI4", region="ES-AS")
    workshop = SessionFactory(meeting=meeting, title="Value chains", requires_booking=True)
    ane = RegistrationFactory(
        meeting=meeting,
        first_name="Ane",
        last_name="Etxeberria",
        email="ane@example.org",
        organization=cluster,
        region="ES-AS",
        checked_in_at=dt.datetime(2026, 1, 15, 8, 5, tzinfo=dt.UTC),
    )
    Registration.objects.filter(pk=ane.pk).update(
        created_at=dt.datetime(2026, 1, 10, 23, 30, tzinfo=dt.UTC)
    )
    SessionBookingFactory(registration=ane, session=workshop, status="waitlisted")

    response = organizer_client.get(LIST)

    html = response.content.decode()
    row = html[html.index(f'id="registration-{ane.pk}"') :].split("</tr>")[0]
    assert "Ane Etxeberria" in row
    assert "ane@example.org" in row
    assert "MI4" in row
    # The region's name, not its code.
    assert "Principado de Asturias" in row
    assert "ES-AS" not in row
    # 23:30 UTC is 00:30 the next day in Madrid (winter, UTC+1).
    assert "2026-01-11 00:30" in row
    assert "Value chains" in row and "Waitlisted" in row
    assert "checked in at 2026-01-15 09:05" in row


@pytest.fixture
def people(meeting):
    """Four people of this meeting, one of another."""
    cluster = OrganizationFactory(name="Cluster de Automoción", short_name="ACICAE")
    workshop = SessionFactory(meeting=meeting, title="Workshop", requires_booking=True)
    SessionFactory(meeting=meeting, title="Open talk")
    ane = RegistrationFactory(
        meeting=meeting,
        first_name="Ane",
        last_name="Etxeberria",
        region="ES-PV",
        organization=cluster,
        email="ane@acicae.example.org",
    )
    jon = RegistrationFactory(
        meeting=meeting,
        first_name="Jon",
        last_name="Garcia",
        region="ES-NC",
        organization_name="Typed Org",
        status="pending",
        email="jon@example.org",
    )
    marta = RegistrationFactory(
        meeting=meeting,
        first_name="Marta",
        last_name="Ruiz",
        region="ES-NC",
        status="waitlisted",
        email="marta@example.org",
    )
    luis = RegistrationFactory(
        meeting=meeting,
        first_name="Luis",
        last_name="Ruiz",
        region="ES-AR",
        status="cancelled",
        email="luis@example.org",
    )
    SessionBookingFactory(registration=ane, session=workshop, status="booked")
    SessionBookingFactory(registration=jon, session=workshop, status="requested")
    SessionBookingFactory(registration=luis, session=workshop, status="cancelled")
    RegistrationFactory(first_name="Other", last_name="Meeting", region="ES-CN")
    return {"ane": ane, "jon": jon, "marta": marta, "luis": luis, "workshop": workshop}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Ane Etxeberria", "Jon Garcia", "Marta Ruiz", "Luis Ruiz"]),
        ("q=ruiz", ["Marta Ruiz", "Luis Ruiz"]),
        ("q=marta+ruiz", ["Marta Ruiz"]),
        ("q=ACICAE", ["Ane Etxeberria"]),
        ("q=automoci", ["Ane Etxeberria"]),
        ("q=typed+org", ["Jon Garcia"]),
        ("q=jon%40example", ["Jon Garcia"]),
        ("q=Meeting", []),
        ("status=pending", ["Jon Garcia"]),
        ("region=ES-NC", ["Jon Garcia", "Marta Ruiz"]),
        ("region=ES-NC&status=waitlisted", ["Marta Ruiz"]),
    ],
)
def test_search_and_filters_find_exactly_the_matching_people(
    organizer_client, people, query, expected
):
    response = organizer_client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert names(response) == expected


def test_session_filter_finds_who_holds_waits_for_or_asks_for_a_seat(organizer_client, people):
    response = organizer_client.get(f"{LIST}?session={people['workshop'].pk}")

    assert names(response) == ["Ane Etxeberria", "Jon Garcia"]


def test_filter_choices_come_from_this_meeting_only(organizer_client, people):
    response = organizer_client.get(LIST)

    form = response.context["filter"].form
    # Codes are what the URL carries; names are what people read.
    assert [(value, str(label)) for value, label in form.fields["region"].choices] == [
        ("", "any"),
        ("ES-AR", "Aragón"),
        ("ES-NC", "Comunidad Foral de Navarra"),
        ("ES-PV", "País Vasco"),
    ]
    assert [str(label) for _, label in form.fields["session"].choices][1:] == [
        str(people["workshop"])
    ]


@pytest.mark.parametrize(
    "query",
    ["region=ES-CN", "region=Navarra", "status=bogus", "session=999999", "session=abc", "q=%00"],
)
def test_a_bad_filter_is_an_error_on_the_page_and_lists_nobody(organizer_client, people, query):
    other_session = SessionFactory(requires_booking=True)
    query = query.replace("999999", str(other_session.pk))

    response = organizer_client.get(f"{LIST}?{query}")

    assert response.status_code == 400
    assert names(response) == []
    assert response.context["filter"].errors


def test_list_pages_by_50_keeping_the_filters(organizer_client, meeting):
    for n in range(51):
        RegistrationFactory(meeting=meeting, last_name=f"N{n:02}", region="ES-NC")
    RegistrationFactory(meeting=meeting, region="ES-AR")

    first = organizer_client.get(f"{LIST}?region=ES-NC")
    second = organizer_client.get(f"{LIST}?region=ES-NC&page=2")

    assert len(first.context["page"].object_list) == 50
    assert 'href="?region=ES-NC&amp;page=2"' in first.content.decode()
    assert names(second) == ["Ane N50"]


@pytest.mark.parametrize("rows", [1, 4])
def test_list_queries_do_not_grow_with_the_rows(
    organizer_client, meeting, django_assert_num_queries, rows
):
    workshop = SessionFactory(meeting=meeting, requires_booking=True)
    for _ in range(rows):
        registration = RegistrationFactory(meeting=meeting, organization=OrganizationFactory())
        SessionBookingFactory(registration=registration, session=workshop)

    # session, user, meeting, organizer role, count, page, bookings, regions, sessions
    with django_assert_num_queries(9):
        response = organizer_client.get(LIST)

    assert len(response.context["page"].object_list) == rows


def test_the_bulk_form_posted_as_shown_changes_nothing(organizer_client, people):
    """Nothing chosen, nothing ticked: an error, no change, no email."""
    before = list(Registration.objects.order_by("pk").values_list("pk", "status", "updated_at"))
    page = organizer_client.get(LIST)

    response = submit(organizer_client, page, "bulk-form")

    assert response.status_code == 302
    assert texts(response) == ["This field is required.", "Select at least one person."]
    assert (
        list(Registration.objects.order_by("pk").values_list("pk", "status", "updated_at"))
        == before
    )
    assert outbox() == []


def test_the_filter_form_round_trips(organizer_client, people):
    page = organizer_client.get(f"{LIST}?region=ES-NC&status=pending")

    again = submit(organizer_client, page, "filter-form")

    assert names(again) == ["Jon Garcia"]


# --- row actions ----------------------------------------------------------------------------


def act(client, registration, action, **fill):
    """Press the row's button for ``action`` as the list shows it."""
    page = client.get(LIST)
    return submit(client, page, f"{action}-{registration.pk}", **fill)


def test_approve_gives_a_seat_and_emails(organizer_client, people):
    response = act(organizer_client, people["jon"], "approve")

    assert response.status_code == 302
    assert texts(response) == ["Jon Garcia is approved, has a seat and has been emailed."]
    assert Registration.objects.get(pk=people["jon"].pk).status == "confirmed"
    assert ("registration_confirmed", "jon@example.org") in outbox()
    # The requested workshop seat is placed on confirmation.
    assert SessionBooking.objects.get(registration=people["jon"]).status == "booked"


def test_approve_when_full_puts_on_the_waitlist_and_says_so(organizer_client, meeting):
    meeting.capacity = 1
    meeting.save()
    RegistrationFactory(meeting=meeting)
    pending = RegistrationFactory(
        meeting=meeting, status="pending", first_name="Jon", last_name="Garcia"
    )

    response = act(organizer_client, pending, "approve")

    assert texts(response) == [
        "Jon Garcia is approved; the meeting is full, so they are on the waitlist and have "
        "been emailed."
    ]
    assert Registration.objects.get(pk=pending.pk).status == "waitlisted"
    assert [kind for kind, _ in outbox()] == ["registration_waitlisted"]


def test_reject_with_a_reason_stores_it_for_the_email(organizer_client, people):
    response = act(organizer_client, people["marta"], "reject", reason="  Full of clusters.  ")

    assert texts(response) == ["Marta Ruiz is rejected and has been emailed."]
    assert Registration.objects.get(pk=people["marta"].pk).status == "rejected"
    message = OutboxMessage.objects.get()
    assert (message.kind, message.recipient) == ("registration_rejected", "marta@example.org")
    assert message.payload == {"reason": "Full of clusters."}


def test_reject_with_a_too_long_reason_is_refused_and_changes_nothing(organizer_client, people):
    response = act(organizer_client, people["jon"], "reject", reason="x" * 5001)

    assert texts(response) == [
        "Nothing changed for Jon Garcia: Ensure this value has at most 5000 characters "
        "(it has 5001)."
    ]
    assert Registration.objects.get(pk=people["jon"].pk).status == "pending"
    assert outbox() == []


def test_promote_moves_into_a_free_seat(organizer_client, people):
    response = act(organizer_client, people["marta"], "promote")

    assert texts(response) == [
        "Marta Ruiz has moved from the waitlist into a seat and has been emailed."
    ]
    assert Registration.objects.get(pk=people["marta"].pk).status == "confirmed"
    assert outbox() == [("registration_promoted", "marta@example.org")]


def test_promote_into_a_full_meeting_is_refused_with_the_services_words(organizer_client, meeting):
    meeting.capacity = 1
    meeting.save()
    RegistrationFactory(meeting=meeting)
    waiting = RegistrationFactory(
        meeting=meeting,
        status="waitlisted",
        first_name="Marta",
        last_name="Ruiz",
        waitlisted_at=timezone.now(),
    )

    response = act(organizer_client, waiting, "promote")

    assert texts(response) == [
        "Nothing changed for Marta Ruiz: The meeting is full: cancel a registration or raise "
        "the capacity first."
    ]
    assert Registration.objects.get(pk=waiting.pk).status == "waitlisted"
    assert outbox() == []


def test_cancel_by_the_organizer_frees_the_seat_for_the_first_waiting(organizer_client, meeting):
    meeting.capacity = 1
    meeting.save()
    holder = RegistrationFactory(
        meeting=meeting, first_name="Ane", last_name="Etx", email="a@x.org"
    )
    first = RegistrationFactory(
        meeting=meeting,
        status="waitlisted",
        email="first@x.org",
        waitlisted_at=timezone.now() - dt.timedelta(hours=2),
    )
    RegistrationFactory(
        meeting=meeting,
        status="waitlisted",
        email="second@x.org",
        waitlisted_at=timezone.now() - dt.timedelta(hours=1),
    )

    response = act(organizer_client, holder, "cancel")

    assert texts(response) == [
        "The registration of Ane Etx is cancelled and they have been emailed."
    ]
    assert Registration.objects.get(pk=holder.pk).status == "cancelled"
    assert Registration.objects.get(pk=first.pk).status == "confirmed"
    assert outbox() == [
        ("registration_cancelled", "a@x.org"),
        ("registration_promoted", "first@x.org"),
    ]
    assert OutboxMessage.objects.first().payload == {"by_organizer": True}


def test_resend_writes_a_private_link_email(organizer_client, people):
    response = act(organizer_client, people["luis"], "resend")

    assert texts(response) == ["Luis Ruiz has been emailed their private link again."]
    assert outbox() == [("private_link", "luis@example.org")]


@pytest.mark.parametrize(
    ("person", "action", "reason"),
    [
        ("ane", "approve", "Only registrations waiting for approval can be approved."),
        (
            "ane",
            "reject",
            "Only pending or waitlisted registrations can be rejected; cancel the others.",
        ),
        ("ane", "promote", "Only people on the waitlist can be moved from it."),
        ("luis", "cancel", "This registration is already cancelled."),
    ],
)
def test_an_action_that_does_not_apply_is_refused_and_changes_nothing(
    organizer_client, people, person, action, reason
):
    registration = people[person]
    before = Registration.objects.get(pk=registration.pk)

    response = organizer_client.post(f"{LIST}{registration.pk}/{action}/")

    assert response.status_code == 302
    assert texts(response) == [f"Nothing changed for {registration.full_name}: {reason}"]
    after = Registration.objects.get(pk=registration.pk)
    assert (after.status, after.updated_at) == (before.status, before.updated_at)
    assert outbox() == []


def test_unknown_action_is_a_404(organizer_client, people):
    assert organizer_client.post(f"{LIST}{people['jon'].pk}/delete/").status_code == 404
    assert organizer_client.get(f"{LIST}{people['jon'].pk}/approve/").status_code == 405


def test_action_returns_to_the_list_with_its_filters(organizer_client, people):
    page = organizer_client.get(f"{LIST}?region=ES-NC")

    response = submit(organizer_client, page, f"approve-{people['jon'].pk}")

    assert response["Location"] == f"{LIST}?region=ES-NC"
    assert Registration.objects.get(pk=people["jon"].pk).status == "confirmed"


def test_reject_form_posted_as_shown_rejects_without_a_reason(organizer_client, people):
    page = organizer_client.get(LIST)

    response = submit(organizer_client, page, f"reject-{people['jon'].pk}")

    assert texts(response) == ["Jon Garcia is rejected and has been emailed."]
    assert OutboxMessage.objects.get().payload == {}


# --- bulk actions ---------------------------------------------------------------------------


def test_bulk_first_confirms_with_the_count_and_changes_nothing(organizer_client, people):
    page = organizer_client.get(LIST)

    confirm = submit(
        organizer_client,
        page,
        "bulk-form",
        check=[people["jon"].pk, people["marta"].pk, people["ane"].pk],
        action="reject",
        reason="Sorry: <b>full</b>",
    )

    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "2 people will be emailed:" in html
    assert "Jon Garcia</bdi> &lt;jon@example.org&gt;" in html
    assert "Marta Ruiz</bdi> &lt;marta@example.org&gt;" in html
    assert "1 selected person is left as they are:" in html
    assert (
        "Ane Etxeberria</bdi>: Only pending or waitlisted registrations can be rejected; "
        "cancel the others." in html
    )
    assert "Sorry: &lt;b&gt;full&lt;/b&gt;" in html
    assert Registration.objects.get(pk=people["jon"].pk).status == "pending"
    assert outbox() == []

    done = submit(organizer_client, confirm, "confirm-form", press="confirm")

    assert done.status_code == 302
    assert texts(done) == ["Reject: 2 done, 0 refused."]
    assert Registration.objects.get(pk=people["jon"].pk).status == "rejected"
    assert Registration.objects.get(pk=people["marta"].pk).status == "rejected"
    assert Registration.objects.get(pk=people["ane"].pk).status == "confirmed"
    assert sorted(outbox()) == [
        ("registration_rejected", "jon@example.org"),
        ("registration_rejected", "marta@example.org"),
    ]
    assert {m.payload["reason"] for m in OutboxMessage.objects.all()} == {"Sorry: <b>full</b>"}


def test_bulk_cancel_says_who_moves_up_from_the_waitlist(organizer_client, meeting):
    meeting.capacity = 2
    meeting.save()
    a = RegistrationFactory(meeting=meeting, first_name="A", last_name="One")
    b = RegistrationFactory(meeting=meeting, first_name="B", last_name="Two")
    waiting = [
        RegistrationFactory(
            meeting=meeting,
            status="waitlisted",
            first_name="W",
            last_name=str(n),
            email=f"w{n}@example.org",
            waitlisted_at=timezone.now() - dt.timedelta(hours=5 - n),
        )
        for n in range(3)
    ]
    page = organizer_client.get(LIST)

    confirm = submit(
        organizer_client,
        page,
        "bulk-form",
        check=[a.pk, b.pk, waiting[0].pk],
        action="cancel",
    )

    html = confirm.content.decode()
    assert "3 people will be emailed:" in html
    assert "2 people waiting move into freed seats and will be told too:" in html
    assert [r.email for r in confirm.context["plan"].promoted] == [
        "w1@example.org",
        "w2@example.org",
    ]

    submit(organizer_client, confirm, "confirm-form", press="confirm")

    assert sorted(
        Registration.objects.filter(status="confirmed").values_list("email", flat=True)
    ) == [
        "w1@example.org",
        "w2@example.org",
    ]
    promoted = OutboxMessage.objects.filter(kind="registration_promoted")
    assert sorted(promoted.values_list("recipient", flat=True)) == [
        "w1@example.org",
        "w2@example.org",
    ]
    assert OutboxMessage.objects.filter(kind="registration_cancelled").count() == 3


def test_bulk_acts_on_each_row_on_its_own(organizer_client, people):
    """A row refused at the last moment does not undo the others."""
    response = organizer_client.post(
        LIST + "bulk/",
        {
            "action": "approve",
            "selected": [people["jon"].pk, people["ane"].pk],
            "confirm": "yes",
            "filters": "status=pending",
        },
    )

    assert response["Location"] == f"{LIST}?status=pending"
    assert texts(response) == [
        "Approve: 1 done, 1 refused.",
        "Nothing changed for Ane Etxeberria: Only registrations waiting for approval can be "
        "approved.",
    ]
    assert Registration.objects.get(pk=people["jon"].pk).status == "confirmed"
    # Marta, waiting, is served first: seats left go to the waitlist before a newcomer.
    assert outbox() == [
        ("registration_promoted", "marta@example.org"),
        ("registration_confirmed", "jon@example.org"),
    ]


def test_bulk_resend_emails_every_selected_person(organizer_client, people):
    page = organizer_client.get(LIST)
    confirm = submit(
        organizer_client,
        page,
        "bulk-form",
        check=[people["luis"].pk, people["ane"].pk],
        action="resend",
    )
    assert "2 people will be emailed:" in confirm.content.decode()

    submit(organizer_client, confirm, "confirm-form", press="confirm")

    assert sorted(outbox()) == [
        ("private_link", "ane@acicae.example.org"),
        ("private_link", "luis@example.org"),
    ]


def test_bulk_promote_is_not_offered(organizer_client, people):
    response = organizer_client.post(
        LIST + "bulk/", {"action": "promote", "selected": [people["marta"].pk], "confirm": "yes"}
    )

    assert texts(response) == [
        "Select a valid choice. promote is not one of the available choices."
    ]
    assert outbox() == []


# --- waitlists ------------------------------------------------------------------------------


def test_waitlists_in_arrival_order(organizer_client, meeting, django_assert_num_queries):
    now = timezone.now()
    workshop = SessionFactory(meeting=meeting, title="Workshop", requires_booking=True, capacity=1)
    SessionFactory(meeting=meeting, title="Free talk")
    later = RegistrationFactory(
        meeting=meeting, status="waitlisted", first_name="Later", waitlisted_at=now
    )
    earlier = RegistrationFactory(
        meeting=meeting,
        status="waitlisted",
        first_name="Earlier",
        waitlisted_at=now - dt.timedelta(minutes=5),
    )
    for n, minutes in enumerate([3, 9]):
        SessionBookingFactory(
            registration=RegistrationFactory(meeting=meeting, first_name=f"S{n}"),
            session=workshop,
            status="waitlisted",
            waitlisted_at=now - dt.timedelta(minutes=minutes),
        )
    SessionBookingFactory(registration=RegistrationFactory(meeting=meeting), session=workshop)
    SessionBookingFactory(
        registration=RegistrationFactory(status="waitlisted"),  # another meeting
        status="waitlisted",
    )

    # session, user, meeting, organizer role, meeting waitlist, sessions, session waitlists
    with django_assert_num_queries(7):
        response = organizer_client.get(LIST + "waitlists/")

    assert [r.pk for r in response.context["waitlist"]] == [earlier.pk, later.pk]
    ((session, bookings),) = response.context["sessions"]
    assert session == workshop
    assert session.booked == 1
    assert [b.registration.first_name for b in bookings] == ["S1", "S0"]
    html = response.content.decode()
    assert html.index("Earlier") < html.index("Later")
    assert "1 of 1 seats taken" in html


def test_promote_from_the_waitlists_page_returns_there(organizer_client, meeting):
    waiting = RegistrationFactory(
        meeting=meeting, status="waitlisted", waitlisted_at=timezone.now()
    )
    page = organizer_client.get(LIST + "waitlists/")
    assert f'action="{LIST}{waiting.pk}/promote/"' in page.content.decode()

    response = organizer_client.post(f"{LIST}{waiting.pk}/promote/", {"back": "waitlists"})

    assert response["Location"] == LIST + "waitlists/"
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"


def test_the_pages_render_hostile_text_escaped(organizer_client, meeting):
    registration = RegistrationFactory(
        meeting=meeting,
        first_name=HOSTILE,
        last_name="x" * 100,  # the column's limit
        organization_name=HOSTILE,
        job_title=HOSTILE,
        # The region is a code from a list now; the hostile text is in the free-text fields.
        region="ES-NC",
        status="waitlisted",
        waitlisted_at=timezone.now(),
    )

    listing = organizer_client.get(LIST)
    waitlists = organizer_client.get(LIST + "waitlists/")
    confirm = organizer_client.post(
        LIST + "bulk/", {"action": "cancel", "selected": [registration.pk]}
    )

    for response in (listing, waitlists, confirm):
        assert response.status_code == 200
        html = response.content.decode()
        assert "<b>&amp;</b>" not in html
        assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in html


@pytest.mark.parametrize("suffix", GET_URLS)
def test_a_participant_with_an_account_gets_403_and_no_data(client, meeting, secret, suffix):
    client.force_login(participant_user(meeting))

    response = client.get(LIST + suffix)

    assert response.status_code == 403
    assert b"secret@example.org" not in response.content
    assert b"Secreta" not in response.content
    assert b"ane.participant@example.org" not in response.content


@pytest.mark.parametrize("suffix", ["bulk/", "{pk}/cancel/", "{pk}/resend/"])
def test_a_participant_cannot_act_on_registrations(client, meeting, secret, suffix):
    client.force_login(participant_user(meeting))
    data = {"action": "cancel", "selected": [secret.pk], "confirm": "yes"}

    response = client.post(LIST + suffix.format(pk=secret.pk), data)

    assert response.status_code == 403
    assert b"secret@example.org" not in response.content
    secret.refresh_from_db()
    assert secret.status == "confirmed"
    assert outbox() == []


@pytest.fixture
def two_sessions(meeting):
    """Meeting capacity 3: Aaa, Bbb, Ccc confirmed; Www, Xxx, Yyy waiting. One (1 seat): Aaa
    holds it, Ccc then Bbb wait. Two (1 seat): Bbb holds it, Aaa waits; Www asks for it."""
    meeting.capacity = 3
    meeting.save()
    now = timezone.now()

    def person(last, status="confirmed", hours=0):
        return RegistrationFactory(
            meeting=meeting,
            first_name="P",
            last_name=last,
            email=f"{last.lower()}@example.org",
            status=status,
            waitlisted_at=now - dt.timedelta(hours=hours) if status == "waitlisted" else None,
        )

    a, b, c = person("Aaa"), person("Bbb"), person("Ccc")
    w1, _w2 = person("Www", "waitlisted", hours=5), person("Xxx", "waitlisted", hours=4)
    person("Yyy", "waitlisted", hours=3)  # no third seat frees: stays waiting, not emailed
    s1 = SessionFactory(
        meeting=meeting, title="<b>One</b>\u202e", requires_booking=True, capacity=1
    )
    s2 = SessionFactory(meeting=meeting, title="Two", requires_booking=True, capacity=1)
    SessionBookingFactory(registration=a, session=s1)
    SessionBookingFactory(
        registration=c, session=s1, status="waitlisted", waitlisted_at=now - dt.timedelta(hours=2)
    )
    SessionBookingFactory(
        registration=b, session=s1, status="waitlisted", waitlisted_at=now - dt.timedelta(hours=1)
    )
    SessionBookingFactory(registration=b, session=s2)
    SessionBookingFactory(
        registration=a, session=s2, status="waitlisted", waitlisted_at=now - dt.timedelta(hours=1)
    )
    SessionBookingFactory(registration=w1, session=s2, status="requested")
    return {"a": a, "b": b, "s1": s1}


def test_bulk_cancel_counts_the_session_waitlist_promotions_it_emails(
    organizer_client, two_sessions
):
    """The number the confirmation shows is the number of emails it writes: the cancelled,
    who moves up from the meeting's waitlist, and who gets a freed seat in a session (also a
    session seat taken by someone the meeting's waitlist promotes)."""
    a, b, s1 = two_sessions["a"], two_sessions["b"], two_sessions["s1"]
    page = organizer_client.get(LIST)

    confirm = submit(organizer_client, page, "bulk-form", check=[a.pk, b.pk], action="cancel")

    plan = confirm.context["plan"]
    html = confirm.content.decode()
    assert [r.email for r in plan.to_do] == ["aaa@example.org", "bbb@example.org"]
    assert [r.email for r in plan.promoted] == ["www@example.org", "xxx@example.org"]
    assert [(bk.registration.email, bk.session.title) for bk in plan.session_promoted] == [
        ("ccc@example.org", s1.title),
        ("www@example.org", "Two"),
    ]
    assert "2 seats in sessions go to the people waiting first, who will be told too:" in html
    assert "P Ccc</bdi> &lt;ccc@example.org&gt;: <bdi>&lt;b&gt;One&lt;/b&gt;\u202e</bdi>" in html
    assert "6 emails in all." in html
    assert outbox() == []
    assert SessionBooking.objects.filter(status="booked").count() == 2

    submit(organizer_client, confirm, "confirm-form", press="confirm")

    assert OutboxMessage.objects.count() == plan.emails == 6
    assert sorted(outbox()) == [
        ("booking_promoted", "ccc@example.org"),
        ("booking_promoted", "www@example.org"),
        ("registration_cancelled", "aaa@example.org"),
        ("registration_cancelled", "bbb@example.org"),
        ("registration_promoted", "www@example.org"),
        ("registration_promoted", "xxx@example.org"),
    ]


def test_bulk_cancel_plan_equals_the_emails_in_the_other_order(two_sessions):
    """Cancelled in the other order, Aaa first gets Bbb's seat in Two (and is told) before
    being cancelled: the plan counts that email as well."""
    a, b, s1 = two_sessions["a"], two_sessions["b"], two_sessions["s1"]
    people = [Registration.objects.get(pk=b.pk), Registration.objects.get(pk=a.pk)]

    plan = registrations_bulk_plan(action="cancel", registrations=people)
    registrations_bulk_act(action="cancel", registrations=people)

    assert [(bk.registration.email, bk.session.title) for bk in plan.session_promoted] == [
        ("aaa@example.org", "Two"),
        ("ccc@example.org", s1.title),
        ("www@example.org", "Two"),
    ]
    assert [r.email for r in plan.promoted] == ["www@example.org", "xxx@example.org"]
    assert OutboxMessage.objects.count() == plan.emails == 7


@pytest.fixture
def raised_capacity(meeting):
    """Capacity raised from 2 to 5 with Www and Xxx still waiting: 3 free seats, 2 go to them
    first. One (raised to 2 seats): Ccc holds one, Ddd waits; Www asks for it. Two (raised to
    2 seats): Ddd holds one, Ccc waits; Paa asks for it. Paa, Pbb, Pcc are pending."""
    meeting.capacity = 5
    meeting.save()
    now = timezone.now()

    def person(last, status="confirmed", hours=0, first="P"):
        return RegistrationFactory(
            meeting=meeting,
            first_name=first,
            last_name=last,
            email=f"{last.lower()}@example.org",
            status=status,
            waitlisted_at=now - dt.timedelta(hours=hours) if status == "waitlisted" else None,
        )

    c, d = person("Ccc"), person("Ddd")
    w, _x = person("Www", "waitlisted", hours=5), person("Xxx", "waitlisted", hours=4)
    paa = person("Paa", "pending")
    pending = [
        paa,
        person("Pbb", "pending", first="\u202eEvil\x07\x1b[31m\u200b"),
        person("Pcc", "pending", first="L" * 100),  # first_name's max_length
    ]
    one = SessionFactory(
        meeting=meeting, title="<b>One</b>\u202e\r\nBcc: x", requires_booking=True, capacity=2
    )
    two = SessionFactory(meeting=meeting, title="Two", requires_booking=True, capacity=2)
    SessionBookingFactory(registration=c, session=one)
    SessionBookingFactory(registration=d, session=one, status="waitlisted", waitlisted_at=now)
    SessionBookingFactory(registration=d, session=two)
    SessionBookingFactory(registration=c, session=two, status="waitlisted", waitlisted_at=now)
    SessionBookingFactory(registration=w, session=one, status="requested")
    SessionBookingFactory(registration=paa, session=two, status="requested")
    return {"pending": pending, "one": one}


def test_bulk_approve_counts_the_waitlist_and_session_promotions_it_emails(
    organizer_client, raised_capacity
):
    """Approving first moves the people waiting into the free seats (and tells them), and
    placing their and the approved person's requested sessions serves each session's
    waitlist first (told too): the number shown is the number of emails written."""
    pending, one = raised_capacity["pending"], raised_capacity["one"]
    page = organizer_client.get(LIST)

    confirm = submit(
        organizer_client, page, "bulk-form", check=[r.pk for r in pending], action="approve"
    )

    plan = confirm.context["plan"]
    html = confirm.content.decode()
    assert [r.email for r in plan.to_do] == [
        "paa@example.org",
        "pbb@example.org",
        "pcc@example.org",
    ]
    assert [r.email for r in plan.promoted] == ["www@example.org", "xxx@example.org"]
    assert [(bk.registration.email, bk.session.title) for bk in plan.session_promoted] == [
        ("ddd@example.org", one.title),
        ("ccc@example.org", "Two"),
    ]
    assert "3 people will be emailed:" in html
    assert "2 people waiting move into free seats first and will be told too:" in html
    assert "2 seats in sessions go to the people waiting first, who will be told too:" in html
    assert (
        "P Ddd</bdi> &lt;ddd@example.org&gt;: <bdi>&lt;b&gt;One&lt;/b&gt;\u202e\r\nBcc: x</bdi>"
        in html
    )
    assert "7 emails in all." in html
    assert outbox() == []

    submit(organizer_client, confirm, "confirm-form", press="confirm")

    assert OutboxMessage.objects.count() == plan.emails == 7
    assert sorted(outbox()) == [
        ("booking_promoted", "ccc@example.org"),
        ("booking_promoted", "ddd@example.org"),
        ("registration_confirmed", "paa@example.org"),
        ("registration_promoted", "www@example.org"),
        ("registration_promoted", "xxx@example.org"),
        ("registration_waitlisted", "pbb@example.org"),
        ("registration_waitlisted", "pcc@example.org"),
    ]
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert [statuses[f"{n}@example.org"] for n in ("paa", "pbb", "pcc", "www", "xxx")] == [
        "confirmed",
        "waitlisted",
        "waitlisted",
        "confirmed",
        "confirmed",
    ]


@pytest.mark.parametrize("capacity", [None, 2, 6])
def test_bulk_approve_plan_equals_the_emails_it_writes(meeting, raised_capacity, capacity):
    """No limit (everyone approved gets a seat, nobody waiting is moved), full (all three
    wait), and room for everybody: the plan's count is the outbox's each time."""
    meeting.capacity = capacity
    meeting.save()
    people = [Registration.objects.get(pk=r.pk) for r in raised_capacity["pending"]]

    plan = registrations_bulk_plan(action="approve", registrations=people)
    registrations_bulk_act(action="approve", registrations=people)

    assert OutboxMessage.objects.count() == plan.emails
    assert (len(plan.promoted), len(plan.session_promoted)) == {
        None: (0, 1),  # Paa's seat in Two goes to Ccc waiting first
        2: (0, 0),
        6: (2, 2),
    }[capacity]
