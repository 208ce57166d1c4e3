"""Speakers, tracks and a session's speakers in the workspace: this meeting's organizers only,
through the agenda services, forms that round-trip, choices of this meeting only."""

import datetime as dt
import html

import pytest

from agenda.models import Session, SessionSpeaker, Speaker, Track
from events.models import Meeting
from mail.models import OutboxMessage
from tests.factories import (
    MeetingFactory,
    MeetingOrganizerFactory,
    OrganizationFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    TrackFactory,
    at,
)
from tests.orga.conftest import HOSTILE
from tests.roundtrip import find_form, form_values, resubmit, select_options

pytestmark = pytest.mark.django_db

SPEAKERS = "/meetings/meet/manage/speakers/"
TRACKS = "/meetings/meet/manage/tracks/"
LONG = "x" * 5000


def rows(model, **lookup):
    return list(model.objects.filter(**lookup).order_by("pk").values())


def page_text(response) -> str:
    return response.content.decode()


@pytest.fixture
def speaker(meeting):
    return SpeakerFactory(
        meeting=meeting,
        name="Ana García",
        slug="ana-garcia",
        job_title="Cluster manager",
        bio="Line one.\n\nLine two, after a blank line.\n",
        organization=OrganizationFactory(name="MetaIndustry4", short_name="MI4"),
        email="ana@cluster.example.org",
    )


@pytest.fixture
def track(meeting):
    # Upper case as the admin or the API may have stored it; the colour input shows lower case.
    return TrackFactory(meeting=meeting, name="Industry", slug="industry", colour="#1F6FEB")


@pytest.fixture
def talk(meeting):
    return SessionFactory(meeting=meeting, title="Value chains")


# --- who may see and change them ---------------------------------------------------------


