from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from profploeg.accounts.models import User
from profploeg.trajectories import services
from profploeg.trajectories.imports import read_rows
from profploeg.trajectories.models import Expert


class Command(BaseCommand):
    help = (
        "Import an expert's person-days from a CSV or XLSX file: every row is checked first; "
        "nothing is written unless every row is good."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--expert", required=True, help="Expert id, email or exact name.")
        parser.add_argument(
            "--by", required=True, help="Username of the staff member or the expert importing."
        )

    def handle(self, *args, file: Path, expert: str, by: str, **options):
        user = User.objects.filter(username=by).first()
        if user is None:
            raise CommandError(f"No user '{by}'.")
        lookup = Q(email__iexact=expert) | Q(user__email__iexact=expert) | Q(name=expert)
        if expert.isdigit():
            lookup |= Q(pk=int(expert))
        experts = list(Expert.objects.filter(lookup)[:2])
        if len(experts) != 1:
            raise CommandError(f"No single expert matches '{expert}': use the id.")
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        try:
            with file.open("rb") as upload:
                rows = read_rows(upload=upload, filename=file.name, expert=experts[0])
            entries = services.import_person_days(by=user, expert=experts[0], rows=rows)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError("Nothing was imported.") from error
        self.stdout.write(self.style.SUCCESS(f"{len(entries)} rows imported for {experts[0]}."))
