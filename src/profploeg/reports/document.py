"""The status report written out as the answer to a written parliamentary question (Dutch).

The questions are those of the seed document, asked of the report's rounds: the first round gets
the first question (budgets, progress, completion, results), every later round the second
(applications, admissibility, budget per guidance, intakes, budgets, completion), and the
programme the third (evaluation, De Vitrine). Each answer is built from the report's figures only.

The result is a list of blocks that the DOCX and the PDF renderers lay out the same way. The text
is Dutch content for Parliament, not interface text, so it is written here in Dutch."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_noop

from profploeg.lib import formats
from profploeg.lib.progress import Progress

from . import charts, maps
from .schema import ReportRound, StatusReport
from .tables import MUNICIPALITY_COLUMNS, Column, cell, present

ORDINALS = ["eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste"]
STATUS_NL = {
    "submitted": "ingediend",
    "admissible": "ontvankelijk",
    "inadmissible": "onontvankelijk",
    "accepted": "aanvaard",
    "deferred": "uitgesteld",
    "withdrawn": "ingetrokken",
}
TRAJECTORY_STATE_NL = {
    "planned": "gepland",
    "running": "lopend",
    "overdue": "over tijd",
    "inactive": "inactief",
    "completed": "afgerond",
    "stopped": "stopgezet",
}
NUMBER_WORDS = ["één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"]
# What "vastgelegd" (committed) means, said wherever the document gives the amount.
COMMITTED_NL = (
    "Vastgelegd betekent: de mensdagen die tot de datum van dit overzicht werden geregistreerd, "
    "elk aan het dagtarief van die dag, plus voor elk traject dat op die datum nog niet "
    "beëindigd was de mensdagen die toen nog gepland waren (het plan van die datum min wat al "
    "geregistreerd was, nooit minder dan nul) aan het dagtarief van elke expert op die datum. "
    "Een beëindigd traject legt vast wat het verbruikte. Gewerkte dagen worden nooit opnieuw "
    "geprijsd, en een later gewijzigd plan verandert het cijfer van een eerdere datum niet. "
    "Verbruikt is wat tot die datum werd geregistreerd."
)
TO_COMPLETE = "[aan te vullen]"


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    # question (the member's question), answer, note (how the figures were made)
    style: str = "answer"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    caption: str = ""


@dataclass
class NewPage:
    """Start a new page; the annex's wide tables go on landscape pages."""

    landscape: bool = False


@dataclass
class Figure:
    chart: "charts.Chart"
    caption: str = ""


@dataclass
class Document:
    title: str
    subtitle: str
    blocks: list = field(default_factory=list)
    # Wide tables (the annex) read better on landscape pages.
    landscape: bool = False


# How much work a block is for a renderer, in table rows: a chart is drawn (and for the DOCX
# rasterised) at about the cost of a table of this many rows.
FIGURE_WEIGHT = 40


def block_weight(block) -> int:
    if isinstance(block, Table):
        return len(block.rows) + 1
    if isinstance(block, Figure):
        return FIGURE_WEIGHT
    return 1


