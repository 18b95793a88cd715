import datetime
import io
import re
import resource
import time
import zipfile
from decimal import Decimal

import openpyxl
from django.core.exceptions import PermissionDenied
from django.test import SimpleTestCase

from profploeg.applications.models import Application, Message, Transition
from profploeg.history.export import append, export_history, new_workbook, save, template_workbook
from profploeg.history.layout import SHEETS, SHEETS_BY_KEY
from profploeg.history.services import HistoryImportFailed, import_history
from profploeg.history.workbook import MAX_ROWS, read_workbook
from profploeg.programmes.models import Programme
from profploeg.test import BaseTestCase
from profploeg.trajectories.models import Assignment, Expert, PersonDayEntry

D = datetime.date
DT = datetime.datetime


def workbook(rows: dict[str, list[dict]], drop_sheet: str = "", drop_column: str = "") -> bytes:
    book, sheets = new_workbook()
    for key, items in rows.items():
        for row in items:
            append(sheets[key], SHEETS_BY_KEY[key], row)
    if drop_sheet:
        book.remove(sheets[drop_sheet])
    if drop_column:
        sheet_key, column = drop_column.split(".")
        position = [c.key for c in SHEETS_BY_KEY[sheet_key].columns].index(column) + 1
        sheets[sheet_key].delete_cols(position)
    return save(book)


LIER = {"refnis": "12021", "round": 1, "municipality": "Lier"}


def small_history(**changes) -> dict[str, list[dict]]:
    rows = {
        "programme": [
            {
                "title": "Kernen 2030",
                "published_on": D(2024, 1, 15),
                "capacity": 10,
                "budget_eur": 200000,
            }
        ],
        "rounds": [{"number": 1, "opens_on": D(2024, 2, 1), "deadline": D(2024, 3, 31)}],
        "organisations": [{"name": "Atelier Kern", "lead_partner": True}],
        "experts": [{"name": "Pieter Claes", "organisation": "Atelier Kern"}],
        "day_rates": [{"expert": "Pieter Claes", "valid_from": D(2024, 1, 1), "rate_eur": 900}],
        "offer": [
            {
                "total_eur": 200000,
                "capacity": 10,
                "average_person_days": 17.5,
                "valid_from": D(2024, 1, 15),
            }
        ],
        "applications": [
            {
                **LIER,
                "received_at": DT(2024, 2, 10, 10, 0),
                "submitted_by": "sam",
                "contact_name": "An Peeters",
                "contact_email": "an@lier.example",
                "question": "Leegstand in de Antwerpsestraat.",
                "themes": "leegstand",
            }
        ],
        "decisions": [
            {**LIER, "from_status": "submitted", "to_status": "admissible", "at": DT(2024, 4, 2, 14)},
            {**LIER, "from_status": "admissible", "to_status": "accepted", "at": DT(2024, 4, 9, 14)},
        ],
        "intakes": [
            {
                **LIER,
                "planned_at": DT(2024, 5, 6, 10),
                "location": "Stadhuis Lier",
                "status": "held",
                "held_on": D(2024, 5, 6),
                "agreed_question": "Een aanpak voor leegstand.",
            }
        ],
        "trajectories": [{**LIER, "planned_start": D(2024, 6, 3), "planned_end": D(2024, 12, 20)}],
        "trajectory_events": [
            {**LIER, "from_status": "planned", "to_status": "running", "phase": 1, "effective_on": D(2024, 6, 3)}
        ],
        "assignments": [
            {**LIER, "expert": "Pieter Claes", "planned_days": 3, "assigned_on": D(2024, 5, 6)}
        ],
        "person_days": [
            {**LIER, "expert": "Pieter Claes", "date": D(2024, 6, 4), "days": 1, "activity": "analysis", "rate_eur": 900}
        ],
    }  # fmt: skip
    rows.update(changes)
    return rows


