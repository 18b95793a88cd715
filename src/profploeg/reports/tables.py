"""The tables of a status report: which fields of the typed report (`schema.py`) each download
shows, in order, with their labels.

Guidance columns (intake, trajectory, person-days, money) are left out of a municipalities'
table in which no application has a trajectory yet."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # text, int, date, money (euros) or days (person-days, one decimal)
    kind: str = "text"
    # The Dutch header of the documents for Parliament (DOCX, PDF): Dutch content, not UI.
    dutch: str = ""
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
    Column("number", _("Round"), "int", "Ronde"),
    Column("opens_on", _("Opens"), "date", "Opent"),
    Column("deadline", _("Deadline"), "date", "Indieningsdatum"),
    Column("submitted", _("Submitted"), "int", "Ingediend"),
    Column("late_from_previous_round", _("Late from the previous round"), "int", "Laattijdig"),
    Column("ever_admissible", EVER_ADMISSIBLE, "int", "Ontvankelijk verklaard"),
    Column("inadmissible", _("Inadmissible"), "int", "Onontvankelijk"),
    Column("deferred", _("Deferred"), "int", "Uitgesteld"),
    Column("accepted", _("Accepted"), "int", "Aanvaard"),
    Column("withdrawn", _("Withdrawn"), "int", "Ingetrokken"),
    Column("awaiting_admissibility", AWAITING_ADMISSIBILITY, "int", "Wacht op ontvankelijkheid"),
    Column("awaiting_assessment", AWAITING_ASSESSMENT, "int", "Wacht op beoordeling"),
    Column("intakes_held", _("Intakes held"), "int", "Intakes gehouden"),
    Column("first_intake", _("First intake"), "date", "Eerste intake"),
    Column("trajectories_started", _("Trajectories started"), "int", "Trajecten gestart"),
    Column("trajectories_running", _("Trajectories running"), "int", "Trajecten lopend"),
    Column("trajectories_overdue", _("Trajectories overdue"), "int", "Trajecten over tijd"),
    Column("trajectories_completed", _("Trajectories completed"), "int", "Trajecten afgerond"),
    Column("trajectories_stopped", _("Trajectories stopped"), "int", "Trajecten stopgezet"),
    Column(
        "expected_completion_p50",
        _("Expected completion (median)"),
        "date",
        "Verwachte afronding (mediaan)",
    ),
    Column(
        "expected_completion_p80",
        _("Expected completion (cautious)"),
        "date",
        "Verwachte afronding (voorzichtig)",
    ),
    Column("person_days_planned", _("Person-days planned"), "days", "Mensdagen gepland"),
    Column("person_days_consumed", _("Person-days registered"), "days", "Mensdagen geregistreerd"),
    Column("committed_eur", _("Committed (EUR)"), "money", "Vastgelegd (EUR)"),
    Column("consumed_eur", _("Consumed (EUR)"), "money", "Verbruikt (EUR)"),
]

MUNICIPALITY_COLUMNS = [
    Column("refnis", _("REFNIS"), "text", "NIS-code"),
    Column("name", _("Municipality (then)"), "text", "Gemeente"),
    Column("refnis_now", _("REFNIS now"), "text", "NIS-code nu"),
    Column("name_now", _("Municipality (now)"), "text", "Gemeente nu"),
    Column("province", _("Province"), "text", "Provincie"),
    Column("received", _("Received"), "date", "Ontvangen"),
    Column("status_label", _("Status"), "text", "Status"),
    Column("reason", _("Reason"), "text", "Reden"),
    Column("themes", _("Themes"), "text", "Thema's"),
    Column("first_intake", _("Intake"), "date", "Intake", True),
    Column("trajectory_state_label", _("Trajectory"), "text", "Traject", True),
    Column("started_on", _("Started"), "date", "Gestart", True),
    Column("planned_end", _("Planned end"), "date", "Gepland einde", True),
    Column("completed_on", _("Completed"), "date", "Afgerond", True),
    Column("stopped_on", _("Stopped"), "date", "Stopgezet", True),
    Column("overdue_days", _("Days overdue"), "int", "Dagen over tijd", True),
    Column("last_activity", _("Last activity"), "date", "Laatste activiteit", True),
    Column(
        "expected_completion_p50",
        _("Expected completion (median)"),
        "date",
        "Verwacht klaar (mediaan)",
        True,
    ),
    Column(
        "expected_completion_p80",
        _("Expected completion (cautious)"),
        "date",
        "Verwacht klaar (voorzichtig)",
        True,
    ),
    Column(
        "expected_end_reason",
        _("Expected end set by staff, because"),
        "text",
        "Einddatum vastgelegd door VLAIO, omdat",
        True,
    ),
    Column("experts", _("Experts"), "text", "Experten", True),
    Column("person_days_planned", _("Person-days planned"), "days", "Mensdagen gepland", True),
    Column(
        "person_days_consumed",
        _("Person-days registered"),
        "days",
        "Mensdagen geregistreerd",
        True,
    ),
    Column("committed_eur", _("Committed (EUR)"), "money", "Vastgelegd (EUR)", True),
    Column("consumed_eur", _("Consumed (EUR)"), "money", "Verbruikt (EUR)", True),
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
