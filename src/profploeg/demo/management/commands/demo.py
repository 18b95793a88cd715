from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from profploeg.demo import applications
from profploeg.demo.load import load_demo
from profploeg.demo.workbook import load_demo_from_workbook


class Command(BaseCommand):
    help = "Load the demo: the 2021 programme of the seed document and a call that is open today."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="load the demo although DEBUG is off (a production-like set-up for a trial)",
        )
        parser.add_argument(
            "--from-workbook",
            action="store_true",
            help="load the seed programme from the shipped history workbook through the history "
            "import (the path a real agency uses) instead of the loaders",
        )

    def handle(self, *args, force: bool = False, from_workbook: bool = False, **options):
        if not settings.DEMO_ALLOWED and not force:
            # The demo's users share a published password: never by accident in production.
            raise CommandError(
                "DEBUG is off: the demo creates users (vlaio, ...) with a published password. "
                "Load it on a production-like server only on purpose: profploeg demo --force."
            )
        # The demo replays history: its notifications are stored, not emailed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            with transaction.atomic():
                seed = load_demo_from_workbook() if from_workbook else load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {seed}"))
        self.stdout.write(
            f"Log in at {settings.SITE_URL.rstrip('/')}/ with password "
            f"'{applications.PASSWORD}' as:\n"
            "  vlaio                  programme staff (VLAIO), also Django admin\n"
            "  expert                 expert of the profploeg\n"
            "  gemeente, gemeente2    municipality users\n"
            "  provincie-<name>       province users, e.g. provincie-antwerpen"
        )
