"""Reading an expert's person-day registrations from a CSV or XLSX file into rows to check.

Reading has no side effects: `services.import_person_days` checks the rows and writes them."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from profploeg.lib.tables import column_index, is_blank, read_table

from .models import Expert, PersonDayEntry, Trajectory
from .services import ImportRow

# Column names as people type them, Dutch and English.
COLUMNS = {
    "date": {"date", "datum", "dag"},
    "municipality": {"municipality", "gemeente"},
    "trajectory": {"trajectory", "traject", "trajectory id", "traject id"},
    "days": {"days", "dagen", "mensdagen", "person-days", "person days"},
    "activity": {"activity", "activiteit"},
    "note": {"note", "notitie", "opmerking", "omschrijving"},
}
REQUIRED = ("date", "days", "activity")
MAX_ROWS = 5000


def activity_codes() -> dict[str, str]:
    """Activity codes by every way of writing them: code, or label in any language offered."""
    codes = {}
    for value, label in PersonDayEntry.Activity.choices:
        codes[value] = value
        codes[value.replace("_", " ")] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                codes[str(label).lower()] = value
    codes.update(
        {
            "analyse": "analysis",
            "terreinbezoek": "field_visit",
            "plaatsbezoek": "field_visit",
            "rapport": "report",
            "rapportage": "report",
            "coördinatie": "coordination",
            "coordinatie": "coordination",
            "intakegesprek": "intake",
        }
    )
    return codes


def activity_names() -> str:
    """The activities as the import accepts them, in the active language: "Analyse (analysis), …"."""
    return ", ".join(f"{label} ({value})" for value, label in PersonDayEntry.Activity.choices)


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_days(value) -> Decimal | None:
    text = str(value if value is not None else "").strip().replace(",", ".")
    try:
        return Decimal(text).quantize(Decimal("0.1"))
    except InvalidOperation:
        return None


def read_rows(*, upload: IO[bytes], filename: str, expert: Expert) -> list[ImportRow]:
    """Parse every row; the problems a row has on its own are kept with it."""
    table = read_table(upload, filename, max_rows=MAX_ROWS)
    index = column_index(table[0], COLUMNS)
    missing = [key for key in REQUIRED if key not in index]
    if "municipality" not in index and "trajectory" not in index:
        missing.append("municipality")
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    if len(table) - 1 > MAX_ROWS:
        raise ValidationError(_("Import at most %(max)d rows at a time.") % {"max": MAX_ROWS})
    assigned = list(
        Trajectory.objects.filter(assignments__expert=expert).select_related(
            "application__municipality", "application__round"
        )
    )
    by_id = {str(t.pk): t for t in assigned}
    codes = activity_codes()

    def cell(row: list, key: str):
        position = index.get(key)
        return row[position] if position is not None and position < len(row) else None

    rows = []
    for number, row in enumerate(table[1:], start=2):
        if is_blank(row):
            continue
        problems = []
        day = parse_date(cell(row, "date"))
        if day is None:
            problems.append(
                _("the date %(value)r is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
                % {"value": str(cell(row, "date") or "")}
            )
        days = parse_days(cell(row, "days"))
        if days is None:
            problems.append(
                _("the person-days %(value)r are not a number")
                % {"value": str(cell(row, "days") or "")}
            )
        raw_activity = str(cell(row, "activity") or "").strip().lower()
        activity = codes.get(raw_activity)
        if activity is None:
            problems.append(
                _("unknown activity %(value)r (use one of: %(choices)s)")
                % {"value": raw_activity, "choices": activity_names()}
            )
        trajectory = find_trajectory(
            assigned,
            by_id,
            str(cell(row, "trajectory") or "").strip(),
            str(cell(row, "municipality") or "").strip(),
            problems,
            expert,
        )
        rows.append(
            ImportRow(
                number=number,
                day=day,
                trajectory=trajectory,
                days=days,
                activity=activity,
                note=str(cell(row, "note") or "").strip(),
                problems=tuple(problems),
            )
        )
    return rows


def find_trajectory(assigned, by_id, trajectory_id, municipality, problems, expert):
    """The expert's trajectory by its id, or by the municipality's name or REFNIS code."""
    if trajectory_id:
        trajectory_id = trajectory_id.removesuffix(".0")
        if trajectory_id in by_id:
            return by_id[trajectory_id]
        problems.append(
            _("%(expert)s is not assigned to trajectory %(id)s")
            % {"expert": expert.name, "id": trajectory_id}
        )
        return None
    wanted = municipality.lower()
    matches = [
        t
        for t in assigned
        if wanted in (t.application.municipality.name.lower(), t.application.municipality.refnis)
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = Trajectory.objects.filter(
            Q(application__municipality__name__iexact=municipality)
            | Q(application__municipality__refnis=municipality)
        ).exists()
        if known:
            problems.append(
                _("%(expert)s is not assigned to a trajectory of %(municipality)s")
                % {"expert": expert.name, "municipality": municipality}
            )
        else:
            problems.append(_("no trajectory for municipality %(value)r") % {"value": municipality})
        return None
    # Once for each round: the open one is meant, unless the id column says otherwise.
    open_ = [t for t in matches if not t.is_ended]
    if len(open_) == 1:
        return open_[0]
    problems.append(
        _("%(municipality)s has several trajectories: give the trajectory id")
        % {"municipality": municipality}
    )
    return None
