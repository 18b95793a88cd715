"""The staff table of a round at 40, 400 and 4,000 applications (1x, 10x and 100x), next to a
trivial page, in one run.

Goal (issue 13): within 2x a trivial page (the login form, which renders the same base template),
with the same number of queries at every size. The table shows 50 rows a page, read as values
and written as HTML in one go (applications/round_table.py), so its cost hardly grows with the
round; what still grows is the database's sort of the whole round by municipality name and its
count by status. A municipality has one live application per round, so beyond the 312
municipalities the extra applications are withdrawn ones: the table lists them all the same.
The latest figures are in benchmarks/README.md.

    .venv/bin/python benchmarks/round_table.py              # 1x, 10x, 100x
    .venv/bin/python benchmarks/round_table.py 1 10         # 40 and 400 applications
"""

import datetime
import random

from common import (
    baseline_rows,
    cached,
    measure,
    report,
    setup_django,
    sizes_from_argv,
    staff_client,
)

# Applications per size: 40 at 1x (the demo's round 1 has 35), 4,000 at 100x.
PER_SIZE = 40


def make_round(size: int, municipalities: list, rng: random.Random):
    from profploeg.applications.models import Application, Transition
    from profploeg.lib.dates import at_brussels
    from profploeg.programmes.models import Programme, Round, Theme

    programme = Programme.objects.create(
        title=f"Bench {size}", published_on=datetime.date(2021, 6, 1), capacity=size, budget_eur=1
    )
    round_ = Round.objects.create(
        programme=programme,
        number=1,
        opens_on=datetime.date(2021, 6, 1),
        deadline=datetime.date(2021, 12, 31),
    )
    live = ["submitted", "admissible", "inadmissible", "accepted", "deferred"]
    applications = Application.objects.bulk_create(
        [
            Application(
                round=round_,
                municipality=municipalities[i % len(municipalities)],
                submitted_at=at_brussels(
                    datetime.date(2021, 7, 1) + datetime.timedelta(days=i % 150)
                ),
                contact_name="Contact",
                contact_email="contact@example.be",
                question="Hoe maken we onze kern bedrijviger? " * 5,
                status=rng.choice(live) if i < len(municipalities) else "withdrawn",
            )
            for i in range(size)
        ],
        batch_size=1000,
    )
    Transition.objects.bulk_create(
        [
            Transition(
                application=a, to_status="submitted", at=a.submitted_at, recorded_at=a.submitted_at
            )
            for a in applications
        ],
        batch_size=1000,
    )
    themes = list(Theme.objects.all())
    Application.themes.through.objects.bulk_create(
        [Application.themes.through(application=a, theme=rng.choice(themes)) for a in applications],
        batch_size=1000,
    )
    return round_


def main(sizes: list[int]) -> None:
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from profploeg.municipalities.models import Municipality

    client, _staff = staff_client()
    municipalities = list(Municipality.objects.order_by("refnis"))
    rng = random.Random(4)
    rows = baseline_rows(client)
    for size in sizes:
        applications = PER_SIZE * size
        url = reverse("applications:round", args=[make_round(applications, municipalities, rng).pk])
        with CaptureQueriesContext(connection) as queries:
            client.get(url, secure=True)
        name = f"round table, {applications:,} applications ({len(queries)} q.)"
        rows.append((name, *measure(client, url)))
        # As production serves it: computed once per data version, then from the cache.
        with cached():
            rows.append((f"{name.split(' (')[0]}, from the cache", *measure(client, url)))
    report("Round table", rows)


if __name__ == "__main__":
    main(sizes_from_argv())
