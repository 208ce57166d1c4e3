"""Search one meeting's published agenda: its sessions, speakers and their organisations.

- Sessions: title and abstract (and their translations), of published sessions
  (confirmed, and cancelled ones, which the card marks), never drafts.
- Speakers: name, job title, biography and their organisation's name and short
  name, so a word of her organisation finds a speaker; only speakers of
  published sessions.
- Organisations: name and short name, of those speakers' organisations.

On PostgreSQL it is full-text search in Spanish and English at once: each text
is indexed with both configurations and the words asked for are read with both
(``websearch_to_tsquery``: "quoted phrases" and -exclusions work), so Spanish
plurals and verb forms find each other ("consorcios" finds "consorcio"), and so
do English ones; accents are ignored ("hidrogeno" finds "hidrógeno") through
the ``intercluster_es``/``intercluster_en`` configurations (migration agenda
0005). Results are ranked (title and name first). On SQLite, the embedded
mode, every word must appear somewhere, in any case (for ASCII letters): a
simple fallback without stemming. The choice is made in ``_matching`` only.

A few queries whatever the number of results: each kind is one query (sessions
and organisations one more each, for their speakers).
"""

import operator
import re
import unicodedata
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
)
from django.db import connection
from django.db.models import Exists, Expression, FloatField, OuterRef, Prefetch, Q, Value
from django.utils.translation import gettext as _

from agenda.models import SessionTranslation
from agenda.selectors import session_list_public, speaker_list_public
from events.models import Meeting, Organization

MAX_LENGTH = 100  # characters of a query
LIMIT = 30  # results of each kind on the page

# Created by agenda/migrations/0005_search_configurations.py (PostgreSQL only).
CONFIGURATIONS = ("intercluster_es", "intercluster_en")

# Field -> weight (A counts most in the rank).
SESSION_FIELDS = {"title": "A", "abstract": "B"}
SPEAKER_FIELDS = {
    "name": "A",
    "organization__name": "B",
    "organization__short_name": "B",
    "job_title": "C",
    "bio": "D",
}
ORGANIZATION_FIELDS = {"name": "A", "short_name": "A"}

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


def _matching(fields: dict[str, str], text: str) -> tuple[Q, Expression]:
    """The condition "``text`` matches these fields" and the rank of a match."""
    if connection.vendor == "postgresql":
        vector = reduce(
            operator.add,
            (
                SearchVector(field, config=config, weight=weight)
                for field, weight in fields.items()
                for config in CONFIGURATIONS
            ),
        )
        query = reduce(
            operator.or_,
            (
                SearchQuery(text, config=config, search_type="websearch")
                for config in CONFIGURATIONS
            ),
        )
        return Q(SearchVectorExact(vector, query)), SearchRank(vector, query)
    each_word = (
        reduce(operator.or_, (Q(**{f"{field}__icontains": word}) for field in fields))
        for word in dict.fromkeys(WORD.findall(text))
    )
    return reduce(operator.and_, each_word), Value(0.0, output_field=FloatField())


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

    matches, rank = _matching(SESSION_FIELDS, text)
    translated, _rank = _matching(SESSION_FIELDS, text)
    in_translation = Exists(
        SessionTranslation.objects.filter(translated, session=OuterRef("pk")).values("pk")
    )
    sessions, more_sessions = _best(
        session_list_public(meeting=meeting).filter(matches | Q(in_translation)),
        rank,
        "starts_at",
        "title",
        "pk",
    )
    for session in sessions:
        session.meeting = meeting

    matches, rank = _matching(SPEAKER_FIELDS, text)
    speakers, more_speakers = _best(
        speaker_list_public(meeting=meeting).filter(matches), rank, "name", "pk"
    )

    matches, rank = _matching(ORGANIZATION_FIELDS, text)
    public_speakers = speaker_list_public(meeting=meeting)
    organizations, more_organizations = _best(
        Organization.objects.filter(pk__in=public_speakers.values("organization_id"))
        .filter(matches)
        .prefetch_related(
            Prefetch("speakers", queryset=public_speakers, to_attr="meeting_speakers")
        ),
        rank,
        "name",
        "pk",
    )
    return SearchResults(
        text=text,
        sessions=sessions,
        speakers=speakers,
        organizations=organizations,
        more=more_sessions or more_speakers or more_organizations,
    )
