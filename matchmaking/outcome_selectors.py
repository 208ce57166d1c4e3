"""What came of a meeting's 1:1 meetings: the organizers' numbers, the regions' matrix and
the rows of the CSV export, read in three queries whatever the size.

The meetings counted are the scheduled ones whose slot has started (the others
cannot have an answer yet). Each of the two people may answer
(``MeetingOutcome``); a meeting's *verdict* puts the two answers together:

- **held**: at least one says it took place and neither says it did not;
- **not held**: at least one says it did not and neither says it did;
- **disputed**: one says it did, the other that it did not;
- **no answer**: neither answered.

Outcomes count *answers*, not meetings: each answer that says the meeting took
place counts once, in the region and the sectors of the person who gave it (a
meeting both people answered counts twice; a person with two sectors counts in
both). A person's region is their profile's, else their registration's. The
matrix counts held meetings between a person of region A and one of region B:
symmetric, the diagonal is meetings within one region.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Meeting
from events.regions import region_label, region_sort_key
from matchmaking.models import MeetingOutcome, MeetingRequest, Profile
from registrations.models import Registration

Result = MeetingOutcome.Result
# The outcome columns, in order; "" is an answer that says the meeting took place and
# gives no outcome.
RESULT_COLUMNS = [*Result.values, ""]
NO_REGION = ""


class Verdict(TextChoices):
    HELD = "held", _("Took place")
    NOT_HELD = "not_held", _("Did not take place")
    DISPUTED = "disputed", _("Disputed")
    NO_ANSWER = "no_answer", _("No answer")


def verdict_of(answers: list[bool | None]) -> Verdict:
    """The two answers (``held``, None when not given) put together."""
    said = {answer for answer in answers if answer is not None}
    if not said:
        return Verdict.NO_ANSWER
    if said == {True}:
        return Verdict.HELD
    if said == {False}:
        return Verdict.NOT_HELD
    return Verdict.DISPUTED


@dataclass
class Side:
    """One of the two people of a meeting, and what they said of it."""

    registration: Registration
    region: str  # a region code, or "" when neither profile nor registration names one
    sectors: list[str]
    outcome: MeetingOutcome | None


@dataclass
class MeetingRecord:
    request: MeetingRequest
    sides: tuple[Side, Side]  # the requester's, then the recipient's
    verdict: Verdict


@dataclass
class ResultRow:
    """Answers that say a meeting took place, by outcome, for one group (a region, a sector)."""

    label: str
    counts: list[int]  # in RESULT_COLUMNS' order
    total: int


@dataclass
class RegionMatrix:
    regions: list[str]  # codes, in the list's order; "" (no region) last
    labels: list[str]
    cells: list[list[int]]  # cells[a][b] == cells[b][a]; the diagonal: within one region
    totals: list[int]  # held meetings with at least one person of the region
    held: int  # held meetings in all


@dataclass
class OutcomeReport:
    scheduled: int  # every scheduled meeting, started or not
    past: int  # … of which have started
    verdicts: dict[str, int]
    answers: int  # answers given, of 2 × past possible
    answer_rate: float | None  # percent; None when no meeting has started
    results: ResultRow
    by_region: list[ResultRow]
    by_sector: list[ResultRow]
    matrix: RegionMatrix
    records: list[MeetingRecord] = field(default_factory=list)

    @property
    def upcoming(self) -> int:
        return self.scheduled - self.past

    @property
    def possible_answers(self) -> int:
        return 2 * self.past


def region_name(code: str) -> str:
    return region_label(code) or str(_("No region given"))


def _sectors_by_profile(meeting: Meeting) -> dict[int, list[str]]:
    sectors: dict[int, list[str]] = defaultdict(list)
    links = (
        Profile.sectors.through.objects.filter(profile__meeting=meeting)
        .order_by("sector__position", "sector__name", "sector_id")
        .values_list("profile_id", "sector__name")
    )
    for profile_id, name in links:
        sectors[profile_id].append(name)
    return sectors


def _side(registration: Registration, outcome, sectors: dict[int, list[str]]) -> Side:
    # A missing reverse one-to-one raises an AttributeError: no profile.
    profile = getattr(registration, "b2b_profile", None)
    region = (profile.region if profile else "") or registration.region or NO_REGION
    return Side(
        registration=registration,
        region=region,
        sectors=sectors.get(profile.pk, []) if profile else [],
        outcome=outcome,
    )


def meeting_records(*, meeting: Meeting, now: dt.datetime | None = None) -> list[MeetingRecord]:
    """Every scheduled meeting of ``meeting`` that has started, in time and table order, with
    both people's answers (three queries)."""
    now = now or timezone.now()
    requests = (
        MeetingRequest.objects.filter(
            meeting=meeting, status=MeetingRequest.Status.SCHEDULED, slot__starts_at__lte=now
        )
        .select_related(
            "requester__organization",
            "recipient__organization",
            "requester__b2b_profile__organization",
            "recipient__b2b_profile__organization",
            "slot__b2b_session__session",
            "table",
        )
        .order_by("slot__starts_at", "slot__b2b_session_id", "table__position", "table_id", "pk")
    )
    outcomes = {
        (outcome.request_id, outcome.registration_id): outcome
        for outcome in MeetingOutcome.objects.filter(
            request__meeting=meeting,
            request__status=MeetingRequest.Status.SCHEDULED,
            request__slot__starts_at__lte=now,
        )
    }
    sectors = _sectors_by_profile(meeting)
    records = []
    for request in requests:
        sides = tuple(
            _side(person, outcomes.get((request.pk, person.pk)), sectors)
            for person in (request.requester, request.recipient)
        )
        verdict = verdict_of([side.outcome.held if side.outcome else None for side in sides])
        records.append(MeetingRecord(request=request, sides=sides, verdict=verdict))
    return records


