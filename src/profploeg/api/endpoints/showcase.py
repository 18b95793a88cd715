"""De Vitrine, in public: the published cases and the programme's figures, read without a token.

The same records as the open data (`cases.json`, `figures.json`), built by the same functions,
under the same licence: only published cases, only public fields, nothing personal."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from profploeg.api.schemas import ERRORS, PageIn, Refnis, paginate
from profploeg.showcase import opendata
from profploeg.showcase.figures import public_figures

# No authentication: anyone may read what De Vitrine publishes.
router = Router(tags=["showcase"], auth=None)

Slug = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]{1,120}$", examples=["leegstand-lier"])]


class LicenceOut(Schema):
    name: str
    version: str
    url: str
    attribution: str


class CaseMunicipalityOut(Schema):
    name: str
    refnis: str
    name_now: str
    refnis_now: str
    province: str
    size_class: str


class MeasurementOut(Schema):
    value: Decimal
    date: datetime.date
    source: str


class CaseIndicatorOut(Schema):
    indicator: str
    label: str
    before: MeasurementOut | None
    after: MeasurementOut | None


class CasePhotoOut(Schema):
    url: str
    alt: str
    caption: str
    width: int
    height: int


class CaseOut(Schema):
    id: int
    slug: str
    url: str = Field(description="The case's public page")
    title: str
    summary: str
    municipality: CaseMunicipalityOut
    year: int | None = Field(description="The year its trajectory ended")
    themes: list[str]
    question: str
    approach: str
    measures: list[str]
    results: str
    indicators: list[CaseIndicatorOut] = Field(description="Outcome indicators before/after")
    organisations: list[str] = Field(description="The consortium partners, never people")
    photos: list[CasePhotoOut]
    published_on: datetime.date | None
    updated_on: datetime.date | None


class CaseDetailOut(CaseOut):
    licence: LicenceOut


class CasePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CaseOut]
    licence: LicenceOut


class FiguresRowOut(Schema):
    id: int
    title: str
    published_on: datetime.date | None
    applications: int
    municipalities_guided: int
    trajectories_completed: int
    person_days: Decimal
    published_cases: int


class FiguresTotalOut(Schema):
    applications: int
    municipalities_guided: int
    trajectories_completed: int
    person_days: Decimal
    published_cases: int


class FiguresOut(Schema):
    dataset: str
    publisher: str
    licence: LicenceOut
    generated_on: datetime.date
    as_of: datetime.date
    programmes: list[FiguresRowOut]
    total: FiguresTotalOut


class CaseFilters(Schema):
    theme: str | None = Field(None, pattern=r"^[-a-z0-9_]{1,50}$", description="theme slug")
    province: Refnis | None = Field(None, description="province REFNIS code, e.g. 10000")
    year: int | None = Field(None, ge=1900, le=2999, description="The year the trajectory ended")


@router.get(
    "/showcase/cases",
    response={200: CasePage, **ERRORS},
    summary="List the published cases of De Vitrine",
)
def list_cases(request, filters: Query[CaseFilters], page: Query[PageIn]):
    """Public: the records of the open data's `cases.json`, newest first. No token needed."""
    cases = opendata.public_cases()
    if filters.theme:
        cases = cases.filter(themes__slug=filters.theme)
    if filters.province:
        cases = cases.filter(
            trajectory__application__municipality__province__refnis=filters.province
        )
    if filters.year:
        cases = cases.filter(trajectory__ended_on__year=filters.year)
    cases = cases.distinct().order_by("-first_published_at", "pk")
    return {**paginate(cases, page, opendata.case_record), "licence": opendata.LICENCE}


@router.get(
    "/showcase/cases/{slug}",
    response={200: CaseDetailOut, **ERRORS},
    summary="One published case of De Vitrine",
)
def get_case(request, slug: Slug):
    """Public: a draft, a case in review or a withdrawn one is not found."""
    case = get_object_or_404(opendata.public_cases(), slug=slug)
    return {**opendata.case_record(case), "licence": opendata.LICENCE}


@router.get(
    "/showcase/figures",
    response={200: FiguresOut, **ERRORS},
    summary="The programme's public figures",
)
def figures(request):
    """Public: the open data's `figures.json`, per published programme and in total."""
    return opendata.envelope("De Vitrine: programme figures", **public_figures())
