"""What came of the B2B meetings: the numbers, the regions' matrix, and their CSV exports.

Read-only pages for that meeting's organizers; the numbers are
``matchmaking.outcome_selectors.outcome_report``'s (its docstring defines
"held", "disputed" and how outcomes are counted; the page says the same), the
tables ``matchmaking.outcome_exports``'. The CSVs go through registrations'
``table_csv``, which neutralises formula starts.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from events.decorators import organizer_required
from matchmaking.models import MeetingOutcome
from matchmaking.outcome_exports import matrix_table, meetings_table
from matchmaking.outcome_selectors import RESULT_COLUMNS, Verdict, meeting_records, outcome_report
from registrations.exports import table_csv


def _result_labels() -> list[str]:
    labels = dict(MeetingOutcome.Result.choices)
    return [labels.get(value, "") for value in RESULT_COLUMNS]


@organizer_required
def outcomes(request, meeting):
    """The headline numbers, the outcomes overall, by region and by sector, and the matrix."""
    report = outcome_report(meeting=meeting)
    return render(
        request,
        "orga/b2b/outcomes.html",
        {
            "meeting": meeting,
            "section": "matchmaking",
            "tab": "outcomes",
            "report": report,
            "verdicts": [(verdict, report.verdicts[verdict.value]) for verdict in Verdict],
            "result_labels": _result_labels(),
            "overall_rows": [report.results],
            "matrix_rows": list(
                zip(
                    report.matrix.labels,
                    report.matrix.cells,
                    report.matrix.totals,
                    strict=True,
                )
            ),
        },
    )


def _csv(meeting, rows, name: str) -> HttpResponse:
    stamp = timezone.localtime(timezone.now(), meeting.tzinfo).strftime("%Y%m%d-%H%M")
    # A BOM, so spreadsheet programs read the file as UTF-8.
    response = HttpResponse("\ufeff" + table_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{meeting.slug}-{stamp}.csv"'
    return response


@organizer_required
def meetings_export(request, meeting):
    """One row per meeting that has started, with both people's answers."""
    rows = meetings_table(meeting=meeting, records=meeting_records(meeting=meeting))
    return _csv(meeting, rows, "b2b-outcomes")


@organizer_required
def matrix_export(request, meeting):
    """The matrix of regions that met, as on the page."""
    return _csv(meeting, matrix_table(outcome_report(meeting=meeting).matrix), "b2b-regions")
