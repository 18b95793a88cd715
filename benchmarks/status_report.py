"""The status report page and each of its downloads at 1x, 10x and 100x the demo, next to a
trivial page, in one run.

The programmes are those of `budget_monitor.py` (83 × size accepted applications over as many
rounds as needed, with the demo's trajectories and person-days scaled), so the report has every
figure, chart and table it has for the real programme. The query count of each request is
printed too: it must not grow with the size (issue 4).

    .venv/bin/python benchmarks/status_report.py            # 1x, 10x, 100x
    .venv/bin/python benchmarks/status_report.py 1 10       # only these sizes

Measured on the 2-core machine, SQLite (other work on the machine moves these by 2-3x; 100x
figures are single requests of an earlier run, before the DOCX tables were written as XML).
Queries: the page 30, each download 26, at every size. Median ms, 1x / 10x / 100x:
/healthz 2; page 108 / 706 / 10,498; JSON 74 / 448 / 9,616; CSV per municipality 74 / 446 /
9,794; CSV per round 89 / 502 / 12,962 (the report's own computation, about half of it the
budget monitor); XLSX 117 / 1,014 / 22,406; DOCX 441 / 3,559 / 86,789; PDF 472 / 3,901 /
56,904; annex of round 2 as PDF 325 / 1,228 / 8,195. Before the page formatted its cells in
Python and the PDF drew its own tables: page 629 / 3,531 / 33,615 and PDF 2,419 / 31,663 /
443,204 (same loaded machine as the 100x figures).
"""

import datetime
import sys
import time

from budget_monitor import PER_ROUND, make_programme
from common import report, setup_django, time_get

SIZES = [int(arg) for arg in sys.argv[1:]] or [1, 10, 100]
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


def main() -> None:
    setup_django()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from profploeg.accounts.models import User
    from profploeg.demo.trajectories import load_trajectories
    from profploeg.municipalities.models import Municipality

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
        print(f"{size}x generated in {time.perf_counter() - start:.1f} s", flush=True)
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
            seconds = time_get(client, url, repeat=repeat) if repeat else first
            size_kb = len(response.content) // 1024
            rows.append((f"{size}x {name} ({count} q., {size_kb} kB)", seconds))
            print(f"  {name}: {seconds * 1000:.0f} ms, {count} queries", flush=True)
    report(rows, trivial)


if __name__ == "__main__":
    main()
