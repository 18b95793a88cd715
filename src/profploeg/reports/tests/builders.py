"""Typed report parts for tests of the renderers (charts, map): every field has a default."""

import datetime
from decimal import Decimal

from profploeg.reports.schema import (
    ReportBudget,
    ReportCapacity,
    ReportEvaluation,
    ReportMunicipality,
    ReportProgramme,
    ReportRound,
    ReportShowcase,
    StatusReport,
)

D = datetime.date
ZERO = Decimal(0)


def report_row(**fields) -> ReportMunicipality:
    values = {
        "refnis": "12021",
        "name": "Lier",
        "refnis_now": fields.get("refnis", "12021"),
        "name_now": fields.get("name", "Lier"),
        "province": "Limburg",
        "received": D(2021, 8, 1),
        "status": "accepted",
        "status_label": "Accepted",
        "reason": "",
        "themes": [],
        "first_intake": None,
        "trajectory_state": None,
        "trajectory_state_label": "",
        "started_on": None,
        "planned_end": None,
        "completed_on": None,
        "stopped_on": None,
        "overdue_days": 0,
        "inactive": False,
        "last_activity": None,
        "expected_completion_p50": None,
        "expected_completion_p80": None,
        "expected_end_set_by_staff": False,
        "expected_end_reason": "",
        "experts": [],
        "person_days_planned": ZERO,
        "person_days_consumed": ZERO,
        "committed_eur": ZERO,
        "consumed_eur": ZERO,
    }
    values.update(fields)
    return ReportMunicipality(**values)


def report_round(**fields) -> ReportRound:
    values = {
        "number": 1,
        "opens_on": D(2021, 6, 28),
        "deadline": D(2021, 8, 13),
        "submitted": 35,
        "late_from_previous_round": 0,
        "previous_deadline": None,
        "ever_admissible": 34,
        "awaiting_admissibility": 0,
        "awaiting_assessment": 0,
        "inadmissible": 1,
        "deferred": 1,
        "accepted": 33,
        "withdrawn": 0,
        "municipalities": [],
        "intakes_held": 0,
        "first_intake": None,
        "trajectories_started": 0,
        "trajectories_running": 0,
        "trajectories_overdue": 0,
        "trajectories_inactive": 0,
        "trajectories_completed": 0,
        "trajectories_stopped": 0,
        "expected_completion_p50": None,
        "expected_completion_p80": None,
        "person_days_planned": ZERO,
        "person_days_consumed": ZERO,
        "committed_eur": ZERO,
        "consumed_eur": ZERO,
    }
    values.update(fields)
    return ReportRound(**values)


def report_of(*rounds: ReportRound) -> StatusReport:
    measures = {"carried_out": 0, "planned": 0, "not_planned": 0, "total": 0}
    return StatusReport(
        programme=ReportProgramme(id=1, title="Test", published_on=D(2021, 6, 28)),
        as_of=D(2022, 1, 31),
        rounds=list(rounds),
        info_sessions=[],
        capacity=ReportCapacity(planned=10, accepted=0, remaining=10, over_capacity=0),
        budget=ReportBudget(
            total_eur=ZERO,
            committed_eur=ZERO,
            consumed_eur=ZERO,
            remaining_eur=ZERO,
            forecast_at_completion_eur=ZERO,
            forecast_exceeds_total=False,
            room_in_average_trajectories=0,
            committed_definition="",
            trajectories_overdue=0,
            trajectories_inactive=0,
            completion_p50=None,
            completion_p80=None,
            completion_drivers=[],
            completion_method="",
            reference_trajectories=0,
            reference_ratio_p50=None,
            reference_ratio_p80=None,
        ),
        filters={},
        evaluation=ReportEvaluation(
            sent=0,
            received=0,
            open=0,
            expired=0,
            response_rate_percent=None,
            average_satisfaction=None,
            average_usefulness=None,
            measures=measures,
            follow_up={
                "sent": 0,
                "received": 0,
                "response_rate_percent": None,
                "measures": measures,
            },
            indicators=[],
        ),
        showcase=ReportShowcase(published=0, in_review=0, draft=0, withdrawn=0),
    )