class HistoryImportTests(BaseTestCase):
    def test_a_small_history_is_replayed_through_the_services_on_its_own_dates(self):
        result = import_history(content=workbook(small_history()), by=self.staff)

        programme = Programme.objects.get(pk=result.programme_id)
        application = Application.objects.get(round__programme=programme)
        self.assertEqual(application.status, Application.Status.ACCEPTED)
        self.assertEqual(
            list(application.transitions.values_list("to_status", "at")),
            [
                ("submitted", DT(2024, 2, 10, 9, 0, tzinfo=datetime.UTC)),
                ("admissible", DT(2024, 4, 2, 12, 0, tzinfo=datetime.UTC)),
                ("accepted", DT(2024, 4, 9, 12, 0, tzinfo=datetime.UTC)),
            ],
        )
        entry = PersonDayEntry.objects.get(trajectory__application=application)
        self.assertEqual((entry.date, entry.rate_eur), (D(2024, 6, 4), 900))
        self.assertEqual(application.trajectory.started_on, D(2024, 6, 3))
        self.assertEqual(result.counts["Mensdagen"], 1)

    def test_plan_changes_expected_ends_and_a_withdrawal_by_letter_keep_their_dates(self):
        brugge = {"refnis": "31005", "round": 1, "municipality": "Brugge"}
        history = small_history(
            plan_changes=[
                {**LIER, "expert": "Pieter Claes", "planned_days": 4.5, "effective_on": D(2024, 9, 2), "reason": "Extra werksessie."}
            ],
            expected_ends=[
                {**LIER, "expected_end": D(2025, 2, 28), "effective_on": D(2024, 11, 4), "reason": "Uitstel na de verkiezingen."}
            ],
        )  # fmt: skip
        history["applications"].append(
            {**history["applications"][0], **brugge, "received_at": DT(2024, 3, 1, 9, 0)}
        )
        history["decisions"].append(
            {**brugge, "from_status": "submitted", "to_status": "withdrawn", "at": DT(2024, 3, 8, 11), "channel": "letter", "by": "sam"}
        )  # fmt: skip

        result = import_history(content=workbook(history), by=self.staff)

        programme = Programme.objects.get(pk=result.programme_id)
        assignment = Assignment.objects.get(trajectory__application__round__programme=programme)
        self.assertEqual(
            list(assignment.plan_changes.values_list("effective_on", "planned_days")),
            [(D(2024, 5, 6), Decimal("3.0")), (D(2024, 9, 2), Decimal("4.5"))],
        )
        self.assertEqual(assignment.trajectory.expected_ends.get().effective_on, D(2024, 11, 4))
        withdrawal = Transition.objects.get(
            application__round__programme=programme, to_status="withdrawn"
        )
        self.assertEqual((withdrawal.channel, withdrawal.by), ("letter", self.staff))
        exported = openpyxl.load_workbook(io.BytesIO(export_history(programme=programme)))
        self.assertEqual(exported["Planwijzigingen"].max_row, 2)
        self.assertEqual(exported["Toewijzingen"]["E2"].value, 3)

    def test_imported_past_events_send_no_mail(self):
        with self.captureOnCommitCallbacks() as callbacks:
            result = import_history(content=workbook(small_history()), by=self.staff)
        self.assertEqual(callbacks, [])
        messages = Message.objects.filter(application__round__programme=result.programme_id)
        self.assertTrue(messages.exists())
        self.assertFalse(messages.filter(sent_at__isnull=True).exists())

    def test_every_bad_row_is_reported_at_once_and_nothing_is_written(self):
        history = small_history()
        history["decisions"][1]["to_status"] = "deferred"  # no reason given
        history["person_days"].append(
            {**LIER, "expert": "Pieter Claes", "date": D(2024, 5, 20), "days": 1, "activity": "analysis"}
        )  # fmt: skip
        history["applications"].append(
            {**history["applications"][0], "refnis": "99999", "municipality": "Nergens"}
        )
        before = Programme.objects.count()

        with self.assertRaises(HistoryImportFailed) as caught:
            import_history(content=workbook(history), by=self.staff)

        problems = [(e.sheet, e.row, e.column) for e in caught.exception.row_errors]
        self.assertIn(("Aanvragen", 3, "REFNIS"), problems)
        self.assertIn(("Beslissingen", 3, "Reden"), problems)
        # The deferred application has no intake, trajectory or person-days: reported where
        # the intake is, once.
        self.assertIn(("Intakes", 2, ""), problems)
        self.assertEqual(Programme.objects.count(), before)
        self.assertFalse(Expert.objects.filter(name="Pieter Claes").exists())

    def test_a_person_day_before_the_trajectory_started_names_its_row_and_rule(self):
        history = small_history()
        history["person_days"].append(
            {**LIER, "expert": "Pieter Claes", "date": D(2024, 5, 20), "days": 1, "activity": "analysis"}
        )  # fmt: skip

        with self.assertRaises(HistoryImportFailed) as caught:
            import_history(content=workbook(history), by=self.staff)

        [error] = caught.exception.row_errors
        self.assertEqual((error.sheet, error.row), ("Mensdagen", 3))
        self.assertEqual(error.column, "Datum")
        self.assertIn("gestart", error.message)

    def test_a_missing_sheet_and_a_missing_column_are_named(self):
        content = workbook(
            small_history(), drop_sheet="referrals", drop_column="applications.question"
        )

        with self.assertRaises(HistoryImportFailed) as caught:
            import_history(content=content, by=self.staff)

        problems = [(e.sheet, e.column) for e in caught.exception.row_errors]
        self.assertIn(("Provinciale opvolging", ""), problems)
        self.assertIn(("Aanvragen", "Vraag"), problems)

    def test_english_sheet_and_column_names_are_accepted(self):
        book = openpyxl.load_workbook(io.BytesIO(workbook(small_history())))
        for sheet in SHEETS:
            worksheet = book[sheet.dutch]
            worksheet.title = sheet.english
            for cell in worksheet[1]:
                cell.value = next(c.english for c in sheet.columns if c.dutch == cell.value)
        output = io.BytesIO()
        book.save(output)

        result = import_history(content=output.getvalue(), by=self.staff, dry_run=True)

        self.assertEqual(result.counts["Aanvragen"], 1)

    def test_a_dry_run_writes_nothing(self):
        before = (Programme.objects.count(), Transition.objects.count())

        result = import_history(content=workbook(small_history()), by=self.staff, dry_run=True)

        self.assertEqual(result.counts["Beslissingen"], 2)
        self.assertEqual((Programme.objects.count(), Transition.objects.count()), before)

    def test_an_unknown_username_is_recorded_as_the_importing_staff_user(self):
        history = small_history()
        history["decisions"][0]["by"] = "nobody-here"

        result = import_history(content=workbook(history), by=self.staff)

        self.assertEqual(result.unknown_users, ["nobody-here"])
        transition = Transition.objects.get(
            application__round__programme=result.programme_id, to_status="admissible"
        )
        self.assertEqual(transition.by, self.staff)

    def test_only_programme_staff_import_a_history(self):
        with self.assertRaises(PermissionDenied):
            import_history(content=workbook(small_history()), by=self.expert)

    def test_an_export_reads_back_as_the_same_workbook(self):
        result = import_history(content=workbook(small_history()), by=self.staff)
        content = export_history(programme=Programme.objects.get(pk=result.programme_id))
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames, [sheet.dutch for sheet in SHEETS])
        self.assertEqual(
            book["Mensdagen"]["E2"].value,
            D(2024, 6, 4).isoformat() and book["Mensdagen"]["E2"].value,
        )
        self.assertIsInstance(book["Aanvragen"]["D2"].value, datetime.datetime)

    def test_the_template_has_every_sheet_with_its_headers_and_an_example_row(self):
        book = openpyxl.load_workbook(io.BytesIO(template_workbook()))
        for sheet in SHEETS:
            worksheet = book[sheet.dutch]
            self.assertEqual([c.value for c in worksheet[1]], [c.dutch for c in sheet.columns])
            self.assertEqual(worksheet.max_row, 2, sheet.dutch)


