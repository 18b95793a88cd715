"""Write a programme's whole history as one workbook (see layout.py and docs/history-workbook.md).

Dates are date cells, moments are date-and-time cells in Belgian time, amounts and person-days
are number cells. Person-days are written as they stand today: corrections applied, with the
rate they were booked at. Photos of De Vitrine stay out of the workbook."""

import datetime
import io
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from profploeg.applications.models import Application, Referral, Transition
from profploeg.evaluations.models import Answer, Indicator, Invitation, MeasureAnswer
from profploeg.lib.dates import BRUSSELS
from profploeg.lib.progress import Progress, no_progress
from profploeg.lib.spreadsheets import append_row
from profploeg.programmes.models import Programme, Theme
from profploeg.showcase.models import Case, CaseEvent
from profploeg.trajectories.models import (
    IN_FORCE,
    Assignment,
    DayRate,
    ExpectedEnd,
    Expert,
    ExpertiseArea,
    Intake,
    Offer,
    OfferAmendment,
    Organisation,
    PersonDayEntry,
    Trajectory,
    TrajectoryEvent,
)

from .layout import DATE, DATETIME, SHEETS, Sheet


def cell(value, kind: str):
    """A value as the cell should hold it: naive Belgian moments, numbers, text (kept from
    becoming a formula by append_row)."""
    if value is None or value == "":
        return None
    if kind == DATETIME and isinstance(value, datetime.datetime) and value.tzinfo is None:
        return value
    if kind == DATETIME and isinstance(value, datetime.datetime):
        return timezone.localtime(value, BRUSSELS).replace(tzinfo=None, microsecond=0)
    if kind == DATE and isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def username(user) -> str:
    return user.username if user is not None else ""


def key(application: Application) -> dict:
    return {
        "refnis": application.municipality.refnis,
        "round": application.round.number,
        "municipality": application.municipality.name,
    }


def new_workbook() -> tuple[Workbook, dict]:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = {}
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.dutch[:31])
        worksheet.append([column.dutch for column in sheet.columns])
        for index, column in enumerate(sheet.columns, start=1):
            worksheet.cell(row=1, column=index).font = Font(bold=True)
            worksheet.column_dimensions[get_column_letter(index)].width = max(
                12, min(40, len(column.dutch) + 4)
            )
        worksheet.freeze_panes = "A2"
        sheets[sheet.key] = worksheet
    return workbook, sheets


def append(worksheet, sheet: Sheet, row: dict) -> None:
    append_row(worksheet, [cell(row.get(column.key), column.kind) for column in sheet.columns])
    for index, column in enumerate(sheet.columns, start=1):
        target = worksheet.cell(row=worksheet.max_row, column=index)
        if column.kind == DATE:
            target.number_format = "DD/MM/YYYY"
        elif column.kind == DATETIME:
            target.number_format = "DD/MM/YYYY HH:MM"


