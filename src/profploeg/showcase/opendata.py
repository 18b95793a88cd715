"""Open data of De Vitrine: every published case and the public figures, as JSON and CSV, under
the Flemish government's free reuse licence. Only published cases, only public fields: no
contact persons, no expert names, no one who approved or published."""

import io
import json
from collections.abc import Iterable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from profploeg.evaluations.models import Indicator
from profploeg.lib.dates import local_date
from profploeg.lib.spreadsheets import MACHINE, CsvDialect, SafeWriter
from profploeg.programmes.models import Theme

from .models import Case

LICENCE = {
    "name": "Modellicentie Gratis Hergebruik",
    "version": "1.0",
    "url": "https://www.vlaanderen.be/digitaal-vlaanderen/onze-oplossingen/open-data/"
    "voorwaarden-voor-het-hergebruik-van-overheidsinformatie/modellicentie-gratis-hergebruik",
    "attribution": "Bron: VLAIO, De Vitrine (Profploeg)",
}
PUBLISHER = "Agentschap Innoveren & Ondernemen (VLAIO)"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def public_cases():
    """Published cases with everything their public record shows, in a fixed number of queries."""
    return (
        Case.objects.published()
        .select_related(
            "trajectory__application__municipality__province",
            "trajectory__application__municipality__merged_into",
        )
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
            "photos",
            Prefetch(
                "trajectory__indicators",
                queryset=Indicator.objects.order_by("kind", "measured_on", "pk"),
            ),
            "trajectory__assignments__expert__organisation",
        )
    )


def organisations(case: Case) -> list[str]:
    """The consortium partners that worked on the case: organisations, never people."""
    return sorted({a.expert.organisation.name for a in case.trajectory.assignments.all()})


def indicator_pairs(case: Case) -> list[dict]:
    """Per indicator the latest measurement before and after the guidance."""
    latest: dict[tuple[str, str], Indicator] = {}
    for indicator in case.trajectory.indicators.all():
        latest[(indicator.kind, indicator.moment)] = indicator
    pairs = []
    for kind, label in Indicator.Kind.choices:
        before, after = latest.get((kind, "before")), latest.get((kind, "after"))
        if before or after:
            pairs.append({"kind": kind, "label": str(label), "before": before, "after": after})
    return pairs


def measurement(indicator: Indicator | None) -> dict | None:
    if indicator is None:
        return None
    return {"value": indicator.value, "date": indicator.measured_on, "source": indicator.source}


def case_record(case: Case) -> dict:
    municipality = case.trajectory.application.municipality
    return {
        "id": case.pk,
        "slug": case.slug,
        "url": absolute(reverse("showcase:case", args=[case.slug])),
        "title": case.title,
        "summary": case.summary,
        "municipality": {
            "name": municipality.name,
            "refnis": municipality.refnis,
            "name_now": municipality.current.name,
            "refnis_now": municipality.current.refnis,
            "province": municipality.province.name,
            "size_class": case.size_class,
        },
        "year": case.year,
        "themes": [theme.name for theme in case.themes.all()],
        "question": case.question,
        "approach": case.approach,
        "measures": [line.strip() for line in case.measures.splitlines() if line.strip()],
        "results": case.results,
        "indicators": [
            {
                "indicator": pair["kind"],
                "label": pair["label"],
                "before": measurement(pair["before"]),
                "after": measurement(pair["after"]),
            }
            for pair in indicator_pairs(case)
        ],
        "organisations": organisations(case),
        "photos": [
            {
                "url": absolute(reverse("showcase:photo", args=[photo.pk])),
                "alt": photo.alt_text,
                "caption": photo.caption,
                "width": photo.width,
                "height": photo.height,
            }
            for photo in case.photos.all()
        ],
        "published_on": local_date(case.first_published_at) if case.first_published_at else None,
        "updated_on": local_date(case.public_changed_at) if case.public_changed_at else None,
    }


def envelope(name: str, **content) -> dict:
    return {
        "dataset": name,
        "publisher": PUBLISHER,
        "licence": LICENCE,
        "generated_on": timezone.localdate(),
        **content,
    }


