"""Every benchmark, at the sizes asked (1x, 10x and 100x the demo unless told), on SQLite and, when
DATABASE_URL points at PostgreSQL, on a throw-away PostgreSQL database as well.

    .venv/bin/python benchmarks/run.py                         # 1 10 100
    .venv/bin/python benchmarks/run.py 1 10                    # or: make bench SIZES="1 10"
    .venv/bin/python benchmarks/run.py 1 --only round_table    # one benchmark (comma-separated)
    .venv/bin/python benchmarks/run.py 1 --database sqlite     # or postgresql; both by default

Each database runs in its own process: the sized benchmarks (round table, budget monitor, status
report) share one database, so a programme of a size is generated once and read by both the
budget monitor and the status report. De Vitrine's benchmark loads the demo, so it runs in a
process and database of its own, once per database (it has no sizes). The load test
(`load.py`, 20 users for two minutes) is not part of this run: it keeps the machine busy.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
SIZED = ["round_table", "budget_monitor", "status_report"]
EVERY = [*SIZED, "vitrine"]


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


class ThrowAwayPostgres:
    """A PostgreSQL database created for the run on DATABASE_URL's server, dropped afterwards."""

    def __init__(self, url: str):
        import dj_database_url

        self.settings = dj_database_url.parse(url)
        self.name = f"profploeg_bench_{uuid.uuid4().hex[:10]}"

    def execute(self, sql: str) -> None:
        import psycopg

        s = self.settings
        # Through the maintenance database, as Django's test runner does: DATABASE_URL's own
        # database need not exist.
        with psycopg.connect(
            dbname="postgres",
            user=s["USER"] or None,
            password=s["PASSWORD"] or None,
            host=s["HOST"] or None,
            port=s["PORT"] or None,
            autocommit=True,
        ) as connection:
            connection.execute(sql)

    def __enter__(self) -> str:
        self.execute(f'CREATE DATABASE "{self.name}"')
        s = self.settings
        credentials = quote(s["USER"], safe="") + (
            f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
        )
        return f"postgres://{credentials}@{s['HOST']}:{s['PORT'] or 5432}/{self.name}"

    def __exit__(self, *exc) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def run_child(label: str, url: str, args: list[str]) -> int:
    print(f"\n===== {label} =====", flush=True)
    env = {**os.environ, "BENCH_DATABASE_URL": url}
    return subprocess.run([sys.executable, *args], env=env, cwd=HERE.parent).returncode


def run_in_process(sizes: list[int], names: list[str]) -> None:
    """The sized benchmarks, one after the other, on BENCH_DATABASE_URL."""
    sys.path.insert(0, str(HERE))
    from common import setup_django

    setup_django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "select sqlite_version()" if connection.vendor == "sqlite" else "show server_version"
        )
        version = cursor.fetchone()[0]
    print(f"{connection.vendor} {version}, sizes {sizes}", flush=True)
    for name in names:
        module = __import__(name)
        started = time.perf_counter()
        module.main(sizes)
        print(f"({name}: {time.perf_counter() - started:.0f} s)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1, 10, 100])
    parser.add_argument("--only", default=",".join(EVERY), help="comma-separated benchmarks")
    parser.add_argument("--database", choices=["all", "sqlite", "postgresql"], default="all")
    # Internal: run the sized benchmarks here, on BENCH_DATABASE_URL.
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    names = [name for name in args.only.split(",") if name]
    unknown = set(names) - set(EVERY)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    if args.in_process:
        run_in_process(args.sizes, [name for name in SIZED if name in names])
        return 0

    sized = [name for name in SIZED if name in names]
    sized_args = [str(HERE / "run.py"), *map(str, args.sizes), "--only", ",".join(sized)]
    databases = []
    if args.database in ("all", "sqlite"):
        databases.append(("SQLite", SQLiteFile, None))
    if args.database in ("all", "postgresql"):
        if pg := postgres_url():
            databases.append(("PostgreSQL", ThrowAwayPostgres, pg))
        elif args.database == "postgresql":
            parser.error("DATABASE_URL does not point at PostgreSQL")
    failed = 0
    for label, database, source in databases:
        jobs = []
        if sized:
            jobs.append((f"{label}: {', '.join(sized)}", [*sized_args, "--in-process"]))
        if "vitrine" in names:
            jobs.append((f"{label}: vitrine", [str(HERE / "vitrine.py")]))
        for title, child_args in jobs:
            with database(source) as url:
                failed |= run_child(title, url, child_args)
    return failed


class SQLiteFile:
    """A fresh SQLite file in a temporary folder, removed afterwards."""

    def __init__(self, _source: None):
        pass

    def __enter__(self) -> str:
        self.folder = tempfile.TemporaryDirectory(prefix="profploeg-bench-")
        return f"sqlite:///{self.folder.name}/bench.sqlite3"

    def __exit__(self, *exc) -> None:
        self.folder.cleanup()


if __name__ == "__main__":
    sys.exit(main())
