import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from profploeg.operations.services import remove_unconfirmed_uploads


class Command(BaseCommand):
    help = (
        "Delete the import uploads (applications, history) previewed but never confirmed, older "
        "than HOURS (default IMPORT_UPLOAD_HOURS): they hold personal data. Run it from a timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="HOURS",
            help="delete what was uploaded more than this many hours ago "
            f"(default IMPORT_UPLOAD_HOURS, now {settings.IMPORT_UPLOAD_HOURS}; at least 1)",
        )

    def handle(self, *args, older_than: int | None, **options):
        hours = settings.IMPORT_UPLOAD_HOURS if older_than is None else older_than
        try:
            removed = remove_unconfirmed_uploads(older_than=datetime.timedelta(hours=hours))
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        self.stdout.write(
            f"Deleted {len(removed)} unconfirmed import upload(s) older than {hours} hours."
        )