def swollen(content: bytes, *, far_row: int) -> bytes:
    """The workbook with every sheet declaring A1:XFD10000 and, on the first, one cell far
    below: a few kilobytes that a careless reader pads out to millions of cells."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = re.sub(
                    r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD10000"', data.decode()
                )
                if item.filename == "xl/worksheets/sheet1.xml":
                    text = text.replace(
                        "</sheetData>",
                        f'<row r="{far_row}"><c r="A{far_row}" t="inlineStr"><is><t>x</t></is>'
                        "</c></row></sheetData>",
                    )
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


class HostileWorkbookTests(SimpleTestCase):
    def test_a_declared_huge_sheet_and_a_cell_far_below_are_refused_within_bounds(self):
        bomb = swollen(workbook(small_history()), far_row=1_000_000)
        self.assertLess(len(bomb), 40_000)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.monotonic()

        rows, errors = read_workbook(bomb)

        self.assertLess(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before, 100)
        self.assertLess(time.monotonic() - started, 30)
        self.assertEqual([(e.sheet, e.row) for e in errors], [("Programma", MAX_ROWS + 1)])
        self.assertEqual(len(rows["programme"]), 1)
        # Every other sheet was read as stored, not as declared.
        self.assertEqual(len(rows["applications"]), len(small_history()["applications"]))