def save(workbook: Workbook) -> bytes:
    for worksheet in workbook.worksheets:
        if worksheet.max_row > 1:
            worksheet.auto_filter.ref = worksheet.dimensions
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def history_rows(programme: Programme) -> dict[str, list[dict]]:
    """Every row of every sheet, in the order of the history."""
    rows: dict[str, list[dict]] = {sheet.key: [] for sheet in SHEETS}
    rows["programme"].append(
        {
            "title": programme.title,
            "description": programme.description,
            "published_on": programme.published_on,
            "capacity": programme.capacity,
            "budget_eur": programme.budget_eur,
        }
    )
    for round_ in programme.rounds.order_by("number"):
        rows["rounds"].append(
            {"number": round_.number, "opens_on": round_.opens_on, "deadline": round_.deadline}
        )
    for session in programme.info_sessions.order_by("held_on", "pk"):
        rows["info_sessions"].append(
            {
                "title": session.title,
                "held_on": session.held_on,
                "registrations": session.registrations,
                "attendees": session.attendees,
            }
        )
    themes = Theme.objects.filter(
        Q(application__round__programme=programme)
        | Q(cases__trajectory__application__round__programme=programme)
    ).distinct()
    for theme in themes.order_by("slug"):
        rows["themes"].append({"slug": theme.slug, "name": theme.name})
    offer = Offer.objects.filter(programme=programme).first()
    if offer is not None:
        rows["offer"].append(
            {
                "total_eur": offer.total_eur,
                "capacity": offer.capacity,
                "average_person_days": offer.average_person_days,
                "valid_from": offer.valid_from,
                "valid_until": offer.valid_until,
            }
        )
        for amendment in OfferAmendment.objects.filter(offer=offer).select_related("by"):
            rows["amendments"].append(
                {
                    "effective_on": amendment.effective_on,
                    "total_eur": amendment.total_eur,
                    "capacity": amendment.capacity,
                    "reason": amendment.reason,
                    "by": username(amendment.by),
                    "recorded_at": amendment.recorded_at,
                }
            )

    in_programme = {"trajectory__application__round__programme": programme}
    used_experts = (
        set(Assignment.objects.filter(**in_programme).values_list("expert", flat=True))
        | set(PersonDayEntry.objects.filter(**in_programme).values_list("expert", flat=True))
        | set(
            Intake.objects.filter(application__round__programme=programme).values_list(
                "experts", flat=True
            )
        )
    )
    experts = list(
        Expert.objects.filter(pk__in=used_experts - {None})
        .select_related("organisation", "user")
        .prefetch_related("expertise_areas")
        .order_by("organisation__name", "name", "pk")
    )
    organisations = Organisation.objects.filter(experts__in=experts).distinct()
    for organisation in organisations.order_by("-is_lead_partner", "name"):
        rows["organisations"].append(
            {"name": organisation.name, "lead_partner": organisation.is_lead_partner}
        )
    areas = ExpertiseArea.objects.filter(experts__in=experts).distinct().order_by("slug")
    for area in areas:
        rows["expertise_areas"].append({"slug": area.slug, "name": area.name})
    for expert in experts:
        rows["experts"].append(
            {
                "name": expert.name,
                "email": expert.email,
                "organisation": expert.organisation.name,
                "expertise": "; ".join(sorted(a.slug for a in expert.expertise_areas.all())),
                "username": username(expert.user),
                "active": expert.is_active,
            }
        )
    for rate in (
        DayRate.objects.filter(expert__in=experts)
        .select_related("expert", "created_by")
        .order_by("expert__organisation__name", "expert__name", "expert__pk", "valid_from")
    ):
        rows["day_rates"].append(
            {
                "expert": rate.expert.name,
                "email": rate.expert.email,
                "valid_from": rate.valid_from,
                "rate_eur": rate.rate_eur,
                "by": username(rate.created_by),
            }
        )

    applications = (
        Application.objects.filter(round__programme=programme)
        .select_related("municipality", "round", "submitted_by")
        .prefetch_related("themes")
        .order_by("submitted_at", "pk")
    )
    for application in applications:
        rows["applications"].append(
            {
                **key(application),
                "received_at": application.submitted_at,
                "submitted_by": username(application.submitted_by),
                "contact_name": application.contact_name,
                "contact_email": application.contact_email,
                "contact_phone": application.contact_phone,
                "question": application.question,
                "themes": "; ".join(sorted(t.slug for t in application.themes.all())),
            }
        )
    transitions = (
        Transition.objects.filter(application__round__programme=programme)
        .exclude(from_status="")
        .select_related("application__municipality", "application__round", "by")
        .order_by("at", "pk")
    )
    for transition in transitions:
        rows["decisions"].append(
            {
                **key(transition.application),
                "from_status": transition.from_status,
                "to_status": transition.to_status,
                "at": transition.at,
                "reason": transition.reason,
                "channel": transition.channel,
                "over_capacity": transition.over_capacity,
                "by": username(transition.by),
                "recorded_at": transition.recorded_at,
            }
        )
    for referral in (
        Referral.objects.filter(application__round__programme=programme)
        .select_related("application__municipality", "application__round", "contacted_by")
        .order_by("contacted_on", "pk")
    ):
        rows["referrals"].append(
            {
                **key(referral.application),
                "contacted_on": referral.contacted_on,
                "outcome": referral.outcome,
                "note": referral.note,
                "by": username(referral.contacted_by),
            }
        )
    for intake in (
        Intake.objects.filter(application__round__programme=programme)
        .select_related("application__municipality", "application__round", "created_by")
        .prefetch_related("experts")
        # Intakes recorded afterwards share their hour: the natural key breaks the tie.
        .order_by(
            "planned_at", "application__round__number", "application__municipality__refnis", "pk"
        )
    ):
        rows["intakes"].append(
            {
                **key(intake.application),
                "planned_at": intake.planned_at,
                "duration_minutes": intake.duration_minutes,
                "location": intake.location,
                "video_url": intake.video_url,
                "participants": intake.participants,
                "experts": "; ".join(e.name for e in intake.experts.order_by("name", "pk")),
                "status": intake.status,
                "held_on": intake.held_on,
                "agreed_question": intake.agreed_question,
                "cancel_reason": intake.cancel_reason,
                "by": username(intake.created_by),
            }
        )
    trajectories = (
        Trajectory.objects.in_programme(programme)
        .select_related("application__municipality", "application__round")
        .order_by("created_on", "pk")
    )
    for trajectory in trajectories:
        rows["trajectories"].append(
            {
                **key(trajectory.application),
                "planned_start": trajectory.planned_start,
                "planned_end": trajectory.planned_end,
                "status": trajectory.status,
                "phase": trajectory.phase,
                "started_on": trajectory.started_on,
                "ended_on": trajectory.ended_on,
                "stop_reason": trajectory.stop_reason,
                "findings": trajectory.findings,
                "measures": trajectory.measures,
            }
        )
    related = ("trajectory__application__municipality", "trajectory__application__round")
    for event in (
        TrajectoryEvent.objects.filter(**in_programme)
        .select_related(*related, "by")
        .order_by(*IN_FORCE)
    ):
        rows["trajectory_events"].append(
            {
                **key(event.trajectory.application),
                "from_status": event.from_status,
                "to_status": event.to_status,
                "phase": event.phase,
                "effective_on": event.effective_on,
                "note": event.note,
                "by": username(event.by),
            }
        )
    for assignment in (
        Assignment.objects.filter(**in_programme)
        .select_related(*related, "expert")
        .prefetch_related("plan_changes__by")
        .order_by("assigned_on", "trajectory__created_on", "trajectory__pk", "pk")
    ):
        # The first plan is the assignment itself; every later change is a row of its own.
        first, *changes = list(assignment.plan_changes.all()) or [None]
        rows["assignments"].append(
            {
                **key(assignment.trajectory.application),
                "expert": assignment.expert.name,
                "planned_days": first.planned_days if first else assignment.planned_days,
                "assigned_on": assignment.assigned_on,
                "by": username(first.by) if first else "",
            }
        )
        for change in changes:
            rows["plan_changes"].append(
                {
                    **key(assignment.trajectory.application),
                    "expert": assignment.expert.name,
                    "planned_days": change.planned_days,
                    "effective_on": change.effective_on,
                    "reason": change.reason,
                    "by": username(change.by),
                    "recorded_at": change.recorded_at,
                }
            )
    rows["plan_changes"].sort(key=lambda row: (row["effective_on"], row["recorded_at"]))
    for expected in (
        ExpectedEnd.objects.filter(**in_programme)
        .select_related(*related, "by")
        .order_by(*IN_FORCE)
    ):
        rows["expected_ends"].append(
            {
                **key(expected.trajectory.application),
                "expected_end": expected.expected_end,
                "effective_on": expected.effective_on,
                "reason": expected.reason,
                "by": username(expected.by),
                "recorded_at": expected.recorded_at,
            }
        )
    for entry in (
        PersonDayEntry.objects.filter(**in_programme)
        .select_related(*related, "expert", "created_by")
        .order_by("date", "pk")
    ):
        rows["person_days"].append(
            {
                **key(entry.trajectory.application),
                "expert": entry.expert.name,
                "date": entry.date,
                "days": entry.days,
                "activity": entry.activity,
                "note": entry.note,
                "rate_eur": entry.rate_eur,
                "by": username(entry.created_by),
            }
        )
    invitations = (
        Invitation.objects.filter(**in_programme)
        .select_related(*related, "questionnaire", "sent_by")
        .order_by("sent_at", "pk")
    )
    for invitation in invitations:
        base = {
            **key(invitation.trajectory.application),
            "questionnaire": invitation.questionnaire.kind,
        }
        rows["invitations"].append(
            {
                **base,
                "recipient_email": invitation.recipient_email,
                "sent_at": invitation.sent_at,
                "sent_by": username(invitation.sent_by),
                "reminded_at": invitation.reminded_at,
                "answered_at": invitation.answered_at,
            }
        )
        response = getattr(invitation, "response", None)
        if response is None:
            continue
        for answer in Answer.objects.filter(response=response).select_related("question"):
            rows["answers"].append(
                {
                    **base,
                    "question": answer.question.position,
                    "question_text": answer.question.text,
                    "score": answer.score,
                    "answer": answer.text,
                }
            )
        for measure in MeasureAnswer.objects.filter(response=response).select_related("question"):
            rows["answers"].append(
                {
                    **base,
                    "question": measure.question.position,
                    "question_text": measure.measure,
                    "measure": measure.position,
                    "answer": measure.status,
                }
            )
    for indicator in (
        Indicator.objects.filter(**in_programme)
        .select_related(*related, "recorded_by")
        .order_by("recorded_at", "pk")
    ):
        rows["indicators"].append(
            {
                **key(indicator.trajectory.application),
                "kind": indicator.kind,
                "moment": indicator.moment,
                "value": indicator.value,
                "measured_on": indicator.measured_on,
                "source": indicator.source,
                "recorded_at": indicator.recorded_at,
                "by": username(indicator.recorded_by),
            }
        )
    for case in (
        Case.objects.filter(**in_programme)
        .select_related(*related)
        .prefetch_related("themes")
        .order_by("created_at", "pk")
    ):
        rows["cases"].append(
            {
                **key(case.trajectory.application),
                "title": case.title,
                "summary": case.summary,
                "question": case.question,
                "approach": case.approach,
                "measures": case.measures,
                "results": case.results,
                "size_class": case.size_class,
                "themes": "; ".join(sorted(t.slug for t in case.themes.all())),
                "status": case.status,
            }
        )
    for event in (
        CaseEvent.objects.filter(case__trajectory__application__round__programme=programme)
        .exclude(action__in=["photo_added", "photo_removed"])
        .select_related(
            "case__trajectory__application__municipality",
            "case__trajectory__application__round",
            "by",
        )
        .order_by("at", "pk")
    ):
        rows["case_events"].append(
            {
                **key(event.case.trajectory.application),
                "action": event.action,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "at": event.at,
                "by": username(event.by),
                "reason": event.reason,
            }
        )
    return rows


