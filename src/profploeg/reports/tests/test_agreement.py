"""Every output of the status report says the same: the JSON (CLI and API), the page, the XLSX,
the CSV tables, the DOCX and the PDF, for the demo and for a second programme with other numbers."""

import datetime
import io
import json
import re
from decimal import Decimal

import docx
import openpyxl
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from pypdf import PdfReader

from profploeg.accounts.models import User
from profploeg.applications.models import Application
from profploeg.lib.dates import at_brussels
from profploeg.lib.spreadsheets import EXCEL, MACHINE
from profploeg.municipalities.models import Municipality
from profploeg.programmes.models import Programme
from profploeg.reports import exports
from profploeg.reports.document import nl_number, ordinal
from profploeg.reports.schema import StatusReport
from profploeg.reports.status import status_report
from profploeg.reports.tables import MUNICIPALITY_COLUMNS, ROUND_COLUMNS, present
from profploeg.reports.tests.csvs import as_machine, csv_rows
from profploeg.test import make_round
from profploeg.trajectories.tests.base import TrajectoryTestCase

Status = Application.Status
D = datetime.date


def guided(municipality: dict) -> bool:
    """An application with a trajectory (the tables show its guidance columns)."""
    return municipality["trajectory_state"] is not None


def as_number(value):
    """A figure as JSON has it (text for decimals and dates) made comparable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)).normalize()
    try:
        return Decimal(value).normalize()
    except ArithmeticError:
        return value


class Agreement:
    """Checks shared by the demo and the generated programme."""

    user: User
    programme: Programme
    as_of: datetime.date

    def outputs_agree(self) -> None:
        report = status_report(programme=self.programme, as_of=self.as_of)
        data = json.loads(exports.as_json(report))
        self.assertTrue(data["rounds"], "a report without rounds proves nothing")
        self.json_of_cli_and_api_agree(data)
        self.page_agrees(data)
        self.xlsx_agrees(report, data)
        self.csv_agrees(report, data)
        self.docx_agrees(report, data)
        self.pdf_agrees(report, data)

    def json_of_cli_and_api_agree(self, data: dict) -> None:
        out = io.StringIO()
        call_command(
            "report", "status", "--as-of", self.as_of.isoformat(),
            "--programme", str(self.programme.pk), stdout=out,
        )  # fmt: skip
        self.assertEqual(json.loads(out.getvalue()), data)
        self.client.force_login(self.user)
        api = self.client.get(
            f"/api/programmes/{self.programme.pk}/status", {"as_of": self.as_of.isoformat()}
        )
        self.assertEqual(api.json(), data)

    def page_agrees(self, data: dict) -> None:
        self.client.force_login(self.user)
        html = self.client.get(
            reverse("reports:status", args=[self.programme.pk]), {"as_of": self.as_of.isoformat()}
        ).content.decode()
        # The table of applications per round: a figure per row, a round per column.
        for key in (
            "submitted",
            "late_from_previous_round",
            "ever_admissible",
            "inadmissible",
            "deferred",
            "accepted",
            "withdrawn",
            "awaiting_admissibility",
            "awaiting_assessment",
        ):
            row = re.search(rf'<tr class="figure-{key}">.*?</tr>', html, re.S).group(0)
            figures = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]
            self.assertEqual(figures, [round_[key] for round_ in data["rounds"]], key)
        for round_ in data["rounds"]:
            # The compact table names every municipality; its REFNIS is in the downloads.
            for municipality in round_["municipalities"]:
                self.assertIn(
                    f'class="col-municipality" data-label="{_("Municipality")}">'
                    f"{escape(municipality['name'])}",
                    html,
                )

    def xlsx_agrees(self, report: StatusReport, data: dict) -> None:
        workbook = openpyxl.load_workbook(io.BytesIO(exports.render(report, "xlsx")))
        summary, _programme, *round_sheets = workbook.worksheets
        columns = ROUND_COLUMNS
        for round_, row in zip(
            data["rounds"], summary.iter_rows(min_row=2, values_only=True), strict=True
        ):
            for column, value in zip(columns, row, strict=True):
                self.assertEqual(as_number(value), as_number(round_[column.key]), column.key)
        self.assertEqual(len(round_sheets), len(data["rounds"]))
        for round_, typed, sheet in zip(data["rounds"], report.rounds, round_sheets, strict=True):
            rows = round_["municipalities"]
            keys = [column.key for column in present(MUNICIPALITY_COLUMNS, typed.municipalities)]
            cells = [
                dict(zip(keys, row, strict=True))
                for row in sheet.iter_rows(min_row=2, values_only=True)
            ]
            self.assertEqual([c["refnis"] for c in cells], [r["refnis"] for r in rows])
            for cell, municipality in zip(cells, rows, strict=True):
                for key in ("status_label", "received", "consumed_eur", "person_days_consumed"):
                    if key in cell and (
                        key in ("status_label", "received") or guided(municipality)
                    ):
                        self.assertEqual(as_number(cell[key]), as_number(municipality[key]), key)

    def csv_agrees(self, report: StatusReport, data: dict) -> None:
        """Both dialects: Excel's (the default: Dutch headers and labels, decimal commas,
        DD/MM/YYYY) read back, and the machine's (English keys, codes, ISO)."""
        for dialect in (EXCEL, MACHINE):
            with self.subTest(dialect=dialect.name):
                rounds = csv_rows(exports.render(report, "csv", table="rounds", dialect=dialect))
                for round_, row in zip(data["rounds"], rounds, strict=True):
                    for key, value in as_machine(row, "rounds").items():
                        self.assertEqual(as_number(value), as_number(round_[key]), key)
                rows = [
                    as_machine(row)
                    for row in csv_rows(exports.render(report, "csv", dialect=dialect))
                ]
                expected = [
                    (str(r["number"]), m) for r in data["rounds"] for m in r["municipalities"]
                ]
                self.assertEqual(len(rows), len(expected))
                # Excel's CSV has the status in Dutch whatever the language of the request.
                with translation.override("nl-be"):
                    labels = {code: str(label) for code, label in Status.choices}
                for row, (number, municipality) in zip(rows, expected, strict=True):
                    self.assertEqual(
                        (row["round"], row["refnis"], row["status"], row["received"]),
                        (
                            number,
                            municipality["refnis"],
                            labels[municipality["status"]]
                            if dialect.for_people
                            else municipality["status"],
                            municipality["received"],
                        ),
                    )
                    self.assertEqual(
                        as_number(row["consumed_eur"]), as_number(municipality["consumed_eur"])
                    )

    def sentences(self, data: dict) -> list[str]:
        """What the answer must say of each round, in its words."""
        said = []
        for round_ in data["rounds"]:
            count = round_["submitted"]
            said.append(
                f"Tijdens de {ordinal(round_['number'])} indieningsronde "
                + ("werd één aanvraag" if count == 1 else f"werden {nl_number(count)} aanvragen")
            )
        return said

    def totals(self, data: dict) -> list[str]:
        """Each round's total consumed as its answer's table's last row prints it (and, for a
        later round with trajectories, its annex's)."""
        answers, annexes = [], []
        for r in data["rounds"]:
            total = nl_number(sum(Decimal(m["consumed_eur"]) for m in r["municipalities"]), 2)
            if r["municipalities"]:
                answers.append(total)
            if r["number"] != 1 and any(guided(m) for m in r["municipalities"]):
                annexes.append(total)
        return answers + annexes

    def docx_agrees(self, report: StatusReport, data: dict) -> None:
        document = docx.Document(io.BytesIO(exports.render(report, "docx")))
        text = "\n".join(p.text for p in document.paragraphs)
        for sentence in self.sentences(data):
            self.assertIn(sentence, text)
        tables = [
            [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
        ]
        # Each round's table in its answer; every later round's again in full in the annex.
        shown = [r for r in data["rounds"] if r["municipalities"]]
        shown += [r for r in data["rounds"] if r["number"] != 1]
        self.assertEqual(len(tables), len(shown))
        for round_, table in zip(shown, tables, strict=True):
            body = [row for row in table[1:] if row[0] != "Totaal"]
            self.assertEqual(len(body), len(round_["municipalities"]))
            names = [row[table[0].index("Gemeente")] for row in body]
            self.assertEqual(
                [name.split(" (nu ")[0] for name in names],
                [m["name"] for m in round_["municipalities"]],
            )
        last_rows = [table[-1][-1] for table in tables if table[-1][0] == "Totaal"]
        self.assertEqual(last_rows, self.totals(data))

    def pdf_agrees(self, report: StatusReport, data: dict) -> None:
        reader = PdfReader(io.BytesIO(exports.render(report, "pdf")))
        text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
        for sentence in self.sentences(data):
            self.assertIn(sentence, text)
        for total in self.totals(data):
            self.assertIn(total, text)
        for round_ in data["rounds"]:
            for municipality in round_["municipalities"]:
                self.assertIn(municipality["name"], text)


class DemoAgreementTests(Agreement, TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("demo", stdout=io.StringIO())
        cls.user = User.objects.get(username="vlaio")
        cls.programme = Programme.objects.get(title__startswith="Profploeg: begeleiding")

    def test_every_output_agrees_on_31_january_2022(self):
        self.as_of = D(2022, 1, 31)
        self.outputs_agree()

    def test_every_output_agrees_with_guidance_under_way_on_30_june_2023(self):
        self.as_of = D(2023, 6, 30)
        self.outputs_agree()


class GeneratedAgreementTests(Agreement, TrajectoryTestCase):
    """Three rounds: every status, a merged municipality, two trajectories with person-days."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.user = cls.staff
        make_round(cls.programme, opens_on=D(2021, 11, 13), deadline=D(2022, 2, 28))
        lier = cls.trajectory(cls.lier)
        brugge = cls.trajectory(cls.brugge, start=D(2022, 2, 14))
        cls.register(lier, D(2022, 2, 1))
        cls.register(lier, D(2022, 3, 1), days="0.5", expert=cls.ed)
        cls.register(brugge, D(2022, 2, 15))
        decided = at_brussels(D(2021, 8, 20))
        names = ["Gent", "Mechelen", "Leuven", "Aalst", "Genk", "Roeselare", "Kortessem"]
        towns = {
            name: Municipality.objects.get(name=name, valid_from__isnull=True) for name in names
        }
        cls.decide(
            cls,
            cls.submit(cls, towns["Gent"]),
            Status.INADMISSIBLE,
            reason="Onvolledig.",
            at=decided,
        )
        mechelen = cls.submit(cls, towns["Mechelen"])
        cls.decide(cls, mechelen, Status.ADMISSIBLE, at=decided)
        cls.decide(cls, mechelen, Status.DEFERRED, reason="Vraag onduidelijk.", at=decided)
        cls.submit(cls, towns["Leuven"])
        cls.submit(cls, towns["Aalst"], day=D(2021, 9, 1))
        cls.decide(
            cls,
            cls.submit(cls, towns["Kortessem"], day=D(2021, 9, 2)),
            Status.ADMISSIBLE,
            at=decided.replace(month=9, day=20),
        )
        cls.submit(cls, towns["Genk"], day=D(2021, 12, 1))
        cls.submit(cls, towns["Roeselare"], day=D(2021, 12, 2))
        cls.submit(cls, towns["Gent"], day=D(2021, 12, 3))
        cls.programme.capacity = 7
        cls.programme.save()

    def test_every_output_agrees_for_a_programme_of_three_rounds(self):
        self.as_of = D(2022, 3, 31)
        report = status_report(programme=self.programme, as_of=self.as_of)
        self.assertEqual([r.submitted for r in report.rounds], [5, 2, 3])
        self.outputs_agree()

    def test_every_output_agrees_on_an_earlier_date(self):
        self.as_of = D(2021, 9, 15)
        self.outputs_agree()
