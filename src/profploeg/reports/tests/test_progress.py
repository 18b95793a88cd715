"""The renderers tell their progress; the CLI shows it on a terminal, and only there."""

import datetime
import io
import tempfile
from pathlib import Path

from django.core.management import call_command

from profploeg.reports import exports
from profploeg.test import BaseTestCase


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class ProgressTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.submit(self.lier, day=datetime.date(2021, 8, 1))
        self.submit(self.brugge, day=datetime.date(2021, 9, 1))

    def test_every_binary_format_tells_its_steps_in_order_up_to_saving(self):
        for format, annex in [
            ("xlsx", False),
            ("docx", False),
            ("pdf", False),
            ("xlsx", True),
            ("docx", True),
            ("pdf", True),
        ]:
            with self.subTest(format=format, annex=annex):
                told = []
                exports.export_status(
                    self.programme,
                    as_of=datetime.date(2021, 12, 31),
                    format=format,
                    round_number=2 if annex else None,
                    annex=annex,
                    progress=lambda percent, step, told=told: told.append((percent, step)),
                )
                percents = [percent for percent, _step in told]
                steps = [step for _percent, step in told]
                self.assertEqual(told[0], (0, "Computing the report"))
                self.assertEqual(percents, sorted(percents))
                self.assertEqual(steps[-1], "Saving the file")
                self.assertGreaterEqual(percents[-1], 90)
                self.assertIn("Writing the tables", steps)
                if format != "xlsx" and not annex:
                    self.assertIn("Drawing the charts", steps)

    def test_the_renderers_keep_working_without_a_callback(self):
        report = exports.status_report(programme=self.programme, as_of=datetime.date(2021, 12, 31))
        for format in ("xlsx", "docx", "pdf"):
            self.assertTrue(exports.render(report, format))

    def test_the_command_shows_progress_on_a_terminal(self):
        with tempfile.TemporaryDirectory() as folder:
            terminal = Terminal()
            call_command(
                "report", "status", "--as-of", "2021-12-31", "--programme", str(self.programme.pk),
                "--format", "docx", "--output", str(Path(folder) / "a.docx"), stderr=terminal,
            )  # fmt: skip
            shown = terminal.getvalue()
            self.assertIn("\r  0 % Het rapport berekenen", shown)
            self.assertIn("\r100 % Klaar", shown)
            self.assertTrue(shown.endswith("\n"))
            self.assertTrue((Path(folder) / "a.docx").read_bytes().startswith(b"PK"))

    def test_the_command_is_silent_in_a_pipe_or_a_log(self):
        with tempfile.TemporaryDirectory() as folder:
            log = io.StringIO()
            call_command(
                "report", "status", "--as-of", "2021-12-31", "--programme", str(self.programme.pk),
                "--format", "pdf", "--output", str(Path(folder) / "a.pdf"), stderr=log,
            )  # fmt: skip
            self.assertEqual(log.getvalue(), "")
