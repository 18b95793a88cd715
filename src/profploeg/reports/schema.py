"""The status report's one typed structure: built once by `status.status_report`, read by the
page, the CLI, the CSV, XLSX, DOCX and PDF downloads and the API (whose OpenAPI schema is these
models).

Every field has one JSON type whatever its value: money is a string with two decimals
("4150.00", "0.00"), person-days, percentages and scores a string with one ("25.0", "0.0"),
counts are integers, dates ISO strings or null."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema


def fixed(places: int, example: str):
    """A Decimal written as a string with exactly `places` decimals, in JSON and its schema."""
    return Annotated[
        Decimal,
        PlainSerializer(lambda value: f"{Decimal(value):.{places}f}", return_type=str),
        WithJsonSchema(
            {
                "type": "string",
                "format": "decimal",
                "pattern": rf"^-?\d+\.\d{{{places}}}$",
                "examples": [example],
            }
        ),
    ]


Money = fixed(2, "4150.00")
Ratio = fixed(2, "1.25")
Days = fixed(1, "25.0")
OneDecimal = fixed(1, "87.5")

ApplicationStatus = Literal[
    "submitted", "admissible", "inadmissible", "accepted", "deferred", "withdrawn"
]
# The trajectory on the date: its recorded status, with a running one past its planned end
# (overdue) or without registrations for long (inactive) told apart by the budget monitor.
TrajectoryState = Literal["planned", "running", "overdue", "inactive", "completed", "stopped"]


class Typed(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReportProgramme(Typed):
    id: int
    title: str
    published_on: datetime.date


class ReportExpert(Typed):
    name: str
    organisation: str
    person_days_planned: Days


class ReportMunicipality(Typed):
    """One application of the round, as it stood on the date."""

    refnis: str
    name: str
    refnis_now: str
    name_now: str
    province: str
    received: datetime.date
    status: ApplicationStatus
    status_label: str
    reason: str = Field(description="Why inadmissible or deferred; empty otherwise")
    themes: list[str]
    # The guidance, for an accepted application with a trajectory by the date (else empty).
    first_intake: datetime.date | None = Field(description="The day its intake was created")
    trajectory_state: TrajectoryState | None = Field(description="null: no trajectory yet")
    trajectory_state_label: str
    started_on: datetime.date | None
    planned_end: datetime.date | None
    completed_on: datetime.date | None
    stopped_on: datetime.date | None
    overdue_days: int = Field(description="Days past the planned end of a running trajectory")
    inactive: bool = Field(description="Running without a registered person-day for 90 days")
    last_activity: datetime.date | None = Field(description="Its latest registered person-day")
    expected_completion_p50: datetime.date | None = Field(
        description="Forecast: half of comparable trajectories were done by then"
    )
    expected_completion_p80: datetime.date | None = Field(
        description="Forecast: four in five comparable trajectories were done by then"
    )
    expected_end_set_by_staff: bool = Field(
        description="The expected end was set by programme staff and replaces the forecast"
    )
    expected_end_reason: str = Field(description="Staff's reason for the expected end they set")
    experts: list[ReportExpert]
    person_days_planned: Days
    person_days_consumed: Days
    committed_eur: Money
    consumed_eur: Money

    @property
    def has_trajectory(self) -> bool:
        return self.trajectory_state is not None


class ReportRound(Typed):
    number: int
    opens_on: datetime.date
    deadline: datetime.date
    submitted: int = Field(description="Applications received by the date, placed in this round")
    late_from_previous_round: int = Field(
        description="Of those, received after the previous round's deadline"
    )
    previous_deadline: datetime.date | None = Field(
        description="The previous round's deadline (null for the first round)"
    )
    ever_admissible: int = Field(description="Found admissible by the date")
    awaiting_admissibility: int = Field(description="Submitted, admissibility not yet decided")
    awaiting_assessment: int = Field(description="Admissible, not yet assessed")
    inadmissible: int
    deferred: int
    accepted: int
    withdrawn: int
    municipalities: list[ReportMunicipality]
    intakes_held: int
    first_intake: datetime.date | None
    trajectories_started: int
    trajectories_running: int = Field(description="Started, not completed or stopped")
    trajectories_overdue: int = Field(description="Running past their planned end")
    trajectories_inactive: int = Field(description="Running without registrations for 90 days")
    trajectories_completed: int
    trajectories_stopped: int
    expected_completion_p50: datetime.date | None
    expected_completion_p80: datetime.date | None
    person_days_planned: Days
    person_days_consumed: Days
    committed_eur: Money
    consumed_eur: Money


class ReportInfoSession(Typed):
    date: datetime.date
    title: str
    registrations: int
    attendees: int


class ReportCapacity(Typed):
    planned: int = Field(description="Trajectories of the offer in force on the date")
    accepted: int
    remaining: int = Field(description="Planned minus accepted, never below 0")
    over_capacity: int = Field(description="Accepted beyond the planned number")


class ReportBudget(Typed):
    total_eur: Money = Field(description="The offer's total in force on the date")
    committed_eur: Money
    consumed_eur: Money
    remaining_eur: Money = Field(description="Total minus committed")
    forecast_at_completion_eur: Money
    forecast_exceeds_total: bool
    room_in_average_trajectories: int
    committed_definition: str = Field(description="What 'committed' means, in plain words")
    trajectories_overdue: int
    trajectories_inactive: int
    completion_p50: datetime.date | None = Field(
        description="All trajectories completed by then: the median forecast"
    )
    completion_p80: datetime.date | None = Field(
        description="All trajectories completed by then: the cautious forecast"
    )
    completion_drivers: list[str] = Field(
        description="The municipalities whose trajectories decide the latest completion"
    )
    completion_method: str = Field(description="How the completion range is forecast")
    reference_trajectories: int = Field(
        description="Completed trajectories the completion range is learned from"
    )
    reference_ratio_p50: Ratio | None = Field(
        description="Median of their actual ÷ planned duration (null: too few to learn from)"
    )
    reference_ratio_p80: Ratio | None = Field(
        description="80th percentile of their actual ÷ planned duration"
    )


class ReportFilter(Typed):
    value: str
    label: str


class ReportMeasures(Typed):
    carried_out: int
    planned: int
    not_planned: int
    total: int


class ReportFollowUp(Typed):
    sent: int
    received: int
    response_rate_percent: OneDecimal | None
    measures: ReportMeasures


class ReportIndicator(Typed):
    kind: str
    trajectories: int = Field(description="Trajectories measured before and after")
    before_average: OneDecimal | None
    after_average: OneDecimal | None


class ReportEvaluation(Typed):
    sent: int = Field(description="Completion questionnaires sent")
    received: int
    open: int
    expired: int
    response_rate_percent: OneDecimal | None
    average_satisfaction: OneDecimal | None = Field(description="1 to 5")
    average_usefulness: OneDecimal | None = Field(description="1 to 5")
    measures: ReportMeasures
    follow_up: ReportFollowUp = Field(description="The questionnaire a year on")
    indicators: list[ReportIndicator] = Field(description="Outcome indicators before/after")


class ReportShowcase(Typed):
    published: int
    in_review: int
    draft: int
    withdrawn: int


class StatusReport(Typed):
    programme: ReportProgramme
    as_of: datetime.date
    rounds: list[ReportRound]
    info_sessions: list[ReportInfoSession]
    capacity: ReportCapacity
    budget: ReportBudget
    filters: dict[str, ReportFilter] = Field(
        description="The filters applied (province, status, theme, expert)"
    )
    evaluation: ReportEvaluation
    showcase: ReportShowcase = Field(description="De Vitrine's cases by status")

    def to_json(self) -> str:
        """The report's JSON: the CLI's output and the API's answer, byte for byte."""
        return self.model_dump_json(indent=2) + "\n"
