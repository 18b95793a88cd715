"""What a background download can make: for each kind, its parameters (validated when it is
asked for, stored with the download) and the function that makes the file, telling progress.

The files are those of the direct downloads: the status report through
`reports.exports.export_status`, the history workbook through `history.export.export_history`."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from profploeg.applications.models import Application
from profploeg.history.export import export_history
from profploeg.lib.progress import Progress
from profploeg.programmes.models import Programme
from profploeg.reports import exports

from .models import Download

XLSX = exports.CONTENT_TYPES["xlsx"]


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    programme: int = Field(ge=1, le=2**63 - 1)


class StatusReportParams(Params):
    """The report page's date, round and filters, the format, and whether only the annex."""

    as_of: datetime.date
    format: Literal["xlsx", "docx", "pdf"]
    round: int | None = Field(None, ge=1, le=1000)
    annex: bool = False
    province: str | None = Field(None, min_length=1, max_length=60)
    status: Literal[tuple(Application.Status.values)] | None = None  # type: ignore[valid-type]
    theme: str | None = Field(None, pattern=r"^[-a-z0-9_]{1,50}$")
    expert: int | None = Field(None, ge=1, le=2**63 - 1)


class HistoryParams(Params):
    """The programme whose whole history goes into the workbook."""


def programme_of(params: Params) -> Programme:
    programme = Programme.objects.filter(pk=params.programme).first()
    if programme is None:
        raise ValidationError(_("This programme does not exist."))
    return programme


def status_report_title(params: StatusReportParams, programme: Programme) -> str:
    what = _("Annex of round %(number)s") % {"number": params.round} if params.annex else None
    parts = [
        what or _("Status report"),
        programme.title,
        date_format(params.as_of, "SHORT_DATE_FORMAT"),
        params.format.upper(),
    ]
    return " – ".join(parts)


def check_status_report(params: StatusReportParams) -> None:
    if params.annex and params.round is None:
        raise ValidationError({"round": [_("The annex is that of one round: name the round.")]})


def make_status_report(params: StatusReportParams, progress: Progress) -> exports.Export:
    filters = {
        "province": params.province,
        "status": params.status,
        "theme": params.theme,
        "expert": params.expert,
    }
    return exports.export_status(
        programme_of(params),
        as_of=params.as_of,
        format=params.format,
        round_number=params.round,
        annex=params.annex,
        filters=filters,
        progress=progress,
    )


def history_title(params: HistoryParams, programme: Programme) -> str:
    return f"{_('History workbook')} – {programme.title}"


def make_history(params: HistoryParams, progress: Progress) -> exports.Export:
    programme = programme_of(params)
    content = export_history(programme=programme, progress=progress)
    return exports.Export(f"profploeg-history-{programme.pk}.xlsx", XLSX, content)


@dataclass(frozen=True)
class Kind:
    params: type[Params]
    title: Callable[[Params, Programme], str]
    make: Callable[[Params, Progress], exports.Export]
    # Rules between parameters, with a message a user can act on.
    check: Callable[[Params], None] = lambda params: None


KINDS: dict[str, Kind] = {
    Download.Kind.STATUS_REPORT: Kind(
        StatusReportParams, status_report_title, make_status_report, check_status_report
    ),
    Download.Kind.HISTORY: Kind(HistoryParams, history_title, make_history),
}


def kind_of(key: str) -> Kind:
    if key not in KINDS:
        raise ValidationError(_("Unknown kind of download."), code="unknown_kind")
    return KINDS[key]


def clean(kind: Kind, params: dict) -> Params:
    """The parameters as the kind takes them, or a ValidationError naming each wrong one."""
    try:
        cleaned = kind.params.model_validate(params)
    except PydanticValidationError as error:
        fields: dict[str, list[str]] = {}
        for problem in error.errors():
            name = ".".join(str(part) for part in problem["loc"]) or "params"
            fields.setdefault(name, []).append(_("This value is not valid."))
        raise ValidationError(fields) from error
    kind.check(cleaned)
    return cleaned
