"""Programmes (calls), their rounds and info sessions, and the status report as of any date."""

import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from profploeg.accounts.models import User
from profploeg.api.schemas import (
    ERRORS,
    Day,
    Id,
    PageIn,
    Refnis,
    RoundNumber,
    page_of,
    paginate,
)
from profploeg.evaluations.summary import evaluation_figures
from profploeg.lib.spreadsheets import CSV_DIALECTS
from profploeg.programmes.models import InfoSession, Programme, Round
from profploeg.reports import exports
from profploeg.reports.schema import Money, ReportEvaluation, StatusReport
from profploeg.reports.status import status_report

from .access import require_roles

router = Router(tags=["programmes"])


class ProgrammeOut(Schema):
    id: int
    title: str
    description: str
    published_on: datetime.date
    capacity: int
    budget_eur: Decimal
    capacity_in_force: int = Field(
        description="Trajectories of the offer in force today (its amendments included)"
    )
    total_in_force_eur: Money = Field(description="The offer's total in force today")


class RoundOut(Schema):
    id: int
    programme: int
    number: int
    opens_on: datetime.date
    deadline: datetime.date


class InfoSessionOut(Schema):
    id: int
    programme: int
    title: str
    held_on: datetime.date
    registrations: int
    attendees: int


ProgrammePage = page_of(ProgrammeOut, "ProgrammePage")
RoundPage = page_of(RoundOut, "RoundPage")
InfoSessionPage = page_of(InfoSessionOut, "InfoSessionPage")


def in_force_today(programme: Programme) -> Programme:
    """The programme read through the one query that knows the offer in force today (as the
    list and detail read it), for the answer to a change."""
    return Programme.objects.with_offer_in_force(timezone.localdate()).get(pk=programme.pk)


def programme_out(programme: Programme) -> dict:
    return {
        "id": programme.pk,
        "title": programme.title,
        "description": programme.description,
        "published_on": programme.published_on,
        "capacity": programme.capacity,
        "budget_eur": programme.budget_eur,
        "capacity_in_force": programme.capacity_in_force,
        "total_in_force_eur": Decimal(programme.total_in_force_eur).quantize(Decimal("0.01")),
    }


def round_out(round_: Round) -> dict:
    return {
        "id": round_.pk,
        "programme": round_.programme_id,
        "number": round_.number,
        "opens_on": round_.opens_on,
        "deadline": round_.deadline,
    }


def info_session_out(session: InfoSession) -> dict:
    return {
        "id": session.pk,
        "programme": session.programme_id,
        "title": session.title,
        "held_on": session.held_on,
        "registrations": session.registrations,
        "attendees": session.attendees,
    }


class ProgrammeFilters(Schema):
    published_from: Day | None = None
    published_until: Day | None = None
    sort: Literal["published_on", "-published_on", "title", "-title", "id", "-id"] = "-published_on"


@router.get("/programmes", response={200: ProgrammePage, **ERRORS}, summary="List programmes")
def list_programmes(request, filters: Query[ProgrammeFilters], page: Query[PageIn]):
    """Calls are public once published: every role reads them."""
    programmes = Programme.objects.with_offer_in_force(timezone.localdate())
    if filters.published_from:
        programmes = programmes.filter(published_on__gte=filters.published_from)
    if filters.published_until:
        programmes = programmes.filter(published_on__lte=filters.published_until)
    return paginate(programmes.order_by(filters.sort, "pk"), page, programme_out)


@router.get(
    "/programmes/{programme_id}", response={200: ProgrammeOut, **ERRORS}, summary="One programme"
)
def get_programme(request, programme_id: Id):
    programmes = Programme.objects.with_offer_in_force(timezone.localdate())
    return programme_out(get_object_or_404(programmes, pk=programme_id))


class RoundFilters(Schema):
    programme: Id | None = None
    deadline_from: Day | None = None
    deadline_until: Day | None = None
    sort: Literal["deadline", "-deadline", "number", "-number", "id", "-id"] = "deadline"


@router.get("/rounds", response={200: RoundPage, **ERRORS}, summary="List submission rounds")
def list_rounds(request, filters: Query[RoundFilters], page: Query[PageIn]):
    rounds = Round.objects.all()
    if filters.programme:
        rounds = rounds.filter(programme_id=filters.programme)
    if filters.deadline_from:
        rounds = rounds.filter(deadline__gte=filters.deadline_from)
    if filters.deadline_until:
        rounds = rounds.filter(deadline__lte=filters.deadline_until)
    return paginate(rounds.order_by(filters.sort, "pk"), page, round_out)


