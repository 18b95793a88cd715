"""The evaluation figures of a programme on a date: response rate, scores, measures, outcome
indicators before and after, by round, province and theme, and every comment.

One function computes them; the staff page, the XLSX download and the status report render its
result. A fixed number of queries, whatever the number of trajectories."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from profploeg.lib.dates import end_of_day, local_date
from profploeg.programmes.models import Programme, Theme
from profploeg.trajectories.models import Trajectory

from .models import Answer, Indicator, Invitation, MeasureAnswer, Question, Questionnaire

Kind = Questionnaire.Kind
Topic = Question.Topic
ONE_DECIMAL = Decimal("0.1")


def average(values: list[int | Decimal]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(ONE_DECIMAL)


def percentage(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(ONE_DECIMAL)


def invitations_for(
    programme: Programme,
    kind: str,
    as_of: datetime.date,
    *,
    round_number: int | None = None,
    province: str | None = None,
    theme: str | None = None,
):
    """The invitations of that kind sent by the date, within the filters (province by REFNIS
    code, theme by slug)."""
    invitations = Invitation.objects.filter(
        questionnaire__programme=programme,
        questionnaire__kind=kind,
        sent_at__lte=end_of_day(as_of),
    )
    if round_number:
        invitations = invitations.filter(trajectory__application__round__number=round_number)
    if province:
        invitations = invitations.filter(
            trajectory__application__municipality__province__refnis=province
        )
    if theme:
        invitations = invitations.filter(trajectory__application__themes__slug=theme)
    return invitations.select_related(
        "trajectory__application__municipality__province",
        "trajectory__application__round",
    ).prefetch_related(
        Prefetch("trajectory__application__themes", queryset=Theme.objects.order_by("name"))
    )


def answered_by(invitation: Invitation, moment: datetime.datetime) -> bool:
    return invitation.answered_at is not None and invitation.answered_at <= moment


def evaluation_summary(
    *,
    programme: Programme,
    kind: str = Kind.COMPLETION,
    as_of: datetime.date | None = None,
    round_number: int | None = None,
    province: str | None = None,
    theme: str | None = None,
) -> dict:
    """Everything the evaluation page shows for one questionnaire kind, as of the date."""
    as_of = as_of or timezone.localdate()
    end = end_of_day(as_of)
    invitations = list(
        invitations_for(
            programme, kind, as_of, round_number=round_number, province=province, theme=theme
        ).order_by("trajectory__application__municipality__name", "pk")
    )
    answered = [i for i in invitations if answered_by(i, end)]
    answered_ids = [i.pk for i in answered]
    by_invitation = {i.pk: i for i in invitations}
    answers = list(
        Answer.objects.filter(response__invitation__in=answered_ids)
        .select_related("question", "response")
        .order_by("question__position", "question__pk", "response__submitted_at")
    )
    measure_answers = list(
        MeasureAnswer.objects.filter(response__invitation__in=answered_ids).select_related(
            "response"
        )
    )

    scores: dict[int, dict] = {}
    by_invitation_topic: dict[tuple[int, str], list[int]] = defaultdict(list)
    comments = []
    for answer in answers:
        question = answer.question
        invitation = by_invitation[answer.response.invitation_id]
        if question.kind == Question.Kind.SCALE and answer.score:
            entry = scores.setdefault(
                question.pk,
                {"question": question.text, "topic": question.topic, "counts": [0] * 5},
            )
            entry["counts"][answer.score - 1] += 1
            by_invitation_topic[(invitation.pk, question.topic)].append(answer.score)
        elif question.kind == Question.Kind.TEXT and answer.text:
            application = invitation.trajectory.application
            comments.append(
                {
                    "municipality": application.municipality.name,
                    "refnis": application.municipality.refnis,
                    "round": application.round.number,
                    "province": application.municipality.province.name,
                    "submitted_on": local_date(answer.response.submitted_at),
                    "topic": question.topic,
                    "question": question.text,
                    "text": answer.text,
                }
            )
    for entry in scores.values():
        counts = entry["counts"]
        entry["answers"] = sum(counts)
        entry["average"] = (
            (
                Decimal(sum(s * c for s, c in enumerate(counts, start=1))) / entry["answers"]
            ).quantize(ONE_DECIMAL)
            if entry["answers"]
            else None
        )
        entry["distribution"] = [
            {"score": score, "count": counts[score - 1], "share": percentage(counts[score - 1], entry["answers"])}
            for score in range(1, 6)
        ]  # fmt: skip

    measure_counts = Counter(m.status for m in measure_answers)
    measures_by_invitation: dict[int, Counter] = defaultdict(Counter)
    for m in measure_answers:
        measures_by_invitation[m.response.invitation_id][m.status] += 1

    def topic_average(group: list[Invitation], topic: str) -> Decimal | None:
        return average([s for i in group for s in by_invitation_topic.get((i.pk, topic), [])])

    def group_rows(key) -> list[dict]:
        groups: dict[str, list[Invitation]] = defaultdict(list)
        for invitation in invitations:
            for name in key(invitation):
                groups[name].append(invitation)
        rows = []
        for name, group in groups.items():
            done = [i for i in group if answered_by(i, end)]
            rows.append(
                {
                    "name": name,
                    "sent": len(group),
                    "answered": len(done),
                    "response_rate": percentage(len(done), len(group)),
                    "satisfaction": topic_average(done, Topic.SATISFACTION),
                    "usefulness": topic_average(done, Topic.USEFULNESS),
                    "carried_out": sum(measures_by_invitation[i.pk]["carried_out"] for i in done),
                    "planned": sum(measures_by_invitation[i.pk]["planned"] for i in done),
                }
            )
        return rows

    def round_key(i: Invitation) -> list[str]:
        return [_("Round %(number)s") % {"number": i.trajectory.application.round.number}]

    def province_key(i: Invitation) -> list[str]:
        return [i.trajectory.application.municipality.province.name]

    def theme_key(i: Invitation) -> list[str]:
        names = [t.name for t in i.trajectory.application.themes.all()]
        return names or [_("No theme")]

    by_round = sorted(group_rows(round_key), key=lambda r: (len(r["name"]), r["name"]))
    by_province = sorted(group_rows(province_key), key=lambda r: r["name"])
    by_theme = sorted(group_rows(theme_key), key=lambda r: r["name"])
    expired = [i for i in invitations if not answered_by(i, end) and i.expires_at <= end]
    sent, done = len(invitations), len(answered)
    return {
        "kind": kind,
        "kind_label": str(Kind(kind).label),
        "as_of": as_of,
        "sent": sent,
        "answered": done,
        "open": sent - done - len(expired),
        "expired": len(expired),
        "reminded": sum(1 for i in invitations if i.reminded_at and i.reminded_at <= end),
        "response_rate": percentage(done, sent),
        "average_satisfaction": topic_average(answered, Topic.SATISFACTION),
        "average_usefulness": topic_average(answered, Topic.USEFULNESS),
        "scores": list(scores.values()),
        "measures": {
            "carried_out": measure_counts[MeasureAnswer.Status.CARRIED_OUT],
            "planned": measure_counts[MeasureAnswer.Status.PLANNED],
            "not_planned": measure_counts[MeasureAnswer.Status.NOT_PLANNED],
            "total": sum(measure_counts.values()),
        },
        "groups": {"round": by_round, "province": by_province, "theme": by_theme},
        "comments": comments,
        "invitations": [
            {
                "pk": i.pk,
                "trajectory": i.trajectory_id,
                "municipality": i.trajectory.application.municipality.name,
                "round": i.trajectory.application.round.number,
                "sent_on": local_date(i.sent_at),
                "answered_on": local_date(i.answered_at) if answered_by(i, end) else None,
                "status": "answered"
                if answered_by(i, end)
                else "expired"
                if i.expires_at <= end
                else "open",
            }
            for i in invitations
        ],
    }


def indicator_summary(
    *,
    programme: Programme,
    as_of: datetime.date | None = None,
    round_number: int | None = None,
    province: str | None = None,
    theme: str | None = None,
) -> dict:
    """Per trajectory and indicator the latest measurement before and after; per indicator the
    averages over the trajectories that have both."""
    as_of = as_of or timezone.localdate()
    indicators = Indicator.objects.filter(
        trajectory__application__round__programme=programme, measured_on__lte=as_of
    )
    if round_number:
        indicators = indicators.filter(trajectory__application__round__number=round_number)
    if province:
        indicators = indicators.filter(
            trajectory__application__municipality__province__refnis=province
        )
    if theme:
        indicators = indicators.filter(trajectory__application__themes__slug=theme)
    latest: dict[tuple[int, str, str], Indicator] = {}
    for indicator in indicators.select_related(
        "trajectory__application__municipality", "trajectory__application__round"
    ).order_by("measured_on", "pk"):
        latest[(indicator.trajectory_id, indicator.kind, indicator.moment)] = indicator
    rows = []
    pairs: dict[str, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for trajectory_id, kind in sorted({(t, k) for t, k, _m in latest}):
        before = latest.get((trajectory_id, kind, Indicator.Moment.BEFORE))
        after = latest.get((trajectory_id, kind, Indicator.Moment.AFTER))
        application = (before or after).trajectory.application
        change = after.value - before.value if before and after else None
        if change is not None:
            pairs[kind].append((before.value, after.value))
        rows.append(
            {
                "trajectory": trajectory_id,
                "municipality": application.municipality.name,
                "round": application.round.number,
                "kind": kind,
                "label": str(Indicator.Kind(kind).label),
                "before": before.value if before else None,
                "before_on": before.measured_on if before else None,
                "before_source": before.source if before else "",
                "after": after.value if after else None,
                "after_on": after.measured_on if after else None,
                "after_source": after.source if after else "",
                "change": change,
            }
        )
    rows.sort(key=lambda r: (r["municipality"], r["label"]))
    totals = []
    for kind, label in Indicator.Kind.choices:
        values = pairs.get(kind, [])
        before_average = average([b for b, _a in values])
        after_average = average([a for _b, a in values])
        totals.append(
            {
                "kind": kind,
                "label": str(label),
                "trajectories": len(values),
                "before_average": before_average,
                "after_average": after_average,
                "change": after_average - before_average if values else None,
            }
        )
    return {"rows": rows, "totals": totals}


def side_by_side(*, programme: Programme, as_of: datetime.date | None = None) -> list[dict]:
    """Per trajectory that was sent the follow-up: what the municipality said at completion and
    a year on (scores by topic, measures carried out and planned, what changed)."""
    as_of = as_of or timezone.localdate()
    end = end_of_day(as_of)
    follow_ups = invitations_for(programme, Kind.FOLLOW_UP, as_of)
    trajectory_ids = list(follow_ups.values_list("trajectory_id", flat=True))
    invitations = list(
        Invitation.objects.filter(
            questionnaire__programme=programme, trajectory__in=trajectory_ids
        ).select_related("questionnaire", "trajectory__application__municipality")
    )
    answered = [i.pk for i in invitations if answered_by(i, end)]
    topics: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for answer in Answer.objects.filter(response__invitation__in=answered).select_related(
        "question", "response"
    ):
        value = answer.score if answer.question.kind == Question.Kind.SCALE else answer.text
        topics[answer.response.invitation_id][answer.question.topic].append(value)
    measures: dict[int, Counter] = defaultdict(Counter)
    for m in MeasureAnswer.objects.filter(response__invitation__in=answered).select_related(
        "response"
    ):
        measures[m.response.invitation_id][m.status] += 1

    def side(invitation: Invitation | None) -> dict:
        if invitation is None:
            return {"status": "not_sent"}
        if not answered_by(invitation, end):
            return {"status": "expired" if invitation.expires_at <= end else "open"}
        said = topics[invitation.pk]
        return {
            "status": "answered",
            "answered_on": local_date(invitation.answered_at),
            "satisfaction": average(said.get(Topic.SATISFACTION, [])),
            "usefulness": average(said.get(Topic.USEFULNESS, [])),
            "carried_out": measures[invitation.pk]["carried_out"],
            "planned": measures[invitation.pk]["planned"],
            "not_planned": measures[invitation.pk]["not_planned"],
            "changes": " ".join(said.get(Topic.CHANGES, [])),
        }

    by_trajectory: dict[int, dict[str, Invitation]] = defaultdict(dict)
    for invitation in invitations:
        by_trajectory[invitation.trajectory_id][invitation.questionnaire.kind] = invitation
    rows = []
    for trajectory_id, kinds in by_trajectory.items():
        trajectory: Trajectory = next(iter(kinds.values())).trajectory
        rows.append(
            {
                "trajectory": trajectory_id,
                "municipality": trajectory.application.municipality.name,
                "completed_on": trajectory.ended_on,
                "completion": side(kinds.get(Kind.COMPLETION)),
                "follow_up": side(kinds.get(Kind.FOLLOW_UP)),
            }
        )
    return sorted(rows, key=lambda r: r["municipality"])


def evaluation_figures(programme: Programme, as_of: datetime.date) -> dict:
    """The `evaluation` object of the status report: how the guidance is evaluated, in figures."""
    completion = evaluation_summary(programme=programme, kind=Kind.COMPLETION, as_of=as_of)
    follow_up = evaluation_summary(programme=programme, kind=Kind.FOLLOW_UP, as_of=as_of)
    indicators = indicator_summary(programme=programme, as_of=as_of)
    return {
        "sent": completion["sent"],
        "received": completion["answered"],
        "open": completion["open"],
        "expired": completion["expired"],
        "response_rate_percent": completion["response_rate"],
        "average_satisfaction": completion["average_satisfaction"],
        "average_usefulness": completion["average_usefulness"],
        "measures": completion["measures"],
        "follow_up": {
            "sent": follow_up["sent"],
            "received": follow_up["answered"],
            "response_rate_percent": follow_up["response_rate"],
            "measures": follow_up["measures"],
        },
        "indicators": [
            {key: row[key] for key in ("kind", "trajectories", "before_average", "after_average")}
            for row in indicators["totals"]
        ],
    }
