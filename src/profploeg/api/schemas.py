"""Types shared by the endpoints: bounded ids and dates, safe text, the documented errors."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator

from .errors import ErrorOut

# Every error status an endpoint can answer, documented so that clients (and schemathesis)
# know the shape.
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}

# Ids beyond a 64-bit integer would overflow the database driver: refuse them as invalid.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
# Dates outside this range cannot be turned into a Belgian day's start or end.
Day = Annotated[datetime.date, Field(ge=datetime.date(1900, 1, 1), le=datetime.date(2999, 12, 31))]
RoundNumber = Annotated[int, Field(ge=1, le=32767)]
Refnis = Annotated[str, Field(pattern=r"^[0-9]{5}$", examples=["12021"])]


# As the pages' DecimalFields: the same digits, so the same messages; the services judge the value.
Money = Annotated[Decimal, Field(max_digits=12, decimal_places=2)]
PersonDays = Annotated[Decimal, Field(max_digits=6, decimal_places=1)]


def eur(value: Decimal | None) -> Decimal | None:
    """An amount as the pages show it, in cents (SQLite returns sums without their places)."""
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def days(value: Decimal | None) -> Decimal | None:
    """Person-days to the half day's one decimal."""
    return None if value is None else Decimal(value).quantize(Decimal("0.1"))


def with_time_zone(value: datetime.datetime) -> datetime.datetime:
    if value.tzinfo is None:
        raise ValueError(_("Give a time zone, for example 2021-08-02T10:00:00+02:00."))
    return value


# A moment in time, with its time zone (Belgian time is +01:00 or +02:00).
Moment = Annotated[
    datetime.datetime,
    Field(
        ge=datetime.datetime(1900, 1, 2, tzinfo=datetime.UTC),
        le=datetime.datetime(2999, 12, 31, tzinfo=datetime.UTC),
        examples=["2021-10-05T14:00:00+02:00"],
    ),
    AfterValidator(with_time_zone),
]


def no_control_characters(value: str) -> str:
    """PostgreSQL refuses NUL in text, and lone surrogates cannot be stored: refuse both here."""
    if "\x00" in value:
        raise ValueError(_("Null characters are not allowed."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("Enter a valid value.")) from None
    return value


def valid_url(value: str) -> str:
    if value:
        try:
            URLValidator()(value)
        except ValidationError:
            raise ValueError(_("Enter a valid URL.")) from None
    return value


def url(max_length: int = 200):
    """An http(s) link or empty, as the pages' URLField."""
    return Annotated[
        str,
        Field(max_length=max_length),
        AfterValidator(no_control_characters),
        AfterValidator(valid_url),
    ]


def text(max_length: int, min_length: int = 0):
    return Annotated[
        str,
        Field(min_length=min_length, max_length=max_length),
        AfterValidator(no_control_characters),
    ]


class PageIn(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=200, description="Items per page (at most 200).")


def paginate(queryset, page: PageIn, serialize) -> dict:
    """One page of a list: `{"count", "page", "page_size", "items"}`."""
    start = (page.page - 1) * page.page_size
    return {
        "count": queryset.count(),
        "page": page.page,
        "page_size": page.page_size,
        "items": [serialize(obj) for obj in queryset[start : start + page.page_size]],
    }


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """The response schema of a paginated list of `item_schema`."""
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {
                "count": int,
                "page": int,
                "page_size": int,
                "items": list[item_schema],
            }
        },
    )
