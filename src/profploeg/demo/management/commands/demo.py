from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from profploeg.demo import applications
from profploeg.demo.load import load_demo


class Command(BaseCommand):
    help = "Load the demo: the 2021 programme of the seed document and a call that is open today."

    def handle(self, *args, **options):
        # The demo replays history: its notifications are stored, not emailed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            with transaction.atomic():
                seed = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {seed}"))
        self.stdout.write(
            "Log in at http://127.0.0.1:8000/ with password "
            f"'{applications.PASSWORD}' as:\n"
            "  vlaio                  programme staff (VLAIO), also Django admin\n"
            "  expert                 expert of the profploeg\n"
            "  gemeente, gemeente2    municipality users\n"
            "  provincie-<name>       province users, e.g. provincie-antwerpen"
        )
