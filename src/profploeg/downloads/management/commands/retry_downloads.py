from django.core.management.base import BaseCommand

from profploeg.downloads.services import retry_stale_downloads


class Command(BaseCommand):
    help = (
        "Enqueue again the background downloads whose task was lost or whose worker died "
        "(run it from a timer, every 10 minutes)."
    )

    def handle(self, *args, **options):
        counts = retry_stale_downloads()
        self.stdout.write(
            f"Enqueued again: {counts['retried']} download(s); given up: {counts['failed']}."
        )
