"""The demo is data: the shipped workbook is what the loaders build, and `profploeg demo
--from-workbook` loads it through the history import with the seed's figures unchanged."""

import io
import json

import openpyxl
from django.test import TestCase
from django.utils import timezone

from profploeg.demo.load import load_demo
from profploeg.demo.workbook import WORKBOOK, load_demo_from_workbook
from profploeg.history.export import export_history
from profploeg.history.layout import SHEETS
from profploeg.history.tests.test_round_trip import wipe_programmes, without_ids
from profploeg.programmes.models import Programme
from profploeg.reports import exports
from profploeg.reports.status import status_report
from profploeg.trajectories.models import PersonDayEntry

# When something was recorded differs between two loads; what happened, and when, does not.
RECORDED = {c.dutch for sheet in SHEETS for c in sheet.columns if c.key == "recorded_at"}


def cells(content: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    result = {}
    for sheet in book.worksheets:
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        keep = [i for i, name in enumerate(rows[0]) if name not in RECORDED]
        result[sheet.title] = [[row[i] for i in keep] for row in rows]
    return result


def report(programme: Programme) -> dict:
    today = status_report(programme=programme, as_of=timezone.localdate())
    return without_ids(json.loads(exports.as_json(today)))


class DemoWorkbookTests(TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        cls.programme = load_demo()

    def test_the_shipped_workbook_is_the_demo_of_the_loaders(self):
        # Failing? Write it again: see profploeg/demo/workbook.py.
        exported, shipped = (
            cells(export_history(programme=self.programme)),
            cells(WORKBOOK.read_bytes()),
        )
        for sheet, rows in shipped.items():
            with self.subTest(sheet=sheet):
                self.assertEqual(len(exported[sheet]), len(rows))
                for number, (mine, theirs) in enumerate(zip(exported[sheet], rows, strict=False)):
                    self.assertEqual(mine, theirs, f"row {number + 1}")

    def test_the_demo_loads_from_its_workbook_once_with_the_same_report(self):
        before = report(self.programme)
        wipe_programmes()

        seed = load_demo_from_workbook()

        self.assertEqual(report(seed), before)
        counts = (Programme.objects.count(), PersonDayEntry.objects.count())
        load_demo_from_workbook()
        self.assertEqual((Programme.objects.count(), PersonDayEntry.objects.count()), counts)