def export_history(*, programme: Programme, progress: Progress = no_progress) -> bytes:
    """The programme's whole history as an XLSX workbook, one sheet per kind."""
    workbook, worksheets = new_workbook()
    progress(0, gettext_noop("Reading the history"))
    sheets = history_rows(programme)
    # Reading took about a third of the work; writing the rest, in proportion to the rows.
    total, done = sum(len(rows) for rows in sheets.values()) or 1, 0
    for sheet_key, rows in sheets.items():
        progress(30 + 60 * done // total, gettext_noop("Writing the workbook"))
        sheet = next(s for s in SHEETS if s.key == sheet_key)
        for row in rows:
            append(worksheets[sheet_key], sheet, row)
        done += len(rows)
    progress(90, gettext_noop("Saving the file"))
    return save(workbook)


EXAMPLE = {
    "programme": {
        "title": "Profploeg: begeleiding voor bedrijvige kernen",
        "published_on": datetime.date(2021, 6, 28),
        "capacity": 83,
        "budget_eur": 1500000,
    },
    "rounds": {
        "number": 1,
        "opens_on": datetime.date(2021, 6, 28),
        "deadline": datetime.date(2021, 8, 13),
    },
    "info_sessions": {
        "title": "Infowebinar profploeg",
        "held_on": datetime.date(2021, 6, 25),
        "registrations": 122,
        "attendees": 122,
    },
    "themes": {"slug": "leegstand", "name": "Leegstand"},
    "offer": {
        "total_eur": 1500000,
        "capacity": 83,
        "average_person_days": 17.5,
        "valid_from": datetime.date(2021, 6, 28),
        "valid_until": datetime.date(2024, 12, 31),
    },
    "amendments": {
        "effective_on": datetime.date(2022, 5, 20),
        "total_eur": 2040000,
        "capacity": 113,
        "reason": "Beslissing van de minister: een derde ronde.",
        "by": "vlaio",
    },
    "organisations": {"name": "Atelier Kern", "lead_partner": True},
    "expertise_areas": {"slug": "retail", "name": "Detailhandel en leegstand"},
    "experts": {
        "name": "Pieter Claes",
        "email": "pieter.claes@example.org",
        "organisation": "Atelier Kern",
        "expertise": "retail",
        "username": "expert",
        "active": True,
    },
    "day_rates": {
        "expert": "Pieter Claes",
        "valid_from": datetime.date(2021, 6, 1),
        "rate_eur": 950,
    },
}
APPLICATION = {"refnis": "44021", "round": 1, "municipality": "Gent"}
EXAMPLE |= {
    "applications": {
        **APPLICATION,
        "received_at": datetime.datetime(2021, 7, 5, 10, 30),
        "submitted_by": "vlaio",
        "contact_name": "An Peeters",
        "contact_email": "an.peeters@example.org",
        "question": "Hoe pakken we de leegstand in de winkelstraat aan?",
        "themes": "leegstand",
    },
    "decisions": {
        **APPLICATION,
        "from_status": "submitted",
        "to_status": "admissible",
        "at": datetime.datetime(2021, 8, 23, 14, 0),
        "by": "vlaio",
    },
    "referrals": {
        **APPLICATION,
        "contacted_on": datetime.date(2021, 9, 3),
        "outcome": "pending",
        "by": "provincie-oost-vlaanderen",
    },
    "intakes": {
        **APPLICATION,
        "planned_at": datetime.datetime(2021, 10, 12, 10, 0),
        "duration_minutes": 90,
        "location": "Gemeentehuis",
        "experts": "Pieter Claes",
        "status": "held",
        "held_on": datetime.date(2021, 10, 12),
        "agreed_question": "Een aanpak voor leegstand uitwerken.",
        "by": "vlaio",
    },
    "trajectories": {
        **APPLICATION,
        "planned_start": datetime.date(2022, 1, 10),
        "planned_end": datetime.date(2022, 8, 10),
        "status": "running",
        "phase": 1,
        "started_on": datetime.date(2022, 1, 10),
    },
    "trajectory_events": {
        **APPLICATION,
        "from_status": "planned",
        "to_status": "running",
        "phase": 1,
        "effective_on": datetime.date(2022, 1, 10),
        "by": "vlaio",
    },
    "assignments": {
        **APPLICATION,
        "expert": "Pieter Claes",
        "planned_days": 2.5,
        "assigned_on": datetime.date(2021, 10, 12),
    },
    "plan_changes": {
        **APPLICATION,
        "expert": "Pieter Claes",
        "planned_days": 3.5,
        "effective_on": datetime.date(2022, 3, 1),
        "reason": "Extra werksessie met de handelaars.",
        "by": "vlaio",
    },
    "expected_ends": {
        **APPLICATION,
        "expected_end": datetime.date(2022, 10, 31),
        "effective_on": datetime.date(2022, 7, 1),
        "reason": "De werksessies schuiven op na de zomer.",
        "by": "vlaio",
    },
    "person_days": {
        **APPLICATION,
        "expert": "Pieter Claes",
        "date": datetime.date(2022, 1, 12),
        "days": 0.5,
        "activity": "intake",
        "rate_eur": 950,
        "by": "expert",
    },
    "invitations": {
        **APPLICATION,
        "questionnaire": "completion",
        "sent_at": datetime.datetime(2022, 9, 1, 9, 0),
        "answered_at": datetime.datetime(2022, 9, 5, 11, 0),
    },
    "answers": {**APPLICATION, "questionnaire": "completion", "question": 1, "score": 4},
    "indicators": {
        **APPLICATION,
        "kind": "vacancy_rate",
        "moment": "before",
        "value": 12.5,
        "measured_on": datetime.date(2021, 11, 15),
        "source": "Leegstandsinventaris gemeente, 2021",
        "by": "vlaio",
    },
    "cases": {
        **APPLICATION,
        "title": "Leegstand in de winkelstraat aangepakt",
        "summary": "Een compact kernwinkelgebied en pop-ups in leegstaande panden.",
        "size_class": "large",
        "themes": "leegstand",
    },
    "case_events": {
        **APPLICATION,
        "action": "created",
        "to_status": "draft",
        "at": datetime.datetime(2022, 11, 3, 10, 0),
        "by": "vlaio",
    },
}


def template_workbook() -> bytes:
    """An empty history workbook: every sheet with its headers and one example row."""
    workbook, worksheets = new_workbook()
    for sheet in SHEETS:
        append(worksheets[sheet.key], sheet, EXAMPLE.get(sheet.key, {}))
    return save(workbook)
