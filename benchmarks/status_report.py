"""The status report page and each of its downloads at 1x, 10x and 100x the demo, next to a
trivial page, in one run.

The programmes are those of `budget_monitor.py` (`common.generated_programme`: 83 × size
accepted applications over as many rounds as needed, with the demo's trajectories scaled and
about 60 person-day entries each), so the report has every figure, chart and table it has for
the real programme. Each row names the request's query count, which must not grow with the
size, and the size of the response. At 100x each download is timed once (the slow ones take
minutes), at 1x and 10x it is the median of a few. Goals (issue 13): the report computed at
100x in 1 s or less; the page's first screen in 500 ms and under 500 kB; XLSX, DOCX and PDF at
10x in 1 s each. The latest figures are in benchmarks/README.md.

    .venv/bin/python benchmarks/status_report.py            # 1x, 10x, 100x
    .venv/bin/python benchmarks/status_report.py 1 10       # only these sizes
"""

import time

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

AS_OF = "2023-06-30"
DOWNLOADS = [
    ("page", ""),
    ("JSON", "&format=json"),
    ("CSV per municipality", "&format=csv"),
    ("CSV per round", "&format=csv&table=rounds"),
    ("XLSX", "&format=xlsx"),
    ("DOCX", "&format=docx"),
    ("PDF", "&format=pdf"),
    ("annex round 2, PDF", "&annex=2&format=pdf"),
]


def main(sizes: list[int]) -> None:
    setup_django()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client, _staff = staff_client()
    rows = baseline_rows(client)
    for size in sizes:
        programme = generated_programme(size)
        base = reverse("reports:status", args=[programme.pk]) + f"?as_of={AS_OF}"
        for name, params in DOWNLOADS:
            url = base + params
            # The first request is timed too: at 100x it is the only one (a PDF takes minutes).
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, secure=True)
                first = time.perf_counter() - started
            # Counted now: the captured list is read from the connection's log, which the next
            # request clears.
            count = len(queries)
            assert response.status_code == 200, (url, response.status_code)
            repeat = {1: 5, 10: 2}.get(size, 0)
            if repeat:
                seconds, trivial = measure(client, url, repeat=repeat)
            else:
                seconds, trivial = first, measure(client, "/healthz", repeat=5)[1]
            size_kb = len(response.content) / 1024
            rows.append((f"{size}x {name} ({count} q., {size_kb:,.1f} kB)", seconds, trivial))
            print(f"  {size}x {name}: {seconds * 1000:,.0f} ms, {count} queries", flush=True)
            if name == "page":
                # As production serves it: computed once per data version, then from the cache.
                with cached():
                    seconds, trivial = measure(client, url, repeat=5)
                rows.append((f"{size}x page, from the cache", seconds, trivial))
    report("Status report", rows)


if __name__ == "__main__":
    main(sizes_from_argv())
