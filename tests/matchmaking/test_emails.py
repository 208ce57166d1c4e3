"""The B2B emails, built from the outbox rows the services write and read back as a client would:
who asks, accepted with a REQUEST, declined with the reason, scheduled and moved (SEQUENCE up),
cancelled by whom with a CANCEL; never the other person's address."""

import datetime as dt

import pytest

from agenda.services import session_update
from mail.models import OutboxMessage
from mail.render import email_build
from mail.services import outbox_message_send
from matchmaking.models import MeetingRequest
from matchmaking.services.requests import (
    request_accept,
    request_cancel,
    request_create,
    request_decline,
    request_schedule,
)
from registrations.models import Registration
from registrations.services import registration_cancel
from tests.matchmaking.b2b import b2b_meeting, first_session, person, slots
from tests.matchmaking.mails import Sent, deliver, one

pytestmark = pytest.mark.django_db

SITE = "https://b2b.example"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.SITE_DOMAIN = "b2b.example"


def people(meeting):
    ana = person(meeting, first_name="Ana", last_name="Pérez", email="ana@example.org")
    ben = person(meeting, first_name="Ben", last_name="Ruiz", email="ben@example.org")
    ana.b2b_profile.organization.name = "Cluster Navarra"
    ana.b2b_profile.organization.save()
    ben.b2b_profile.role = "Innovation lead"
    ben.b2b_profile.save()
    return ana, ben


def everything(sent: Sent) -> str:
    """Every header and every decoded part: where an address could hide."""
    parts = [str(value) for value in sent.email.values()]
    for part in sent.email.walk():
        if not part.is_multipart():
            parts.append(part.get_payload(decode=True).decode())
    return "\n".join(parts)


def uid(request: MeetingRequest) -> str:
    return f"b2b-{request.pk}@b2b.example"


def test_a_request_tells_the_person_asked_who_asks_with_their_message(mailoutbox):
    meeting = b2b_meeting()
    ana, ben = people(meeting)
    request_create(requester=ana, recipient=ben, message="Batteries?\nLet us talk.")

    [sent] = deliver(mailoutbox)

    assert sent.email["To"] == "ben@example.org"
    assert sent.subject == f"Ana Pérez would like to meet you at {meeting.title}"
    for text in (sent.text, sent.html):
        assert "Ana Pérez" in text
        assert "Cluster Navarra" in text
        assert "Project manager" in text  # her role
        assert "Batteries?" in text and "Let us talk." in text
        assert f"{SITE}/r/{ben.token}/meetings/" in text  # his meetings page
        assert f"{SITE}/r/{ben.token}/" in text  # his private link
    assert "Accept it, choosing a time, or decline it" in sent.text
    assert sent.calendar_parts() == []
    assert "ana@example.org" not in everything(sent)


def test_accepting_sends_both_the_same_invitation_with_time_and_table(mailoutbox):
    meeting = b2b_meeting()
    ana, ben = people(meeting)
    request = request_create(requester=ana, recipient=ben)
    deliver(mailoutbox)
    slot = slots(meeting)[1]

    request = request_accept(request=request, by=ben, slot_id=slot.pk)
    sent = deliver(mailoutbox)

    accepted = one(sent, "b2b_request_accepted", "ana@example.org")
    scheduled = one(sent, "b2b_meeting_scheduled", "ben@example.org")
    assert accepted.subject == f"Ben Ruiz accepted your meeting request — {meeting.title}"
    assert scheduled.subject == f"Your 1:1 meeting with Ana Pérez is scheduled — {meeting.title}"
    for item, other in ((accepted, "Ben Ruiz"), (scheduled, "Ana Pérez")):
        assert other in item.text
        assert "15:20–15:40" in item.text and "Europe/Madrid" in item.text
        assert "Table 1" in item.text
        types = [content_type for content_type, _data in item.calendar_parts()]
        assert types == ['text/calendar; method="REQUEST"; charset="utf-8"', "application/ics"]
        calendar = item.calendars[0]
        assert str(calendar["METHOD"]) == "REQUEST"
        event = item.event
        assert str(event["UID"]) == uid(request)
        assert event.decoded("DTSTART") == slot.starts_at
        assert str(event["DTSTART"].params["TZID"]) == "Europe/Madrid"
        assert event.decoded("SEQUENCE") == 0
        assert str(event["LOCATION"]).startswith("Table 1, ")
        assert str(event["SUMMARY"]).startswith(f"1:1 meeting: {other} (")
        assert str(event["STATUS"]) == "CONFIRMED"
        assert str(event["ORGANIZER"]) == "mailto:info@example.org"
    assert "ben@example.org" not in everything(accepted)
    assert "ana@example.org" not in everything(scheduled)
    # Each one's own address is theirs to see; the other is named, not addressed.
    attendees = {str(a.params["CN"]): str(a) for a in accepted.event["ATTENDEE"]}
    assert attendees["Ana Pérez"] == "mailto:ana@example.org"
    assert attendees["Ben Ruiz"].startswith("urn:uuid:")


