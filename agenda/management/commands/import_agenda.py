"""python manage.py import_agenda MEETING FILE — CSV or JSON, all rows or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agenda.importers import ImportFailed, import_agenda, parse_upload
from events.models import Meeting


class Command(BaseCommand):
    help = (
        "Create or update a meeting's sessions from a CSV or JSON file, matched by external_id. "
        "All rows or none: every bad row is reported with its line and reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting", help="the meeting's slug")
        parser.add_argument("file", help="a .csv or .json file (columns: docs/agenda-import.md)")

    def handle(self, *args, meeting: str, file: str, **options):
        try:
            target = Meeting.objects.get(slug=meeting)
        except Meeting.DoesNotExist as exc:
            raise CommandError(f"No meeting with the slug {meeting!r}.") from exc
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file}.")
        try:
            report = import_agenda(meeting=target, rows=parse_upload(path.name, path.read_bytes()))
        except ImportFailed as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"Nothing imported: {len(exc.problems)} problem(s) in {path.name}."
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name} into {target.slug}: "
                f"{report.created} created, {report.updated} updated."
            )
        )
