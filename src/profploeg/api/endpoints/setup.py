"""Programme set-up for programme staff: the call, its rounds and info sessions, themes and the
consortium's offer, through the same services as the pages.

These operations join the routers that already read the same paths (`programmes.router`,
`budget.router`): one path is one URL pattern, and the methods of one path must share it."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Schema

from profploeg.accounts.models import User
from profploeg.api.idempotency import idempotency_key_header, run_once
from profploeg.api.schemas import (
    ERRORS,
    Day,
    Id,
    Money,
    PageIn,
    PersonDays,
    page_of,
    paginate,
    text,
)
from profploeg.programmes import services
from profploeg.programmes.models import InfoSession, Programme, Round, Theme
from profploeg.trajectories import services as trajectory_services

from .access import require_roles
from .budget import OfferOut, offer_out
from .budget import router as budget_router
from .programmes import (
    InfoSessionOut,
    ProgrammeOut,
    RoundOut,
    in_force_today,
    info_session_out,
    programme_out,
    round_out,
    router,
)

STAFF = (User.Role.STAFF,)


def staff_only(user: User) -> None:
    require_roles(user, *STAFF)


def changes(payload: Schema) -> dict:
    """The fields a PATCH names: a field left out keeps its value."""
    return payload.model_dump(exclude_unset=True)


# Programmes


class ProgrammeIn(Schema):
    title: text(200, 1)
    description: text(10000) = ""
    published_on: Day
    capacity: int = Field(ge=0, le=2**31 - 1, description="Trajectories the budget plans for")
    budget_eur: Money


class ProgrammePatch(Schema):
    title: text(200, 1) = None
    description: text(10000) = None
    published_on: Day = None
    capacity: int = Field(None, ge=0, le=2**31 - 1)
    budget_eur: Money = None


@router.post(
    "/programmes",
    response={201: ProgrammeOut, **ERRORS},
    summary="Create a programme (call) with its capacity and budget (programme staff)",
)
def create_programme(
    request, payload: ProgrammeIn, idempotency_key: str | None = idempotency_key_header()
):
    def action():
        staff_only(request.auth)
        programme = services.create_programme(by=request.auth, **payload.model_dump())
        return 201, programme_out(in_force_today(programme))

    return run_once(request, idempotency_key, action)


@router.patch(
    "/programmes/{programme_id}",
    response={200: ProgrammeOut, **ERRORS},
    summary="Change a programme; the fields left out keep their value (programme staff)",
)
def update_programme(
    request,
    programme_id: Id,
    payload: ProgrammePatch,
    idempotency_key: str | None = idempotency_key_header(),
):
    def action():
        staff_only(request.auth)
        programme = get_object_or_404(Programme, pk=programme_id)
        services.update_programme(programme=programme, by=request.auth, **changes(payload))
        return 200, programme_out(in_force_today(programme))

    return run_once(request, idempotency_key, action)


# Rounds


class RoundIn(Schema):
    opens_on: Day
    deadline: Day = Field(description="Applications received after this day go to the next round")


class RoundPatch(Schema):
    opens_on: Day = None
    deadline: Day = None


@router.post(
    "/programmes/{programme_id}/rounds",
    response={201: RoundOut, **ERRORS},
    summary="Add the next submission round (programme staff)",
)
def add_round(
    request,
    programme_id: Id,
    payload: RoundIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    """Rounds are numbered 1, 2, ... and follow each other without overlap: a round opens after
    the previous round's deadline."""

    def action():
        staff_only(request.auth)
        programme = get_object_or_404(Programme, pk=programme_id)
        round_ = services.add_round(programme=programme, by=request.auth, **payload.model_dump())
        return 201, round_out(round_)

    return run_once(request, idempotency_key, action)


@router.patch(
    "/rounds/{round_id}",
    response={200: RoundOut, **ERRORS},
    summary="Move a round's opening date or deadline (programme staff)",
)
def update_round(
    request,
    round_id: Id,
    payload: RoundPatch,
    idempotency_key: str | None = idempotency_key_header(),
):
    """A deadline cannot move once applications were placed by it."""

    def action():
        staff_only(request.auth)
        round_ = get_object_or_404(Round.objects.select_related("programme"), pk=round_id)
        dates = {"opens_on": round_.opens_on, "deadline": round_.deadline, **changes(payload)}
        services.update_round(round_=round_, by=request.auth, **dates)
        return 200, round_out(round_)

    return run_once(request, idempotency_key, action)


# Info sessions


class InfoSessionIn(Schema):
    title: text(200, 1)
    held_on: Day
    registrations: int = Field(0, ge=0, le=2**31 - 1, description="0 when unknown")
    attendees: int = Field(0, ge=0, le=2**31 - 1, description="May exceed the registrations")


