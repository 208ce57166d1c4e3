"""Search one meeting's published agenda: its sessions, speakers and their organisations.

- Sessions: title and abstract (and their translations), of published sessions
  (confirmed, and cancelled ones, which the card marks), never drafts.
- Speakers: name, job title and biography, and their organisation's name and
  short name, so a word of her organisation finds a speaker; only speakers of
  published sessions.
- Organisations: name and short name, of those speakers' organisations.

Every word asked for must be found. On PostgreSQL it is full-text search in
Spanish and English at once: each text is indexed with both configurations and
the words are read with both (``plainto_tsquery``, parsed as the texts are), so
Spanish plurals and verb forms find each other ("consorcios" finds
"consorcio"), and so do English ones; accents are ignored ("hidrogeno" finds
"hidrógeno") through the ``intercluster_es``/``intercluster_en``
configurations. The documents of sessions, their translations and speakers have
GIN indexes (migration agenda 0005, built from the same field lists: a change
here needs a new migration, and ``tests/agenda/test_search.py`` checks that the
indexes are used). On SQLite, the embedded mode, every word must appear
somewhere, in any case for ASCII letters: a simple fallback without stemming.
The choice between the two is made in ``_matcher`` only.

Ranked: a match in the session's title (the speaker's name) first, then the
agenda's order (by name). A few queries whatever the number of results: one per
kind, and one more for the speakers of sessions and of organisations.
"""

import operator
import re
import unicodedata
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Expression, FloatField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from agenda.models import Session, SessionTranslation, Speaker
from agenda.selectors import session_list_public, speaker_list_public
from events.models import Meeting, Organization

MAX_LENGTH = 100  # characters of a query
LIMIT = 30  # results of each kind on the page
SPEAKERS_SHOWN = 5  # under each organisation found

# Created by agenda/migrations/0005_search.py (PostgreSQL only).
CONFIGURATIONS = ("intercluster_es", "intercluster_en")

# What is searched, field -> weight; the documents of the first three are indexed
# (agenda/migrations/0005_search.py, from copies of these lists).
SESSION_FIELDS = {"title": "A", "abstract": "B"}  # Session and SessionTranslation
SPEAKER_FIELDS = {"name": "A", "job_title": "C", "bio": "D"}
ORGANIZATION_FIELDS = {"name": "A", "short_name": "A"}
# What ranks a match first.
SESSION_HEAD = {"title": "A"}
SPEAKER_HEAD = {"name": "A"}

WORD = re.compile(r"\w+")


class SearchQueryInvalid(ValueError):
    """A query that cannot be searched for; the message says why, to the person."""


def search_text_clean(raw: str) -> str:
    """The text as searched and shown: line breaks and tabs become spaces, other control
    and format characters (NUL, bidi overrides, zero-width ones) go, spaces collapse."""
    kept = (
        " " if char.isspace() else char
        for char in raw
        if char.isspace() or not unicodedata.category(char).startswith("C")
    )
    return " ".join("".join(kept).split())


def search_text_check(text: str) -> None:
    """Refuse a query with no word in it, or a too long one (SearchQueryInvalid)."""
    if not WORD.search(text):
        raise SearchQueryInvalid(_("Type a word to search for."))
    if len(text) > MAX_LENGTH:
        raise SearchQueryInvalid(
            _("Your search is too long: use at most %(max)s characters.") % {"max": MAX_LENGTH}
        )


def search_document(fields: dict[str, str]) -> SearchVector:
    """PostgreSQL: the weighted text-search document of ``fields``, in both configurations
    (the expression of the GIN indexes, so it must stay exactly this)."""
    return reduce(
        operator.add,
        (
            SearchVector(field, config=config, weight=weight)
            for field, weight in fields.items()
            for config in CONFIGURATIONS
        ),
    )


class FullText:
    """PostgreSQL: the words, stemmed in Spanish or in English, against the documents."""

    def __init__(self, text: str):
        self.query = reduce(
            operator.or_,
            (SearchQuery(text, config=config, search_type="plain") for config in CONFIGURATIONS),
        )

    def filter(self, queryset: QuerySet, fields: dict[str, str]) -> QuerySet:
        return queryset.alias(search_document=search_document(fields)).filter(
            search_document=self.query
        )

    def rank(self, fields: dict[str, str]) -> Expression:
        return SearchRank(search_document(fields), self.query)


