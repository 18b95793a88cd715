"""The budget monitor at 1x, 10x and 100x the demo, next to a trivial page, in one run.

Each size is the programme of `common.generated_programme`: 83 × size accepted applications
(33 of the round-1 kind, 50 of the round-2 kind, spread over as many rounds as the
one-live-application-per-round rule needs), then the demo's trajectories generator
(`profploeg.demo.trajectories`, scaled: the consortium and the budget grow with the size, and
each trajectory has 2.5 times the demo's person-days on average, about 60 entries). The page's
query count is printed with its time: it must not grow with the data. Goal (issue 13): 1 s or
less at 100x. The latest figures are in benchmarks/README.md.

    .venv/bin/python benchmarks/budget_monitor.py            # 1x, 10x, 100x
    .venv/bin/python benchmarks/budget_monitor.py 1 10       # only these sizes
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/bench .venv/bin/python benchmarks/budget_monitor.py
"""

from common import (
    baseline_rows,
    cached,
    generated_programme,
    measure,
    report,
    setup_django,
    sizes_from_argv,
    staff_client,
)


def main(sizes: list[int]) -> None:
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from profploeg.trajectories.models import Trajectory

    client, _staff = staff_client()
    rows = baseline_rows(client)
    for size in sizes:
        programme = generated_programme(size)
        trajectories = Trajectory.objects.in_programme(programme).count()
        url = reverse("trajectories:budget", args=[programme.pk]) + "?as_of=2023-06-30"
        with CaptureQueriesContext(connection) as queries:
            client.get(url, secure=True)
        name = f"budget monitor {size}x ({trajectories:,} traj., {len(queries)} q.)"
        rows.append((name, *measure(client, url, repeat=5 if size < 100 else 3)))
        # As production serves it: computed once per data version, then from the cache.
        with cached():
            rows.append((f"budget monitor {size}x, from the cache", *measure(client, url, 5)))
    report("Budget monitor", rows)


if __name__ == "__main__":
    main(sizes_from_argv())
