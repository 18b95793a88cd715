"""Background downloads of the status report at 1x, 10x and 100x the demo, in one run.

For each size and format: how long the request that starts the download takes (the database task
queue, as in production: it only records the job), how long the worker takes to make the file,
how many progress steps it tells, and the longest silence between two of them (it must stay well
under the claim's lifetime, lib/delivery.CLAIM_TTL, or a live worker would be thought dead).

    .venv/bin/python benchmarks/downloads.py            # 1x, 10x, 100x
    .venv/bin/python benchmarks/downloads.py 10         # only this size
"""

import datetime
import os
import sys
import time

from budget_monitor import PER_ROUND, make_programme
from common import setup_django

SIZES = [int(arg) for arg in sys.argv[1:]] or [1, 10, 100]
AS_OF = "2023-06-30"
FORMATS = ["xlsx", "docx", "pdf"]


def main() -> None:
    # As in production: the request queues the job, `profploeg db_worker` makes it.
    os.environ["TASK_BACKEND"] = "database"
    setup_django()
    from django.test import Client
    from django.urls import reverse

    from profploeg.accounts.models import User
    from profploeg.demo.trajectories import load_trajectories
    from profploeg.downloads import kinds
    from profploeg.downloads.models import Download
    from profploeg.downloads.services import run_download
    from profploeg.municipalities.models import Municipality

    staff = User.objects.create_user("bench", password="bench-password", role="staff")
    municipalities = list(
        Municipality.objects.valid_on(datetime.date(2021, 8, 1)).order_by("refnis")[:PER_ROUND]
    )
    client = Client()
    client.force_login(staff)
    told: list[tuple[float, int, str]] = []
    real = kinds.KINDS["status_report"]

    def recording(params, progress):
        def tell(percent: int, step: str) -> None:
            told.append((time.perf_counter(), percent, step))
            progress(percent, step)

        return real.make(params, tell)

    kinds.KINDS["status_report"] = kinds.Kind(real.params, real.title, recording, real.check)
    print(
        f"{'size':>5} {'format':<6} {'request ms':>10} {'worker s':>9} {'steps':>6} "
        f"{'longest silence s':>18} {'size kB':>8}"
    )
    for size in SIZES:
        programme = make_programme(size, municipalities, staff)
        load_trajectories(programme, scale=size, seed=size, through_services=False)
        for format in FORMATS:
            started = time.perf_counter()
            response = client.post(
                reverse("downloads:start"),
                {"kind": "status_report", "programme": programme.pk, "as_of": AS_OF,
                 "format": format},
                secure=True,
            )  # fmt: skip
            request = time.perf_counter() - started
            assert response.status_code == 302, response.status_code
            download = Download.objects.latest("pk")
            assert download.status == Download.Status.QUEUED
            told.clear()
            started = time.perf_counter()
            assert run_download(download.pk)
            finished = time.perf_counter()
            moments = [started] + [moment for moment, _percent, _step in told] + [finished]
            silence = max(b - a for a, b in zip(moments, moments[1:], strict=False))
            download.refresh_from_db()
            print(
                f"{size:>4}x {format:<6} {request * 1000:>10.1f} {finished - started:>9.2f} "
                f"{len(told):>6} {silence:>18.2f} {download.size / 1000:>8.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
