"""python manage.py export_agenda MEETING [FILE] — the import's format, CSV or JSON."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agenda.importers import export_csv, export_json, export_rows
from events.models import Meeting


class Command(BaseCommand):
    help = (
        "Write a meeting's sessions in the import format (CSV or JSON, by extension or --format)."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting", help="the meeting's slug")
        parser.add_argument(
            "file", nargs="?", help="a .csv or .json path; standard output if absent"
        )
        parser.add_argument(
            "--format", choices=["csv", "json"], help="default: from the extension, else csv"
        )

    def handle(self, *args, meeting: str, file: str | None, format: str | None, **options):
        try:
            target = Meeting.objects.get(slug=meeting)
        except Meeting.DoesNotExist as exc:
            raise CommandError(f"No meeting with the slug {meeting!r}.") from exc
        kind = format or ("json" if file and file.lower().endswith(".json") else "csv")
        rows = export_rows(meeting=target)
        text = export_json(rows) if kind == "json" else export_csv(rows)
        if file:
            Path(file).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {len(rows)} sessions of {target.slug} to {file}.")
        else:
            self.stdout.write(text, ending="")
