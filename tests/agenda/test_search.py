"""Search of a meeting's agenda: sessions, speakers and organisations (agenda.search).

The unmarked tests hold on both databases (every word found as typed); the
``postgres`` ones check what only full-text search does (stemming, accents, rank).
"""

import pytest
from django.db import connection

from agenda.models import Session, SessionTranslation, Speaker
from agenda.search import SESSION_FIELDS, SPEAKER_FIELDS, FullText
from events.models import Meeting
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(meeting):
    """Two published sessions, a draft, a speaker of a cluster from Asturias, and another
    meeting that has a session and a speaker with the same words."""
    asturias = OrganizationFactory(name="MetaIndustry4 Asturias Cluster", short_name="MI4")
    hydrogen = SessionFactory(
        meeting=meeting,
        title="Consorcios de hidrógeno verde",
        abstract="Proyectos europeos entre clusters de energía.",
    )
    SessionSpeakerFactory(
        session=hydrogen,
        speaker=SpeakerFactory(
            meeting=meeting, slug="ana", name="Ana Fernández", organization=asturias
        ),
    )
    SessionFactory(
        meeting=meeting,
        title="Smart factories in practice",
        abstract="What a workshop of robots taught two clusters.",
        starts_at=at(meeting, 0, "12:00"),
    )
    SessionSpeakerFactory(
        session=SessionFactory(
            meeting=meeting,
            title="Hidrógeno: el plan secreto",
            status=Session.Status.DRAFT,
            starts_at=None,
            ends_at=None,
        ),
        speaker=SpeakerFactory(meeting=meeting, slug="draft-only", name="Draft Asturias"),
    )
    other = MeetingFactory(slug="other")
    SessionSpeakerFactory(
        session=SessionFactory(meeting=other, title="Hidrógeno verde en Aragón"),
        speaker=SpeakerFactory(meeting=other, slug="elsewhere", organization=asturias),
    )
    return meeting


def search(client, meeting, query):
    return client.get(f"/meetings/{meeting.slug}/search/", {"q": query})


def found(response) -> dict[str, list[str]]:
    results = response.context["results"]
    return {
        "sessions": [session.title for session in results.sessions],
        "speakers": [speaker.name for speaker in results.speakers],
        "organizations": [organization.name for organization in results.organizations],
    }


def test_search_finds_the_meetings_published_sessions_only(client, agenda):
    """The other meeting's session and the draft hold the word too: neither is found."""
    response = search(client, agenda, "hidrógeno")

    assert response.status_code == 200
    assert found(response) == {
        "sessions": ["Consorcios de hidrógeno verde"],
        "speakers": [],
        "organizations": [],
    }
    html = response.content.decode()
    session = Session.objects.get(title="Consorcios de hidrógeno verde")
    assert f'href="/meetings/{agenda.slug}/sessions/{session.pk}/"' in html
    assert "1 result for “<bdi>hidrógeno</bdi>”" in html


def test_search_finds_a_speaker_by_a_word_of_her_organisation(client, agenda):
    """The speaker and her organisation (with a link to her page); not the speaker of the
    draft only, nor the other meeting's speaker of the same organisation."""
    response = search(client, agenda, "asturias")

    assert found(response) == {
        "sessions": [],
        "speakers": ["Ana Fernández"],
        "organizations": ["MetaIndustry4 Asturias Cluster"],
    }
    html = response.content.decode()
    assert html.count(f'href="/meetings/{agenda.slug}/speakers/ana/"') == 2
    assert "elsewhere" not in html
    assert found(search(client, agenda, "MI4"))["speakers"] == ["Ana Fernández"]


def test_search_needs_every_word(client, agenda):
    assert found(search(client, agenda, "clusters workshop"))["sessions"] == [
        "Smart factories in practice"
    ]
    assert found(search(client, agenda, "clusters submarine"))["sessions"] == []


def test_search_finds_a_session_by_its_translation(client, agenda):
    """A Spanish session with an English title found by the English word."""
    session = Session.objects.get(title="Consorcios de hidrógeno verde")
    SessionTranslation.objects.create(
        session=session, language="en", title="Green hydrogen consortia"
    )
    assert found(search(client, agenda, "hydrogen"))["sessions"] == [session.title]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a word to search for."),
        ("  \n\t ", "Type a word to search for."),
        ("¡¿?! …", "Type a word to search for."),
        ("\x00\u202e\u200b", "Type a word to search for."),
        ("hidrógeno " * 10 + "x", "Your search is too long: use at most 100 characters."),
    ],
)
def test_search_without_a_word_or_too_long_says_so(client, agenda, query, message):
    response = search(client, agenda, query)

    assert response.status_code == 400
    html = response.content.decode()
    assert f'<p class="message error" role="alert" id="search-error">{message}</p>' in html
    assert response.context["results"] is None


