"""Provinces and municipalities, before and after the 2025 mergers (reference data)."""

import datetime
from typing import Literal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from profploeg.api.schemas import ERRORS, Day, PageIn, Refnis, page_of, paginate, text
from profploeg.municipalities.models import Municipality, Province

router = Router(tags=["municipalities"])


class ProvinceOut(Schema):
    refnis: str
    name: str


class MunicipalityOut(Schema):
    refnis: str
    name: str
    province: str = Field(description="REFNIS code of the province")
    province_name: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    merged_into: str | None = Field(description="REFNIS code of the municipality it merged into")
    current: str = Field(description="REFNIS code of the municipality as it is now")
    merged_from: list[str] = Field(description="REFNIS codes of the municipalities merged into it")


ProvincePage = page_of(ProvinceOut, "ProvincePage")
MunicipalityPage = page_of(MunicipalityOut, "MunicipalityPage")


def municipality_out(municipality: Municipality) -> dict:
    current = municipality.current
    return {
        "refnis": municipality.refnis,
        "name": municipality.name,
        "province": municipality.province.refnis,
        "province_name": municipality.province.name,
        "valid_from": municipality.valid_from,
        "valid_until": municipality.valid_until,
        "merged_into": municipality.merged_into.refnis if municipality.merged_into_id else None,
        "current": current.refnis,
        "merged_from": [m.refnis for m in municipality.merged_from.all()],
    }


def municipalities():
    return Municipality.objects.select_related("province", "merged_into").prefetch_related(
        Prefetch("merged_from", queryset=Municipality.objects.order_by("refnis"))
    )


@router.get("/provinces", response={200: ProvincePage, **ERRORS}, summary="List provinces")
def list_provinces(request, page: Query[PageIn]):
    return paginate(
        Province.objects.order_by("refnis"),
        page,
        lambda p: {"refnis": p.refnis, "name": p.name},
    )


class MunicipalityFilters(Schema):
    province: Refnis | None = None
    name: text(100) | None = Field(None, description="Part of the name")
    valid_on: Day | None = Field(None, description="Only those that existed on this day")
    current: bool | None = Field(None, description="Only those that exist today (or only not)")
    merged: bool | None = Field(None, description="Only those that merged into another")
    sort: Literal["name", "-name", "refnis", "-refnis"] = "name"


@router.get(
    "/municipalities", response={200: MunicipalityPage, **ERRORS}, summary="List municipalities"
)
def list_municipalities(request, filters: Query[MunicipalityFilters], page: Query[PageIn]):
    found = municipalities()
    if filters.province:
        found = found.filter(province__refnis=filters.province)
    if filters.name:
        found = found.filter(name__icontains=filters.name)
    if filters.valid_on:
        found = found.valid_on(filters.valid_on)
    if filters.current is not None:
        found = found.filter(valid_until__isnull=filters.current)
    if filters.merged is not None:
        found = found.filter(merged_into__isnull=not filters.merged)
    return paginate(found.order_by(filters.sort, "pk"), page, municipality_out)


@router.get(
    "/municipalities/{refnis}",
    response={200: MunicipalityOut, **ERRORS},
    summary="One municipality by REFNIS code",
)
def get_municipality(request, refnis: Refnis):
    return municipality_out(get_object_or_404(municipalities(), refnis=refnis))