def test_moving_a_meeting_sends_a_higher_sequence_and_the_new_time(mailoutbox):
    meeting = b2b_meeting()
    ana, ben = people(meeting)
    request = request_create(requester=ana, recipient=ben)
    request_accept(request=request, by=ben, slot_id=slots(meeting)[0].pk)
    deliver(mailoutbox)

    request_schedule(request=request, slot_id=slots(meeting)[2].pk)  # the organizers move it
    moved_by_organizers = deliver(mailoutbox)
    first_move = MeetingRequest.objects.get(pk=request.pk).slot.starts_at
    hour = dt.timedelta(hours=1)
    session = first_session(meeting).session
    session_update(
        session=session,
        data={"starts_at": session.starts_at + hour, "ends_at": session.ends_at + hour},
    )
    moved_by_agenda = deliver(mailoutbox)
    second_move = MeetingRequest.objects.get(pk=request.pk).slot.starts_at

    assert len(moved_by_organizers) == len(moved_by_agenda) == 2
    assert second_move - first_move == hour
    for sent, sequence, start, instant in (
        (moved_by_organizers, 1, "15:40", first_move),
        (moved_by_agenda, 2, "16:40", second_move),
    ):
        for item in sent:
            assert item.row.kind == "b2b_meeting_scheduled"
            assert "has moved" in item.subject
            assert "has a new time or place" in item.text
            assert f"{start}–" in item.text
            assert str(item.event["UID"]) == uid(request)
            assert item.event.decoded("SEQUENCE") == sequence
        assert [item.event.decoded("DTSTART") for item in sent] == [instant, instant]


def test_cancelling_a_meeting_sends_both_a_cancel_with_the_same_uid_and_a_higher_sequence(
    mailoutbox,
):
    meeting = b2b_meeting()
    ana, ben = people(meeting)
    request = request_create(requester=ana, recipient=ben)
    request_accept(request=request, by=ben, slot_id=slots(meeting)[0].pk)
    deliver(mailoutbox)

    request_cancel(request=request, by=ana)
    sent = deliver(mailoutbox)

    to_ana = one(sent, "b2b_meeting_cancelled", "ana@example.org")
    to_ben = one(sent, "b2b_meeting_cancelled", "ben@example.org")
    assert "You cancelled your 1:1 meeting with Ben Ruiz." in to_ana.text
    assert "Ana Pérez cancelled your 1:1 meeting." in to_ben.text
    for item in (to_ana, to_ben):
        assert "is cancelled" in item.subject
        assert "It was planned for:" in item.text and "15:00–15:20" in item.text
        assert item.calendar_parts()[0][0] == 'text/calendar; method="CANCEL"; charset="utf-8"'
        assert str(item.calendars[0]["METHOD"]) == "CANCEL"
        assert str(item.event["UID"]) == uid(request)
        assert item.event.decoded("SEQUENCE") == 1
        assert str(item.event["STATUS"]) == "CANCELLED"
        assert str(item.event["SUMMARY"]).startswith("Cancelled: 1:1 meeting: ")


def test_declining_quotes_the_reason_to_the_person_who_asked(mailoutbox):
    meeting = b2b_meeting()
    ana, ben = people(meeting)
    request = request_create(requester=ana, recipient=ben)
    deliver(mailoutbox)

    request_decline(request=request, by=ben, reason="We are fully booked, sorry.")
    [sent] = deliver(mailoutbox)

    assert sent.email["To"] == "ana@example.org"
    assert sent.subject == f"Ben Ruiz declined your meeting request — {meeting.title}"
    assert "“We are fully booked, sorry.”" in sent.text
    assert "“We are fully booked, sorry.”" in sent.html
    assert sent.calendar_parts() == []
    assert "ben@example.org" not in everything(sent)


