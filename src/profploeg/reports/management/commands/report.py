import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from profploeg.applications.models import Application
from profploeg.lib.progress import no_progress, terminal_progress
from profploeg.lib.spreadsheets import CSV_DIALECTS
from profploeg.programmes.models import Programme
from profploeg.reports import exports
from profploeg.reports.status import programme_for


class Command(BaseCommand):
    help = "Reports, computed from recorded history as of any date."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        status = sub.add_parser("status", help="Where every application stands on a date.")
        status.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help="YYYY-MM-DD, default today",
        )
        status.add_argument("--format", choices=sorted(exports.FORMATS), default="json")
        status.add_argument(
            "--programme",
            type=int,
            default=None,
            help="programme id (default: the latest published by the date)",
        )
        status.add_argument("--round", type=int, default=None, dest="round_number")
        status.add_argument("--province", default=None, help="province REFNIS code or name")
        status.add_argument(
            "--status",
            default=None,
            dest="status_filter",
            choices=Application.Status.values,
            help="only applications with this status on the date",
        )
        status.add_argument("--theme", default=None, help="theme slug, e.g. leegstand")
        status.add_argument("--expert", type=int, default=None, help="expert id")
        status.add_argument(
            "--table",
            choices=sorted(exports.CSV_TABLES),
            default="municipalities",
            help="which table as CSV: one row per application, or one per round",
        )
        status.add_argument(
            "--dialect",
            choices=sorted(CSV_DIALECTS),
            default="excel",
            help="CSV for Excel in Belgium (semicolon, decimal comma, BOM, Dutch headers and "
            "values, DD/MM/YYYY) or for programs (machine: comma, decimal point, English keys, "
            "ISO dates)",
        )
        status.add_argument(
            "--annex",
            action="store_true",
            help="only the overview of the municipalities of the round(s) (csv, xlsx, docx, pdf)",
        )
        status.add_argument(
            "--output",
            default=None,
            help="file to write (default stdout; xlsx, docx, pdf need one)",
        )

    def handle(
        self,
        *args,
        report,
        as_of,
        format,
        programme,
        round_number,
        province,
        status_filter,
        theme,
        expert,
        table,
        dialect,
        annex,
        output,
        **options,
    ):
        as_of = as_of or timezone.localdate()
        try:
            chosen = programme_for(as_of, programme)
        except Programme.DoesNotExist as error:
            raise CommandError(str(error) or "No such programme.") from error
        if format in exports.BINARY and not output:
            raise CommandError("Binary formats need --output FILE.")
        if annex and format not in exports.ANNEX_FORMATS:
            raise CommandError(f"The annex comes as {', '.join(sorted(exports.ANNEX_FORMATS))}.")
        # Progress on a terminal only (on stderr, as curl does): output to a pipe or a log
        # stays clean.
        interactive = self.stderr.isatty()
        progress = terminal_progress(self.stderr._out, gettext) if interactive else no_progress
        export = exports.export_status(
            chosen,
            as_of=as_of,
            format=format,
            round_number=round_number,
            annex=annex,
            filters={
                "province": province,
                "status": status_filter,
                "theme": theme,
                "expert": expert,
            },
            table=table,
            dialect=CSV_DIALECTS[dialect],
            progress=progress,
        )
        content = export.content
        if interactive:
            progress(100, gettext_noop("Ready"))
            self.stderr.write("")
        if output:
            mode = "wb" if isinstance(content, bytes) else "w"
            with open(
                output, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})
            ) as f:
                f.write(content)
        else:
            self.stdout.write(content)
