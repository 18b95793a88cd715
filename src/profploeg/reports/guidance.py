"""The guidance figures of the status report: intakes, trajectories, person-days and the budget
on the date, from the trajectories' budget monitor (a fixed number of queries)."""

import datetime

from profploeg.programmes.models import Programme
from profploeg.trajectories.models import Assignment, Trajectory
from profploeg.trajectories.monitor import budget_monitor


def add_guidance(report: dict, programme: Programme, as_of: datetime.date) -> None:
    """Add to each round, each accepted application's row and the programme (`budget`) what the
    guidance stood at on the date."""
    monitor = budget_monitor(programme=programme, as_of=as_of)
    rounds = {group.key: group for group in monitor.rounds}
    lines = {(line.round_number, line.refnis): line for line in monitor.lines}
    experts: dict[int, list[dict]] = {}
    for row in (
        Assignment.objects.filter(trajectory__in=[line.pk for line in monitor.lines])
        .with_plan_on(as_of)
        .values("trajectory_id", "expert__name", "expert__organisation__name", "plan_on")
        .order_by("expert__name")
    ):
        experts.setdefault(row["trajectory_id"], []).append(
            {
                "name": row["expert__name"],
                "organisation": row["expert__organisation__name"],
                "person_days_planned": row["plan_on"],
            }
        )
    labels = dict(Trajectory.Status.choices)
    for round_ in report["rounds"]:
        group = rounds.get(round_["number"])
        round_.update(
            {
                "intakes_held": group.intakes_held if group else 0,
                "first_intake": group.first_intake if group else None,
                "trajectories_started": group.started if group else 0,
                "trajectories_running": group.started - group.completed - group.stopped
                if group
                else 0,
                "trajectories_completed": group.completed if group else 0,
                "expected_completion": group.expected_completion if group else None,
                "person_days_planned": group.planned_days if group else 0,
                "person_days_consumed": group.consumed_days if group else 0,
                "cost_eur": group.consumed_eur if group else 0,
            }
        )
        for row in round_["municipalities"]:
            line = lines.get((round_["number"], row["refnis"]))
            if line is None or row.get("status") != "accepted":
                continue
            row.update(
                {
                    "first_intake": line.created_on,
                    "trajectory_status": line.status,
                    "trajectory_status_label": str(labels[line.status]),
                    "started_on": line.started_on,
                    "completed_on": line.ended_on if line.status == "completed" else None,
                    "expected_completion": line.expected_completion,
                    "experts": experts.get(line.pk, []),
                    "person_days_planned": line.planned_days,
                    "person_days_consumed": line.consumed_days,
                    "cost_eur": line.consumed_eur,
                }
            )
    # Capacity grows with the offer's amendments (a third round in 2022): use what was in force.
    capacity = report["capacity"]
    capacity["planned"] = monitor.capacity
    capacity["remaining"] = monitor.capacity - capacity["accepted"]
    report["budget"] = {
        "total_eur": monitor.total_eur,
        "capacity": monitor.capacity,
        "committed_eur": monitor.totals.committed_eur,
        "consumed_eur": monitor.totals.consumed_eur,
        "remaining_eur": monitor.remaining_eur,
        "forecast_at_completion_eur": monitor.forecast_at_completion_eur,
        # The name the report's documents read.
        "forecast_eur": monitor.forecast_at_completion_eur,
        "forecast_exceeds_total": monitor.forecast_exceeds_total,
        "room_in_average_trajectories": monitor.room_in_average_trajectories,
        "expected_completion": monitor.expected_completion,
    }