def _result_rows(groups: dict[str, Counter], label) -> list[ResultRow]:
    return [
        ResultRow(
            label=label(key),
            counts=[counter[result] for result in RESULT_COLUMNS],
            total=sum(counter.values()),
        )
        for key, counter in groups.items()
    ]


def _matrix(records: list[MeetingRecord]) -> RegionMatrix:
    pairs: Counter = Counter()
    for record in records:
        if record.verdict == Verdict.HELD:
            first, second = (side.region for side in record.sides)
            pairs[frozenset((first, second))] += 1
    regions = sorted(
        {region for pair in pairs for region in pair},
        key=lambda code: (code == NO_REGION, region_sort_key(code)),
    )
    cells = [[pairs[frozenset((row, column))] for column in regions] for row in regions]
    totals = [sum(count for pair, count in pairs.items() if region in pair) for region in regions]
    return RegionMatrix(
        regions=regions,
        labels=[region_name(code) for code in regions],
        cells=cells,
        totals=totals,
        held=sum(pairs.values()),
    )


def outcome_report(*, meeting: Meeting, now: dt.datetime | None = None) -> OutcomeReport:
    """The organizers' numbers for ``meeting`` (four queries, whatever its size)."""
    now = now or timezone.now()
    records = meeting_records(meeting=meeting, now=now)
    scheduled = MeetingRequest.objects.filter(
        meeting=meeting, status=MeetingRequest.Status.SCHEDULED
    ).count()
    verdicts = Counter(record.verdict for record in records)
    overall: Counter = Counter()
    by_region: dict[str, Counter] = defaultdict(Counter)
    by_sector: dict[str, Counter] = defaultdict(Counter)
    answers = 0
    for record in records:
        for side in record.sides:
            if side.outcome is None:
                continue
            answers += 1
            if not side.outcome.held:
                continue
            overall[side.outcome.result] += 1
            by_region[side.region][side.outcome.result] += 1
            for sector in side.sectors or [""]:
                by_sector[sector][side.outcome.result] += 1
    region_order = sorted(by_region, key=lambda code: (code == NO_REGION, region_sort_key(code)))
    sector_order = sorted(by_sector, key=lambda name: (name == "", name.casefold()))
    return OutcomeReport(
        scheduled=scheduled,
        past=len(records),
        verdicts={verdict.value: verdicts[verdict] for verdict in Verdict},
        answers=answers,
        answer_rate=round(100 * answers / (2 * len(records)), 1) if records else None,
        results=_result_rows({"": overall}, lambda key: str(_("All answers")))[0],
        by_region=_result_rows({code: by_region[code] for code in region_order}, region_name),
        by_sector=_result_rows(
            {name: by_sector[name] for name in sector_order},
            lambda name: name or str(_("No sector given")),
        ),
        matrix=_matrix(records),
        records=records,
    )
