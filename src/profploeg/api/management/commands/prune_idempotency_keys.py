import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from profploeg.api import services


class Command(BaseCommand):
    help = (
        "Delete the responses stored under Idempotency-Keys that are older than DAYS days "
        "(default 30). A client that retries a request after that acts again: keep them longer "
        "than any client retries. Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=30,
            metavar="DAYS",
            help="delete what was stored more than this many days ago (default 30, at least 1)",
        )

    def handle(self, *args, older_than: int, **options):
        try:
            deleted = services.prune_idempotency_keys(
                older_than=datetime.timedelta(days=older_than)
            )
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        except OverflowError as error:
            raise CommandError(f"--older-than {older_than}: too many days.") from error
        self.stdout.write(
            f"Deleted {deleted} stored idempotent responses older than {older_than} days."
        )
