"""Shared set-up for the benchmarks: a throw-away database and a timer that compares pages.

Run a benchmark with the project's venv, e.g. `.venv/bin/python benchmarks/round_table.py`.
Each creates its own database (SQLite in a temporary folder unless BENCH_DATABASE_URL is set)."""

import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def setup_django() -> None:
    folder = tempfile.mkdtemp(prefix="profploeg-bench-")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "profploeg.settings")
    # Production-like: no debug toolbar of queries kept in memory, cached templates.
    os.environ["DEBUG"] = "0"
    # Production settings want 50 or more random characters.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    # The benchmark users have no second factor: measure the pages, not the OTP redirect.
    os.environ.setdefault("OTP_REQUIRED", "0")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    # Production settings serve hashed static files from the manifest collectstatic writes.
    call_command("collectstatic", interactive=False, verbosity=0)


def time_get(client, url: str, repeat: int = 15) -> float:
    """Median seconds of a GET (after one warm-up), failing loudly on a non-200."""
    response = client.get(url, secure=True)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url, secure=True)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def report(rows: list[tuple[str, float]], baseline: float) -> None:
    print(f"{'page':<48} {'median ms':>10} {'x trivial':>10}")
    for name, seconds in rows:
        print(f"{name:<48} {seconds * 1000:>10.1f} {seconds / baseline:>10.2f}")
