from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from profploeg.operations.backup import back_up


class Command(BaseCommand):
    help = "Back up every row (JSON, natural keys) and every uploaded file into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="a new or empty folder")

    def handle(self, *args, output: Path, **options):
        try:
            manifest = back_up(output=output)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Backed up {sum(manifest['rows'].values())} rows and {manifest['files']} files "
            f"to {output}."
        )
