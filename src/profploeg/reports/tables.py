"""The tables of a status report: which fields of the typed report (`schema.py`) each download
shows, in order, with their labels.

A column's label is its header everywhere: on the page, in the XLSX, in the CSV for Excel and in
the documents for Parliament, translated through the catalogue (Dutch in the CSV for Excel and
the documents, whatever the language of the screen). Only the machine dialect's CSV writes the
keys instead. Guidance columns (intake, trajectory, person-days, money) are left out of a
municipalities' table in which no application has a trajectory yet."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # text, int, date, money (euros) or days (person-days, one decimal)
    kind: str = "text"
    # Says something only once an application has a trajectory.
    guidance: bool = False

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "money", "days")


# The counts of a round's applications: the same names and labels on the round's page of
# applications, the report page, every download and the API.
EVER_ADMISSIBLE = _("Found admissible")
AWAITING_ADMISSIBILITY = _("Awaiting admissibility")
AWAITING_ASSESSMENT = _("Awaiting assessment")

ROUND_COLUMNS = [
    Column("number", _("Round"), "int"),
    Column("opens_on", _("Opens"), "date"),
    Column("deadline", _("Deadline"), "date"),
    Column("submitted", _("Submitted"), "int"),
    Column("late_from_previous_round", _("Late from the previous round"), "int"),
    Column("ever_admissible", EVER_ADMISSIBLE, "int"),
    Column("inadmissible", _("Inadmissible"), "int"),
    Column("deferred", _("Deferred"), "int"),
    Column("accepted", _("Accepted"), "int"),
    Column("withdrawn", _("Withdrawn"), "int"),
    Column("awaiting_admissibility", AWAITING_ADMISSIBILITY, "int"),
    Column("awaiting_assessment", AWAITING_ASSESSMENT, "int"),
    Column("intakes_held", _("Intakes held"), "int"),
    Column("first_intake", _("First intake"), "date"),
    Column("trajectories_started", _("Trajectories started"), "int"),
    Column("trajectories_running", _("Trajectories running"), "int"),
    Column("trajectories_overdue", _("Trajectories overdue"), "int"),
    Column("trajectories_completed", _("Trajectories completed"), "int"),
    Column("trajectories_stopped", _("Trajectories stopped"), "int"),
    Column("expected_completion_p50", _("Expected completion (median)"), "date"),
    Column("expected_completion_p80", _("Expected completion (cautious)"), "date"),
    Column("person_days_planned", _("Person-days planned"), "days"),
    Column("person_days_consumed", _("Person-days registered"), "days"),
    Column("committed_eur", _("Committed (EUR)"), "money"),
    Column("consumed_eur", _("Consumed (EUR)"), "money"),
]

MUNICIPALITY_COLUMNS = [
    # The municipality that applied; "now" is the one it merged into since, if any.
    Column("refnis", _("NIS code"), "text"),
    Column("name", _("Municipality"), "text"),
    Column("refnis_now", _("NIS code now"), "text"),
    Column("name_now", _("Municipality now"), "text"),
    Column("province", _("Province"), "text"),
    Column("received", _("Received"), "date"),
    Column("status_label", _("Status"), "text"),
    Column("reason", _("Reason"), "text"),
    Column("themes", _("Themes"), "text"),
    Column("first_intake", _("Intake"), "date", guidance=True),
    Column("trajectory_state_label", _("Trajectory"), "text", guidance=True),
    Column("started_on", _("Started"), "date", guidance=True),
    Column("planned_end", _("Planned end"), "date", guidance=True),
    Column("completed_on", _("Completed"), "date", guidance=True),
    Column("stopped_on", _("Stopped"), "date", guidance=True),
    Column("overdue_days", _("Days overdue"), "int", guidance=True),
    Column("last_activity", _("Last activity"), "date", guidance=True),
    Column("expected_completion_p50", _("Expected completion (median)"), "date", guidance=True),
    Column("expected_completion_p80", _("Expected completion (cautious)"), "date", guidance=True),
    Column("expected_end_reason", _("Expected end set by staff, because"), "text", guidance=True),
    Column("experts", _("Experts"), "text", guidance=True),
    Column("person_days_planned", _("Person-days planned"), "days", guidance=True),
    Column("person_days_consumed", _("Person-days registered"), "days", guidance=True),
    Column("committed_eur", _("Committed (EUR)"), "money", guidance=True),
    Column("consumed_eur", _("Consumed (EUR)"), "money", guidance=True),
]


# The fields that only the municipalities' CSV has: the codes behind the status labels, the round
# of each row, and whether staff set the expected end.
CSV_ONLY_COLUMNS = [
    Column("round", _("Round"), "int"),
    Column("status", _("Status")),
    Column("trajectory_state", _("Trajectory")),
    Column("expected_end_set_by_staff", _("Expected end set by staff"), guidance=True),
]


def present(columns: list[Column], rows: list) -> list[Column]:
    """The columns to show: guidance ones only when some row has a trajectory."""
    guided = any(getattr(row, "has_trajectory", True) for row in rows)
    return [column for column in columns if guided or not column.guidance]


def cell(row, column: Column):
    """A row's value for a column; a list (experts, themes) becomes one comma-separated text.

    The guidance fields of an application without a trajectory are empty, not zero."""
    if column.guidance and not getattr(row, "has_trajectory", True):
        return None
    value = getattr(row, column.key)
    if isinstance(value, list | tuple):
        return ", ".join(str(getattr(item, "name", item)) for item in value)
    return value
