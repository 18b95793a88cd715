from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from profploeg.accounts.models import User
from profploeg.applications.imports import ImportFailed, import_applications
from profploeg.municipalities.boundaries import DEFAULT_TOLERANCE_M, import_boundaries
from profploeg.programmes.models import Programme


def progress_line(stream):
    """A progress bar on stderr, redrawn in place: `[#####.....] 12/35 rows`."""

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        bar = f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} rows"
        stream.write(bar + ("\n" if done == total else ""), ending="")
        stream.flush()

    return show


class Command(BaseCommand):
    help = (
        "Import data from files. `import applications FILE`: an e-loket export (CSV or XLSX); "
        "`import boundaries FILE`: municipal boundaries (GeoJSON) for the report's map."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        applications = sub.add_parser(
            "applications",
            help="Applications as the e-loket exports them; all rows or none (see README).",
        )
        applications.add_argument("file", help="a .csv or .xlsx file")
        applications.add_argument(
            "--dry-run", action="store_true", help="check every row, import nothing"
        )
        applications.add_argument(
            "--programme", type=int, default=None, help="programme id (default: the latest one)"
        )
        applications.add_argument(
            "--user",
            default=None,
            help="username of the programme staff member who imports (default: the first one)",
        )

        history = sub.add_parser(
            "history",
            help="A programme's whole history from one workbook (docs/history-workbook.md); "
            "all rows or none.",
        )
        history.add_argument("file", help="an .xlsx workbook")
        history.add_argument(
            "--dry-run", action="store_true", help="check every row, import nothing"
        )
        history.add_argument(
            "--user",
            default=None,
            help="username of the programme staff member who imports (default: the first one)",
        )

        boundaries = sub.add_parser(
            "boundaries",
            help="Municipal boundaries for the map of the status report: GeoJSON as Statbel or "
            "Informatie Vlaanderen publish it (REFNIS code in CD_MUNTY_REFNIS, NISCODE, ...).",
        )
        boundaries.add_argument("file", help="a .geojson or .json file")
        boundaries.add_argument(
            "--tolerance",
            type=float,
            default=None,
            help="simplify outlines to within this many metres (default 150)",
        )

    def handle(self, *args, kind, **options):
        if kind == "applications":
            self.import_applications(**options)
        elif kind == "boundaries":
            self.import_boundaries(**options)
        elif kind == "history":
            # Imported here: history builds on every app, applications on none of it.
            from profploeg.history.commands import import_history_file

            import_history_file(self, **options)

    def import_boundaries(self, *, file, tolerance, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            result = import_boundaries(
                content=path.read_bytes(),
                source=path.name,
                tolerance_m=DEFAULT_TOLERANCE_M if tolerance is None else tolerance,
            )
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        self.stdout.write(
            f"Imported the boundaries of {result.created} municipalities "
            f"({result.points_after} of {result.points_before} points kept); "
            f"skipped {len(result.skipped)} features of other municipalities."
        )

    def import_applications(self, *, file, dry_run, programme, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        chosen = (
            Programme.objects.filter(pk=programme).first()
            if programme
            else Programme.objects.order_by("-published_on", "-pk").first()
        )
        if chosen is None:
            raise CommandError("No such programme.")
        staff = User.objects.filter(role=User.Role.STAFF, is_active=True).order_by("pk")
        by = staff.filter(username=user).first() if user else staff.first()
        if by is None:
            raise CommandError("Name an active programme staff user with --user.")
        self.stderr.write(f"Importing into “{chosen}” (id {chosen.pk}) as {by.username}.")
        try:
            with path.open("rb") as upload:
                result = import_applications(
                    programme=chosen,
                    upload=upload,
                    filename=path.name,
                    by=by,
                    dry_run=dry_run,
                    progress=progress_line(self.stderr),
                )
        except ImportFailed as failed:
            for error in failed.row_errors:
                self.stderr.write(f"row {error.row}, {error.column}: {error.message}")
            raise CommandError(failed.messages[0]) from failed
        except (ValidationError, PermissionDenied) as error:
            message = error.messages[0] if hasattr(error, "messages") else str(error)
            raise CommandError(message) from error
        for row in result.rows:
            self.stdout.write(
                f"row {row.row}: {row.municipality} ({row.refnis}), round {row.round_number}"
            )
        if dry_run:
            self.stdout.write(
                f"Dry run: all {len(result.rows)} rows are good; nothing was imported."
            )
        else:
            self.stdout.write(f"Imported {result.created} applications.")