@router.get("/rounds/{round_id}", response={200: RoundOut, **ERRORS}, summary="One round")
def get_round(request, round_id: Id):
    return round_out(get_object_or_404(Round, pk=round_id))


class InfoSessionFilters(Schema):
    programme: Id | None = None
    held_from: Day | None = None
    held_until: Day | None = None
    sort: Literal["held_on", "-held_on", "id", "-id"] = "held_on"


@router.get(
    "/info-sessions", response={200: InfoSessionPage, **ERRORS}, summary="List info sessions"
)
def list_info_sessions(request, filters: Query[InfoSessionFilters], page: Query[PageIn]):
    sessions = InfoSession.objects.all()
    if filters.programme:
        sessions = sessions.filter(programme_id=filters.programme)
    if filters.held_from:
        sessions = sessions.filter(held_on__gte=filters.held_from)
    if filters.held_until:
        sessions = sessions.filter(held_on__lte=filters.held_until)
    return paginate(sessions.order_by(filters.sort, "pk"), page, info_session_out)


ApplicationStatus = Literal[
    "submitted", "admissible", "inadmissible", "accepted", "deferred", "withdrawn"
]


class StatusQuery(Schema):
    as_of: Day | None = None
    round: RoundNumber | None = None
    # The report page's filters: only the applications that match count in the rounds.
    province: Refnis | None = Field(None, description="province REFNIS code, e.g. 10000")
    status: ApplicationStatus | None = Field(None, description="status on the date")
    theme: str | None = Field(None, pattern=r"^[-a-z0-9_]{1,50}$", description="theme slug")
    expert: Id | None = Field(None, description="expert id")
    # The CLI's and the page's downloads as text: the same CSV, the same dialects.
    format: Literal["json", "csv"] = Field("json", description="json (default) or csv")
    table: Literal["municipalities", "rounds"] = Field(
        "municipalities", description="with format=csv: one row per application or per round"
    )
    dialect: Literal["excel", "machine"] = Field(
        "excel",
        description="with format=csv: excel (semicolon, decimal comma, UTF-8 with BOM, Dutch "
        "headers and values, DD/MM/YYYY) or machine (comma, decimal point, English keys, ISO "
        "dates)",
    )


# The 200 answer is the report's JSON, or with format=csv its CSV.
CSV_RESPONSE = {
    "responses": {
        "200": {
            "description": "OK",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/StatusReport"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        },
    }
}


@router.get(
    "/programmes/{programme_id}/status",
    response={200: StatusReport, **ERRORS},
    summary="The status report as of a date",
    openapi_extra=CSV_RESPONSE,
)
def programme_status(request, programme_id: Id, query: Query[StatusQuery]):
    """Exactly the JSON of `profploeg report status --format json` (default as of today):
    programme staff and experts, as on the report page. `format=csv` gives the CSV of
    `--format csv --table … --dialect …` instead."""
    require_roles(request.auth, User.Role.STAFF, User.Role.EXPERT)
    programme = get_object_or_404(Programme, pk=programme_id)
    report = status_report(
        programme=programme,
        as_of=query.as_of or timezone.localdate(),
        round_number=query.round,
        province=query.province,
        status=query.status,
        theme=query.theme,
        expert=query.expert,
    )
    if query.format == "csv":
        dialect = CSV_DIALECTS[query.dialect]
        response = HttpResponse(
            exports.render(report, "csv", table=query.table, dialect=dialect),
            content_type=exports.CONTENT_TYPES["csv"],
        )
        name = exports.filename(report, "csv", table=query.table)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return HttpResponse(report.to_json(), content_type="application/json; charset=utf-8")


class EvaluationQuery(Schema):
    as_of: Day | None = None


@router.get(
    "/programmes/{programme_id}/evaluation",
    response={200: ReportEvaluation, **ERRORS},
    summary="The evaluation figures as of a date",
)
def programme_evaluation(request, programme_id: Id, query: Query[EvaluationQuery]):
    """Exactly the `evaluation` object of the status report (default as of today): programme
    staff and experts, as on the report page."""
    require_roles(request.auth, User.Role.STAFF, User.Role.EXPERT)
    programme = get_object_or_404(Programme, pk=programme_id)
    evaluation = ReportEvaluation.model_validate(
        evaluation_figures(programme, query.as_of or timezone.localdate())
    )
    return HttpResponse(
        evaluation.model_dump_json(indent=2) + "\n", content_type="application/json; charset=utf-8"
    )