def blocks_told(document: "Document", progress: Progress, share: int = 95) -> Iterator:
    """The document's blocks, telling `progress` before each table and chart how much of the
    work is done (up to `share` percent; saving the file is the rest)."""
    weights = [block_weight(block) for block in document.blocks]
    total, done = sum(weights) or 1, 0
    for block, weight in zip(document.blocks, weights, strict=True):
        if isinstance(block, Table):
            progress(share * done // total, gettext_noop("Writing the tables"))
        elif isinstance(block, Figure):
            progress(share * done // total, gettext_noop("Drawing the charts"))
        yield block
        done += weight
    progress(share, gettext_noop("Saving the file"))


@lru_cache(maxsize=16384)
def dutch(function, *args):
    """A figure as lib/formats writes it in Belgian Dutch: the answer for Parliament is Dutch
    whatever language is active where it is made (a page in English, a test, the CLI). Each
    value is written once: a large report writes the same dates and amounts thousands of times,
    and switching the language for each took seconds."""
    with translation.override("nl-be"):
        return function(*args)


def day_month(day: datetime.date) -> str:
    """'13 augustus', as the minister writes a date of the same year."""
    return dutch(date_format, day, "j F")


def in_words(count: int) -> str:
    return NUMBER_WORDS[count - 1] if 0 < count <= len(NUMBER_WORDS) else nl_number(count)


def nl_date(day: datetime.date | str | None) -> str:
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return dutch(formats.day, day)


def short_date(day: datetime.date | str) -> str:
    """Tables: 24/12/2021."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return dutch(formats.short_day, day)


def nl_number(value, decimals: int = 0) -> str:
    """Belgian notation: 1.500.000,00."""
    return dutch(formats.number, value, decimals)


def nl_money(value) -> str:
    return dutch(formats.money, value, 2)


def nl_days(value) -> str:
    return nl_number(value, 1)


def ordinal(number: int) -> str:
    return ORDINALS[number - 1] if 0 < number <= len(ORDINALS) else f"{number}e"


def plural(count: int, one: str, many: str) -> str:
    """'één aanvraag', '35 aanvragen' (Dutch writes one as a word)."""
    return f"één {one}" if count == 1 else f"{nl_number(count)} {many}"


def sentence(text: str) -> str:
    """Capitalise the first letter only (str.capitalize would lower the rest: VLAIO).

    'één' opens a sentence as 'Eén', as in the minister's answer."""
    if text.startswith("één"):
        return "Eén" + text[3:]
    return text[:1].upper() + text[1:]


def format_cell(row, column: Column) -> str:
    value = cell(row, column)
    if value is None or value == "":
        return ""
    if column.key == "name" and row.name_now and row.name_now != value:
        # A municipality that has merged since: as it was, and what it is part of now.
        return f"{value} (nu {row.name_now})"
    if column.key == "status_label":
        return STATUS_NL.get(row.status, str(value))
    if column.key == "trajectory_state_label":
        return TRAJECTORY_STATE_NL.get(row.trajectory_state, str(value))
    if column.kind == "date":
        return short_date(value)
    if column.kind == "money":
        return nl_number(value, 2)
    if column.kind == "days":
        return nl_days(value)
    if column.kind == "int":
        return nl_number(value)
    return str(value)


def total_cell(rows: list, column: Column) -> str:
    total = sum((cell(row, column) or Decimal(0) for row in rows), Decimal(0))
    return nl_number(total, 2) if column.kind == "money" else nl_days(total)


def table(columns: list[Column], rows: list, caption: str = "", total: bool = False) -> Table:
    """`total`: a last row with the sums of the person-days and the amounts."""
    cells = [[format_cell(row, column) for column in columns] for row in rows]
    summed = [column for column in columns if column.kind in ("days", "money")]
    if total and rows and summed:
        cells.append(
            [
                "Totaal" if index == 0 else total_cell(rows, column) if column in summed else ""
                for index, column in enumerate(columns)
            ]
        )
    return Table(
        # The labels of the page and the downloads, in Dutch as the whole answer.
        headers=[dutch(str, column.label) for column in columns],
        rows=cells,
        numeric=[column.numeric for column in columns],
        caption=caption,
    )


# The answer's own table is short: who, how far, committed and consumed (the amount the text
# announces). The annex has every column.
ANSWER_KEYS = [
    "name",
    "status_label",
    "trajectory_state_label",
    "started_on",
    "completed_on",
    "stopped_on",
    "expected_completion_p50",
    "expected_completion_p80",
    "person_days_consumed",
    "committed_eur",
    "consumed_eur",
]
# Always in the answer's table, even when still zero: the text announces them.
ANSWER_ALWAYS = {"name", "status_label", "committed_eur", "consumed_eur"}
# The name column says "Melle (nu Merelbeke-Melle)" when a municipality has merged since.
ANNEX_SKIP = {"refnis_now", "name_now"}


def answer_table(round_: ReportRound) -> Table:
    rows = round_.municipalities
    columns = [
        column
        for column in MUNICIPALITY_COLUMNS
        if column.key in ANSWER_ALWAYS
        or (column.key in ANSWER_KEYS and any(format_cell(row, column) for row in rows))
    ]
    return table(
        columns,
        rows,
        f"Gemeenten van de {ordinal(round_.number)} ronde op de datum van dit overzicht: "
        "status, vastgelegd en verbruikt bedrag",
        total=True,
    )


def annex_table(round_: ReportRound) -> Table:
    """Every column that says something: one that is empty in every row is left out."""
    rows = round_.municipalities
    columns = [
        column
        for column in present(MUNICIPALITY_COLUMNS, rows)
        if column.key not in ANNEX_SKIP and any(format_cell(row, column) for row in rows)
    ]
    return table(columns, rows, total=True)


def annex_title(round_: ReportRound) -> str:
    return f"Overzicht van de gemeenten uit de {ordinal(round_.number)} ronde"


def late_sentence(round_: ReportRound) -> str:
    """The seed: 'Na 13 augustus werden nog twee aanvragen voor begeleiding ingediend.'"""
    late = round_.late_from_previous_round
    if not late or round_.previous_deadline is None:
        return ""
    return (
        f"Na {day_month(round_.previous_deadline)} "
        + ("werd" if late == 1 else "werden")
        + f" nog {in_words(late)} {'aanvraag' if late == 1 else 'aanvragen'} voor begeleiding "
        f"ingediend. {'Die werd' if late == 1 else 'Die werden'} opgenomen binnen het "
        f"selectieproces voor de {ordinal(round_.number)} indieningsronde, met deadline "
        f"{nl_date(round_.deadline)}."
    )


def applications_answer(round_: ReportRound) -> list[str]:
    """What happened to the round's applications, in the minister's words where possible."""
    number, submitted = ordinal(round_.number), round_.submitted
    text = [
        f"Tijdens de {number} indieningsronde "
        + ("werd" if submitted == 1 else "werden")
        + f" {plural(submitted, 'aanvraag', 'aanvragen') if submitted else 'geen aanvragen'} "
        f"ingediend voor de indieningsdatum van {nl_date(round_.deadline)}."
    ]
    late = late_sentence(round_)
    if late:
        text.append(late)
    rows = round_.municipalities
    if round_.inadmissible:
        reasons = "; ".join(
            f"{row.name}: {row.reason.rstrip('. ')}"
            for row in rows
            if row.status == "inadmissible" and row.reason
        )
        verb = "was" if round_.inadmissible == 1 else "waren"
        text.append(
            f"{sentence(plural(round_.inadmissible, 'aanvraag', 'aanvragen'))} {verb} "
            f"onontvankelijk{f' ({reasons})' if reasons else ''}. "
            + (
                "De betrokken gemeente werd hiervan op de hoogte gebracht."
                if round_.inadmissible == 1
                else "De betrokken gemeenten werden hiervan op de hoogte gebracht."
            )
        )
    if round_.ever_admissible:
        if round_.ever_admissible == submitted:
            everything = (
                "De aanvraag werd"
                if submitted == 1
                else f"Alle {nl_number(submitted)} aanvragen werden"
            )
            text.append(f"{everything} ontvankelijk verklaard.")
        else:
            text.append(
                sentence(plural(round_.ever_admissible, "aanvraag werd", "aanvragen werden"))
                + " ontvankelijk verklaard en opgenomen in de beoordeling door VLAIO."
            )
    if round_.deferred:
        names = ", ".join(row.name for row in rows if row.status == "deferred")
        text.append(
            f"Voor {plural(round_.deferred, 'gemeente', 'gemeenten')} ({names}) bleek tijdens de "
            "beoordeling dat een begeleiding nog niet kon starten."
        )
    if round_.accepted:
        text.append(
            sentence(plural(round_.accepted, "gemeente kan", "gemeenten kunnen"))
            + " deelnemen aan een begeleidingstraject door de profploeg."
        )
    if round_.awaiting_admissibility:
        text.append(
            f"Voor {plural(round_.awaiting_admissibility, 'aanvraag', 'aanvragen')} is de "
            "ontvankelijkheid nog niet beoordeeld."
        )
    if round_.awaiting_assessment:
        text.append(
            sentence(
                plural(
                    round_.awaiting_assessment, "ontvankelijke aanvraag", "ontvankelijke aanvragen"
                )
            )
            + " "
            + ("wacht" if round_.awaiting_assessment == 1 else "wachten")
            + " nog op de beoordeling."
        )
    if round_.withdrawn:
        text.append(
            sentence(plural(round_.withdrawn, "aanvraag werd", "aanvragen werden"))
            + " ingetrokken."
        )
    return [" ".join(text)]


def capacity_sentence(report: StatusReport) -> str:
    capacity = report.capacity
    if capacity.over_capacity:
        return (
            f"Er zijn {nl_number(capacity.accepted)} begeleidingen toegekend, "
            f"{nl_number(capacity.over_capacity)} boven de capaciteit van "
            f"{nl_number(capacity.planned)} voorziene begeleidingen."
        )
    if capacity.remaining == 0:
        return (
            f"Het totaal aantal voorziene begeleidingen ({nl_number(capacity.planned)}) is bereikt."
        )
    return (
        f"Er zijn {nl_number(capacity.accepted)} van de {nl_number(capacity.planned)} voorziene "
        f"begeleidingen toegekend; er is nog ruimte voor "
        f"{plural(capacity.remaining, 'begeleiding', 'begeleidingen')}."
    )


def budget_answer(report: StatusReport, round_: ReportRound, *, first: bool) -> list[str]:
    """The budget, ending with the sentence that announces the round's table when it has one."""
    budget = report.budget
    text = []
    if first:
        text.append(
            "De offerte van de profploeg is gebaseerd op ‘gemiddelde’ trajecten in termen van een "
            "aantal mensdagen per gemeente, maar er worden geen budgetten vastgelegd per gemeente. "
            "Wat telt, is het totaalbedrag dat ter beschikking staat van de profploeg; dat wordt "
            "continu gemonitord."
        )
    else:
        text.append("Ook hier leggen we geen budget vast per gemeente.")
    planned = report.capacity.planned
    if planned:
        text.append(
            f"Het totaalbedrag van {nl_money(budget.total_eur)} is begroot op "
            f"{plural(planned, 'begeleiding', 'begeleidingen')}, gemiddeld "
            f"{nl_money(budget.total_eur / planned)} per begeleiding."
        )
    text.append(
        f"Op {nl_date(report.as_of)} is daarvan {nl_money(budget.committed_eur)} "
        f"vastgelegd en {nl_money(budget.consumed_eur)} verbruikt; de prognose bij afronding "
        f"bedraagt {nl_money(budget.forecast_at_completion_eur)}."
    )
    if first:
        text.append(COMMITTED_NL)
    if round_.person_days_planned or round_.committed_eur:
        text.append(
            f"Voor de gemeenten van de {ordinal(round_.number)} ronde is "
            f"{nl_money(round_.committed_eur)} vastgelegd en {nl_money(round_.consumed_eur)} "
            f"verbruikt: {nl_days(round_.person_days_consumed)} van de "
            f"{nl_days(round_.person_days_planned)} geplande mensdagen werden geregistreerd."
        )
    else:
        text.append(
            f"Voor de gemeenten van de {ordinal(round_.number)} ronde is nog niets vastgelegd: "
            "er zijn nog geen trajecten gepland."
        )
    if not first or report.capacity.over_capacity:
        text.append(capacity_sentence(report))
    if round_.municipalities:
        text.append(
            "De tabel hieronder geeft per gemeente de status van het traject, het vastgelegde "
            "en het verbruikte bedrag."
        )
    return [" ".join(text)]


def progress_answer(round_: ReportRound) -> list[str]:
    text = []
    if round_.intakes_held:
        text.append(
            f"Er vonden {plural(round_.intakes_held, 'intakegesprek', 'intakegesprekken')} "
            f"plaats, het eerste op {nl_date(round_.first_intake)}."
        )
        missing = round_.accepted - round_.intakes_held
        if missing > 0:
            text.append(
                f"Nog {plural(missing, 'intakegesprek moet', 'intakegesprekken moeten')} plaatsvinden."
            )
    elif round_.accepted:
        text.append("Er hebben nog geen intakegesprekken plaatsgevonden.")
    started, running = round_.trajectories_started, round_.trajectories_running
    completed, stopped = round_.trajectories_completed, round_.trajectories_stopped
    if not started:
        text.append("Er is nog geen begeleiding effectief gestart.")
    else:
        parts = [f"{plural(running, 'loopt', 'lopen')} nog" if running else "geen enkele loopt nog"]
        if round_.trajectories_overdue:
            parts[0] += (
                f" (waarvan {plural(round_.trajectories_overdue, 'traject', 'trajecten')} "
                "over de geplande einddatum)"
            )
        parts.append(
            f"{plural(completed, 'is', 'zijn')} afgerond"
            if completed
            else "nog geen enkele is afgerond"
        )
        if stopped:
            parts.append(f"{plural(stopped, 'werd', 'werden')} stopgezet")
        text.append(
            sentence(plural(started, "begeleiding is", "begeleidingen zijn"))
            + " effectief gestart; "
            + ", ".join(parts[:-1])
            + " en "
            + parts[-1]
            + "."
        )
    names = [row.name for row in round_.municipalities if row.trajectory_state == "completed"]
    if names:
        text.append(f"Afgerond: {', '.join(names)}.")
    stopped_names = [row.name for row in round_.municipalities if row.trajectory_state == "stopped"]
    if stopped_names:
        text.append(f"Stopgezet: {', '.join(stopped_names)}.")
    p50, p80 = round_.expected_completion_p50, round_.expected_completion_p80
    open_ = round_.accepted - completed - stopped
    if p50 and open_ > 0:
        text.append(
            "De trajecten lopen af op verschillende momenten. Dit is een prognose, geen "
            "vaststaand gegeven: de laatste begeleiding van deze ronde is naar verwachting "
            + (
                f"afgerond rond {nl_date(p50)}."
                if p80 is None or p80 == p50
                else f"afgerond tussen {nl_date(p50)} en {nl_date(p80)} (de eerste datum is de "
                "mediane, de tweede een voorzichtige schatting)."
            )
        )
    elif p50 and round_.accepted:
        text.append(
            f"Alle begeleidingen van deze ronde zijn afgerond of stopgezet, de laatste op "
            f"{nl_date(p80 or p50)}."
        )
    else:
        text.append(
            "Het is dan ook nog niet mogelijk een uitspraak te doen over het moment van afronding, "
            "wat trouwens sowieso zal verschillen van gemeente tot gemeente."
        )
    return [" ".join(text)]


def first_round_question(round_: ReportRound) -> str:
    count, number = nl_number(round_.accepted), ordinal(round_.number)
    return (
        f"Kan de minister een overzicht geven van de vastgelegde budgetten, in totaal en per "
        f"gemeente, voor de {count} gemeenten in de {number} ronde? Hoe verlopen de begeleidingen "
        f"van die gemeenten? Welke begeleidingen zijn al afgerond? Wanneer zullen de begeleidingen "
        f"van alle {count} gemeenten worden afgerond? Wat zijn de voorlopige conclusies en "
        f"resultaten?"
    )


def later_round_question(round_: ReportRound) -> str:
    number = ordinal(round_.number)
    return (
        f"Kan de minister een overzicht geven van de aanvragen, in totaal en per gemeente, van de "
        f"{number} ronde? Kan ze aangeven hoeveel aanvragen ontvankelijk zijn? Kan ze het budget "
        f"per begeleiding meedelen? Wanneer werden de intakegesprekken gestart voor de gemeenten "
        f"die zich inschreven in de {number} ronde? Kan de minister een overzicht geven van de "
        f"vastgelegde budgetten voor de gemeenten in die {number} ronde? Wanneer zullen die "
        f"trajecten worden afgerond?"
    )


EVALUATION_QUESTION = (
    "Op welke manier worden de begeleidingen geëvalueerd? Kan de minister de laatste stand van "
    "zaken geven omtrent de timing en realisatie van ‘De Vitrine’?"
)


def evaluation_answer(report: StatusReport) -> list[str]:
    evaluation, showcase = report.evaluation, report.showcase
    text = []
    if evaluation.sent:
        sentence_ = (
            f"Na afronding krijgt elke gemeente een evaluatievragenlijst. Op "
            f"{nl_date(report.as_of)} werden er {nl_number(evaluation.sent)} verstuurd en "
            f"{nl_number(evaluation.received)} ingevuld"
        )
        rate = evaluation.response_rate_percent
        sentence_ += f" ({nl_number(rate)}%)." if rate is not None else "."
        text.append(sentence_)
        satisfaction, usefulness = evaluation.average_satisfaction, evaluation.average_usefulness
        if satisfaction is not None or usefulness is not None:
            parts = []
            if satisfaction is not None:
                parts.append(f"de tevredenheid {nl_number(satisfaction, 1)}")
            if usefulness is not None:
                parts.append(f"het nut {nl_number(usefulness, 1)}")
            text.append(f"Gemiddeld scoren de gemeenten {' en '.join(parts)} op 5.")
        follow_up = evaluation.follow_up
        if follow_up.sent:
            text.append(
                f"Een jaar na afronding volgt een tweede bevraging: "
                f"{nl_number(follow_up.received)} van de "
                f"{nl_number(follow_up.sent)} gemeenten antwoordden."
            )
    else:
        text.append(
            f"Evaluatiemethode: {TO_COMPLETE} (in Profploeg werden nog geen evaluaties verstuurd)."
        )
    text.append(
        f"Op De Vitrine staan {plural(showcase.published, 'praktijk', 'praktijken')} gepubliceerd."
    )
    return [" ".join(text[:-1]), text[-1]] if len(text) > 1 else text


def introduction(report: StatusReport) -> list[str]:
    programme = report.programme
    text = [
        f"De open oproep ‘{programme.title}’ werd gelanceerd op {nl_date(programme.published_on)}."
    ]
    for session in report.info_sessions:
        text.append(
            f"De infosessie ‘{session.title}’ van {nl_date(session.date)} kon rekenen op "
            f"de belangstelling van {plural(session.attendees, 'deelnemer', 'deelnemers')}."
        )
    return [" ".join(text)]


def ratio_nl(value: Decimal) -> str:
    return nl_number(value, 2)


def method_nl(report: StatusReport) -> str:
    """How the completion range is forecast, in plain Dutch, with the programme's own figures."""
    budget = report.budget
    general = (
        "Een traject dat zijn geplande einddatum voorbij is, staat ‘over tijd’; een lopend "
        "traject zonder geregistreerde mensdag in 90 dagen staat ‘inactief’. Een einddatum die "
        "VLAIO zelf met een reden vastlegt, vervangt de prognose."
    )
    if budget.reference_ratio_p50 is not None:
        learned = (
            f"De prognose steunt op de {nl_number(budget.reference_trajectories)} al afgeronde "
            f"trajecten van dit programma: de helft ervan duurde hoogstens "
            f"{ratio_nl(budget.reference_ratio_p50)} keer zo lang als gepland, acht op tien "
            f"hoogstens {ratio_nl(budget.reference_ratio_p80)} keer. De geplande duur van elk "
            "lopend traject wordt met die factoren verlengd; de eerste datum is de mediane, de "
            "tweede een voorzichtige schatting."
        )
    else:
        learned = (
            f"Er zijn nog te weinig afgeronde trajecten ({nl_number(budget.reference_trajectories)}, "
            "minder dan vijf) om uit te leren: elk traject wordt verwacht op zijn geplande "
            "einddatum, een traject over tijd op korte termijn."
        )
    return f"{learned} {general}"


def completion_note(report: StatusReport) -> list[str]:
    """The programme's completion, as a range with the trajectories that decide it."""
    budget = report.budget
    if not budget.completion_p50 or not any(
        round_.trajectories_started for round_ in report.rounds
    ):
        return []
    if all(
        round_.accepted == round_.trajectories_completed + round_.trajectories_stopped
        for round_ in report.rounds
    ):
        return [
            "Alle begeleidingen zijn afgerond of stopgezet, de laatste op "
            f"{nl_date(budget.completion_p80 or budget.completion_p50)}."
        ]
    text = (
        "Wanneer alle begeleidingen afgerond zijn, is een prognose, geen vaststaand gegeven: "
        + (
            f"naar verwachting rond {nl_date(budget.completion_p50)}"
            if not budget.completion_p80 or budget.completion_p80 == budget.completion_p50
            else f"naar verwachting tussen {nl_date(budget.completion_p50)} en "
            f"{nl_date(budget.completion_p80)}"
        )
        + "."
    )
    if budget.completion_drivers:
        text += f" Die datum hangt vooral af van {', '.join(budget.completion_drivers)}."
    if budget.trajectories_overdue:
        text += (
            f" {sentence(plural(budget.trajectories_overdue, 'traject loopt', 'trajecten lopen'))}"
            " over de geplande einddatum."
        )
    if budget.trajectories_inactive:
        text += (
            f" {sentence(plural(budget.trajectories_inactive, 'traject had', 'trajecten hadden'))}"
            " in 90 dagen geen geregistreerde mensdag."
        )
    return [text, method_nl(report)]


def filters_note(report: StatusReport) -> list[Paragraph]:
    filters = report.filters
    if not filters:
        return []
    names = {"province": "provincie", "status": "status", "theme": "thema", "expert": "expert"}
    described = "; ".join(
        f"{names.get(key, key)} "
        + (STATUS_NL.get(chosen.value, chosen.label) if key == "status" else chosen.label)
        for key, chosen in filters.items()
    )
    return [
        Paragraph(
            f"Dit overzicht is beperkt tot de aanvragen met {described}. Capaciteit en budget "
            "gelden voor het hele programma.",
            "note",
        )
    ]


def answer_document(report: StatusReport, *, with_charts: bool = True) -> Document:
    """The whole report as the answer to the written question, with an annex per later round."""
    as_of = nl_date(report.as_of)
    document = Document(
        title=report.programme.title,
        subtitle=f"Antwoord op de schriftelijke vraag – stand van zaken op {as_of}",
    )
    blocks = document.blocks
    blocks.append(
        Paragraph(
            f"Opgesteld uit de gegevens van Profploeg zoals ze golden op {as_of}. Alle cijfers "
            "en tabellen zijn vrij te bewerken; passages tussen rechte haken vult VLAIO zelf aan.",
            "note",
        )
    )
    blocks.extend(filters_note(report))
    blocks.extend(Paragraph(text) for text in introduction(report))
    if report.capacity.over_capacity:
        blocks.append(Paragraph(capacity_sentence(report)))
    blocks.extend(Paragraph(text) for text in completion_note(report))
    if with_charts and report.rounds:
        programme_charts = charts.programme_charts(report, labels=charts.DUTCH)
        programme_charts.insert(1, maps.province_tiles(report, labels=charts.DUTCH))
        for chart in programme_charts:
            blocks.append(Figure(chart, chart.title))
    annexes = []
    question = 0
    for round_ in report.rounds:
        question += 1
        first = round_.number == 1
        blocks.append(Heading(f"Vraag {question}"))
        blocks.append(
            Paragraph(
                first_round_question(round_) if first else later_round_question(round_), "question"
            )
        )
        blocks.append(Heading(f"Antwoord op vraag {question}", 2))
        for text in applications_answer(round_):
            blocks.append(Paragraph(text))
        for text in budget_answer(report, round_, first=first):
            blocks.append(Paragraph(text))
        # The table the budget's last sentence announces, right below it.
        if round_.municipalities:
            blocks.append(answer_table(round_))
        for text in progress_answer(round_):
            blocks.append(Paragraph(text))
        if first:
            blocks.append(Paragraph(f"Voorlopige conclusies en resultaten: {TO_COMPLETE}"))
        if with_charts:
            for chart in charts.round_charts(
                round_, labels=charts.DUTCH, limit=charts.BARS_PER_CHART
            ):
                blocks.append(Figure(chart, chart.title))
        if not first:
            annexes.append(round_)
            blocks.append(
                Paragraph(
                    f"Een volledig overzicht per gemeente staat in bijlage {len(annexes)}: "
                    f"{annex_title(round_).lower()}."
                )
            )
    question += 1
    blocks.append(Heading(f"Vraag {question}"))
    blocks.append(Paragraph(EVALUATION_QUESTION, "question"))
    blocks.append(Heading(f"Antwoord op vraag {question}", 2))
    blocks.extend(Paragraph(text) for text in evaluation_answer(report))
    if annexes:
        blocks.append(NewPage(landscape=True))
        blocks.append(Heading("Bijlagen"))
        for index, round_ in enumerate(annexes, start=1):
            blocks.append(Heading(f"{index}. {annex_title(round_)}", 2))
            blocks.append(annex_table(round_))
    return document


def annex_document(report: StatusReport) -> Document:
    """The annex alone: the municipalities of the report's round(s)."""
    as_of = nl_date(report.as_of)
    rounds = report.rounds
    title = annex_title(rounds[0]) if len(rounds) == 1 else "Overzicht van de gemeenten per ronde"
    document = Document(
        title=f"Bijlage – {title}",
        subtitle=f"{report.programme.title} – stand van zaken op {as_of}",
        landscape=True,
    )
    document.blocks.extend(filters_note(report))
    for round_ in rounds:
        if len(rounds) > 1:
            document.blocks.append(Heading(annex_title(round_), 2))
        document.blocks.append(annex_table(round_))
        if not round_.municipalities:
            document.blocks.append(Paragraph("Geen aanvragen op deze datum."))
    if not rounds:
        document.blocks.append(Paragraph("Geen ronde was geopend op deze datum."))
    return document
