"""The tables of a status report: which keys of the report's dict each download shows, in order.

A column whose key is in no row is left out, so a figure appears in every download as soon as
`status.status_report` adds it, and older reports without it still render."""

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

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "money", "days")


ROUND_COLUMNS = [
    Column("number", _("Round"), "int", "Ronde"),
    Column("opens_on", _("Opens"), "date", "Opent"),
    Column("deadline", _("Deadline"), "date", "Indieningsdatum"),
    Column("submitted", _("Submitted"), "int", "Ingediend"),
    Column("admissible", _("Admissible"), "int", "Ontvankelijk"),
    Column("inadmissible", _("Inadmissible"), "int", "Onontvankelijk"),
    Column("deferred", _("Deferred"), "int", "Uitgesteld"),
    Column("accepted", _("Accepted"), "int", "Aanvaard"),
    Column("withdrawn", _("Withdrawn"), "int", "Ingetrokken"),
    Column("awaiting_decision", _("Awaiting decision"), "int", "Wacht op beslissing"),
    Column("intakes_held", _("Intakes held"), "int", "Intakes gehouden"),
    Column("first_intake", _("First intake"), "date", "Eerste intake"),
    Column("trajectories_started", _("Trajectories started"), "int", "Trajecten gestart"),
    Column("trajectories_running", _("Trajectories running"), "int", "Trajecten lopend"),
    Column("trajectories_completed", _("Trajectories completed"), "int", "Trajecten afgerond"),
    Column("expected_completion", _("Expected completion"), "date", "Verwachte afronding"),
    Column("person_days_planned", _("Person-days planned"), "days", "Mensdagen gepland"),
    Column("person_days_consumed", _("Person-days registered"), "days", "Mensdagen geregistreerd"),
    Column("cost_eur", _("Cost (EUR)"), "money", "Kosten (EUR)"),
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
    Column("first_intake", _("Intake"), "date", "Intake"),
    Column("trajectory_status_label", _("Trajectory"), "text", "Traject"),
    Column("started_on", _("Started"), "date", "Gestart"),
    Column("completed_on", _("Completed"), "date", "Afgerond"),
    Column("expected_completion", _("Expected completion"), "date", "Verwachte afronding"),
    Column("experts", _("Experts"), "text", "Experten"),
    Column("person_days_planned", _("Person-days planned"), "days", "Mensdagen gepland"),
    Column("person_days_consumed", _("Person-days registered"), "days", "Mensdagen geregistreerd"),
    Column("cost_eur", _("Cost (EUR)"), "money", "Kosten (EUR)"),
]


def present(columns: list[Column], rows: list[dict]) -> list[Column]:
    """The columns whose key at least one row has."""
    keys = set().union(*(row.keys() for row in rows)) if rows else set()
    return [column for column in columns if column.key in keys]


def cell(row: dict, column: Column):
    """A row's value for a column; a list (experts, themes) becomes one comma-separated text."""
    value = row.get(column.key)
    if isinstance(value, list | tuple):
        return ", ".join(
            str(item.get("name", item)) if isinstance(item, dict) else str(item) for item in value
        )
    return value
