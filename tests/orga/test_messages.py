"""Write to participants: compose, preview, send once through the outbox, follow the progress."""

import datetime as dt
import uuid
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from mail.models import OutboxMessage
from registrations.emails import build_email
from registrations.models import ParticipantMessage, Registration, SessionBooking
from registrations.services import RegistrationError
from registrations.services.participant_messages import (
    audience_digest,
    participant_message_send,
)
from tests.factories import (
    MeetingFactory,
    MeetingOrganizerFactory,
    RegistrationFactory,
    SessionBookingFactory,
    SessionFactory,
    UserFactory,
)
from tests.orga.conftest import participant_user
from tests.roundtrip import as_post_data, form_pairs

pytestmark = pytest.mark.django_db

Status = Registration.Status
HOSTILE_SUBJECTS = {
    "CR": "Hello\rBcc: victim@example.org",
    "LF": "Hello\nBcc: victim@example.org",
    "BEL": "Hello\x07",
    "ESC": "Hello \x1b[31mred",
    "bidi override": "Invoice \u202egnp.exe",
    "bidi isolate": "Hello \u2066x\u2069",
    "zero width": "Hel\u200blo",
    "BOM": "\ufeffHello",
    "too long": "x" * 5000,
}
HOSTILE_BODY = (
    "Dear all,\r\n\r\n<script>alert('x')</script> & <b>bold</b>\r\n"
    "Bell\x07 escape\x1b[0m bidi \u202eoverride\u202c zero\u200bwidth\rlone CR\n" + "y" * 5000
)
KEPT_BODY = HOSTILE_BODY.replace("\r\n", "\n").replace("\r", "\n")


def messages_url(meeting, tail=""):
    return f"/meetings/{meeting.slug}/manage/messages/{tail}"


@pytest.fixture
def org_client(client, organizer):
    client.force_login(organizer)
    return client


def compose(client, meeting, **fields):
    """GET the compose form, fill ``fields`` in, POST it (the Preview button)."""
    page = client.get(messages_url(meeting, "new/"))
    data = as_post_data(form_pairs(page.content, form_id="compose"), **fields)
    return client.post(messages_url(meeting, "new/"), {**data, "preview": ""})


def confirm(client, meeting, preview):
    """POST the preview's confirmation form exactly as the page shows it."""
    return client.post(
        messages_url(meeting, "send/"), as_post_data(form_pairs(preview.content, form_id="confirm"))
    )


# --- permissions ----------------------------------------------------------------------


def message_of(meeting, **fields):
    defaults = {"subject": "Programme", "body": "See you", "audience_statuses": ["confirmed"]}
    return ParticipantMessage.objects.create(meeting=meeting, **{**defaults, **fields})


@pytest.mark.parametrize(
    ("method", "tail"),
    [("get", ""), ("get", "new/"), ("post", "new/"), ("post", "send/"), ("get", "{pk}/")],
)
def test_message_pages_send_anonymous_to_login_and_refuse_others(client, meeting, method, tail):
    """Anonymous → login; a user without a role, check-in staff and an organizer of another
    meeting → 403, and nothing of this meeting's messages in the answer."""
    message = message_of(meeting, subject="Secret programme")
    url = messages_url(meeting, tail.format(pk=message.pk))

    anonymous = getattr(client, method)(url)
    assert anonymous.status_code == 302
    assert anonymous.url == f"/accounts/login/?next={quote(url)}"

    other_meeting = MeetingFactory()
    other_organizer = UserFactory(username="other")
    MeetingOrganizerFactory(meeting=other_meeting, user=other_organizer)
    checkin = UserFactory(username="desk")
    MeetingOrganizerFactory(meeting=meeting, user=checkin, role="checkin")
    for user in (UserFactory(username="nobody"), checkin, other_organizer):
        client.force_login(user)
        answer = getattr(client, method)(
            url, {"subject": "x", "body": "y", "statuses": "confirmed"}
        )
        assert answer.status_code == 403
        assert b"Secret programme" not in answer.content
    assert ParticipantMessage.objects.count() == 1
    assert not OutboxMessage.objects.exists()


def test_message_of_another_meeting_is_a_404_for_an_organizer(org_client, meeting):
    other = message_of(MeetingFactory(), subject="Their news")

    answer = org_client.get(messages_url(meeting, f"{other.pk}/"))
    huge = org_client.get(messages_url(meeting, f"{'9' * 25}/"))

    assert answer.status_code == 404
    assert b"Their news" not in answer.content
    assert huge.status_code == 404


