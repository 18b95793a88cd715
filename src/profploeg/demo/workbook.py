"""The demo as data: the seed programme's history ships as a workbook (data/seed-history.xlsx)
that `profploeg demo` loads through the same history import a real agency uses, so the demo
exercises that path, the audit trail covers it, and the two cannot drift apart.

The workbook is the export of the seed programme as the loaders of this package build it; after
changing them, write it again on an empty database:

    profploeg migrate && profploeg shell -c "from profploeg.demo.workbook import write; write()"

`test_the_shipped_workbook_is_the_demo_of_the_loaders` fails until that is done."""

import datetime
from pathlib import Path

from django.db import transaction
from django.test.utils import override_settings

from profploeg.demo import applications, showcase
from profploeg.demo.load import load_demo
from profploeg.history.export import export_history
from profploeg.history.services import import_history
from profploeg.history.workbook import read_workbook
from profploeg.municipalities.models import Municipality
from profploeg.programmes.models import Programme

WORKBOOK = Path(__file__).parent / "data" / "seed-history.xlsx"


def load_users() -> dict:
    """The demo's logins: staff, expert, two municipality users and the province users, and the
    municipality accounts that approve De Vitrine's cases in the workbook."""
    municipalities = applications.pick_municipalities(datetime.date(2021, 8, 1), 85, seed=2021)
    users = applications.load_users(municipalities)
    rows, _errors = read_workbook(WORKBOOK.read_bytes())
    for row in rows["case_events"]:
        if row["action"] == "approved":
            municipality = Municipality.objects.filter(refnis=row["refnis"]).first()
            if municipality is not None:
                showcase.approver(municipality)
    return users


@transaction.atomic
def load_demo_from_workbook() -> Programme:
    """The seed programme from the shipped workbook (once: loading again changes nothing), and
    the call that is open today."""
    seed = Programme.objects.filter(title=applications.SEED_TITLE).first()
    if seed is None:
        users = load_users()
        result = import_history(content=WORKBOOK.read_bytes(), by=users["staff"])
        seed = Programme.objects.get(pk=result.programme_id)
    applications.load_open_call()
    return seed


def write() -> None:
    """Write the shipped workbook again from the loaders (on an empty database)."""
    # As `profploeg demo` does: in one transaction (the completions' after-commit questionnaires
    # find the demo's own invitations), without mail.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            seed = load_demo()
    WORKBOOK.parent.mkdir(exist_ok=True)
    WORKBOOK.write_bytes(export_history(programme=seed))
