"""Template filters over lib/formats, available in every template (settings: builtins):
{{ change|signed }} → "+2,8", {{ amount|money }} → "€ 1.500,00", {{ total|days }} → "2,5"."""

from django import template

from profploeg.lib import formats

register = template.Library()


def blank(value) -> bool:
    return value is None or value == ""


@register.filter
def signed(value, decimals: int = 1) -> str:
    return "" if blank(value) else formats.signed(value, int(decimals))


@register.filter
def money(value, decimals: int = 2) -> str:
    return "" if blank(value) else formats.money(value, int(decimals))


@register.filter
def days(value) -> str:
    return "" if blank(value) else formats.days(value)
