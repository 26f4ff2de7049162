"""Import the classification scheme from a CSV file (the same import as the scheme page).

    python manage.py import_scheme scheme.csv [--dry-run] [--user advisor]

Every row is checked first; with any error nothing is imported and the errors are printed with
their row numbers (the command then exits with status 1).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from registry import scheme_csv


class Command(BaseCommand):
    help = "Import the classification scheme from a ;-separated UTF-8 CSV file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The CSV file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and change nothing."
        )
        parser.add_argument(
            "--user", help="Username recorded as who made the changes (default: the system)."
        )

    def handle(self, *args, path: Path, dry_run: bool, user: str | None, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user {user!r}.")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        result = scheme_csv.import_scheme(data, actor=actor, dry_run=dry_run)
        if result.errors:
            for error in result.errors:
                where = f"row {error.row}" if error.row else "file"
                self.stderr.write(f"{where}: {error.message}")
            raise CommandError(f"{len(result.errors)} error(s): nothing was imported.")
        prefix = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}: {result.functions_created} functions and {result.series_created} "
                f"series added, {result.functions_updated} functions and "
                f"{result.series_updated} series changed, {result.unchanged} unchanged."
            )
        )
