"""Figures cached under the data version they were computed at.

A report depends only on the data and what was asked (programme, date, filters, format,
language). Its outputs are kept in the shared cache (`CACHE_URL`) under a key that holds the
data version (`operations.versioning`): any committed write raises the version, so a cached
output is never served for data that changed since. `REPORT_CACHE_SECONDS` (0 turns the cache
off) bounds how long an output of an unchanged programme is kept."""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from profploeg.operations import versioning

T = TypeVar("T")


def cached(parts: tuple, compute: Callable[[], T]) -> T:
    """The value of `compute()` for these parts, at today's data version, in the active
    language: from the cache when it holds one, else computed and kept."""
    seconds = settings.REPORT_CACHE_SECONDS
    if not seconds:
        return compute()
    described = repr((versioning.current(), translation.get_language(), parts))
    key = "report:" + hashlib.sha256(described.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
