"""The data version, raised by every committed write to the tables figures are read from, and
the cache of figures keyed on it (`cached`).

Figures computed from the data (the status report page and its downloads, the budget monitor)
depend only on the data and what was asked (programme, date, filters, format, language). They
are kept in the shared cache (`CACHE_URL`) under a key that holds the version they were
computed at, so a write makes every cached figure unreachable at once and nothing is ever shown
stale. `REPORT_CACHE_SECONDS` (0 turns the cache off) bounds how long the figures of an
unchanged programme are kept.

Writes are seen where they all pass, in the database layer: an execute wrapper on every
connection notices any INSERT, UPDATE or DELETE on a table of a Profploeg app, whether it
came from a model's save, a bulk update, an import or raw SQL (the tables of users, tokens
and download jobs excepted: a login must not empty the cache). The version is raised once
the transaction commits (at once outside a transaction), in its own short statement, so that
writers never wait on one another for it. A rolled-back transaction raises nothing.

Writes made outside Django (psql, a restore with TRUNCATE) are not seen: `renew()` after them
(the restore command does) gives the version a new token."""

import hashlib
import logging
import re
from collections.abc import Callable
from functools import cache
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache as shared_cache
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.models import F
from django.utils import translation

logger = logging.getLogger(__name__)
T = TypeVar("T")

WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)
# Apps whose tables no figure reads: users and their logins (a login writes last_login), API
# tokens and replayed requests, the download jobs' own progress, the version itself.
UNTRACKED_APPS = {"accounts", "api", "downloads", "operations"}


@cache
def tracked_tables() -> frozenset[str]:
    """The tables of the Profploeg apps that figures are read from (many-to-many included)."""
    return frozenset(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        # An auto-created many-to-many table has the module of the model that declares it.
        if model.__module__.startswith("profploeg.") and model._meta.app_label not in UNTRACKED_APPS
    )


def bump(alias: str) -> None:
    """Raise the version (its own statement, after the commit). It never fails the write it
    follows: before the migrations have made its table (while they load data), nothing is
    cached yet."""
    from .models import DataVersion

    try:
        if not DataVersion.objects.using(alias).filter(pk=1).update(number=F("number") + 1):
            renew(alias)
    except DatabaseError:
        logger.warning("The data version could not be raised.", exc_info=True)


def renew(alias: str = "default") -> None:
    """Start the version afresh under a new token: after data changed behind Django's back."""
    from .models import DataVersion, new_token

    updated = DataVersion.objects.using(alias).filter(pk=1).update(token=new_token(), number=0)
    if not updated:
        try:
            with transaction.atomic(using=alias):
                DataVersion.objects.using(alias).create(pk=1)
        except IntegrityError:
            # Another process created it meanwhile: that one is as new.
            pass


def current(alias: str = "default") -> str:
    """The version now, as "token:number" (a write of this thread counted first)."""
    from .models import DataVersion

    flush_all()
    row = DataVersion.objects.using(alias).filter(pk=1).values_list("token", "number").first()
    if row is None:
        renew(alias)
        row = DataVersion.objects.using(alias).filter(pk=1).values_list("token", "number").get()
    return f"{row[0]}:{row[1]}"


# Migrations write before the version's table exists, and nothing is cached while they run.
migrating = False


def pause(**kwargs) -> None:
    """Signal `pre_migrate`."""
    global migrating
    migrating = True


def resume(**kwargs) -> None:
    """Signal `post_migrate`."""
    global migrating
    migrating = False


class Watcher:
    """The execute wrapper of one connection (one thread): schedules one bump per transaction
    that wrote to a tracked table.

    On SQLite a write outside a transaction is counted just before the connection's next
    statement, or when the request or the process ends (`flush_all`), not at once: an INSERT
    with RETURNING is still in progress when it hands back, and SQLite cannot commit another
    statement until its rows are read."""

    def __init__(self, alias: str):
        self.alias = alias
        self.pending = False
        self.deferred = False

    def __call__(self, execute, sql, params, many, context):
        if self.deferred:
            self.flush()
        result = execute(sql, params, many, context)
        match = WRITE.match(sql)
        if match and not migrating and match.group(1) in tracked_tables():
            connection = connections[self.alias]
            if connection.vendor == "sqlite" and not connection.in_atomic_block:
                self.deferred = True
                return result
            # Already scheduled for this transaction, unless a rollback dropped it since.
            scheduled = self.pending and any(
                func == self.bump for _, func, _ in connection.run_on_commit
            )
            if not scheduled:
                self.pending = True
                transaction.on_commit(self.bump, using=self.alias)
        return result

    def flush(self) -> None:
        """Count a write made outside a transaction, if one waits."""
        if self.deferred:
            self.deferred = False
            bump(self.alias)

    def bump(self) -> None:
        self.pending = False
        bump(self.alias)


def flush_at_exit() -> None:
    """A command that wrote outside a transaction and ends: count it (never fail the exit)."""
    try:
        flush_all()
    except Exception:  # noqa: BLE001 - the process is ending; the next write counts anyway.
        logger.warning("The data version could not be raised at exit.", exc_info=True)


def flush_all(**kwargs) -> None:
    """The writes waiting to be counted on this thread's connections (signal `request_finished`,
    and at exit)."""
    for connection in connections.all(initialized_only=True):
        for wrapper in connection.execute_wrappers:
            if isinstance(wrapper, Watcher):
                wrapper.flush()


def watch(sender, connection, **kwargs) -> None:
    """On every new database connection (signal `connection_created`)."""
    if not any(isinstance(wrapper, Watcher) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(Watcher(connection.alias))


def cached(parts: tuple, compute: Callable[[], T]) -> T:
    """The value of `compute()` for these parts, at today's data version, in the active
    language: from the cache when it holds one, else computed and kept."""
    seconds = settings.REPORT_CACHE_SECONDS
    if not seconds:
        return compute()
    described = repr((current(), translation.get_language(), parts))
    key = "report:" + hashlib.sha256(described.encode()).hexdigest()
    value = shared_cache.get(key)
    if value is None:
        value = compute()
        shared_cache.set(key, value, seconds)
    return value