def test_draft_meeting_of_others_is_a_404(org_client):
    draft = MeetingFactory(status="draft")

    assert org_client.get(messages_url(draft)).status_code == 404


# --- compose and preview --------------------------------------------------------------


def test_compose_form_posted_back_as_shown_changes_nothing(org_client, meeting):
    """The empty form as the browser shows it: confirmed is ticked, the rest is empty; posting
    it back says what is missing and writes nothing."""
    RegistrationFactory(meeting=meeting)
    page = org_client.get(messages_url(meeting, "new/"))
    shown = form_pairs(page.content, form_id="compose")

    assert [(name, value) for name, value in shown if name != "csrfmiddlewaretoken"] == [
        ("subject", ""),
        ("body", ""),
        ("statuses", "confirmed"),
        ("session", ""),
        ("region", ""),
    ]
    answer = org_client.post(messages_url(meeting, "new/"), {**as_post_data(shown), "preview": ""})

    assert answer.status_code == 200
    assert answer.context["form"].errors == {
        "subject": ["This field is required."],
        "body": ["This field is required."],
    }
    assert not ParticipantMessage.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_preview_counts_and_lists_exactly_the_audience_and_shows_the_real_email(
    org_client, meeting
):
    meeting.contact_email = "team@intercluster.example"
    meeting.title = "Intercluster 2027"
    meeting.language = "en"
    meeting.save()
    ane = RegistrationFactory(meeting=meeting, first_name="Ane", last_name="Arana")
    RegistrationFactory(meeting=meeting, first_name="Jon", last_name="Bilbao")
    RegistrationFactory(meeting=meeting, first_name="Mar", last_name="Castro")
    RegistrationFactory(meeting=meeting, status=Status.PENDING)
    RegistrationFactory(meeting=meeting, status=Status.CANCELLED)
    RegistrationFactory(meeting=MeetingFactory(), first_name="Elsewhere")

    preview = compose(org_client, meeting, subject="Programme", body="Line one\r\nLine two")

    assert preview.status_code == 200
    assert "This will email 3 people." in preview.content.decode()
    assert [r.full_name for r in preview.context["recipients"]] == [
        "Ane Arana",
        "Jon Bilbao",
        "Mar Castro",
    ]
    email = preview.context["email"]
    assert (email.to, email.reply_to, email.subject) == (
        [ane.email],
        ["team@intercluster.example"],
        "Programme",
    )
    assert email.body.splitlines()[:4] == [
        "A message from the organizers of Intercluster 2027",
        "",
        "Line one",
        "Line two",
    ]
    assert email.body.splitlines()[-4:] == [
        "You receive this email because you are registered for Intercluster 2027.",
        # The organizer's page never holds anybody's private link (full control of it).
        "Your registration: (their personal link)",
        "This link is personal. Do not share it.",
        "Questions? team@intercluster.example",
    ]
    assert ane.token not in preview.content.decode()
    assert ane.token not in preview.context["email_html"]
    assert "/r/" not in preview.content.decode()
    assert not ParticipantMessage.objects.exists()
    assert not OutboxMessage.objects.exists()

    # What is sent is the same email with the real link in its place.
    confirm(org_client, meeting, preview)
    sent = build_email(OutboxMessage.objects.get(recipient=ane.email))
    assert sent.body.splitlines() == [
        line.replace("(their personal link)", f"{settings.SITE_URL}/r/{ane.token}/")
        for line in email.body.splitlines()
    ]


def test_preview_with_nobody_in_the_audience_says_so_and_saves_nothing(org_client, meeting):
    RegistrationFactory(meeting=meeting, status=Status.PENDING)

    answer = compose(org_client, meeting, subject="Hi", body="Hello")

    assert answer.status_code == 200
    assert answer.context["form"].non_field_errors() == [
        "Nobody matches this audience: change the filters."
    ]
    assert not ParticipantMessage.objects.exists()


