"""Shared set-up for the benchmarks: a throw-away database, the generated programme of each size,
a timer and the table every benchmark prints.

Run them all with `make bench` (benchmarks/run.py), or one with the project's venv, e.g.
`.venv/bin/python benchmarks/round_table.py 1 10`. A benchmark uses SQLite in a temporary folder
unless BENCH_DATABASE_URL is set (run.py sets it, to a throw-away PostgreSQL database too)."""

import datetime
import math
import os
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

# The benchmarks' trajectories have 2.5 times the demo's person-days on average (varying from
# half to one and a half times that): about 60 entries each, some 500,000 at 100x.
WORKLOAD = 2.5
# Applications per round in a generated programme: one live application per municipality.
PER_ROUND = 250
TRIVIAL = "trivial page (login form)"

_ready = False


def setup_django() -> None:
    """Once per process: settings like production, the database migrated, static files."""
    global _ready
    if _ready:
        return
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
    # Figures are computed on every request: the cached rows turn the cache on (`cached()`).
    os.environ["REPORT_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    # Production settings serve hashed static files from the manifest collectstatic writes.
    call_command("collectstatic", interactive=False, verbosity=0)
    _ready = True


@contextmanager
def cached():
    """The figures' cache on (operations.versioning.cached), as in production, emptied first."""
    from django.conf import settings
    from django.core.cache import cache

    cache.clear()
    settings.REPORT_CACHE_SECONDS = 600
    try:
        yield
    finally:
        settings.REPORT_CACHE_SECONDS = 0
        cache.clear()


def staff_client():
    """A test client logged in as the benchmarks' staff user, and that user."""
    from django.test import Client

    from profploeg.accounts.models import User

    staff = User.objects.filter(username="bench").first() or User.objects.create_user(
        "bench", password="bench-password", role="staff"
    )
    client = Client()
    client.force_login(staff)
    return client, staff


def get_seconds(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url, secure=True)
    seconds = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return seconds


def measure(client, url: str, repeat: int = 15) -> tuple[float, float]:
    """Median seconds of a GET of the page and of the trivial page, requested in turn after a
    warm-up of each: on a shared machine both meet the same load, and their ratio holds."""
    from django.urls import reverse

    trivial = reverse("accounts:login")
    get_seconds(client, url)
    get_seconds(client, trivial)
    pages, trivials = [], []
    for _ in range(repeat):
        pages.append(get_seconds(client, url))
        trivials.append(get_seconds(client, trivial))
    return statistics.median(pages), statistics.median(trivials)


def baseline_rows(client) -> list[tuple[str, float, float]]:
    """The two baselines: /healthz (no template, no session) and the login form, the trivial
    page, which renders the base template like every page; every ratio is to the login form."""
    healthz, trivial = measure(client, "/healthz", repeat=25)
    return [("/healthz (no template)", healthz, trivial), (TRIVIAL, trivial, trivial)]


def report(title: str, rows: list[tuple[str, float, float]]) -> None:
    """The benchmark's table: each row is (page, median seconds, median seconds of the trivial
    page measured in turn with it)."""
    print(f"\n{title}")
    print(f"{'page':<58} {'median ms':>10} {'x trivial':>10}")
    for name, seconds, trivial in rows:
        print(f"{name:<58} {seconds * 1000:>10.1f} {seconds / trivial:>10.2f}")
    print(flush=True)


def make_programme(size: int, municipalities: list, staff):
    """A programme with 83 × size accepted applications (33 of the round-1 kind, 50 of the
    round-2 kind, over as many rounds as the one-live-application-per-round rule needs), each
    with its recorded transitions, written in bulk."""
    from profploeg.applications.models import Application, Transition
    from profploeg.lib.dates import at_brussels
    from profploeg.programmes.models import Programme, Round

    programme = Programme.objects.create(
        title=f"Bench budget {size}x",
        published_on=datetime.date(2021, 6, 28),
        capacity=83 * size,
        budget_eur=int(1_500_000 * size * WORKLOAD),
    )
    rounds, applications = [], []
    for kind, count, deadline in ((1, 33 * size, (2021, 8, 13)), (2, 50 * size, (2021, 11, 12))):
        for batch in range(math.ceil(count / PER_ROUND)):
            # Odd rounds follow round 1's schedule, even rounds round 2's.
            round_ = Round(
                programme=programme,
                number=2 * batch + kind,
                opens_on=datetime.date(2021, 6, 28),
                deadline=datetime.date(*deadline),
            )
            rounds.append(round_)
            applications += [
                Application(
                    round=round_,
                    municipality=municipalities[i],
                    submitted_at=at_brussels(datetime.date(2021, 7, 1)),
                    contact_name="Contact",
                    contact_email="contact@example.be",
                    question="Hoe maken we onze kern bedrijviger?",
                    status="accepted",
                )
                for i in range(min(PER_ROUND, count - batch * PER_ROUND))
            ]
    Round.objects.bulk_create(rounds)
    Application.objects.bulk_create(applications, batch_size=2000)
    accepted_at = at_brussels(datetime.date(2021, 9, 10))
    Transition.objects.bulk_create(
        [
            transition
            for a in applications
            for transition in (
                Transition(
                    application=a,
                    to_status="submitted",
                    at=a.submitted_at,
                    recorded_at=a.submitted_at,
                    by=staff,
                ),
                Transition(
                    application=a,
                    from_status="submitted",
                    to_status="accepted",
                    at=accepted_at,
                    recorded_at=accepted_at,
                    by=staff,
                ),
            )
        ],
        batch_size=5000,
    )
    return programme


def generated_programme(size: int):
    """The programme of that size with its trajectories and person-days, generated the first
    time a benchmark of this run asks for it: the budget monitor and the status report share it."""
    from profploeg.demo.trajectories import load_trajectories
    from profploeg.municipalities.models import Municipality
    from profploeg.programmes.models import Programme
    from profploeg.trajectories.models import PersonDayEntry, Trajectory

    existing = Programme.objects.filter(title=f"Bench budget {size}x").first()
    if existing is not None:
        return existing
    _client, staff = staff_client()
    municipalities = list(
        Municipality.objects.valid_on(datetime.date(2021, 8, 1)).order_by("refnis")[:PER_ROUND]
    )
    start = time.perf_counter()
    programme = make_programme(size, municipalities, staff)
    load_trajectories(programme, scale=size, seed=size, through_services=False, workload=WORKLOAD)
    trajectories = Trajectory.objects.in_programme(programme).count()
    entries = PersonDayEntry.objects.in_programme(programme).count()
    print(
        f"{size}x generated in {time.perf_counter() - start:.1f} s: {trajectories:,} "
        f"trajectories, {entries:,} person-day entries ({entries / trajectories:.0f} each)",
        flush=True,
    )
    return programme


def sizes_from_argv(default=(1, 10, 100)) -> list[int]:
    return [int(arg) for arg in sys.argv[1:]] or list(default)
