import datetime
import io
import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from profploeg.test import PASSWORD
from profploeg.trajectories import services
from profploeg.trajectories.imports import read_rows
from profploeg.trajectories.models import PersonDayEntry

from .base import TrajectoryTestCase


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def xlsx_file(rows: list[list]) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    return data


class ImportTests(TrajectoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_trajectory = cls.trajectory(cls.lier)
        cls.brugge_trajectory = cls.trajectory(cls.brugge)

    def run_import(self, upload, filename="dagen.csv", by=None):
        rows = read_rows(upload=upload, filename=filename, expert=self.eva)
        return services.import_person_days(by=by or self.expert, expert=self.eva, rows=rows)

    def test_good_csv_imports_every_row(self):
        entries = self.run_import(
            csv_file(
                "datum;gemeente;dagen;activiteit;opmerking\n"
                "2022-02-01;Lier;0,5;workshop;Werksessie\n"
                "02/02/2022;Brugge;1;Analyse;\n"
                "2022-02-01;12021;0.5;field_visit;Plaatsbezoek\n"
            )
        )
        self.assertEqual(len(entries), 3)
        self.assertEqual(
            PersonDayEntry.objects.filter(expert=self.eva).count(),
            3,
        )
        self.assertEqual(
            sorted(e.activity for e in PersonDayEntry.objects.all()),
            ["analysis", "field_visit", "workshop"],
        )

    def test_every_bad_row_is_reported_with_its_number_and_nothing_is_written(self):
        self.register(self.lier_trajectory, datetime.date(2022, 3, 1), "0.5")
        upload = csv_file(
            "date,municipality,days,activity,note\n"
            "2022-02-01,Lier,1,analysis,ok\n"
            "2022-02-30,Lier,1,analysis,bad date\n"
            "2022-02-03,Gent,1,analysis,unknown municipality\n"
            "2022-02-04,Lier,0.7,analysis,bad days\n"
            "2022-03-01,Brugge,1,analysis,over one day with the existing entry\n"
            "2099-01-01,Lier,1,analysis,future\n"
            "2022-02-05,Lier,1,dancing,bad activity\n"
        )
        with self.assertRaises(ValidationError) as raised:
            self.run_import(upload)
        messages = raised.exception.messages
        self.assertEqual(
            [m.split(":")[0] for m in messages],
            ["Row 3", "Row 4", "Row 5", "Row 6", "Row 7", "Row 8"],
        )
        self.assertIn("not a date", messages[0])
        self.assertIn("Gent", messages[1])
        self.assertIn("half (0.5)", messages[2])
        self.assertIn("at most 1 day per date", messages[3])
        self.assertIn("in the future", messages[4])
        self.assertIn("unknown activity", messages[5])
        self.assertEqual(PersonDayEntry.objects.count(), 1)

    def test_rows_of_one_file_together_cannot_exceed_one_day(self):
        upload = csv_file(
            "date,municipality,days,activity\n"
            "2022-02-01,Lier,1,analysis\n"
            "2022-02-01,Brugge,0.5,analysis\n"
        )
        with self.assertRaisesMessage(ValidationError, "Row 3"):
            self.run_import(upload)
        self.assertFalse(PersonDayEntry.objects.exists())

    def test_xlsx_with_date_cells_imports(self):
        upload = xlsx_file(
            [
                ["Datum", "Gemeente", "Dagen", "Activiteit", "Opmerking"],
                [datetime.datetime(2022, 2, 1), "Lier", 1, "Workshop", "Sessie"],
                [datetime.date(2022, 2, 2), "Brugge", 0.5, "report", None],
            ]
        )
        entries = self.run_import(upload, filename="dagen.xlsx")
        self.assertEqual(
            sorted((e.date, e.days) for e in entries),
            [
                (datetime.date(2022, 2, 1), Decimal("1.0")),
                (datetime.date(2022, 2, 2), Decimal("0.5")),
            ],
        )

    def test_a_file_without_the_needed_columns_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "missing: days"):
            self.run_import(csv_file("date,municipality,activity\n2022-02-01,Lier,analysis\n"))

    def test_another_format_is_refused(self):
        with self.assertRaisesMessage(ValidationError, ".csv or .xlsx"):
            self.run_import(io.BytesIO(b"x"), filename="dagen.pdf")

    def test_a_windows_csv_with_a_byte_cp1252_lacks_is_still_read(self):
        upload = io.BytesIO(
            b"date;municipality;days;activity;note\n2022-02-01;Lier;1;analysis;\x81\xe9\n"
        )
        [entry] = self.run_import(upload)
        self.assertEqual(entry.note, "\ufffd\u00e9")

    def test_a_binary_file_named_csv_is_refused_as_unreadable(self):
        with self.assertRaisesMessage(ValidationError, "not a readable CSV file"):
            self.run_import(io.BytesIO(b"date,days\x00\x00\x01"))

    def test_blank_rows_above_the_header_are_skipped(self):
        [entry] = self.run_import(
            csv_file(";;;\n\ndate;municipality;days;activity\n2022-02-01;Lier;1;analysis\n")
        )
        self.assertEqual(entry.date, datetime.date(2022, 2, 1))


