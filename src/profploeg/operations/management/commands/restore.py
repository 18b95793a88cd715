from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from profploeg.operations.backup import restore


class Command(BaseCommand):
    help = "Replace ALL data and uploads with those of a backup folder (made by `backup`)."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="the backup folder")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask: everything now stored is replaced"
        )

    def handle(self, *args, source: Path, yes: bool, **options):
        if not yes and options.get("interactive", True):
            answer = input("Every row and upload now stored will be replaced. Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("Nothing restored.")
        try:
            manifest = restore(source=source)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Restored {sum(manifest['rows'].values())} rows and {manifest['files']} files "
            f"from a backup of {manifest['created_at']} ({manifest['database']})."
        )
