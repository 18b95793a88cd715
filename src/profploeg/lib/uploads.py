"""Uploads that wait between an import's preview and its confirmation.

The applications and history import pages keep the uploaded file in the media folder, under a
random name in a folder of the user's own, until the user confirms (which removes it). A file
never confirmed still holds personal data (names, addresses, e-mail addresses of contacts):
`remove_unconfirmed_uploads` deletes those older than IMPORT_UPLOAD_HOURS, from a timer."""

import datetime
import re

from django.core.files.storage import Storage, default_storage
from django.http import Http404

FOLDER = "imports"


def pending_path(user, name: str, *, pattern: re.Pattern, prefix: str = "") -> str:
    """Where `user`'s upload `name` waits; a name that is not one of ours is a 404."""
    if not pattern.match(name):
        raise Http404
    return f"{FOLDER}/{user.pk}/{prefix}{name}"


def waiting_uploads(storage: Storage | None = None) -> list[str]:
    """Every upload waiting for a confirmation, of every user."""
    storage = storage or default_storage
    if not storage.exists(FOLDER):
        return []
    folders, _files = storage.listdir(FOLDER)
    paths = []
    for folder in sorted(folders):
        _subfolders, files = storage.listdir(f"{FOLDER}/{folder}")
        paths.extend(f"{FOLDER}/{folder}/{name}" for name in sorted(files))
    return paths


def remove_uploads_older_than(
    cutoff: datetime.datetime, storage: Storage | None = None
) -> list[str]:
    """Delete the waiting uploads last written before `cutoff`; the paths deleted."""
    storage = storage or default_storage
    removed = []
    for path in waiting_uploads(storage):
        if storage.get_modified_time(path) < cutoff:
            storage.delete(path)
            removed.append(path)
    return removed
