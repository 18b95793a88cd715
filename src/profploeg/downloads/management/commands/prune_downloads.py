from django.core.management.base import BaseCommand

from profploeg.downloads.services import prune_downloads


class Command(BaseCommand):
    help = "Remove expired background downloads and their files (run it daily from a timer)."

    def handle(self, *args, **options):
        counts = prune_downloads()
        self.stdout.write(
            f"Removed {counts['downloads']} expired download(s) and "
            f"{counts['orphan_files']} file(s) no download named."
        )
