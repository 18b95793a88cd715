"""`profploeg import history FILE [--dry-run] [--user USERNAME]` (the `import` command lives in
applications; this is its history part)."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from profploeg.accounts.models import User

from .services import HistoryImportFailed, import_history


def import_history_file(command, *, file, dry_run, user, **options) -> None:
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"No such file: {file}")
    staff = User.objects.filter(role=User.Role.STAFF, is_active=True).order_by("pk")
    by = staff.filter(username=user).first() if user else staff.first()
    if by is None:
        raise CommandError("Name an active programme staff user with --user.")
    command.stderr.write(f"Importing {path.name} as {by.username}.")
    try:
        result = import_history(content=path.read_bytes(), by=by, dry_run=dry_run)
    except HistoryImportFailed as failed:
        for error in failed.row_errors:
            command.stderr.write(str(error))
        raise CommandError(failed.messages[0]) from failed
    except (ValidationError, PermissionDenied) as error:
        message = error.messages[0] if hasattr(error, "messages") else str(error)
        raise CommandError(message) from error
    for sheet, count in result.counts.items():
        command.stdout.write(f"{sheet}: {count}")
    if result.unknown_users:
        command.stdout.write(
            f"Unknown users, recorded as {by.username}: {', '.join(result.unknown_users)}"
        )
    if dry_run:
        command.stdout.write("Dry run: every row is good; nothing was imported.")
    else:
        command.stdout.write(f"Imported programme {result.programme_id}.")
