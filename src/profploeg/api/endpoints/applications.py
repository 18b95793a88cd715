"""Applications, their transitions and the provinces' follow-up (referrals).

Every read starts from `Application.objects.visible_to(user)`: a municipality sees its own (and
those of the municipalities it merged from), a province those of its municipalities, staff and
experts all. Someone else's id answers 404, as in the pages."""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile

from profploeg.accounts.models import User
from profploeg.api.idempotency import idempotency_key_header, run_once
from profploeg.api.schemas import (
    ERRORS,
    Day,
    Id,
    Moment,
    PageIn,
    Refnis,
    page_of,
    paginate,
    text,
)
from profploeg.applications import services
from profploeg.applications.models import Application, Referral, Transition
from profploeg.lib.dates import BRUSSELS, end_of_day
from profploeg.municipalities.models import Municipality
from profploeg.programmes.models import Programme, Theme

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


ChannelCode = Literal[tuple(Transition.Channel.values)]


class TransitionOut(Schema):
    from_status: StatusCode | Literal[""]
    to_status: StatusCode
    at: datetime.datetime = Field(description="When it took effect")
    recorded_at: datetime.datetime = Field(description="When it was recorded here")
    by: str | None = Field(description="Who recorded it")
    reason: str
    channel: ChannelCode | Literal[""] = Field(
        description="How a withdrawal recorded by staff came in"
    )
    over_capacity: bool = Field(description="Accepted over capacity, confirmed with a reason")


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


def applicant_out(municipality: Municipality) -> dict:
    """The municipality that applied, then and now; needs `province` and `merged_into` loaded."""
    return {
        "refnis": municipality.refnis,
        "name": municipality.name,
        "refnis_now": municipality.current.refnis,
        "name_now": municipality.current.name,
        "province": municipality.province.refnis,
    }


def application_out(application: Application) -> dict:
    return {
        "id": application.pk,
        "programme": application.round.programme_id,
        "round": application.round_id,
        "round_number": application.round.number,
        "municipality": applicant_out(application.municipality),
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
        "recorded_at": transition.recorded_at,
        "by": transition.by.get_username() if transition.by_id else None,
        "reason": transition.reason,
        "channel": transition.channel,
        "over_capacity": transition.over_capacity,
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
        found = found.in_programme(filters.programme)
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
    "/applications/{int:application_id}",
    response={200: ApplicationOut, **ERRORS},
    summary="One application",
)
def get_application(request, application_id: Id):
    return application_out(get_visible(request.auth, application_id))


@router.get(
    "/applications/{int:application_id}/transitions",
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
    "/applications/{int:application_id}/referral",
    response={200: ReferralOut, **ERRORS},
    summary="The province's follow-up of one application",
)
def get_referral(request, application_id: Id):
    application = get_visible(request.auth, application_id)
    return referral_out(get_object_or_404(visible_referrals(request.auth), application=application))


class SubmitIn(Schema):
    programme: Id
    municipality: Refnis | None = Field(
        None, description="REFNIS code; a municipality user may leave it out (their own)"
    )
    contact_name: text(200, 1)
    contact_email: text(254, 1)
    contact_phone: text(50) = ""
    question: text(10000, 1)
    themes: list[text(50)] = Field([], description="Theme slugs")
    received_at: Moment | None = Field(
        None,
        description="When the application was received (programme staff only, e.g. from the "
        "e-loket); default now",
    )


def submit(user: User, data: SubmitIn, attachments=()) -> Application:
    """Resolve the references in the request, then submit through the one service."""
    errors = {}
    programme = Programme.objects.filter(pk=data.programme).first()
    if programme is None:
        errors["programme"] = [_("There is no programme with id %(id)s.") % {"id": data.programme}]
    refnis = data.municipality or (user.municipality.refnis if user.municipality_id else None)
    municipality = Municipality.objects.filter(refnis=refnis).first() if refnis else None
    if municipality is None:
        errors["municipality"] = [
            _("There is no municipality with REFNIS code %(refnis)s.") % {"refnis": refnis}
            if refnis
            else _("This field is required.")
        ]
    try:
        validate_email(data.contact_email)
    except ValidationError as error:
        errors["contact_email"] = error.messages
    themes = list(Theme.objects.filter(slug__in=data.themes))
    unknown = sorted(set(data.themes) - {theme.slug for theme in themes})
    if unknown:
        errors["themes"] = [_("Unknown theme: %(slugs)s.") % {"slugs": ", ".join(unknown)}]
    if data.received_at is not None and user.role != User.Role.STAFF:
        errors["received_at"] = [_("Only programme staff can set when it was received.")]
    if errors:
        raise ValidationError(errors)
    return services.submit_application(
        programme=programme,
        municipality=municipality,
        submitted_by=user,
        contact_name=data.contact_name,
        contact_email=data.contact_email,
        contact_phone=data.contact_phone,
        question=data.question,
        themes=themes,
        attachments=attachments,
        received_at=data.received_at,
    )