def test_a_request_withdrawn_before_its_time_tells_only_the_other_side_without_calendar(
    mailoutbox,
):
    meeting = b2b_meeting()
    ana, ben = people(meeting)
    request = request_create(requester=ana, recipient=ben)
    deliver(mailoutbox)

    request_cancel(request=request, by=ana)
    [sent] = deliver(mailoutbox)

    assert sent.email["To"] == "ben@example.org"
    assert sent.subject == f"Your meeting request with Ana Pérez is cancelled — {meeting.title}"
    assert "Ana Pérez cancelled the meeting request between you." in sent.text
    assert sent.calendar_parts() == []


def test_organizers_and_people_who_leave_are_named_as_the_reason(mailoutbox):
    meeting = b2b_meeting()
    ana, ben = people(meeting)
    cai = person(meeting, first_name="Cai", last_name="Sanz", email="cai@example.org")
    by_organizers = request_create(requester=ana, recipient=ben)
    request_accept(request=by_organizers, by=ben, slot_id=slots(meeting)[0].pk)
    left = request_create(requester=cai, recipient=ben)
    request_accept(request=left, by=ben, slot_id=slots(meeting)[1].pk)
    deliver(mailoutbox)

    request_cancel(request=by_organizers, by=None)
    registration_cancel(registration=cai)
    sent = [item for item in deliver(mailoutbox) if item.row.kind == "b2b_meeting_cancelled"]

    organizers = [item for item in sent if item.row.payload["request"] == by_organizers.pk]
    assert {item.email["To"] for item in organizers} == {"ana@example.org", "ben@example.org"}
    assert all("The organizers cancelled your 1:1 meeting" in item.text for item in organizers)
    leaving = {item.email["To"]: item for item in sent if item.row.payload["request"] == left.pk}
    assert (
        f"Cai Sanz no longer takes part in {meeting.title}, so your 1:1 meeting is cancelled."
        in leaving["ben@example.org"].text
    )
    assert (
        f"Your registration for {meeting.title} was cancelled, so your 1:1 meeting with "
        "Ben Ruiz is cancelled too." in leaving["cai@example.org"].text
    )
    for item in sent:
        assert str(item.calendars[0]["METHOD"]) == "CANCEL"


def test_when_the_organizers_schedule_the_acceptance_says_so_and_the_schedule_invites(
    mailoutbox,
):
    meeting = b2b_meeting(scheduling_mode="organizers")
    ana, ben = people(meeting)
    request = request_create(requester=ana, recipient=ben)
    request_accept(request=request, by=ben)
    deliver(mailoutbox)
    accepted = OutboxMessage.objects.get(kind="b2b_request_accepted")

    assert accepted.status == "sent"
    email = email_build(message=accepted)
    assert "The organizers will schedule the meeting" in email.body
    assert [kind for _content, kind in email.alternatives] == ["text/html"]

    request_schedule(request=request, slot_id=slots(meeting)[2].pk)
    sent = deliver(mailoutbox)

    assert sorted(item.email["To"] for item in sent) == ["ana@example.org", "ben@example.org"]
    for item in sent:
        assert "is scheduled" in item.subject and "moved" not in item.subject
        assert str(item.calendars[0]["METHOD"]) == "REQUEST"


def test_automatic_acceptance_tells_the_person_asked_and_invites_both(mailoutbox):
    meeting = b2b_meeting(request_mode="automatic")
    ana, ben = people(meeting)

    request_create(requester=ana, recipient=ben, slot_id=slots(meeting)[0].pk)
    sent = deliver(mailoutbox)

    received = one(sent, "b2b_request_received", "ben@example.org")
    assert "Requests are accepted automatically at this event" in received.text
    assert {(item.row.kind, item.email["To"]) for item in sent} == {
        ("b2b_request_received", "ben@example.org"),
        ("b2b_meeting_scheduled", "ana@example.org"),
        ("b2b_meeting_scheduled", "ben@example.org"),
    }


def test_an_email_sent_late_says_the_current_state_never_a_request_after_a_cancel(mailoutbox):
    """The worker was down: the acceptance goes out after the meeting was cancelled."""
    meeting = b2b_meeting()
    ana, ben = people(meeting)
    request = request_create(requester=ana, recipient=ben)
    request_accept(request=request, by=ben, slot_id=slots(meeting)[0].pk)
    request_cancel(request=request, by=ben)

    sent = deliver(mailoutbox)

    accepted = one(sent, "b2b_request_accepted", "ana@example.org")
    assert "This meeting has been cancelled since." in accepted.text
    for item in sent:
        for calendar in item.calendars:
            assert str(calendar["METHOD"]) == "CANCEL"
            [event] = calendar.walk("VEVENT")
            assert event.decoded("SEQUENCE") == 1


