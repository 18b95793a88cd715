"""Uploaded spreadsheets are read row by row, never further than an import may hold."""

import io
import re
import resource
import zipfile

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from openpyxl import Workbook

from profploeg.lib.tables import read_table


def xlsx(rows: list[list], *, dimension: str | None = None, far_row: int | None = None) -> bytes:
    """A workbook with these rows; optionally a declared size or one cell far below, as a
    hand-made (hostile) file would have."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                if dimension:
                    text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', text)
                if far_row:
                    text = text.replace(
                        "</sheetData>",
                        f'<row r="{far_row}"><c r="A{far_row}" t="inlineStr"><is><t>x</t></is></c>'
                        "</row></sheetData>",
                    )
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class ReadTableTests(SimpleTestCase):
    def test_a_workbook_is_read_as_rows_of_values(self):
        table = read_table(io.BytesIO(xlsx([["refnis", "naam"], [11002, "Antwerpen"]])), "a.xlsx")
        self.assertEqual(table, [["refnis", "naam"], [11002, "Antwerpen"]])

    def test_a_tiny_file_declaring_a_huge_sheet_does_not_eat_the_memory(self):
        bomb = xlsx([["refnis", "naam"], [11002, "Antwerpen"]], dimension="A1:XFD10000")
        self.assertLess(len(bomb), 10_000)
        before = peak_mb()
        table = read_table(io.BytesIO(bomb), "bomb.xlsx", max_rows=2000)
        self.assertLess(peak_mb() - before, 100)
        self.assertEqual(table[1][:2], [11002, "Antwerpen"])
        self.assertLessEqual(max(len(row) for row in table), 64)

    def test_a_cell_a_million_rows_down_is_refused_with_a_clear_error(self):
        bomb = xlsx([["refnis"], [11002]], far_row=1_000_000)
        before = peak_mb()
        with self.assertRaisesMessage(ValidationError, "meer dan 5000 rijen"):
            read_table(io.BytesIO(bomb), "far.xlsx", max_rows=2000)
        self.assertLess(peak_mb() - before, 100)

    def test_reading_stops_one_row_past_the_limit(self):
        rows = [["refnis"]] + [[n] for n in range(50)]
        table = read_table(io.BytesIO(xlsx(rows)), "long.xlsx", max_rows=10)
        # The header, 10 rows and one more: enough for the caller to say "at most 10".
        self.assertEqual(len(table), 12)
        csv_table = read_table(
            io.BytesIO("\n".join(str(r[0]) for r in rows).encode()), "long.csv", max_rows=10
        )
        self.assertEqual(len(csv_table), 12)
