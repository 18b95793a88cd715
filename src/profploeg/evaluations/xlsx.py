"""The evaluation page as a workbook: one sheet per table, real numbers and dates, filters and a
frozen header on every sheet."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from profploeg.lib.spreadsheets import append_row
from profploeg.programmes.models import Programme

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list]) -> None:
    sheet = workbook.create_sheet(title[:31])
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    for index, header in enumerate(headers, start=1):
        widest = max([len(str(header))] + [len(str(r[index - 1] or "")) for r in rows[:200]])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, widest + 2), 60)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if hasattr(cell.value, "year"):
                cell.number_format = "dd/mm/yyyy"


def evaluation_xlsx(programme: Programme, summary: dict, indicators: dict, pairs: list) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    write_sheet(
        workbook,
        _("Summary"),
        [_("Figure"), _("Value")],
        [
            [_("Programme"), programme.title],
            [_("Questionnaire"), summary["kind_label"]],
            [_("As of"), summary["as_of"]],
            [_("Sent"), summary["sent"]],
            [_("Answered"), summary["answered"]],
            [_("Open"), summary["open"]],
            [_("Expired unanswered"), summary["expired"]],
            [_("Reminded"), summary["reminded"]],
            [_("Response rate (%)"), summary["response_rate"]],
            [_("Average satisfaction (1–5)"), summary["average_satisfaction"]],
            [_("Average usefulness (1–5)"), summary["average_usefulness"]],
            [_("Measures carried out"), summary["measures"]["carried_out"]],
            [_("Measures planned"), summary["measures"]["planned"]],
            [_("Measures not planned"), summary["measures"]["not_planned"]],
        ],
    )
    write_sheet(
        workbook,
        _("Scores"),
        [_("Question"), "1", "2", "3", "4", "5", _("Answers"), _("Average")],
        [
            [entry["question"], *entry["counts"], entry["answers"], entry["average"]]
            for entry in summary["scores"]
        ],
    )
    group_headers = [
        _("Group"),
        _("Sent"),
        _("Answered"),
        _("Response rate (%)"),
        _("Satisfaction"),
        _("Usefulness"),
        _("Measures carried out"),
        _("Measures planned"),
    ]
    for key, title in (
        ("round", _("By round")),
        ("province", _("By province")),
        ("theme", _("By theme")),
    ):
        write_sheet(
            workbook,
            title,
            group_headers,
            [
                [
                    row["name"],
                    row["sent"],
                    row["answered"],
                    row["response_rate"],
                    row["satisfaction"],
                    row["usefulness"],
                    row["carried_out"],
                    row["planned"],
                ]
                for row in summary["groups"][key]
            ],
        )
    write_sheet(
        workbook,
        _("Indicators"),
        [
            _("Municipality"),
            _("Round"),
            _("Indicator"),
            _("Before"),
            _("Measured on"),
            _("Source"),
            _("After"),
            _("Measured on"),
            _("Source"),
            # The difference after minus before; "Change" alone is also a verb in the admin.
            pgettext("after minus before", "Change"),
        ],
        [
            [
                row["municipality"],
                row["round"],
                row["label"],
                row["before"],
                row["before_on"],
                row["before_source"],
                row["after"],
                row["after_on"],
                row["after_source"],
                row["change"],
            ]
            for row in indicators["rows"]
        ],
    )
    write_sheet(
        workbook,
        _("Comments"),
        [
            _("Municipality"),
            _("Round"),
            _("Province"),
            _("Submitted on"),
            _("Question"),
            _("Answer"),
        ],
        [
            [
                c["municipality"],
                c["round"],
                c["province"],
                c["submitted_on"],
                c["question"],
                c["text"],
            ]
            for c in summary["comments"]
        ],
    )
    write_sheet(
        workbook,
        _("Side by side"),
        [
            _("Municipality"),
            _("Completed on"),
            _("At completion: satisfaction"),
            _("At completion: usefulness"),
            _("At completion: carried out"),
            _("At completion: planned"),
            _("One year on: usefulness"),
            _("One year on: carried out"),
            _("One year on: planned"),
            _("One year on: what changed"),
        ],
        [
            [
                row["municipality"],
                row["completed_on"],
                row["completion"].get("satisfaction"),
                row["completion"].get("usefulness"),
                row["completion"].get("carried_out"),
                row["completion"].get("planned"),
                row["follow_up"].get("usefulness"),
                row["follow_up"].get("carried_out"),
                row["follow_up"].get("planned"),
                row["follow_up"].get("changes", ""),
            ]
            for row in pairs
        ],
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