@pytest.mark.parametrize("name", list(HOSTILE_SUBJECTS))
def test_subject_with_control_or_invisible_characters_is_refused(org_client, meeting, name):
    RegistrationFactory(meeting=meeting)

    answer = compose(org_client, meeting, subject=HOSTILE_SUBJECTS[name], body="Hello")

    assert answer.status_code == 200
    expected = (
        "Ensure this value has at most 200 characters (it has 5000)."
        if name == "too long"
        else "Use one line of plain text: no line breaks, control characters or invisible "
        "direction marks."
    )
    assert answer.context["form"].errors == {"subject": [expected]}
    assert not ParticipantMessage.objects.exists()


@pytest.mark.parametrize("name", list(HOSTILE_SUBJECTS))
def test_service_refuses_the_same_subjects(meeting, name):
    RegistrationFactory(meeting=meeting)

    with pytest.raises(RegistrationError) as refused:
        participant_message_send(
            meeting=meeting, subject=HOSTILE_SUBJECTS[name], body="Hi", statuses=["confirmed"]
        )

    assert refused.value.field == "subject"
    assert not ParticipantMessage.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_session_and_region_choices_are_this_meetings_only(org_client, meeting):
    mine = SessionFactory(meeting=meeting, title="Value chains")
    theirs = SessionFactory(meeting=MeetingFactory(), title="Their workshop")
    RegistrationFactory(meeting=meeting, region="ES-NC")
    RegistrationFactory(meeting=meeting, region="ES-AR")
    RegistrationFactory(meeting=meeting, region="ES-NC")
    RegistrationFactory(meeting=MeetingFactory(), region="ES-CN")

    page = org_client.get(messages_url(meeting, "new/"))
    form = page.context["form"]
    # Codes are the values posted; names are what people read.
    assert [(value, str(label)) for value, label in form.fields["region"].choices] == [
        ("", "Any region"),
        ("ES-AR", "Aragón"),
        ("ES-NC", "Comunidad Foral de Navarra"),
    ]
    assert '<option value="ES-NC">Comunidad Foral de Navarra</option>' in page.content.decode()
    assert list(form.fields["session"].queryset) == [mine]
    assert b"Their workshop" not in page.content
    for field, value, shown in (
        ("session", str(theirs.pk), "That choice"),
        ("region", "ES-CN", "ES-CN"),
        ("region", "Canarias", "Canarias"),
    ):
        answer = compose(org_client, meeting, subject="Hi", body="Hello", **{field: value})
        assert answer.context["form"].errors == {
            field: [f"Select a valid choice. {shown} is not one of the available choices."]
        }
    huge = compose(org_client, meeting, subject="Hi", body="Hello", session="9" * 25)
    assert huge.status_code == 200
    assert list(huge.context["form"].errors) == ["session"]
    assert not ParticipantMessage.objects.exists()


# --- sending --------------------------------------------------------------------------


def test_confirm_sends_one_email_per_recipient_and_a_repeat_sends_nothing_more(
    org_client, meeting, organizer, django_capture_on_commit_callbacks
):
    people = [RegistrationFactory(meeting=meeting) for _ in range(3)]
    preview = compose(org_client, meeting, subject="Programme", body="See you")

    with django_capture_on_commit_callbacks(execute=True):
        sent = confirm(org_client, meeting, preview)
    with django_capture_on_commit_callbacks(execute=True):
        again = confirm(org_client, meeting, preview)

    message = ParticipantMessage.objects.get()
    assert sent.status_code == again.status_code == 302
    assert sent.url == again.url == messages_url(meeting, f"{message.pk}/")
    assert (message.subject, message.body, message.created_by, message.recipient_count) == (
        "Programme",
        "See you",
        organizer,
        3,
    )
    assert message.audience_statuses == ["confirmed"]
    rows = OutboxMessage.objects.order_by("pk")
    assert [(row.kind, row.registration, row.status, row.dedupe_key) for row in rows] == [
        (
            "participant_message",
            person,
            OutboxMessage.Status.SENT,
            f"participant-message:{message.pk}:{person.pk}",
        )
        for person in people
    ]
    assert sorted(email.to[0] for email in mail.outbox) == sorted(p.email for p in people)
    follow = org_client.get(again.url)
    assert [str(m) for m in follow.context["messages"]] == [
        "Your message is on its way to 3 people.",
        "This message had already been sent; it was not sent again.",
    ]


