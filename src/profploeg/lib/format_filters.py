"""Template filters over lib/formats, available in every template (settings: builtins):
{{ change|signed }} → "+2,8", {{ amount|money }} → "€ 1.500,00", {{ total|days }} → "2,5"."""

from django import template

from profploeg.lib import formats

register = template.Library()


def shown(function, value, *args):
    """Like Django's own filters, a value that is not a number is shown as it is."""
    if value is None or value == "":
        return ""
    try:
        return function(value, *args)
    except (TypeError, ValueError, ArithmeticError):
        return value


@register.filter
def signed(value, decimals: int = 1):
    return shown(formats.signed, value, int(decimals))


@register.filter
def money(value, decimals: int = 2):
    return shown(formats.money, value, int(decimals))


@register.filter
def days(value):
    return shown(formats.days, value)
