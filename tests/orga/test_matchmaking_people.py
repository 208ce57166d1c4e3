"""B2B profiles and meeting requests in the workspace: the numbers, validation, an
organizer's cancel (asked first, naming who is emailed) and scheduling at a free slot."""

import pytest

from mail.models import OutboxMessage
from matchmaking.models import Matchmaking, MeetingRequest, Profile, SlotSeat
from matchmaking.services.requests import (
    request_accept,
    request_create,
    request_decline,
    request_schedule,
)
from matchmaking.services.setup import matchmaking_update
from registrations.models import Registration
from tests.factories import MeetingFactory, RegistrationFactory
from tests.matchmaking.b2b import b2b_session_add, person, slots
from tests.orga.conftest import HOSTILE
from tests.roundtrip import as_post_data, form_pairs, form_values, resubmit, select_options

pytestmark = pytest.mark.django_db

URL = "/meetings/meet/manage/matchmaking/"
Status = MeetingRequest.Status


def rows(model, **filters) -> list[dict]:
    return list(model.objects.filter(**filters).order_by("pk").values())


@pytest.fixture
def b2b(meeting):
    matchmaking_update(meeting=meeting, enabled=True)
    b2b_session_add(meeting, tables=2)
    return meeting


@pytest.fixture
def by_organizers(b2b):
    matchmaking_update(meeting=b2b, scheduling_mode=Matchmaking.SchedulingMode.ORGANIZERS)
    return b2b


def named(meeting, first: str, last: str, **fields) -> Registration:
    return person(meeting, first_name=first, last_name=last, **fields)


def accepted(requester, recipient) -> MeetingRequest:
    request = request_create(requester=requester, recipient=recipient, message="Let us meet.")
    return request_accept(request=request, by=recipient)


# --- profiles ------------------------------------------------------------------------------


def test_the_profiles_page_counts_what_organizers_look_at(organizer_client, b2b):
    matchmaking_update(meeting=b2b, profiles_need_validation=True)
    shown = named(b2b, "Ana", "Shown")
    Profile.objects.filter(registration=shown).update(validated_at=shown.created_at)
    waiting = named(b2b, "Ben", "Waiting")
    named(b2b, "Carla", "Unlisted", listed=False)
    named(b2b, "Dani", "Pending", status="pending")
    RegistrationFactory(meeting=b2b, first_name="Eli", last_name="NoProfile")
    named(MeetingFactory(), "Fran", "Elsewhere")
    matchmaking_update(meeting=b2b, profiles_need_validation=False)
    request_create(requester=shown, recipient=waiting)
    matchmaking_update(meeting=b2b, profiles_need_validation=True)

    page = organizer_client.get(f"{URL}profiles/")

    counts = page.context["counts"]
    assert (
        counts.profiles,
        counts.listed,
        counts.visible,
        counts.waiting,
        counts.confirmed,
        counts.without_requests,
    ) == (4, 3, 1, 1, 4, 2)
    html = page.content.decode()
    assert '<p class="big" data-stat="waiting"><a href="?state=waiting">1</a></p>' in html
    assert "Elsewhere" not in html and "Eli NoProfile" not in html


def test_waiting_for_validation_lists_only_those(organizer_client, b2b):
    matchmaking_update(meeting=b2b, profiles_need_validation=True)
    named(b2b, "Ben", "Waiting")
    done = named(b2b, "Ana", "Validated")
    Profile.objects.filter(registration=done).update(validated_at=done.created_at)
    named(b2b, "Carla", "Unlisted", listed=False)

    page = organizer_client.get(f"{URL}profiles/", {"state": "waiting"})

    assert [p.registration.last_name for p in page.context["page"]] == ["Waiting"]


def test_a_bad_filter_lists_nobody(organizer_client, b2b):
    named(b2b, "Ana", "Shown")
    page = organizer_client.get(f"{URL}profiles/", {"state": "everything"})
    assert page.status_code == 400
    assert list(page.context["page"]) == []