def test_audience_that_changed_since_the_preview_is_refused(org_client, meeting):
    RegistrationFactory(meeting=meeting)
    preview = compose(org_client, meeting, subject="Programme", body="See you")
    RegistrationFactory(meeting=meeting)  # registered while the organizer read the preview

    answer = confirm(org_client, meeting, preview)

    assert answer.status_code == 200
    assert answer.context["form"].non_field_errors() == [
        "The audience has changed since the preview: it is now 2 people. Check the preview "
        "again; nothing was sent."
    ]
    assert not ParticipantMessage.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_same_number_of_other_people_since_the_preview_is_refused(org_client, meeting):
    """One left and another came: the count is the same, the people are not."""
    leaving = RegistrationFactory(meeting=meeting, email="leaving@example.org")
    RegistrationFactory(meeting=meeting, email="staying@example.org")
    preview = compose(org_client, meeting, subject="Programme", body="See you")
    Registration.objects.filter(pk=leaving.pk).update(status=Status.CANCELLED)
    RegistrationFactory(meeting=meeting, email="newcomer@example.org")

    answer = confirm(org_client, meeting, preview)

    assert answer.status_code == 200
    assert answer.context["form"].non_field_errors() == [
        "The audience has changed since the preview: it is now 2 people. Check the preview "
        "again; nothing was sent."
    ]
    assert not ParticipantMessage.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_service_refuses_a_digest_of_other_people(meeting):
    first = RegistrationFactory(meeting=meeting)
    second = RegistrationFactory(meeting=meeting)

    with pytest.raises(RegistrationError) as refused:
        participant_message_send(
            meeting=meeting,
            subject="Hi",
            body="Hello",
            statuses=["confirmed"],
            expected_count=2,
            expected_digest=audience_digest([first]),
        )

    assert "The audience has changed since the preview" in refused.value.message
    assert not OutboxMessage.objects.exists()
    sent = participant_message_send(
        meeting=meeting,
        subject="Hi",
        body="Hello",
        statuses=["confirmed"],
        expected_count=2,
        expected_digest=audience_digest([second, first]),
    )
    assert sent.created
    assert OutboxMessage.objects.count() == 2


def test_a_tampered_confirmation_writes_nothing(org_client, meeting):
    RegistrationFactory(meeting=meeting)
    preview = compose(org_client, meeting, subject="Programme", body="See you")
    data = as_post_data(form_pairs(preview.content, form_id="confirm"), token="not-a-uuid")

    answer = org_client.post(messages_url(meeting, "send/"), data)

    assert answer.status_code == 200
    assert answer.context["form"].non_field_errors() == [
        "The preview was incomplete: check it again."
    ]
    assert not ParticipantMessage.objects.exists()


def test_token_of_another_meetings_message_is_refused_without_a_word_about_it(org_client, meeting):
    RegistrationFactory(meeting=meeting)
    theirs = message_of(MeetingFactory(), subject="Their news")
    preview = compose(org_client, meeting, subject="Programme", body="See you")
    data = as_post_data(form_pairs(preview.content, form_id="confirm"), token=str(theirs.token))

    answer = org_client.post(messages_url(meeting, "send/"), data)

    assert answer.context["form"].non_field_errors() == [
        "This confirmation is not valid any more: preview again."
    ]
    assert b"Their news" not in answer.content
    assert ParticipantMessage.objects.get() == theirs
    assert not OutboxMessage.objects.exists()


def test_service_with_the_same_token_twice_writes_one_message_and_n_rows(meeting):
    for _ in range(4):
        RegistrationFactory(meeting=meeting)
    token = uuid.uuid4()

    first = participant_message_send(
        meeting=meeting, subject="Hi", body="Hello", statuses=["confirmed"], token=token
    )
    second = participant_message_send(
        meeting=meeting, subject="Hi", body="Hello", statuses=["confirmed"], token=token
    )

    assert (first.created, second.created) == (True, False)
    assert first.message == second.message
    assert OutboxMessage.objects.filter(participant_message=first.message).count() == 4
    assert OutboxMessage.objects.count() == 4


