"""The budget monitor at 1x, 10x and 100x the demo, next to a trivial page, in one run.

Each size is its own programme with 83 × size accepted applications (33 of the round-1 kind, 50 of
the round-2 kind, spread over as many rounds as the one-live-application-per-round rule needs),
then the demo's trajectories generator (`profploeg.demo.trajectories`, scaled: the consortium
and the budget grow with the size). Goal (issue 3): the page's query count does not grow with the
data; its time is printed as a multiple of /healthz.

    .venv/bin/python benchmarks/budget_monitor.py            # 1x, 10x, 100x
    .venv/bin/python benchmarks/budget_monitor.py 1 10       # only these sizes
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/bench .venv/bin/python benchmarks/budget_monitor.py

Measured on the 2-core machine, SQLite, one run (generation of 100x takes about 3.5 minutes):
1x 83 trajectories / 2,006 entries: 205 ms; 10x 830 / 21,675: 546 ms; 100x 8,300 / 217,156:
4.5 s; /healthz 3.7 ms; 17 queries at every size. The generator makes about 26 entries per
trajectory, so 100x has about 217,000 entries rather than the issue's estimate of 500,000.
With plan history, status from events and the completion range (issue 10): 19 queries at every
size; 1x 133 ms, 10x 577 ms (busy machine, one run).
"""

import datetime
import math
import sys
import time

from common import report, setup_django, time_get

SIZES = [int(arg) for arg in sys.argv[1:]] or [1, 10, 100]
PER_ROUND = 250


def make_programme(size: int, municipalities: list, staff):
    """A programme with 83 × size accepted applications, each with its recorded transitions."""
    from profploeg.applications.models import Application, Transition
    from profploeg.lib.dates import at_brussels
    from profploeg.programmes.models import Programme, Round

    programme = Programme.objects.create(
        title=f"Bench budget {size}x",
        published_on=datetime.date(2021, 6, 28),
        capacity=83 * size,
        budget_eur=1_500_000 * size,
    )
    applications = []
    for kind, count, deadline in ((1, 33 * size, (2021, 8, 13)), (2, 50 * size, (2021, 11, 12))):
        for batch in range(math.ceil(count / PER_ROUND)):
            # Odd rounds follow round 1's schedule, even rounds round 2's.
            number = 2 * batch + kind
            round_ = Round.objects.create(
                programme=programme,
                number=number,
                opens_on=datetime.date(2021, 6, 28),
                deadline=datetime.date(*deadline),
            )
            for i in range(min(PER_ROUND, count - batch * PER_ROUND)):
                applications.append(
                    Application(
                        round=round_,
                        municipality=municipalities[i],
                        submitted_at=at_brussels(datetime.date(2021, 7, 1)),
                        contact_name="Contact",
                        contact_email="contact@example.be",
                        question="Hoe maken we onze kern bedrijviger?",
                        status="accepted",
                    )
                )
    Application.objects.bulk_create(applications, batch_size=2000)
    applications = list(Application.objects.filter(round__programme=programme))
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


def main() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from profploeg.accounts.models import User
    from profploeg.demo.trajectories import load_trajectories
    from profploeg.municipalities.models import Municipality
    from profploeg.trajectories.models import PersonDayEntry, Trajectory

    staff = User.objects.create_user("bench", password="bench-password", role="staff")
    municipalities = list(
        Municipality.objects.valid_on(datetime.date(2021, 8, 1)).order_by("refnis")[:PER_ROUND]
    )
    client = Client()
    client.force_login(staff)
    trivial = time_get(client, "/healthz")
    rows = [("trivial page (/healthz)", trivial)]
    for size in SIZES:
        start = time.perf_counter()
        programme = make_programme(size, municipalities, staff)
        load_trajectories(programme, scale=size, seed=size, through_services=False)
        generated = time.perf_counter() - start
        trajectories = Trajectory.objects.in_programme(programme).count()
        entries = PersonDayEntry.objects.filter(
            trajectory__application__round__programme=programme
        ).count()
        url = reverse("trajectories:budget", args=[programme.pk]) + "?as_of=2023-06-30"
        with CaptureQueriesContext(connection) as queries:
            client.get(url, secure=True)
        print(
            f"{size}x: {trajectories} trajectories, {entries} person-day entries, "
            f"generated in {generated:.1f} s; the page ran {len(queries)} queries",
            flush=True,
        )
        rows.append(
            (
                f"budget monitor {size}x ({trajectories} traj., {len(queries)} q.)",
                time_get(client, url, repeat=5 if size < 100 else 3),
            )
        )
    report(rows, trivial)


if __name__ == "__main__":
    main()
