from django.core.management.base import BaseCommand

from profploeg.evaluations import services


class Command(BaseCommand):
    help = (
        "Remind municipalities that have not answered their evaluation questionnaire two weeks "
        "after it was sent. Safe to run as often as you like (e.g. daily from cron): each link "
        "gets one reminder."
    )

    def handle(self, *args, **options):
        reminded = services.send_reminders()
        for invitation in reminded:
            self.stdout.write(f"  {invitation.trajectory.application.municipality.name}")
        self.stdout.write(self.style.SUCCESS(f"{len(reminded)} reminder(s) sent."))