def test_audience_filters_statuses_session_and_region_exactly(meeting):
    workshop = SessionFactory(meeting=meeting, title="Workshop")
    SessionFactory(meeting=meeting, title="Other")
    booked_navarra = RegistrationFactory(meeting=meeting, region="ES-NC", last_name="A")
    booked_aragon = RegistrationFactory(meeting=meeting, region="ES-AR", last_name="B")
    waiting = RegistrationFactory(meeting=meeting, region="ES-NC", last_name="C")
    dropped = RegistrationFactory(meeting=meeting, region="ES-NC", last_name="D")
    pending = RegistrationFactory(
        meeting=meeting, region="ES-NC", last_name="E", status=Status.PENDING
    )
    RegistrationFactory(meeting=meeting, region="ES-NC", last_name="F", status=Status.CANCELLED)
    for registration in (booked_navarra, booked_aragon, pending):
        SessionBookingFactory(registration=registration, session=workshop)
    SessionBookingFactory(
        registration=waiting, session=workshop, status=SessionBooking.Status.WAITLISTED
    )
    SessionBookingFactory(
        registration=dropped, session=workshop, status=SessionBooking.Status.CANCELLED
    )

    def recipients(**audience):
        sent = participant_message_send(meeting=meeting, subject="Hi", body="Hello", **audience)
        return [row.registration for row in sent.message.outbox_messages.order_by("pk")]

    assert recipients(statuses=["confirmed"], session=workshop) == [booked_navarra, booked_aragon]
    assert recipients(statuses=["confirmed"], region="ES-NC") == [
        booked_navarra,
        waiting,
        dropped,
    ]
    assert recipients(statuses=["confirmed", "pending"], session=workshop, region="ES-NC") == [
        booked_navarra,
        pending,
    ]
    assert recipients(statuses=["pending", "cancelled"]) == [
        pending,
        *Registration.objects.filter(last_name="F"),
    ]
    with pytest.raises(RegistrationError) as nobody:
        recipients(statuses=["waitlisted"])
    assert nobody.value.message == "Nobody matches this audience: no message was sent."
    with pytest.raises(RegistrationError) as foreign:
        recipients(statuses=["confirmed"], session=SessionFactory(meeting=MeetingFactory()))
    assert foreign.value.field == "session"
    assert ParticipantMessage.objects.count() == 4


# --- hostile text ---------------------------------------------------------------------


def test_hostile_body_is_kept_and_every_page_and_email_carries_it_safely(
    org_client, meeting, django_capture_on_commit_callbacks
):
    """A body with markup, controls, bidi and zero-width characters and 5,000 characters, to
    people whose names are as bad: the preview and progress pages escape it, the email keeps
    it (line breaks as <br> in HTML), and every email is sent."""
    meeting.title = "Intercluster <2027>\u202e"
    meeting.save()
    for n in range(2):
        RegistrationFactory(
            meeting=meeting,
            first_name=f"<img src=x>\x07\u202e{n}",
            last_name="\u200b" + "z" * 90,
            organization_name='=HYPERLINK("x")\x1b' + "o" * 150,
            region="ES-NC",
        )
    preview = compose(org_client, meeting, subject="<b>Programme</b> & more", body=HOSTILE_BODY)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x>" not in html
    assert "&lt;b&gt;Programme&lt;/b&gt; &amp; more" in html

    with django_capture_on_commit_callbacks(execute=True):
        sent = confirm(org_client, meeting, preview)

    message = ParticipantMessage.objects.get()
    assert message.body == KEPT_BODY
    assert message.subject == "<b>Programme</b> & more"
    rows = list(OutboxMessage.objects.order_by("pk"))
    assert [row.status for row in rows] == [OutboxMessage.Status.SENT] * 2
    email = build_email(rows[0])
    assert email.subject == "<b>Programme</b> & more"
    assert KEPT_BODY in email.body
    html_body = email.alternatives[0].content
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;<br>"
        in html_body
    )
    assert "<script>" not in html_body
    assert len(mail.outbox) == 2
    progress = org_client.get(sent.url)
    assert progress.status_code == 200
    assert b"<script>alert" not in progress.content
    assert b"<img src=x>" not in progress.content


# --- progress and history -------------------------------------------------------------