class InfoSessionPatch(Schema):
    title: text(200, 1) = None
    held_on: Day = None
    registrations: int = Field(None, ge=0, le=2**31 - 1)
    attendees: int = Field(None, ge=0, le=2**31 - 1)


@router.post(
    "/programmes/{programme_id}/info-sessions",
    response={201: InfoSessionOut, **ERRORS},
    summary="Record an info session with its registrations and attendees (programme staff)",
)
def add_info_session(
    request,
    programme_id: Id,
    payload: InfoSessionIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    def action():
        staff_only(request.auth)
        programme = get_object_or_404(Programme, pk=programme_id)
        session = services.record_info_session(
            programme=programme, by=request.auth, **payload.model_dump()
        )
        return 201, info_session_out(session)

    return run_once(request, idempotency_key, action)


@router.get(
    "/info-sessions/{session_id}",
    response={200: InfoSessionOut, **ERRORS},
    summary="One info session",
)
def get_info_session(request, session_id: Id):
    return info_session_out(get_object_or_404(InfoSession, pk=session_id))


@router.patch(
    "/info-sessions/{session_id}",
    response={200: InfoSessionOut, **ERRORS},
    summary="Correct an info session; the fields left out keep their value (programme staff)",
)
def update_info_session(
    request,
    session_id: Id,
    payload: InfoSessionPatch,
    idempotency_key: str | None = idempotency_key_header(),
):
    def action():
        staff_only(request.auth)
        session = get_object_or_404(InfoSession.objects.select_related("programme"), pk=session_id)
        fields = {
            "title": session.title,
            "held_on": session.held_on,
            "registrations": session.registrations,
            "attendees": session.attendees,
            **changes(payload),
        }
        services.record_info_session(
            programme=session.programme, by=request.auth, info_session=session, **fields
        )
        return 200, info_session_out(session)

    return run_once(request, idempotency_key, action)


# Themes


class ThemeOut(Schema):
    id: int
    slug: str
    name: str


class ThemeIn(Schema):
    name: text(100, 1)
    slug: text(50) = Field(
        "",
        pattern=r"^[-a-zA-Z0-9_]*$",
        description="How filters and applications name it; default: made from the name",
    )


class ThemePatch(Schema):
    name: text(100, 1) = None
    slug: text(50, 1) = Field(None, pattern=r"^[-a-zA-Z0-9_]+$")


ThemePage = page_of(ThemeOut, "ThemePage")


def theme_out(theme: Theme) -> dict:
    return {"id": theme.pk, "slug": theme.slug, "name": theme.name}


@router.get("/themes", response={200: ThemePage, **ERRORS}, summary="List the themes")
def list_themes(request, page: Query[PageIn]):
    """The themes an application can be about (their slugs go in `themes` when applying)."""
    return paginate(Theme.objects.order_by("name", "pk"), page, theme_out)


@router.post(
    "/themes",
    response={201: ThemeOut, **ERRORS},
    summary="Add a theme applications can be about (programme staff)",
)
def create_theme(request, payload: ThemeIn, idempotency_key: str | None = idempotency_key_header()):
    def action():
        staff_only(request.auth)
        return 201, theme_out(services.create_theme(by=request.auth, **payload.model_dump()))

    return run_once(request, idempotency_key, action)


@router.patch(
    "/themes/{theme_id}",
    response={200: ThemeOut, **ERRORS},
    summary="Rename a theme or change its slug (programme staff)",
)
def update_theme(
    request,
    theme_id: Id,
    payload: ThemePatch,
    idempotency_key: str | None = idempotency_key_header(),
):
    def action():
        staff_only(request.auth)
        theme = get_object_or_404(Theme, pk=theme_id)
        services.update_theme(by=request.auth, theme=theme, **changes(payload))
        return 200, theme_out(theme)

    return run_once(request, idempotency_key, action)


# The offer (its amendments: POST .../offer/amendments)


class OfferIn(Schema):
    total_eur: Money
    capacity: int = Field(ge=0, le=2**31 - 1, description="Trajectories the offer covers")
    average_person_days: PersonDays = Field(description="The average trajectory it is priced on")
    valid_from: Day
    valid_until: Day | None = None


@budget_router.post(
    "/programmes/{int:programme_id}/offer",
    response={201: OfferOut, **ERRORS},
    summary="Record the consortium's offer for a programme (programme staff)",
)
def create_offer(
    request,
    programme_id: Id,
    payload: OfferIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    """One offer per programme; change its total and capacity later with an amendment."""

    def action():
        staff_only(request.auth)
        programme = get_object_or_404(Programme, pk=programme_id)
        offer = trajectory_services.create_offer(
            by=request.auth, programme=programme, **payload.model_dump()
        )
        return 201, offer_out(offer, timezone.localdate())

    return run_once(request, idempotency_key, action)