def _urls(speaker, track, talk):
    return [
        SPEAKERS,
        f"{SPEAKERS}new/",
        f"{SPEAKERS}{speaker.pk}/",
        TRACKS,
        f"{TRACKS}new/",
        f"{TRACKS}{track.pk}/",
        f"/meetings/meet/board/sessions/{talk.pk}/",
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, speaker, track, talk):
    for url in _urls(speaker, track, talk):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_an_organizer_of_another_meeting_gets_nothing(client, speaker, track, talk):
    client.force_login(MeetingOrganizerFactory(meeting=MeetingFactory()).user)
    for url in _urls(speaker, track, talk):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Ana García" not in page_text(response)
        assert "Industry" not in page_text(response)
    before = (rows(Speaker), rows(Track), rows(SessionSpeaker))
    posts = [
        (f"{SPEAKERS}{speaker.pk}/", {"name": "Taken over", "slug": "ana-garcia"}),
        (f"{SPEAKERS}new/", {"name": "Planted"}),
        (f"{TRACKS}{track.pk}/", {"name": "Taken", "colour": "#000000", "position": "1"}),
        (f"/meetings/meet/manage/sessions/{talk.pk}/speakers/", {"speaker": speaker.pk}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert (rows(Speaker), rows(Track), rows(SessionSpeaker)) == before


def test_a_draft_of_another_meeting_is_not_found(client):
    draft = MeetingFactory(slug="secret", status=Meeting.Status.DRAFT)
    SpeakerFactory(meeting=draft, name="Hidden Person")
    client.force_login(MeetingOrganizerFactory(meeting=MeetingFactory()).user)
    for url in ["/meetings/secret/manage/speakers/", "/meetings/secret/manage/tracks/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Hidden Person" not in page_text(response)


def test_the_organizer_sees_every_page(organizer_client, speaker, track, talk):
    for url in _urls(speaker, track, talk):
        assert organizer_client.get(url).status_code == 200, url


def test_another_meetings_records_are_not_found_here(organizer_client, meeting):
    elsewhere = MeetingFactory()
    other_speaker = SpeakerFactory(meeting=elsewhere)
    other_track = TrackFactory(meeting=elsewhere)
    assert organizer_client.get(f"{SPEAKERS}{other_speaker.pk}/").status_code == 404
    assert organizer_client.get(f"{TRACKS}{other_track.pk}/").status_code == 404


def test_the_workspace_has_tabs_for_speakers_and_tracks(organizer_client, meeting):
    response = organizer_client.get(SPEAKERS)
    assert f'<a href="{SPEAKERS}" aria-current="page">Speakers</a>' in page_text(response)
    assert f'<a href="{TRACKS}">Tracks</a>' in page_text(response)


# --- lists ------------------------------------------------------------------------------


def test_the_speaker_list_shows_name_organisation_and_sessions(
    organizer_client, meeting, speaker, talk
):
    SessionSpeakerFactory(session=talk, speaker=speaker, role=SessionSpeaker.Role.MODERATOR)
    SpeakerFactory(meeting=MeetingFactory(), name="Somebody Elsewhere")
    response = organizer_client.get(SPEAKERS)
    text = page_text(response)
    assert [s.name for s in response.context["speakers"]] == ["Ana García"]
    assert "MetaIndustry4" in text
    assert f'/meetings/meet/board/sessions/{talk.pk}/">Value chains</a>' in text
    assert "Moderator" in text
    assert "Somebody Elsewhere" not in text


@pytest.mark.parametrize("count", [1, 3])
def test_the_speaker_list_queries_do_not_grow(
    organizer_client, meeting, django_assert_num_queries, count
):
    for _ in range(count):
        person = SpeakerFactory(meeting=meeting, organization=OrganizationFactory())
        SessionSpeakerFactory(session=SessionFactory(meeting=meeting), speaker=person)
    # session, user, meeting, organizer role, speakers with organisations, their sessions
    with django_assert_num_queries(6):
        response = organizer_client.get(SPEAKERS)
    assert len(response.context["speakers"]) == count
    assert page_text(response).count("/board/sessions/") == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_track_list_queries_do_not_grow(
    organizer_client, meeting, django_assert_num_queries, count
):
    for _ in range(count):
        SessionFactory(meeting=meeting, track=TrackFactory(meeting=meeting))
    # session, user, meeting, organizer role, tracks with their session counts
    with django_assert_num_queries(5):
        response = organizer_client.get(TRACKS)
    assert [t.session_count for t in response.context["tracks"]] == [1] * count


# --- speakers: add and edit ---------------------------------------------------------------


def test_a_speaker_form_saved_untouched_changes_nothing(organizer_client, speaker):
    before = rows(Speaker)
    response = resubmit(organizer_client, f"{SPEAKERS}{speaker.pk}/")
    assert response.status_code == 302
    assert rows(Speaker) == before


def test_a_speaker_form_shows_what_is_stored(organizer_client, speaker):
    shown = form_values(organizer_client.get(f"{SPEAKERS}{speaker.pk}/").content)
    del shown["csrfmiddlewaretoken"]
    assert shown == {
        "name": "Ana García",
        "slug": "ana-garcia",
        "organization": str(speaker.organization_id),
        "job_title": "Cluster manager",
        "bio": "Line one.\n\nLine two, after a blank line.\n",
        "email": "ana@cluster.example.org",
    }


def test_a_changed_field_is_the_only_change(organizer_client, speaker):
    before = rows(Speaker)[0]
    response = resubmit(organizer_client, f"{SPEAKERS}{speaker.pk}/", job_title="Director")
    assert response.status_code == 302
    after = rows(Speaker)[0]
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"job_title", "updated_at"}
    assert after["job_title"] == "Director"


def test_a_browsers_crlf_bio_is_the_same_bio(organizer_client, speaker):
    before = rows(Speaker)
    resubmit(organizer_client, f"{SPEAKERS}{speaker.pk}/", bio=speaker.bio.replace("\n", "\r\n"))
    assert rows(Speaker) == before


def test_a_new_speaker_gets_a_slug_from_the_name(organizer_client, meeting):
    organisation = OrganizationFactory(name="Asturex")
    response = resubmit(
        organizer_client,
        f"{SPEAKERS}new/",
        name="José Ángel Pérez",
        organization=str(organisation.pk),
        email="jose@asturex.example.org",
    )
    assert response.status_code == 302
    [created] = Speaker.objects.filter(meeting=meeting)
    assert (created.name, created.slug, created.organization, created.email) == (
        "José Ángel Pérez",
        "jose-angel-perez",
        organisation,
        "jose@asturex.example.org",
    )


def test_a_slug_in_use_is_the_services_error_on_the_slug(organizer_client, meeting, speaker):
    response = resubmit(organizer_client, f"{SPEAKERS}new/", name="Ana Garcia")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["Ana García already uses the slug 'ana-garcia'."]
    }
    assert Speaker.objects.filter(meeting=meeting).count() == 1


def test_the_organisation_choices_are_the_organisations(organizer_client, speaker):
    OrganizationFactory(name="Zeta Cluster")
    options = select_options(
        organizer_client.get(f"{SPEAKERS}{speaker.pk}/").content, "organization"
    )
    assert [label for _, label in options] == ["(none)", "MetaIndustry4", "Zeta Cluster"]


@pytest.mark.parametrize("field", ["name", "job_title"])
@pytest.mark.parametrize("bad", [HOSTILE, "a\x07b", "\u202eevil", "zero\u200bwidth", LONG])
def test_hostile_one_line_text_is_refused(organizer_client, speaker, field, bad):
    before = rows(Speaker)
    response = resubmit(organizer_client, f"{SPEAKERS}{speaker.pk}/", **{field: bad})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert rows(Speaker) == before


def test_hostile_text_is_escaped_on_the_pages(organizer_client, meeting, talk):
    person = SpeakerFactory(meeting=meeting, name="<b>&amp;</b> \u202eevil", job_title="<i>x</i>")
    SessionSpeakerFactory(session=talk, speaker=person)
    TrackFactory(meeting=meeting, name="<script>alert(1)</script>")
    for url in [
        SPEAKERS,
        f"{SPEAKERS}{person.pk}/",
        TRACKS,
        f"/meetings/meet/board/sessions/{talk.pk}/",
    ]:
        text = page_text(organizer_client.get(url))
        assert "<b>&amp;</b>" not in text, url
        assert "<script>alert" not in text, url
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in page_text(organizer_client.get(SPEAKERS))


def test_a_multi_line_bio_keeps_its_lines(organizer_client, speaker):
    bio = "First line.\r\nSecond <b>line</b> with \u202e.\r\n" + "y" * 4000
    response = resubmit(organizer_client, f"{SPEAKERS}{speaker.pk}/", bio=bio)
    assert response.status_code == 302
    speaker.refresh_from_db()
    assert speaker.bio == bio.replace("\r\n", "\n")


# --- tracks: add and edit ---------------------------------------------------------------------


def test_a_track_form_saved_untouched_changes_nothing(organizer_client, track):
    before = rows(Track)
    response = resubmit(organizer_client, f"{TRACKS}{track.pk}/")
    assert response.status_code == 302
    assert rows(Track) == before


def test_the_colour_is_a_colour_input_in_lower_case(organizer_client, track):
    response = organizer_client.get(f"{TRACKS}{track.pk}/")
    assert '<input type="color" name="colour" value="#1f6feb"' in page_text(response)
    shown = form_values(response.content)
    del shown["csrfmiddlewaretoken"]
    assert shown == {
        "name": "Industry",
        "slug": "industry",
        "colour": "#1f6feb",
        "position": "0",
    }


def test_a_changed_colour_is_the_only_change(organizer_client, track):
    before = rows(Track)[0]
    resubmit(organizer_client, f"{TRACKS}{track.pk}/", colour="#c2410c")
    after = rows(Track)[0]
    assert {name for name in after if after[name] != before[name]} == {"colour", "updated_at"}
    assert after["colour"] == "#c2410c"


def test_a_new_track(organizer_client, meeting):
    response = resubmit(
        organizer_client, f"{TRACKS}new/", name="Good practice", colour="#00aa55", position="2"
    )
    assert response.status_code == 302
    assert list(
        Track.objects.filter(meeting=meeting).values_list("name", "slug", "colour", "position")
    ) == [("Good practice", "good-practice", "#00aa55", 2)]


@pytest.mark.parametrize(
    "changes",
    [
        {"name": HOSTILE},
        {"name": LONG},
        {"colour": "red"},
        {"position": "-1"},
        {"position": "99999"},
    ],
)
def test_bad_track_input_is_refused(organizer_client, track, changes):
    before = rows(Track)
    response = resubmit(organizer_client, f"{TRACKS}{track.pk}/", **changes)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == set(changes)
    assert rows(Track) == before


def test_a_track_name_in_use_is_refused(organizer_client, meeting, track):
    response = resubmit(organizer_client, f"{TRACKS}new/", name="Industry", slug="industry-2")
    assert response.context["form"].errors == {
        "__all__": ["Industry already uses the name 'Industry'."]
    }
    assert Track.objects.filter(meeting=meeting).count() == 1


# --- a session's speakers on the board's session page ------------------------------------------


def _board(talk) -> str:
    return f"/meetings/meet/board/sessions/{talk.pk}/"


def test_the_session_page_lists_its_speakers_with_their_role(organizer_client, talk, speaker):
    SessionSpeakerFactory(session=talk, speaker=speaker, role=SessionSpeaker.Role.PANELIST)
    text = page_text(organizer_client.get(_board(talk)))
    shown = '<bdi>Ana García</bdi> <span class="muted small">(<bdi>MetaIndustry4</bdi>)</span>'
    assert f"{shown} · Panelist" in text


def test_a_speaker_is_added_with_a_role(organizer_client, talk, speaker):
    page = organizer_client.get(_board(talk))
    assert select_options(page.content, "speaker", form_id="speaker-add-form") == [
        ("", "choose a speaker…"),
        (str(speaker.pk), "Ana García (MI4)"),
    ]
    response = resubmit(
        organizer_client,
        _board(talk),
        choice={"form_id": "speaker-add-form"},
        speaker=str(speaker.pk),
        role="moderator",
    )
    assert response.status_code == 302
    assert list(talk.speaker_links.values_list("speaker__name", "role", "position")) == [
        ("Ana García", "moderator", 0)
    ]


def test_the_add_form_posted_as_shown_adds_nobody(organizer_client, talk, speaker):
    session_before = rows(Session, pk=talk.pk)
    response = resubmit(organizer_client, _board(talk), choice={"form_id": "speaker-add-form"})
    assert response.status_code == 200
    assert "speaker" in response.context["speaker_form"].errors
    assert rows(SessionSpeaker) == []
    assert rows(Session, pk=talk.pk) == session_before


def test_another_meetings_speaker_cannot_be_added(organizer_client, talk, speaker):
    stranger = SpeakerFactory(meeting=MeetingFactory(), name="Stranger")
    page = organizer_client.get(_board(talk))
    offered = [
        label for _, label in select_options(page.content, "speaker", form_id="speaker-add-form")
    ]
    assert "Stranger" not in offered
    response = resubmit(
        organizer_client,
        _board(talk),
        choice={"form_id": "speaker-add-form"},
        speaker=str(stranger.pk),
    )
    assert response.status_code == 200
    assert response.context["speaker_form"].errors == {
        "speaker": ["Choose one of this meeting's speakers who is not in the session yet."]
    }
    assert rows(SessionSpeaker) == []


def test_a_speaker_clash_is_refused_with_the_services_message(organizer_client, meeting, speaker):
    first = SessionFactory(
        meeting=meeting,
        title="Opening",
        starts_at=at(meeting, 0, "09:30"),
        ends_at=at(meeting, 0, "10:30"),
    )
    SessionSpeakerFactory(session=first, speaker=speaker)
    second = SessionFactory(
        meeting=meeting,
        title="Panel",
        starts_at=at(meeting, 0, "10:00"),
        ends_at=at(meeting, 0, "11:00"),
    )
    response = resubmit(
        organizer_client,
        _board(second),
        choice={"form_id": "speaker-add-form"},
        speaker=str(speaker.pk),
    )
    assert response.status_code == 200
    day = meeting.starts_on.strftime("%a %-d %b")
    message = f"Ana García already speaks in 'Opening' 09:30–10:30 ({day})."
    assert response.context["speaker_form"].errors == {"__all__": [message]}
    assert html.escape(message) in page_text(response)
    assert list(SessionSpeaker.objects.values_list("session__title", flat=True)) == ["Opening"]
    # The session's own form is still there, as the board shows it.
    session_form = find_form(response.content, form_id="session-form")
    assert session_form.get("action") == _board(second)
    assert form_values(response.content, form_id="session-form")["title"] == "Panel"


def test_a_speaker_is_removed(organizer_client, meeting, talk, speaker):
    SessionSpeakerFactory(session=talk, speaker=speaker)
    stays = SessionSpeakerFactory(session=talk, speaker=SpeakerFactory(meeting=meeting))
    response = resubmit(
        organizer_client,
        _board(talk),
        choice={"action": f"/speakers/{speaker.pk}/remove/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{_board(talk)}#speakers"
    assert list(talk.speaker_links.all()) == [stays]
    assert OutboxMessage.objects.count() == 0


def test_removing_a_speaker_not_in_the_session_says_so(organizer_client, talk, speaker):
    url = f"/meetings/meet/manage/sessions/{talk.pk}/speakers/{speaker.pk}/remove/"
    response = organizer_client.post(url, follow=True)
    assert "Ana García is not in &#x27;Value chains&#x27;" in page_text(response)


def test_removing_another_meetings_speaker_is_not_found(organizer_client, talk):
    stranger = SpeakerFactory(meeting=MeetingFactory())
    url = f"/meetings/meet/manage/sessions/{talk.pk}/speakers/{stranger.pk}/remove/"
    assert organizer_client.post(url).status_code == 404


def test_adding_is_post_only(organizer_client, talk):
    url = f"/meetings/meet/manage/sessions/{talk.pk}/speakers/"
    assert organizer_client.get(url).status_code == 405


def test_a_session_time_is_untouched_by_a_speaker_change(organizer_client, meeting, talk, speaker):
    """Adding a speaker is not a move: no sequence bump, no email to attendees."""
    before = Session.objects.get(pk=talk.pk)
    resubmit(
        organizer_client,
        _board(talk),
        choice={"form_id": "speaker-add-form"},
        speaker=str(speaker.pk),
    )
    after = Session.objects.get(pk=talk.pk)
    assert (after.starts_at, after.ends_at, after.sequence) == (
        before.starts_at,
        before.ends_at,
        before.sequence,
    )
    assert OutboxMessage.objects.count() == 0
    assert after.starts_at == dt.datetime.combine(
        meeting.starts_on, dt.time(10), tzinfo=meeting.tzinfo
    )


def test_the_session_form_of_a_refused_add_still_saves_as_shown(organizer_client, talk):
    """The page a refused add shows posts its session form to the board, unchanged."""
    refused = resubmit(organizer_client, _board(talk), choice={"form_id": "speaker-add-form"})
    before = rows(Session, pk=talk.pk)
    form = find_form(refused.content, form_id="session-form")
    data = form_values(refused.content, form_id="session-form")
    response = organizer_client.post(form.get("action"), data)
    assert response.status_code == 302
    assert rows(Session, pk=talk.pk) == before
    assert OutboxMessage.objects.count() == 0