def test_an_organizer_validates_the_selected_profiles_and_takes_it_back(organizer_client, b2b):
    matchmaking_update(meeting=b2b, profiles_need_validation=True)
    ana, ben, carla = (named(b2b, name, "Person") for name in ("Ana", "Ben", "Carla"))
    page = organizer_client.get(f"{URL}profiles/")
    picked = [ana.b2b_profile.pk, ben.b2b_profile.pk]
    pairs = form_pairs(page.content, form_id="validate-form", check=picked)

    response = organizer_client.post(
        f"{URL}profiles/validate/", as_post_data([*pairs, ("validated", "1")])
    )

    assert response.status_code == 302
    validated = Profile.objects.filter(validated_at__isnull=False)
    assert set(validated.values_list("registration", flat=True)) == {ana.pk, ben.pk}
    shown = organizer_client.get(f"{URL}profiles/", {"state": "visible"})
    assert {p.pk for p in shown.context["page"]} == set(picked)

    organizer_client.post(
        f"{URL}profiles/validate/", {"selected": [ana.b2b_profile.pk], "validated": "0"}
    )
    assert list(Profile.objects.filter(validated_at__isnull=False)) == [ben.b2b_profile]
    assert Profile.objects.get(pk=carla.b2b_profile.pk).validated_at is None


def test_validating_a_validated_profile_writes_nothing(organizer_client, b2b):
    ana = named(b2b, "Ana", "Person")
    organizer_client.post(
        f"{URL}profiles/validate/",
        {"selected": [ana.b2b_profile.pk], "validated": "1"},
        follow=True,
    )
    before = rows(Profile)
    response = organizer_client.post(
        f"{URL}profiles/validate/",
        {"selected": [ana.b2b_profile.pk], "validated": "1"},
        follow=True,
    )
    assert rows(Profile) == before
    assert [str(m) for m in response.context["messages"]] == ["0 profiles validated."]


