from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from profploeg.history.export import export_history, template_workbook
from profploeg.programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Export data to files. `export history --programme ID --output history.xlsx`: a "
        "programme's whole history as one workbook (docs/history-workbook.md); `--template` "
        "writes the empty workbook with one example row per sheet."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        history = sub.add_parser("history", help="a programme's whole history as one workbook")
        history.add_argument("--programme", type=int, default=None, help="programme id")
        history.add_argument("--output", required=True, help="the .xlsx file to write")
        history.add_argument(
            "--template", action="store_true", help="the empty workbook with example rows"
        )

    def handle(self, *args, kind, programme, output, template, **options):
        if template:
            content = template_workbook()
        else:
            chosen = Programme.objects.filter(pk=programme).first() if programme else None
            if chosen is None:
                raise CommandError("Name an existing programme with --programme ID.")
            content = export_history(programme=chosen)
        Path(output).write_bytes(content)
        self.stdout.write(f"Wrote {output} ({len(content)} bytes).")