class ActivityLanguageTests(TrajectoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_trajectory = cls.trajectory(cls.lier)

    def test_the_import_help_lists_the_activities_in_the_page_language_with_their_codes(self):
        self.client.login(username=self.expert.username, password=PASSWORD)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"
        response = self.client.get(reverse("trajectories:days_import"))
        self.assertContains(response, "<td>Terreinbezoek</td><td><code>field_visit</code></td>")
        self.assertNotContains(response, "Field visit")

    def test_an_unknown_activity_names_the_activities_in_the_active_language(self):
        upload = csv_file("datum;gemeente;dagen;activiteit\n01/02/2022;Lier;1;dansen\n")
        with translation.override("nl-be"), self.assertRaises(ValidationError) as raised:
            rows = read_rows(upload=upload, filename="dagen.csv", expert=self.eva)
            services.import_person_days(by=self.expert, expert=self.eva, rows=rows)
        self.assertIn("Terreinbezoek (field_visit)", raised.exception.messages[0])

    def test_labels_in_either_language_are_accepted_whatever_the_active_one(self):
        upload = csv_file(
            "date;municipality;days;activity\n01/02/2022;Lier;1;Field visit\n"
            "02/02/2022;Lier;1;Terreinbezoek\n"
        )
        with translation.override("nl-be"):
            rows = read_rows(upload=upload, filename="dagen.csv", expert=self.eva)
        self.assertEqual([row.activity for row in rows], ["field_visit", "field_visit"])


class ImportCommandTests(TrajectoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_trajectory = cls.trajectory(cls.lier)

    def write(self, text: str):
        folder = Path(tempfile.mkdtemp())
        path = folder / "dagen.csv"
        path.write_text(text)
        return path

    def test_command_imports_a_good_file(self):
        path = self.write("date,municipality,days,activity\n2022-02-01,Lier,1,analysis\n")
        out = io.StringIO()
        call_command("import_person_days", path, expert=str(self.eva.pk), by="eva", stdout=out)
        self.assertIn("1 rows imported", out.getvalue())
        self.assertEqual(PersonDayEntry.objects.count(), 1)

    def test_command_lists_bad_rows_and_imports_nothing(self):
        path = self.write("date,municipality,days,activity\n2022-02-01,Lier,2,analysis\n")
        err = io.StringIO()
        with self.assertRaisesMessage(CommandError, "Nothing was imported"):
            call_command(
                "import_person_days", path, expert="eva@consortium.be", by="sam", stderr=err
            )
        self.assertIn("Row 2", err.getvalue())
        self.assertFalse(PersonDayEntry.objects.exists())
