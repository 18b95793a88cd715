"""Applications, their transitions and the provinces' follow-up (referrals).

Every read starts from `Application.objects.visible_to(user)`: a municipality sees its own (and
those of the municipalities it merged from), a province those of its municipalities, staff and
experts all. Someone else's id answers 404, as in the pages."""

import datetime
from typing import Literal

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from profploeg.api.schemas import ERRORS, Day, Id, PageIn, Refnis, page_of, paginate
from profploeg.applications.models import Application, Referral, Transition
from profploeg.lib.dates import BRUSSELS, end_of_day

router = Router(tags=["applications"])

Status = Application.Status
StatusCode = Literal[tuple(Status.values)]
OutcomeCode = Literal[tuple(Referral.Outcome.values)]


class ApplicantOut(Schema):
    refnis: str
    name: str
    refnis_now: str = Field(description="The municipality as it is now (after the 2025 mergers)")
    name_now: str
    province: str


class AttachmentOut(Schema):
    name: str
    size: int


class ApplicationOut(Schema):
    id: int
    programme: int
    round: int
    round_number: int
    municipality: ApplicantOut
    submitted_at: datetime.datetime
    status: StatusCode
    status_label: str
    version: int = Field(description="Send it back as expected_version with a decision")
    contact_name: str
    contact_email: str
    contact_phone: str
    question: str
    themes: list[str]
    attachments: list[AttachmentOut]
    previous_application: int | None


class TransitionOut(Schema):
    from_status: StatusCode | Literal[""]
    to_status: StatusCode
    at: datetime.datetime
    by: str | None
    reason: str


class ReferralOut(Schema):
    application: int
    municipality: str
    contacted_on: datetime.date
    contacted_by: str
    outcome: OutcomeCode
    note: str
    recorded_at: datetime.datetime


ApplicationPage = page_of(ApplicationOut, "ApplicationPage")
ReferralPage = page_of(ReferralOut, "ReferralPage")


def visible_applications(user):
    return (
        Application.objects.visible_to(user)
        .select_related("round", "municipality__province", "municipality__merged_into")
        .prefetch_related("themes", "attachments")
    )


def get_visible(user, application_id: int) -> Application:
    return get_object_or_404(visible_applications(user), pk=application_id)


def application_out(application: Application) -> dict:
    municipality = application.municipality
    return {
        "id": application.pk,
        "programme": application.round.programme_id,
        "round": application.round_id,
        "round_number": application.round.number,
        "municipality": {
            "refnis": municipality.refnis,
            "name": municipality.name,
            "refnis_now": municipality.current.refnis,
            "name_now": municipality.current.name,
            "province": municipality.province.refnis,
        },
        "submitted_at": application.submitted_at,
        "status": application.status,
        "status_label": str(application.status_label),
        "version": application.version,
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "contact_phone": application.contact_phone,
        "question": application.question,
        "themes": [theme.slug for theme in application.themes.all()],
        "attachments": [{"name": str(a), "size": a.size} for a in application.attachments.all()],
        "previous_application": application.previous_application_id,
    }


def transition_out(transition: Transition) -> dict:
    return {
        "from_status": transition.from_status,
        "to_status": transition.to_status,
        "at": transition.at,
        "by": transition.by.get_username() if transition.by_id else None,
        "reason": transition.reason,
    }


def referral_out(referral: Referral) -> dict:
    return {
        "application": referral.application_id,
        "municipality": referral.application.municipality.refnis,
        "contacted_on": referral.contacted_on,
        "contacted_by": referral.contacted_by.get_username(),
        "outcome": referral.outcome,
        "note": referral.note,
        "recorded_at": referral.recorded_at,
    }


def start_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=BRUSSELS)


class ApplicationFilters(Schema):
    programme: Id | None = None
    round: Id | None = Field(None, description="Round id")
    status: StatusCode | None = None
    province: Refnis | None = None
    municipality: Refnis | None = Field(
        None, description="REFNIS code; a current municipality includes those merged into it"
    )
    received_from: Day | None = None
    received_until: Day | None = None
    sort: Literal[
        "submitted_at", "-submitted_at", "municipality", "-municipality", "status", "-status"
    ] = "-submitted_at"


SORT_FIELDS = {
    "submitted_at": "submitted_at",
    "municipality": "municipality__name",
    "status": "status",
}


@router.get("/applications", response={200: ApplicationPage, **ERRORS}, summary="List applications")
def list_applications(request, filters: Query[ApplicationFilters], page: Query[PageIn]):
    found = visible_applications(request.auth)
    if filters.programme:
        found = found.filter(round__programme_id=filters.programme)
    if filters.round:
        found = found.filter(round_id=filters.round)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.province:
        found = found.filter(municipality__province__refnis=filters.province)
    if filters.municipality:
        found = found.filter(
            Q(municipality__refnis=filters.municipality)
            | Q(municipality__merged_into__refnis=filters.municipality)
        )
    if filters.received_from:
        found = found.filter(submitted_at__gte=start_of_day(filters.received_from))
    if filters.received_until:
        found = found.filter(submitted_at__lte=end_of_day(filters.received_until))
    descending = filters.sort.startswith("-")
    order = ("-" if descending else "") + SORT_FIELDS[filters.sort.lstrip("-")]
    return paginate(found.order_by(order, "pk"), page, application_out)


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **ERRORS},
    summary="One application",
)
def get_application(request, application_id: Id):
    return application_out(get_visible(request.auth, application_id))


@router.get(
    "/applications/{application_id}/transitions",
    response={200: list[TransitionOut], **ERRORS},
    summary="An application's history: from, to, when, by whom and why",
)
def list_transitions(request, application_id: Id):
    application = get_visible(request.auth, application_id)
    transitions = application.transitions.select_related("by").order_by("at", "pk")
    return [transition_out(t) for t in transitions]


def visible_referrals(user):
    return Referral.objects.filter(
        application__in=Application.objects.visible_to(user)
    ).select_related("application__municipality", "contacted_by")


class ReferralFilters(Schema):
    programme: Id | None = None
    province: Refnis | None = None
    outcome: OutcomeCode | None = None
    contacted_from: Day | None = None
    contacted_until: Day | None = None
    sort: Literal["contacted_on", "-contacted_on"] = "-contacted_on"


@router.get(
    "/referrals",
    response={200: ReferralPage, **ERRORS},
    summary="The provinces' follow-up of inadmissible and deferred applications",
)
def list_referrals(request, filters: Query[ReferralFilters], page: Query[PageIn]):
    found = visible_referrals(request.auth)
    if filters.programme:
        found = found.filter(application__round__programme_id=filters.programme)
    if filters.province:
        found = found.filter(application__municipality__province__refnis=filters.province)
    if filters.outcome:
        found = found.filter(outcome=filters.outcome)
    if filters.contacted_from:
        found = found.filter(contacted_on__gte=filters.contacted_from)
    if filters.contacted_until:
        found = found.filter(contacted_on__lte=filters.contacted_until)
    return paginate(found.order_by(filters.sort, "pk"), page, referral_out)


@router.get(
    "/applications/{application_id}/referral",
    response={200: ReferralOut, **ERRORS},
    summary="The province's follow-up of one application",
)
def get_referral(request, application_id: Id):
    application = get_visible(request.auth, application_id)
    return referral_out(get_object_or_404(visible_referrals(request.auth), application=application))
