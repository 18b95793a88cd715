"""Backup and restore of every row and every uploaded file, on SQLite and PostgreSQL alike.

The data goes through Django's serializer (dumpdata/loaddata with natural keys for content
types and users), so a backup taken on one database restores on the other; the uploads are
copied next to it. A manifest records what is in it."""

import datetime
import json
import os
import re
import shutil
from pathlib import Path

from auditlog.context import disable_auditlog
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction

DATA = "data.json"
MEDIA = "media"
MANIFEST = "manifest.json"

# Rebuilt by migrate, or worth nothing after a restore (sessions, queued tasks, lockouts,
# background downloads: made again in a minute, and their files expire within a day).
LEFT_OUT = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "django_tasks_database",
    "axes",
    "downloads",
]
# Folders of MEDIA_ROOT left out with them.
LEFT_OUT_MEDIA = ["downloads"]


def left_out_labels() -> list[str]:
    return [label for label in LEFT_OUT if _installed(label)]


def left_out_media(media: Path, folder: str, names: list[str]) -> list[str]:
    return LEFT_OUT_MEDIA if Path(folder) == media else []


def _installed(label: str) -> bool:
    app_label = label.split(".")[0]
    return any(config.label == app_label for config in apps.get_app_configs())


# A dated folder per backup (YYYY-MM-DDTHHMMSSZ): sorts by age, never collides from night to night.
DATED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{6}Z(-\d+)?$")


def make_private(path: Path) -> None:
    """Owner-only permissions on a backup: it holds password hashes, TOTP secrets and
    recovery codes."""
    os.chmod(path, 0o700)
    for child in path.rglob("*"):
        os.chmod(child, 0o700 if child.is_dir() else 0o600)


def repeatable_read() -> None:
    """Read every table from one snapshot. PostgreSQL's default (READ COMMITTED) takes a new
    snapshot per statement, so rows written during the dump could appear in one model and not
    in another; SQLite's transaction already reads one snapshot."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def back_up_dated(
    *, into: Path, keep: int, now: datetime.datetime | None = None
) -> tuple[Path, dict]:
    """A new backup in a dated folder under `into`; only the newest `keep` dated folders stay."""
    if keep < 1:
        raise ValidationError("Keep at least one backup.")
    into = Path(into)
    into.mkdir(parents=True, exist_ok=True)
    os.chmod(into, 0o700)
    now = now or datetime.datetime.now(datetime.UTC)
    stamp = now.strftime("%Y-%m-%dT%H%M%SZ")
    output, number = into / stamp, 1
    # Two backups within one second (a manual one next to the nightly one) each get their own.
    while output.exists():
        number += 1
        output = into / f"{stamp}-{number}"
    manifest = back_up(output=output)
    dated = sorted(p for p in into.iterdir() if p.is_dir() and DATED.match(p.name))
    for old in dated[:-keep]:
        shutil.rmtree(old)
    return output, manifest


def back_up(*, output: Path) -> dict:
    """Write the database's rows and a copy of the uploads into `output` (a new folder)."""
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise ValidationError(f"{output} is not empty: choose a new folder.")
    output.mkdir(parents=True, exist_ok=True)
    os.chmod(output, 0o700)
    # One snapshot: nothing written halfway through the dump ends up half in it. The isolation
    # level can only be set by the transaction's first statement: when a caller's transaction
    # is already open (a test), that transaction's snapshot is the one read.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            repeatable_read()
        call_command(
            "dumpdata",
            natural_foreign=True,
            exclude=left_out_labels(),
            output=str(output / DATA),
            verbosity=0,
        )
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(
            media, output / MEDIA, ignore=lambda folder, names: left_out_media(media, folder, names)
        )
    rows = json.loads((output / DATA).read_text())
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    manifest = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "rows": counts,
        "files": sum(1 for p in (output / MEDIA).rglob("*") if p.is_file())
        if (output / MEDIA).exists()
        else 0,
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    make_private(output)
    return manifest


def set_constraints(mode: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS ALL {mode}")


def restore(*, source: Path) -> dict:
    """Replace every row and upload with those of a backup made by back_up()."""
    source = Path(source)
    if not (source / DATA).exists() or not (source / MANIFEST).exists():
        raise ValidationError(f"{source} holds no Profploeg backup ({DATA}, {MANIFEST}).")
    manifest = json.loads((source / MANIFEST).read_text())
    # The restored audit trail is the record; loading it must not add entries of its own.
    with transaction.atomic(), disable_auditlog():
        # PostgreSQL refuses to empty tables with foreign-key checks still pending in this
        # transaction: run them now, then defer them again for rows that refer to each other.
        set_constraints("IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        set_constraints("DEFERRED")
        call_command("loaddata", str(source / DATA), verbosity=0)
    media = Path(settings.MEDIA_ROOT)
    if (source / MEDIA).exists():
        if media.exists():
            shutil.rmtree(media)
        shutil.copytree(source / MEDIA, media)
    return manifest
