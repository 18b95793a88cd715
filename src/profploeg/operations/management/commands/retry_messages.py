import datetime

from django.core.management.base import BaseCommand

from profploeg.operations.services import retry_unsent_notifications


class Command(BaseCommand):
    help = "Send again the notifications that have not gone out after some minutes (run it from a timer)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=10,
            metavar="MINUTES",
            help="only those created at least this many minutes ago (default 10)",
        )

    def handle(self, *args, older_than: int, **options):
        counts = retry_unsent_notifications(older_than=datetime.timedelta(minutes=older_than))
        self.stdout.write(
            f"Enqueued again: {counts['messages']} message(s), "
            f"{counts['intake_notices']} intake notice(s)."
        )