def created(application: Application) -> tuple[int, dict]:
    return 201, application_out(
        visible_applications(application.submitted_by).get(pk=application.pk)
    )


@router.post(
    "/applications",
    response={201: ApplicationOut, **ERRORS},
    summary="Submit an application (JSON)",
)
def submit_application(
    request, payload: SubmitIn, idempotency_key: str | None = idempotency_key_header()
):
    """As the page does: a municipality for itself, staff for any municipality; after a round's
    deadline it goes into the next round."""
    return run_once(request, idempotency_key, lambda: created(submit(request.auth, payload)))


@router.post(
    "/applications/multipart",
    response={201: ApplicationOut, **ERRORS},
    summary="Submit an application with PDF attachments (multipart/form-data)",
)
def submit_application_with_attachments(
    request,
    payload: Form[SubmitIn],
    attachments: File[list[UploadedFile]] = None,
    idempotency_key: str | None = idempotency_key_header(),
):
    return run_once(
        request,
        idempotency_key,
        lambda: created(submit(request.auth, payload, attachments or ())),
    )


class DecisionIn(Schema):
    to_status: Literal["admissible", "inadmissible", "accepted", "deferred"]
    expected_version: int = Field(
        ge=1, le=2**31 - 1, description="The version you read: a stale decision is refused (409)"
    )
    reason: text(5000) = Field(
        "", description="Required for inadmissible and deferred, and when over capacity"
    )
    at: Moment | None = Field(
        None,
        description="When the decision took effect; default now. Not in the future, not before "
        "the application was received or its previous step",
    )
    confirm_over_capacity: bool = Field(
        False,
        description="Accept although the programme's capacity on that date is reached "
        "(refused with code over_capacity otherwise); give the reason",
    )


@router.post(
    "/applications/{int:application_id}/decision",
    response={200: ApplicationOut, **ERRORS},
    summary="Decide admissibility or assessment (programme staff)",
)
def decide(
    request,
    application_id: Id,
    payload: DecisionIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    def action():
        application = get_visible(request.auth, application_id)
        services.change_status(
            application=application,
            to_status=payload.to_status,
            by=request.auth,
            expected_version=payload.expected_version,
            reason=payload.reason,
            at=payload.at,
            confirm_over_capacity=payload.confirm_over_capacity,
        )
        return 200, application_out(get_visible(request.auth, application_id))

    return run_once(request, idempotency_key, action)


class WithdrawIn(Schema):
    expected_version: int = Field(ge=1, le=2**31 - 1)
    channel: ChannelCode | Literal[""] = Field(
        "",
        description="Programme staff recording the municipality's withdrawal: how it came in "
        "(required for staff)",
    )
    at: Moment | None = Field(
        None, description="Programme staff: when the withdrawal came in; default now"
    )
    reason: text(5000) = Field("", description="Programme staff: a note")


@router.post(
    "/applications/{int:application_id}/withdraw",
    response={200: ApplicationOut, **ERRORS},
    summary="Withdraw an application before a decision (its municipality), or record a "
    "withdrawal received by letter, email or phone (programme staff)",
)
def withdraw(
    request,
    application_id: Id,
    payload: WithdrawIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    def action():
        application = get_visible(request.auth, application_id)
        services.change_status(
            application=application,
            to_status=Status.WITHDRAWN,
            by=request.auth,
            expected_version=payload.expected_version,
            at=payload.at,
            channel=payload.channel,
            reason=payload.reason,
        )
        return 200, application_out(get_visible(request.auth, application_id))

    return run_once(request, idempotency_key, action)


class ReferralIn(Schema):
    contacted_on: Day
    outcome: OutcomeCode = "pending"
    note: text(5000) = ""


@router.post(
    "/applications/{int:application_id}/referral",
    response={200: ReferralOut, **ERRORS},
    summary="Record the province's follow-up of an inadmissible or deferred application",
)
def record_referral(
    request,
    application_id: Id,
    payload: ReferralIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    def action():
        application = get_visible(request.auth, application_id)
        referral = services.record_referral(
            application=application,
            by=request.auth,
            contacted_on=payload.contacted_on,
            outcome=payload.outcome,
            note=payload.note,
        )
        return 200, referral_out(visible_referrals(request.auth).get(pk=referral.pk))

    return run_once(request, idempotency_key, action)