def test_progress_counts_each_state_refreshes_while_pending_and_shows_madrid_times(
    org_client, meeting
):
    people = [RegistrationFactory(meeting=meeting, last_name=f"P{n}") for n in range(4)]
    message = participant_message_send(
        meeting=meeting, subject="Programme", body="See you", statuses=["confirmed"]
    ).message
    rows = list(message.outbox_messages.order_by("pk"))
    winter = dt.datetime(2027, 1, 15, 9, 5, 7, tzinfo=dt.UTC)
    OutboxMessage.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).update(
        status=OutboxMessage.Status.SENT, sent_at=winter
    )
    OutboxMessage.objects.filter(pk=rows[2].pk).update(
        status=OutboxMessage.Status.FAILED, last_error="SMTPRecipientsRefused: 550 no such user"
    )

    page = org_client.get(messages_url(meeting, f"{message.pk}/"))

    progress = page.context["progress"]
    assert (progress.total, progress.sent, progress.pending, progress.failed) == (4, 2, 1, 1)
    html = page.content.decode()
    assert '<meta http-equiv="refresh" content="5">' in html
    assert "15/01/2027 10:05:07" in html  # 09:05 UTC is 10:05 in Madrid in winter
    assert "SMTPRecipientsRefused: 550 no such user" in html
    assert [d.registration for d in progress.deliveries] == people

    OutboxMessage.objects.filter(pk=rows[3].pk).update(
        status=OutboxMessage.Status.SENT, sent_at=winter
    )
    done = org_client.get(messages_url(meeting, f"{message.pk}/"))
    assert 'http-equiv="refresh"' not in done.content.decode()


def test_history_lists_messages_with_their_counts(org_client, meeting):
    RegistrationFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting)
    older = participant_message_send(
        meeting=meeting, subject="First", body="a", statuses=["confirmed"]
    ).message
    newer = participant_message_send(
        meeting=meeting, subject="Second", body="b", statuses=["confirmed"]
    ).message
    OutboxMessage.objects.filter(participant_message=older).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now()
    )
    message_of(MeetingFactory(), subject="Not ours")

    page = org_client.get(messages_url(meeting))

    assert [
        (m.subject, m.recipient_count, m.sent_count, m.pending_count, m.failed_count)
        for m in page.context["sent_messages"]
    ] == [("Second", 2, 0, 2, 0), ("First", 2, 2, 0, 0)]
    assert newer.pk != older.pk
    assert b"Not ours" not in page.content


@pytest.mark.parametrize("count", [1, 3])
def test_history_queries_do_not_grow_with_messages(
    org_client, meeting, count, django_assert_num_queries
):
    session = SessionFactory(meeting=meeting)
    for _ in range(2):
        SessionBookingFactory(registration=RegistrationFactory(meeting=meeting), session=session)
    for n in range(count):
        participant_message_send(
            meeting=meeting,
            subject=f"M{n}",
            body="b",
            statuses=["confirmed"],
            session=session,
            created_by=UserFactory(),
        )

    # session, user, meeting, role, messages with counts
    with django_assert_num_queries(5):
        page = org_client.get(messages_url(meeting))
    assert len(page.context["sent_messages"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_progress_queries_do_not_grow_with_recipients(
    org_client, meeting, count, django_assert_num_queries
):
    for _ in range(count):
        RegistrationFactory(meeting=meeting)
    message = participant_message_send(
        meeting=meeting, subject="M", body="b", statuses=["confirmed"]
    ).message

    # session, user, meeting, role, the message, its emails
    with django_assert_num_queries(6):
        page = org_client.get(messages_url(meeting, f"{message.pk}/"))
    assert page.context["progress"].total == count


@pytest.mark.parametrize("count", [1, 3])
def test_send_queries_do_not_grow_with_recipients(meeting, count, django_assert_num_queries):
    for _ in range(count):
        RegistrationFactory(meeting=meeting)

    # token lookup, savepoint, recipients, the message, its emails (one insert), release
    with django_assert_num_queries(6):
        sent = participant_message_send(
            meeting=meeting, subject="M", body="b", statuses=["confirmed"]
        )
    assert sent.message.outbox_messages.count() == count


@pytest.mark.parametrize(
    ("method", "tail"),
    [("get", ""), ("get", "new/"), ("post", "new/"), ("post", "send/"), ("get", "{pk}/")],
)
def test_a_participant_with_an_account_gets_403_and_no_data(client, meeting, method, tail):
    message = message_of(meeting, subject="Secret programme")
    client.force_login(participant_user(meeting))
    data = {"subject": "x", "body": "y", "statuses": "confirmed"} if method == "post" else {}

    answer = getattr(client, method)(messages_url(meeting, tail.format(pk=message.pk)), data)

    assert answer.status_code == 403
    assert b"Secret programme" not in answer.content
    assert ParticipantMessage.objects.count() == 1
    assert not OutboxMessage.objects.exists()