def test_a_profile_of_another_meeting_cannot_be_validated(organizer_client, b2b):
    mine = named(b2b, "Ana", "Mine")
    theirs = named(MeetingFactory(), "Ben", "Theirs")
    before = rows(Profile)

    response = organizer_client.post(
        f"{URL}profiles/validate/",
        {"selected": [mine.b2b_profile.pk, theirs.b2b_profile.pk], "validated": "1"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Some of the selected profiles are not of this meeting."
    ]
    assert rows(Profile) == before


def test_hostile_text_in_a_profile_is_shown_as_text(organizer_client, b2b):
    ana = named(b2b, "Ana\u202e", "<script>x</script>")
    Profile.objects.filter(registration=ana).update(role="<img src=x onerror=alert(1)>")
    ana.organization_name = HOSTILE
    ana.organization = None
    ana.save()
    Profile.objects.filter(registration=ana).update(organization=None)

    html = organizer_client.get(f"{URL}profiles/").content.decode()

    assert "<script>x</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in html
    assert "<bdi>Ana\u202e &lt;script&gt;" in html  # the override stays inside its <bdi>


@pytest.mark.parametrize("count", [1, 3])
def test_the_profiles_page_query_count_does_not_grow(
    organizer_client, b2b, count, django_assert_num_queries
):
    for index in range(count):
        ana = named(b2b, "Ana", f"Person{index}")
        ana.b2b_profile.sectors.create(meeting=b2b, name=f"Sector {index}")
    with django_assert_num_queries(10):
        organizer_client.get(f"{URL}profiles/")


# --- requests: the list --------------------------------------------------------------------


def test_the_requests_page_counts_each_status_and_filters(organizer_client, b2b):
    ana, ben, carla, dani = (named(b2b, n, "Person") for n in ("Ana", "Ben", "Carla", "Dani"))
    request_create(requester=ana, recipient=ben)
    declined = request_create(requester=carla, recipient=ana, message="Hello")
    request_decline(request=declined, by=ana, reason="Busy that day")
    meeting_request = request_create(requester=dani, recipient=ana)
    request_accept(request=meeting_request, by=ana, slot_id=slots(b2b)[0].pk)

    page = organizer_client.get(f"{URL}requests/")

    assert page.context["counts"] == [
        ("requested", "Requested", 1),
        ("accepted", "Accepted", 0),
        ("scheduled", "Scheduled", 1),
        ("declined", "Declined", 1),
        ("cancelled", "Cancelled", 0),
    ]
    assert page.context["total"] == 3
    html = page.content.decode()
    assert "Busy that day" in html
    scheduled = organizer_client.get(f"{URL}requests/", {"status": "scheduled"})
    assert [r.pk for r in scheduled.context["page"]] == [meeting_request.pk]
    assert "table 1" in scheduled.content.decode()


def test_another_meetings_requests_are_not_listed(organizer_client, b2b):
    other = MeetingFactory()
    matchmaking_update(meeting=other, enabled=True)
    request_create(
        requester=named(other, "Eve", "Elsewhere"), recipient=named(other, "Fran", "Elsewhere")
    )
    page = organizer_client.get(f"{URL}requests/")
    assert page.context["total"] == 0
    assert "Elsewhere" not in page.content.decode()


def test_hostile_text_in_a_request_is_shown_as_text(organizer_client, b2b):
    ana, ben = named(b2b, "Ana", "Person"), named(b2b, "Ben", "Person")
    request = request_create(requester=ana, recipient=ben, message=HOSTILE)
    request_decline(request=request, by=ben, reason="<b>no</b>\u202e thanks")
    html = organizer_client.get(f"{URL}requests/").content.decode()
    assert "<b>" not in html.split("<main", 1)[1]
    assert "&lt;b&gt;no&lt;/b&gt; thanks" in html
    assert "\u202e" not in html and "\x1b" not in html


@pytest.mark.parametrize("count", [1, 3])
def test_the_requests_page_query_count_does_not_grow(
    organizer_client, b2b, count, django_assert_num_queries
):
    ana = named(b2b, "Ana", "Person")
    for index in range(count):
        other = named(b2b, "Ben", f"Person{index}", organization_name="Typed in")
        # A profile without a known organisation shows the typed name.
        Profile.objects.filter(registration=other).update(organization=None)
        meeting_request = request_create(requester=other, recipient=ana)
        if index % 2 == 0:
            request_accept(request=meeting_request, by=ana, slot_id=slots(b2b)[index].pk)
    with django_assert_num_queries(8):
        organizer_client.get(f"{URL}requests/")


# --- requests: cancel ----------------------------------------------------------------------


def test_the_cancel_page_names_who_will_be_emailed_and_only_its_post_cancels(organizer_client, b2b):
    ana, ben = named(b2b, "Ana", "Requester"), named(b2b, "Ben", "Recipient")
    meeting_request = request_create(requester=ana, recipient=ben)
    request_accept(request=meeting_request, by=ben, slot_id=slots(b2b)[2].pk)
    url = f"{URL}requests/{meeting_request.pk}/cancel/?filters=status%3Dscheduled"
    emails = OutboxMessage.objects.count()

    page = organizer_client.get(url)

    html = page.content.decode()
    assert "Cancel the meeting of Ana Requester and Ben Recipient?" in html
    assert "This will email 2 people." in html
    assert MeetingRequest.objects.get(pk=meeting_request.pk).status == Status.SCHEDULED
    assert OutboxMessage.objects.count() == emails

    response = organizer_client.post(url)

    assert response["Location"] == f"{URL}requests/?status=scheduled"
    meeting_request.refresh_from_db()
    assert (meeting_request.status, meeting_request.cancelled_by) == (Status.CANCELLED, None)
    assert not SlotSeat.objects.exists()
    cancelled = OutboxMessage.objects.filter(kind="b2b_meeting_cancelled")
    assert sorted(cancelled.values_list("registration", flat=True)) == sorted([ana.pk, ben.pk])
    assert all(row.payload["by_organizer"] for row in cancelled)


def test_a_closed_request_is_not_cancelled_again(organizer_client, b2b):
    ana, ben = named(b2b, "Ana", "Person"), named(b2b, "Ben", "Person")
    meeting_request = request_create(requester=ana, recipient=ben)
    request_decline(request=meeting_request, by=ben)
    before, emails = rows(MeetingRequest), OutboxMessage.objects.count()
    for method in (organizer_client.get, organizer_client.post):
        response = method(f"{URL}requests/{meeting_request.pk}/cancel/")
        assert response.status_code == 302
    assert rows(MeetingRequest) == before
    assert OutboxMessage.objects.count() == emails


def test_another_meetings_request_is_not_found(organizer_client, b2b):
    other = MeetingFactory()
    matchmaking_update(meeting=other, enabled=True, scheduling_mode="organizers")
    b2b_session_add(other)
    theirs = accepted(named(other, "Eve", "Person"), named(other, "Fran", "Person"))
    for suffix in ("cancel/", "schedule/"):
        url = f"{URL}requests/{theirs.pk}/{suffix}"
        assert organizer_client.get(url).status_code == 404
        assert organizer_client.post(url, {"slot": slots(other)[0].pk}).status_code == 404
    assert MeetingRequest.objects.get(pk=theirs.pk).status == Status.ACCEPTED


# --- requests: scheduling ------------------------------------------------------------------


def test_the_schedule_page_offers_only_slots_where_both_and_a_table_are_free(
    organizer_client, by_organizers
):
    meeting = by_organizers
    ana, ben, carla, dani, eli = (
        named(meeting, n, "Person") for n in ("Ana", "Ben", "Carla", "Dani", "Eli")
    )
    first, second, third = slots(meeting)
    request_schedule(request=accepted(ana, carla), slot_id=first.pk)  # Ana is busy at 15:00
    request_schedule(request=accepted(dani, eli), slot_id=third.pk)
    request_schedule(request=accepted(ben, eli), slot_id=second.pk)
    request_schedule(request=accepted(carla, dani), slot_id=second.pk)  # 15:20: tables full
    meeting_request = accepted(ana, ben)

    page = organizer_client.get(f"{URL}requests/{meeting_request.pk}/schedule/")

    options = select_options(page.content, "slot", form_id="schedule-form")
    assert [value for value, _label in options] == ["", str(third.pk)]
    assert options[1][1].endswith("15:40–16:00 · B2B meetings 15:00 (1 tables free)")


def test_the_schedule_form_posted_untouched_schedules_nothing(organizer_client, by_organizers):
    meeting_request = accepted(named(by_organizers, "Ana", "P"), named(by_organizers, "Ben", "P"))
    before, emails = rows(MeetingRequest), OutboxMessage.objects.count()

    response = resubmit(
        organizer_client,
        f"{URL}requests/{meeting_request.pk}/schedule/",
        choice={"form_id": "schedule-form"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"slot": ["This field is required."]}
    assert rows(MeetingRequest) == before
    assert OutboxMessage.objects.count() == emails


def test_an_organizer_schedules_an_accepted_request_and_both_are_invited(
    organizer_client, by_organizers
):
    ana, ben = named(by_organizers, "Ana", "P"), named(by_organizers, "Ben", "P")
    meeting_request = accepted(ana, ben)
    slot = slots(by_organizers)[1]

    response = resubmit(
        organizer_client,
        f"{URL}requests/{meeting_request.pk}/schedule/?filters=status%3Daccepted",
        choice={"form_id": "schedule-form"},
        slot=str(slot.pk),
    )

    assert response["Location"] == f"{URL}requests/?status=accepted"
    meeting_request.refresh_from_db()
    assert (meeting_request.status, meeting_request.slot, meeting_request.table.name) == (
        Status.SCHEDULED,
        slot,
        "1",
    )
    invitations = OutboxMessage.objects.filter(kind="b2b_meeting_scheduled")
    assert sorted(invitations.values_list("registration", flat=True)) == sorted([ana.pk, ben.pk])


def test_a_scheduled_meeting_saved_untouched_on_the_move_page_stays(organizer_client, b2b):
    ana, ben = named(b2b, "Ana", "P"), named(b2b, "Ben", "P")
    meeting_request = request_create(requester=ana, recipient=ben)
    request_accept(request=meeting_request, by=ben, slot_id=slots(b2b)[1].pk)
    before, emails = rows(MeetingRequest), OutboxMessage.objects.count()
    url = f"{URL}requests/{meeting_request.pk}/schedule/"
    page = organizer_client.get(url)
    options = select_options(page.content, "slot", form_id="schedule-form")
    assert [value for value, _label in options] == [str(slot.pk) for slot in slots(b2b)]
    assert form_values(page.content, form_id="schedule-form")["slot"] == str(slots(b2b)[1].pk)

    response = resubmit(organizer_client, url, choice={"form_id": "schedule-form"})

    assert response.status_code == 302
    assert rows(MeetingRequest) == before
    assert OutboxMessage.objects.count() == emails


def test_a_meeting_of_someone_at_the_session_maximum_can_still_move_in_it(organizer_client, b2b):
    session = b2b_session_add(b2b, day=1, tables=2, max_meetings_per_person=1)
    later = list(session.slots.order_by("position"))
    ana, ben = named(b2b, "Ana", "P"), named(b2b, "Ben", "P")
    meeting_request = request_create(requester=ana, recipient=ben)
    request_accept(request=meeting_request, by=ben, slot_id=later[0].pk)
    url = f"{URL}requests/{meeting_request.pk}/schedule/"

    options = select_options(organizer_client.get(url).content, "slot", form_id="schedule-form")

    # its own place does not count against the maximum: every slot of both sessions is offered
    assert {value for value, _label in options} >= {str(slot.pk) for slot in later}
    response = organizer_client.post(url, {"slot": later[2].pk})
    assert response.status_code == 302
    meeting_request.refresh_from_db()
    assert (meeting_request.slot, meeting_request.sequence) == (later[2], 1)


def test_a_slot_of_another_meeting_cannot_be_chosen(organizer_client, by_organizers):
    other = MeetingFactory()
    b2b_session_add(other)
    meeting_request = accepted(named(by_organizers, "Ana", "P"), named(by_organizers, "Ben", "P"))
    before = rows(MeetingRequest)

    response = organizer_client.post(
        f"{URL}requests/{meeting_request.pk}/schedule/", {"slot": slots(other)[0].pk}
    )

    assert response.context["form"].errors == {
        "slot": ["Choose one of the slots where both people and a table are free."]
    }
    assert rows(MeetingRequest) == before


def test_a_requested_meeting_cannot_be_scheduled_by_the_organizers(organizer_client, b2b):
    meeting_request = request_create(
        requester=named(b2b, "Ana", "P"), recipient=named(b2b, "Ben", "P")
    )
    before = rows(MeetingRequest)
    response = organizer_client.post(
        f"{URL}requests/{meeting_request.pk}/schedule/", {"slot": slots(b2b)[0].pk}
    )
    assert response.status_code == 302
    assert rows(MeetingRequest) == before


def test_the_validate_form_posted_with_nothing_selected_changes_nothing(organizer_client, b2b):
    named(b2b, "Ana", "Person")
    page = organizer_client.get(f"{URL}profiles/?state=listed")
    pairs = form_pairs(page.content, form_id="validate-form")
    before = rows(Profile)

    response = organizer_client.post(
        f"{URL}profiles/validate/", as_post_data([*pairs, ("validated", "1")]), follow=True
    )

    assert [str(m) for m in response.context["messages"]] == ["Select at least one profile."]
    assert response.redirect_chain[-1][0] == f"{URL}profiles/?state=listed"
    assert rows(Profile) == before


def test_the_request_list_pages_keep_the_filter(organizer_client, b2b):
    ana = named(b2b, "Ana", "Hub")
    MeetingRequest.objects.bulk_create(
        MeetingRequest(meeting=b2b, requester=ana, recipient=person(b2b)) for _ in range(51)
    )

    first = organizer_client.get(f"{URL}requests/?status=requested")
    second = organizer_client.get(f"{URL}requests/?status=requested&page=2")

    assert 'href="?status=requested&amp;page=2"' in first.content.decode()
    assert len(second.context["page"].object_list) == 1
    assert 'href="?status=requested&amp;page=1"' in second.content.decode()
