"""Types shared by the endpoints: bounded ids and dates, safe text, the documented errors."""

import datetime
from typing import Annotated

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
    422: ErrorOut,
    429: ErrorOut,
}

# Ids beyond a 64-bit integer would overflow the database driver: refuse them as invalid.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
# Dates outside this range cannot be turned into a Belgian day's start or end.
Day = Annotated[datetime.date, Field(ge=datetime.date(1900, 1, 1), le=datetime.date(2999, 12, 31))]
RoundNumber = Annotated[int, Field(ge=1, le=32767)]
Refnis = Annotated[str, Field(pattern=r"^[0-9]{5}$", examples=["12021"])]


def no_control_characters(value: str) -> str:
    """PostgreSQL refuses NUL in text, and lone surrogates cannot be stored: refuse both here."""
    if "\x00" in value:
        raise ValueError(_("Null characters are not allowed."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("Enter a valid value.")) from None
    return value


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
