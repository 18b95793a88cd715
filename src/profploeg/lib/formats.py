"""Dates, numbers and money as people read them, in the active language: Belgian Dutch
("7 februari 2022", "07/02/2022", "2,5", "€ 1.500.000,00") or English. Messages, charts and
exports call these instead of str(), isoformat() or f"{value:,.2f}", so that one setting
(Django's localisation, lib/locale_formats) decides how every figure looks."""

import datetime
from decimal import Decimal
from functools import lru_cache

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

Number = int | float | Decimal


# A report writes the same few hundred dates and amounts thousands of times: each is formatted
# once per language (Django's formatting costs tens of microseconds a call).
@lru_cache(maxsize=8192)
def formatted_date(value: datetime.date, format: str, language: str | None) -> str:
    return date_format(value, format)


@lru_cache(maxsize=8192)
def formatted_number(text: str, decimals: int, language: str | None) -> str:
    return number_format(Decimal(text), decimals, force_grouping=True)


def date_in_language(value: datetime.date, format: str) -> str:
    """A date in the active language through Django's localisation (lib.dates.local_date is
    another thing: the Belgian calendar day of a moment)."""
    if isinstance(value, datetime.datetime):
        return date_format(value, format)
    return formatted_date(value, format, get_language())


def day(value: datetime.date | datetime.datetime) -> str:
    """A date in running text: "7 februari 2022"."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_in_language(value, "DATE_FORMAT")


def short_day(value: datetime.date | datetime.datetime) -> str:
    """A date in a table or a compact label: "07/02/2022"."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_in_language(value, "SHORT_DATE_FORMAT")


def moment(value: datetime.datetime) -> str:
    """A date and time in running text: "7 februari 2022 14:30", in Belgian time."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "DATETIME_FORMAT")


def month(value: datetime.date) -> str:
    """A month on a chart axis or in a table: "02/2022"."""
    return date_in_language(value, "m/Y")


def number(value: Number, decimals: int | None = None) -> str:
    """A figure with thousands grouped and no needless decimals: "1.500", "2,5", "-2,8".
    `decimals` fixes the number of decimals instead."""
    value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if decimals is None:
        decimals = 0 if value == value.to_integral() else -value.normalize().as_tuple().exponent
    return formatted_number(str(value), decimals, get_language())


def days(value: Number) -> str:
    """Person-days: "2,5", "1", "0,5" (at most two decimals, none when whole)."""
    return number(Decimal(value).quantize(Decimal("0.01")).normalize())


def signed(value: Number, decimals: int = 1) -> str:
    """A change, always with its sign: "+2,8", "-2,8", "0,0"."""
    text = number(value, decimals)
    return f"+{text}" if Decimal(value) > 0 else text


def money(value: Number, decimals: int = 2) -> str:
    """An amount in euro: "€ 1.500.000,00" (or "€ 1.500.000" with decimals=0)."""
    text = number(value, decimals)
    if text.startswith("-"):
        return f"-€ {text[1:]}"
    return f"€ {text}"


def money_short(value: Number) -> str:
    """An amount on a chart axis: "€ 0", "€ 250.000", "€ 1,5 mln"."""
    value = Decimal(value)
    if abs(value) >= 1_000_000:
        millions = (value / 1_000_000).quantize(Decimal("0.01")).normalize()
        # Translators: a short amount in millions of euro on a chart axis, e.g. "€ 1,5 mln".
        return _("€ %(amount)s mln") % {"amount": number(millions)}
    return money(value, 0)
