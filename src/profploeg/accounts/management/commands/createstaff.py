"""The first account of a new installation, as `createsuperuser` makes one, but with a role."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from profploeg.accounts import services
from profploeg.accounts.models import User

PASSWORD_VARIABLE = "DJANGO_SUPERUSER_PASSWORD"
ATTEMPTS = 3


class Command(BaseCommand):
    help = (
        "Create a programme-staff user who is also a Django administrator. Asks for the "
        f"password twice; with --noinput it reads {PASSWORD_VARIABLE}."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="The user's email address.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Ask nothing: read the password from {PASSWORD_VARIABLE}.",
        )

    def handle(self, *args, username: str, email: str, interactive: bool, **options):
        # Said before the password is asked, as createsuperuser does.
        if User.objects.filter(username__iexact=username.strip()).exists():
            raise CommandError(f"A user named {username.strip()} already exists.")
        for attempt in range(1, ATTEMPTS + 1):
            try:
                user = services.create_staff(
                    username=username, email=email, password=self.password(interactive)
                )
            except ValidationError as error:
                retry = interactive and attempt < ATTEMPTS and password_only(error)
                if not retry:
                    raise CommandError("\n".join(message_lines(error))) from None
                self.stderr.write("\n".join(message_lines(error)))
                continue
            self.stdout.write(
                self.style.SUCCESS(
                    f"Programme-staff user {user.username} created: log in at /accounts/login/."
                )
            )
            return

    def password(self, interactive: bool) -> str:
        if not interactive:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(
                    f"Set {PASSWORD_VARIABLE} to the password, or leave out --noinput."
                )
            return password
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password (again): ")
        if first != second:
            raise ValidationError({"password": "The two passwords differ."})
        return first


def password_only(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and set(error.error_dict) == {"password"}


def message_lines(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)