def cases_json(cases: Iterable[Case]) -> str:
    records = [case_record(case) for case in cases]
    payload = envelope("De Vitrine: cases", count=len(records), cases=records)
    return json.dumps(payload, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder) + "\n"


CASE_COLUMNS = [
    "id",
    "url",
    "title",
    "municipality",
    "refnis",
    "province",
    "size_class",
    "year",
    "themes",
    "summary",
    "question",
    "approach",
    "measures",
    "results",
    "organisations",
    "published_on",
    "updated_on",
    "licence",
]


# The Excel dialect's headers (`?dialect=excel`): Dutch content, like the cases themselves.
CASE_HEADERS_NL = {
    "id": "Id",
    "url": "Url",
    "title": "Titel",
    "municipality": "Gemeente",
    "refnis": "NIS-code",
    "province": "Provincie",
    "size_class": "Grootteklasse",
    "year": "Jaar",
    "themes": "Thema's",
    "summary": "Samenvatting",
    "question": "Vraag",
    "approach": "Aanpak",
    "measures": "Maatregelen",
    "results": "Resultaten",
    "organisations": "Organisaties",
    "published_on": "Gepubliceerd op",
    "updated_on": "Bijgewerkt op",
    "licence": "Licentie",
}
FIGURE_HEADERS_NL = {
    "programme": "Programma",
    "published_on": "Gepubliceerd op",
    "applications": "Aanvragen",
    "municipalities_guided": "Begeleide gemeenten",
    "trajectories_completed": "Afgeronde trajecten",
    "person_days": "Mensdagen",
    "published_cases": "Gepubliceerde praktijkvoorbeelden",
    "licence": "Licentie",
}


def headers(columns: list[str], dutch: dict[str, str], dialect: CsvDialect) -> list[str]:
    """Open data is read by programs first: English keys, unless the dialect is for people."""
    return [dutch[key] for key in columns] if dialect.for_people else columns


def cases_csv(cases: Iterable[Case], dialect: CsvDialect = MACHINE) -> str:
    out = io.StringIO()
    writer = SafeWriter(out, dialect=dialect)
    writer.writerow(headers(CASE_COLUMNS, CASE_HEADERS_NL, dialect))
    for case in cases:
        record = case_record(case)
        writer.writerow(
            [
                record["id"],
                record["url"],
                record["title"],
                record["municipality"]["name"],
                record["municipality"]["refnis"],
                record["municipality"]["province"],
                record["municipality"]["size_class"],
                record["year"],
                "; ".join(record["themes"]),
                record["summary"],
                record["question"],
                record["approach"],
                "; ".join(record["measures"]),
                record["results"],
                "; ".join(record["organisations"]),
                record["published_on"],
                record["updated_on"],
                f"{LICENCE['name']} {LICENCE['version']}",
            ]
        )
    return out.getvalue()


FIGURE_COLUMNS = [
    "programme",
    "published_on",
    "applications",
    "municipalities_guided",
    "trajectories_completed",
    "person_days",
    "published_cases",
    "licence",
]


def figures_json(figures: dict) -> str:
    payload = envelope("De Vitrine: programme figures", **figures)
    return json.dumps(payload, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder) + "\n"


def figures_csv(figures: dict, dialect: CsvDialect = MACHINE) -> str:
    out = io.StringIO()
    writer = SafeWriter(out, dialect=dialect)
    writer.writerow(headers(FIGURE_COLUMNS, FIGURE_HEADERS_NL, dialect))
    licence = f"{LICENCE['name']} {LICENCE['version']}"
    for row in figures["programmes"]:
        writer.writerow(
            [
                row["title"],
                row["published_on"],
                row["applications"],
                row["municipalities_guided"],
                row["trajectories_completed"],
                row["person_days"],
                row["published_cases"],
                licence,
            ]
        )
    total = figures["total"]
    writer.writerow(
        [
            "Totaal",
            None,
            total["applications"],
            total["municipalities_guided"],
            total["trajectories_completed"],
            total["person_days"],
            total["published_cases"],
            licence,
        ]
    )
    return out.getvalue()
