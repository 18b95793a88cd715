from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from profploeg.operations.backup import back_up, back_up_dated


class Command(BaseCommand):
    help = (
        "Back up every row (JSON, natural keys) and every uploaded file: into a new folder "
        "(--output), or a new dated folder under --into, keeping the newest --keep."
    )

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--output", type=Path, help="a new or empty folder")
        where.add_argument(
            "--into", type=Path, help="a folder that holds dated backups (e.g. nightly)"
        )
        parser.add_argument(
            "--keep", type=int, default=14, help="with --into: how many dated backups stay"
        )

    def handle(self, *args, output: Path | None, into: Path | None, keep: int, **options):
        try:
            if into is not None:
                output, manifest = back_up_dated(into=into, keep=keep)
            else:
                manifest = back_up(output=output)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Backed up {sum(manifest['rows'].values())} rows and {manifest['files']} files "
            f"to {output}."
        )