def test_preview_shows_placeholders_instead_of_the_private_links():
    meeting = b2b_meeting()
    ana, ben = people(meeting)
    Registration.objects.filter(pk=ben.pk).update(language="en")
    request_create(requester=ana, recipient=ben)
    row = OutboxMessage.objects.get()

    email = email_build(message=row, preview=True)

    html = email.alternatives[0][0]
    for text in (email.body, html):
        assert ben.token not in text
        assert "(their meetings page)" in text
        assert "(their personal link)" in text


def test_each_person_reads_in_their_language_else_the_meeting_s(mailoutbox):
    meeting = b2b_meeting()  # Spanish
    ana, ben = people(meeting)
    Registration.objects.filter(pk=ben.pk).update(language="en")
    Registration.objects.filter(pk=ana.pk).update(language="")  # none of her own
    request = request_create(requester=ana, recipient=ben)
    request_accept(request=request, by=ben, slot_id=slots(meeting)[0].pk)

    sent = deliver(mailoutbox)

    assert one(sent, "b2b_meeting_scheduled", "ben@example.org").text.startswith("Hello Ben,")
    assert one(sent, "b2b_request_accepted", "ana@example.org").text.startswith("Hola, Ana:")


def test_names_are_escaped_in_the_html(mailoutbox):
    meeting = b2b_meeting()
    ana, ben = people(meeting)
    Registration.objects.filter(pk=ana.pk).update(first_name='<img src=x onerror="alert(1)">')
    request_create(requester=ana, recipient=ben, message="<b>hi</b>")

    [sent] = deliver(mailoutbox)

    assert "<img" not in sent.html and "<b>hi" not in sent.html
    assert "&lt;img src=x" in sent.html and "&lt;b&gt;hi&lt;/b&gt;" in sent.html
    assert '<img src=x onerror="alert(1)">' in sent.text  # plain text stays as typed


def test_a_row_whose_request_is_gone_or_not_theirs_fails_with_that_reason(mailoutbox):
    """Deleted with a registration, or a row pointing at someone else's request: the row fails
    with the reason (organizers see it), nothing is sent and nothing about the request leaks."""
    meeting = b2b_meeting()
    ana, ben = people(meeting)
    cai = person(meeting)
    gone = request_create(requester=ana, recipient=ben)
    kept = request_create(requester=cai, recipient=ben)
    dan = person(meeting)
    OutboxMessage.objects.create(
        kind="b2b_request_received",
        recipient=dan.email,
        meeting=meeting,
        registration=dan,  # not one of the two people of ``kept``
        payload={"request": kept.pk},
        dedupe_key="not-theirs",
    )
    MeetingRequest.objects.filter(pk=gone.pk).delete()
    failing = OutboxMessage.objects.exclude(payload__request=kept.pk, registration=ben)

    for row in OutboxMessage.objects.order_by("pk"):
        outbox_message_send(message_id=row.pk)

    assert failing.count() == 2
    for row in failing:
        assert row.status == "failed"
        assert row.last_error.startswith("RequestGone: The meeting request of outbox message")
    [sent] = mailoutbox
    assert sent.to == [ben.email]


@pytest.mark.parametrize(
    ("mode", "answer", "next_step"),
    [
        ({}, None, "Accept it, choosing a time, or decline it on your meetings page."),
        (
            {"scheduling_mode": "organizers"},
            None,
            "Accept or decline it on your meetings page; the organizers then schedule",
        ),
        ({}, "accept", "You have accepted it since."),
        ({}, "decline", "You have declined it since."),
    ],
)
def test_a_request_says_what_to_do_next_as_it_stands_when_sent(mailoutbox, mode, answer, next_step):
    meeting = b2b_meeting(**mode)
    ana, ben = people(meeting)
    request = request_create(requester=ana, recipient=ben)
    if answer == "accept":
        request_accept(request=request, by=ben, slot_id=slots(meeting)[0].pk)
    elif answer == "decline":
        request_decline(request=request, by=ben)

    received = one(deliver(mailoutbox), "b2b_request_received", "ben@example.org")

    assert next_step in received.text
    assert "accepted automatically" not in received.text