class EveryWord:
    """SQLite: each word somewhere in the fields (``icontains``)."""

    def __init__(self, text: str):
        self.words = list(dict.fromkeys(WORD.findall(text)))

    def condition(self, fields: dict[str, str]) -> Q:
        return reduce(
            operator.and_,
            (
                reduce(operator.or_, (Q(**{f"{field}__icontains": word}) for field in fields))
                for word in self.words
            ),
        )

    def filter(self, queryset: QuerySet, fields: dict[str, str]) -> QuerySet:
        return queryset.filter(self.condition(fields))

    def rank(self, fields: dict[str, str]) -> Expression:
        return Case(
            When(self.condition(fields), then=Value(1.0)),
            default=Value(0.0),
            output_field=FloatField(),
        )


def _matcher(text: str) -> FullText | EveryWord:
    return FullText(text) if connection.vendor == "postgresql" else EveryWord(text)


@dataclass
class SearchResults:
    text: str
    sessions: list
    speakers: list
    organizations: list
    more: bool  # some kind had more than LIMIT matches: only the best LIMIT are shown

    @property
    def count(self) -> int:
        return len(self.sessions) + len(self.speakers) + len(self.organizations)


def _best(queryset, rank: Expression, *order: str) -> tuple[list, bool]:
    rows = list(queryset.annotate(search_rank=rank).order_by("-search_rank", *order)[: LIMIT + 1])
    return rows[:LIMIT], len(rows) > LIMIT


def meeting_search(*, meeting: Meeting, text: str) -> SearchResults:
    """What in the meeting's published agenda matches ``text`` (cleaned and checked:
    SearchQueryInvalid for no word or too long), best first, at most LIMIT of each kind."""
    text = search_text_clean(text)
    search_text_check(text)
    matcher = _matcher(text)

    # Each part on its own (a UNION, not an OR), so each can use its index.
    session_ids = (
        matcher.filter(Session.objects.filter(meeting=meeting), SESSION_FIELDS)
        .order_by()
        .values("pk")
        .union(
            matcher.filter(
                SessionTranslation.objects.filter(session__meeting=meeting), SESSION_FIELDS
            )
            .order_by()
            .values("session_id")
        )
    )
    sessions, more_sessions = _best(
        session_list_public(meeting=meeting).filter(pk__in=session_ids),
        matcher.rank(SESSION_HEAD),
        "starts_at",
        "title",
        "pk",
    )
    for session in sessions:
        session.meeting = meeting

    speakers_here = Speaker.objects.filter(meeting=meeting).order_by()
    organizations_here = Organization.objects.filter(pk__in=speakers_here.values("organization_id"))
    matching_organizations = matcher.filter(organizations_here, ORGANIZATION_FIELDS)
    speaker_ids = (
        matcher.filter(speakers_here, SPEAKER_FIELDS)
        .values("pk")
        .union(speakers_here.filter(organization__in=matching_organizations).values("pk"))
    )
    speakers, more_speakers = _best(
        speaker_list_public(meeting=meeting).filter(pk__in=speaker_ids),
        matcher.rank(SPEAKER_HEAD),
        "name",
        "pk",
    )

    public_speakers = speaker_list_public(meeting=meeting)
    organizations, more_organizations = _best(
        matching_organizations.filter(
            pk__in=public_speakers.order_by().values("organization_id")
        ).prefetch_related(
            Prefetch(
                "speakers",
                queryset=public_speakers[: SPEAKERS_SHOWN + 1],
                to_attr="meeting_speakers",
            )
        ),
        matcher.rank(ORGANIZATION_FIELDS),
        "name",
        "pk",
    )
    for organization in organizations:
        # A big organisation lists its first few speakers, then "and others".
        organization.more_speakers = len(organization.meeting_speakers) > SPEAKERS_SHOWN
        del organization.meeting_speakers[SPEAKERS_SHOWN:]
    return SearchResults(
        text=text,
        sessions=sessions,
        speakers=speakers,
        organizations=organizations,
        more=more_sessions or more_speakers or more_organizations,
    )
