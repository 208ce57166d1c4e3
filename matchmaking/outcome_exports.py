"""The outcomes as spreadsheet tables: one row per meeting, and the regions' matrix.

Rows of text cells; the organizers' view writes them with registrations'
``table_csv``, whose ``cell_safe`` keeps a spreadsheet from running a cell as a
formula. Names, organisations, titles pass ``one_line`` (a row written before
the text rules stays on its line); a note keeps its line breaks (CSV quotes it).
Times in the meeting's zone.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from events.text import multi_line, one_line
from matchmaking.ical import organisation_of
from matchmaking.outcome_selectors import MeetingRecord, RegionMatrix, Side, region_name


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _side_cells(side: Side) -> list[str]:
    outcome = side.outcome
    return [
        one_line(side.registration.full_name),
        organisation_of(side.registration),
        region_name(side.region),
        "; ".join(one_line(sector) for sector in side.sectors),
        _yes_no(outcome.held) if outcome else "",
        outcome.get_result_display() if outcome and outcome.result else "",
        multi_line(outcome.note) if outcome else "",
    ]


def meetings_table(*, meeting, records: list[MeetingRecord]) -> list[list[str]]:
    """The header, then one row per meeting: when, where, the verdict, both people and what
    each said."""
    person = [
        _("name"),
        _("organisation"),
        _("region"),
        _("sectors"),
        _("took place"),
        _("outcome"),
        _("note"),
    ]
    header = [
        _("time"),
        _("session"),
        _("table"),
        _("verdict"),
        *(f"{_('person A')}: {label}" for label in person),
        *(f"{_('person B')}: {label}" for label in person),
    ]
    rows = [header]
    for record in records:
        request = record.request
        starts_at = timezone.localtime(request.slot.starts_at, meeting.tzinfo)
        rows.append(
            [
                starts_at.strftime("%Y-%m-%d %H:%M"),
                one_line(request.slot.b2b_session.session.title),
                one_line(request.table.name),
                str(record.verdict.label),
                *_side_cells(record.sides[0]),
                *_side_cells(record.sides[1]),
            ]
        )
    return rows


def matrix_table(matrix: RegionMatrix) -> list[list[str]]:
    """The matrix with its row totals, and the number of held meetings on the last row."""
    rows = [["", *matrix.labels, _("Total")]]
    for label, cells, total in zip(matrix.labels, matrix.cells, matrix.totals, strict=True):
        rows.append([label, *(str(cell) for cell in cells), str(total)])
    rows.append([_("Meetings held"), *("" for _label in matrix.labels), str(matrix.held)])
    return rows
