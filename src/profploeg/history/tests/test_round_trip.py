"""The demo goes out as a workbook and comes back through the services with the same figures."""

import dataclasses
import datetime
import io
import json

import openpyxl
from django.db.models import Model
from django.test import TestCase
from django.utils import timezone

from profploeg.accounts.models import User
from profploeg.applications.models import Application, Message, Referral, Transition
from profploeg.demo.load import load_demo
from profploeg.evaluations.models import (
    Answer,
    Indicator,
    Invitation,
    MeasureAnswer,
    Question,
    Questionnaire,
    Response,
)
from profploeg.evaluations.summary import evaluation_figures
from profploeg.history.export import export_history
from profploeg.history.services import HistoryImportFailed, import_history
from profploeg.programmes.models import InfoSession, Programme, Round
from profploeg.reports import exports
from profploeg.reports.status import status_report
from profploeg.showcase.models import Case, CaseEvent, CasePhoto
from profploeg.trajectories.models import (
    Assignment,
    DayRate,
    ExpectedEnd,
    Expert,
    Intake,
    IntakeForm,
    IntakeNotice,
    Offer,
    OfferAmendment,
    Organisation,
    PersonDayCorrection,
    PersonDayEntry,
    PlanChange,
    Trajectory,
    TrajectoryEvent,
)
from profploeg.trajectories.monitor import budget_monitor

D = datetime.date


def wipe_programmes() -> None:
    """Every programme and all that hangs on it; users, municipalities and themes stay."""
    for model in (
        CaseEvent, CasePhoto, Case, Answer, MeasureAnswer, Response, Invitation, Indicator,
        Question, Questionnaire, PersonDayCorrection, PersonDayEntry, PlanChange, Assignment, ExpectedEnd,
        TrajectoryEvent, Trajectory, IntakeNotice, IntakeForm, Intake, Message, Referral,
        Transition,
    ):  # fmt: skip
        model.objects.all().delete()
    Application.objects.update(previous_application=None)
    for model in (
        Application, OfferAmendment, Offer, DayRate, Expert, Organisation, InfoSession, Round,
        Programme,
    ):  # fmt: skip
        model.objects.all().delete()


def without_ids(value):
    """The figures without database ids, which a new database numbers anew."""
    if isinstance(value, dict):
        return {
            k: without_ids(v)
            for k, v in value.items()
            if k not in ("id", "pk") and not k.endswith(("_id", "_pk"))
        }
    if isinstance(value, list | tuple):
        return [without_ids(v) for v in value]
    return value


def plain(value):
    """A dataclass as plain values; a model instance as its text (its id is the database's)."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Model):
        return str(value)
    return value


def xlsx_cells(content: bytes) -> list:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [
        (sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)])
        for sheet in workbook.worksheets
    ]


def figures(programme: Programme, day: datetime.date) -> dict:
    report = status_report(programme=programme, as_of=day)
    monitor = budget_monitor(programme=programme, as_of=day)
    budget = plain(monitor)
    # Keyed by the database's trajectory ids; their figures are in the lines.
    budget.pop("plans")
    # Computed when read.
    budget |= {"burnup": plain(monitor.burnup), "organisations": plain(monitor.organisations)}
    return {
        "json": without_ids(json.loads(exports.as_json(report))),
        "csv": exports.as_csv(report, "municipalities"),
        "csv_rounds": exports.as_csv(report, "rounds"),
        "xlsx": xlsx_cells(exports.render(report, "xlsx")),
        "budget": without_ids(budget),
        "evaluation": without_ids(evaluation_figures(programme, day)),
    }


def report_days() -> list[datetime.date]:
    """Before the first decisions, during the intakes, mid-guidance, and today."""
    return [D(2021, 8, 31), D(2022, 1, 31), D(2023, 6, 30), timezone.localdate()]


class RoundTripTests(TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        # The whole demo: rounds 1 to 3, guidance, evaluations, De Vitrine and an open call.
        cls.programme = load_demo()
        cls.staff = User.objects.get(username="vlaio")

    def test_demo_round_trips_through_the_workbook_with_identical_figures(self):
        days = report_days()
        before = {day: figures(self.programme, day) for day in days}
        content = export_history(programme=self.programme)
        wipe_programmes()

        try:
            result = import_history(content=content, by=self.staff)
        except HistoryImportFailed as failed:
            self.fail("\n".join(str(error) for error in failed.row_errors))

        imported = Programme.objects.get(pk=result.programme_id)
        self.assertEqual(result.unknown_users, [])
        for day in days:
            after = figures(imported, day)
            for name, value in before[day].items():
                with self.subTest(day=day, figures=name):
                    self.assertEqual(after[name], value)