def test_search_page_without_a_query_is_the_search_box(client, agenda):
    response = client.get(f"/meetings/{agenda.slug}/search/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<input type="search" id="search-q" name="q" value=""' in html
    assert 'role="alert"' not in html


def test_search_shows_hostile_text_escaped_and_cleaned(client, agenda):
    """Markup is escaped; line breaks, bidi overrides and NUL never reach the page or SQL."""
    SessionFactory(
        meeting=agenda,
        title="<b>Bold</b> plan \u202eevil " + "x" * 170,
        starts_at=at(agenda, 1, "09:00"),
    )
    response = search(client, agenda, "<b>Bold</b>\n\u202eplan\x00")

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["results"].text == "<b>Bold</b> plan"
    assert 'value="&lt;b&gt;Bold&lt;/b&gt; plan"' in html
    assert "<b>Bold</b>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; plan \u202eevil" in html  # the stored title, escaped
    assert "\x00" not in html


def test_search_box_is_on_the_agenda_and_meeting_pages(client, agenda):
    form = f'<form class="search-form" method="get" action="/meetings/{agenda.slug}/search/"'
    assert form in client.get(f"/meetings/{agenda.slug}/agenda/").content.decode()
    assert form in client.get(f"/meetings/{agenda.slug}/").content.decode()


def test_search_of_a_draft_meeting_is_404_for_visitors(client, agenda):
    Meeting.objects.filter(pk=agenda.pk).update(status=Meeting.Status.DRAFT)
    assert search(client, agenda, "hidrógeno").status_code == 404


def test_search_lists_the_first_five_speakers_of_a_big_organisation(client, meeting):
    organization = OrganizationFactory(name="Big Energy Cluster")
    for i in range(6):
        SessionSpeakerFactory(
            session=SessionFactory(meeting=meeting, starts_at=at(meeting, 0, f"1{i}:00")),
            speaker=SpeakerFactory(meeting=meeting, name=f"Person {i}", organization=organization),
        )
    response = search(client, meeting, "big energy")

    (found_organization,) = response.context["results"].organizations
    assert [speaker.name for speaker in found_organization.meeting_speakers] == [
        f"Person {i}" for i in range(5)
    ]
    assert "Person 4</bdi></a> and others</li>" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_search_query_count_is_flat(client, meeting, django_assert_num_queries, count):
    """Meeting, sessions, their speaker links, speakers, organisations and their speakers:
    6 queries for 1 and for 3 of each."""
    for i in range(count):
        session = SessionFactory(
            meeting=meeting, title=f"Energy talk {i}", starts_at=at(meeting, 0, f"1{i}:00")
        )
        organization = OrganizationFactory(name=f"Energy cluster {i}")
        SessionSpeakerFactory(
            session=session, speaker=SpeakerFactory(meeting=meeting, organization=organization)
        )
    with django_assert_num_queries(6):
        response = search(client, meeting, "energy")
    assert {kind: len(names) for kind, names in found(response).items()} == {
        "sessions": count,
        "speakers": count,
        "organizations": count,
    }


# --- PostgreSQL: full text in Spanish and English -----------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("query", "sessions"),
    [
        # Spanish: accents are ignored, plurals and singulars find each other.
        ("hidrogeno", ["Consorcios de hidrógeno verde"]),
        ("consorcio", ["Consorcios de hidrógeno verde"]),
        ("proyecto europeo", ["Consorcios de hidrógeno verde"]),
        # English: "factory" finds "factories", "workshops" finds "workshop".
        ("factory", ["Smart factories in practice"]),
        ("workshops", ["Smart factories in practice"]),
    ],
)
def test_full_text_search_stems_spanish_and_english(client, agenda, query, sessions):
    assert found(search(client, agenda, query))["sessions"] == sessions


@pytest.mark.postgres
def test_full_text_search_ranks_a_word_in_the_title_first(client, meeting):
    """Best first: the session named for the word before an earlier one that only mentions it."""
    SessionFactory(
        meeting=meeting,
        title="Energy for everyone",
        abstract="Robots, and more robots.",
        starts_at=at(meeting, 0, "09:00"),
    )
    SessionFactory(meeting=meeting, title="Robots", abstract="", starts_at=at(meeting, 1, "17:00"))
    assert found(search(client, meeting, "robot"))["sessions"] == ["Robots", "Energy for everyone"]


@pytest.mark.postgres
def test_full_text_search_finds_an_organisation_by_another_form_of_its_word(client, agenda):
    """ "clusters" finds "… Cluster" (and so its speaker) as it finds "clusters" in abstracts."""
    results = found(search(client, agenda, "clusters"))
    assert (results["speakers"], results["organizations"]) == (
        ["Ana Fernández"],
        ["MetaIndustry4 Asturias Cluster"],
    )
    assert sorted(results["sessions"]) == [
        "Consorcios de hidrógeno verde",
        "Smart factories in practice",
    ]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("model", "fields", "index"),
    [
        (Session, SESSION_FIELDS, "session_search_document"),
        (SessionTranslation, SESSION_FIELDS, "session_tr_search_document"),
        (Speaker, SPEAKER_FIELDS, "speaker_search_document"),
    ],
)
def test_full_text_search_uses_the_gin_indexes(model, fields, index):
    """The search's documents are exactly the indexed expressions (migration agenda 0005):
    a 5,000-session meeting is searched through the index, not by reading every row."""
    queryset = FullText("hidrógeno").filter(model.objects.all(), fields)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Bitmap Index Scan on {index}" in plan
