"""The status report written out as the answer to a written parliamentary question (Dutch).

The questions are those of the seed document, asked of the report's rounds: the first round gets
the first question (budgets, progress, completion, results), every later round the second
(applications, admissibility, budget per guidance, intakes, budgets, completion), and the
programme the third (evaluation, De Vitrine). Each answer is built from the report's figures only.

The result is a list of blocks that the DOCX and the PDF renderers lay out the same way. The text
is Dutch content for Parliament, not interface text, so it is written here in Dutch."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from . import charts, maps
from .tables import MUNICIPALITY_COLUMNS, Column, cell, present

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
ORDINALS = ["eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste"]
STATUS_NL = {
    "submitted": "ingediend",
    "admissible": "ontvankelijk",
    "inadmissible": "onontvankelijk",
    "accepted": "aanvaard",
    "deferred": "uitgesteld",
    "withdrawn": "ingetrokken",
}
TRAJECTORY_STATUS_NL = {
    "planned": "gepland",
    "running": "lopend",
    "completed": "afgerond",
    "stopped": "stopgezet",
}
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


def nl_date(day: datetime.date | str | None) -> str:
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: datetime.date | str) -> str:
    """Tables: 24/12/2021."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return day.strftime("%d/%m/%Y")


def nl_number(value, decimals: int = 0) -> str:
    """Belgian notation: 1.500.000,00."""
    text = f"{Decimal(value):,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def nl_money(value) -> str:
    return f"€ {nl_number(value, 2)}"


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


def format_cell(row: dict, column: Column) -> str:
    value = cell(row, column)
    if value is None or value == "":
        return ""
    if column.key == "name" and row.get("name_now") and row["name_now"] != value:
        # A municipality that has merged since: as it was, and what it is part of now.
        return f"{value} (nu {row['name_now']})"
    if column.key == "status_label":
        return STATUS_NL.get(row.get("status"), str(value))
    if column.key == "trajectory_status_label":
        return TRAJECTORY_STATUS_NL.get(row.get("trajectory_status"), str(value))
    if column.kind == "date":
        return short_date(value)
    if column.kind == "money":
        return nl_number(value, 2)
    if column.kind == "days":
        return nl_days(value)
    if column.kind == "int":
        return nl_number(value)
    return str(value)


def table(columns: list[Column], rows: list[dict], caption: str = "", total: bool = False) -> Table:
    """`total`: a last row with the sums of the person-days and the amounts."""
    cells = [[format_cell(row, column) for column in columns] for row in rows]
    summed = [column for column in columns if column.kind in ("days", "money")]
    if total and rows and summed:
        sums = {
            column.key: sum((Decimal(row.get(column.key) or 0) for row in rows), Decimal(0))
            for column in summed
        }
        cells.append(
            [
                "Totaal" if index == 0 else format_cell(sums, column) if column in summed else ""
                for index, column in enumerate(columns)
            ]
        )
    return Table(
        headers=[column.dutch or str(column.label) for column in columns],
        rows=cells,
        numeric=[column.numeric for column in columns],
        caption=caption,
    )


# The answer's own table is short: who, where, how far. The annex has every column.
ANSWER_KEYS = [
    "name",
    "province",
    "status_label",
    "first_intake",
    "started_on",
    "completed_on",
    "expected_completion",
    "person_days_consumed",
    "cost_eur",
]
# The name column says "Melle (nu Merelbeke-Melle)" when a municipality has merged since.
ANNEX_SKIP = {"refnis_now", "name_now"}


def answer_table(round_: dict) -> Table:
    rows = round_["municipalities"]
    columns = [
        column
        for column in present(MUNICIPALITY_COLUMNS, rows)
        if column.key in ANSWER_KEYS and any(format_cell(row, column) for row in rows)
    ]
    return table(
        columns,
        rows,
        f"Gemeenten van de {ordinal(round_['number'])} ronde op de datum van dit overzicht",
        total=True,
    )


def annex_table(round_: dict) -> Table:
    """Every column that says something: one that is empty in every row is left out."""
    rows = round_["municipalities"]
    columns = [
        column
        for column in present(MUNICIPALITY_COLUMNS, rows)
        if column.key not in ANNEX_SKIP and any(format_cell(row, column) for row in rows)
    ]
    return table(columns, rows, total=True)


def annex_title(round_: dict) -> str:
    return f"Overzicht van de gemeenten uit de {ordinal(round_['number'])} ronde"


def applications_answer(round_: dict) -> list[str]:
    """What happened to the round's applications, in the minister's words where possible."""
    number, submitted = ordinal(round_["number"]), round_["submitted"]
    text = [
        f"Tijdens de {number} indieningsronde "
        + ("werd" if submitted == 1 else "werden")
        + f" {plural(submitted, 'aanvraag', 'aanvragen') if submitted else 'geen aanvragen'} "
        f"ingediend voor de indieningsdatum van {nl_date(round_['deadline'])}."
    ]
    rows = round_["municipalities"]
    inadmissible = [row for row in rows if row["status"] == "inadmissible"]
    if round_["inadmissible"]:
        reasons = "; ".join(
            f"{row['name']}: {row['reason'].rstrip('. ')}" for row in inadmissible if row["reason"]
        )
        verb = "was" if round_["inadmissible"] == 1 else "waren"
        text.append(
            f"{sentence(plural(round_['inadmissible'], 'aanvraag', 'aanvragen'))} {verb} "
            f"onontvankelijk{f' ({reasons})' if reasons else ''}. "
            + (
                "De betrokken gemeente werd hiervan op de hoogte gebracht."
                if round_["inadmissible"] == 1
                else "De betrokken gemeenten werden hiervan op de hoogte gebracht."
            )
        )
    if round_["admissible"]:
        if round_["admissible"] == submitted:
            everything = (
                "De aanvraag werd"
                if submitted == 1
                else f"Alle {nl_number(submitted)} aanvragen werden"
            )
            text.append(f"{everything} ontvankelijk verklaard.")
        else:
            text.append(
                sentence(plural(round_["admissible"], "aanvraag werd", "aanvragen werden"))
                + " ontvankelijk verklaard en opgenomen in de beoordeling door VLAIO."
            )
    if round_["deferred"]:
        deferred = [row for row in rows if row["status"] == "deferred"]
        names = ", ".join(row["name"] for row in deferred)
        text.append(
            f"Voor {plural(round_['deferred'], 'gemeente', 'gemeenten')} ({names}) bleek tijdens de "
            "beoordeling dat een begeleiding nog niet kon starten."
        )
    if round_["accepted"]:
        text.append(
            sentence(plural(round_["accepted"], "gemeente kan", "gemeenten kunnen"))
            + " deelnemen aan een begeleidingstraject door de profploeg."
        )
    if round_["awaiting_decision"]:
        text.append(
            f"Over {plural(round_['awaiting_decision'], 'aanvraag', 'aanvragen')} is nog niet beslist."
        )
    if round_["withdrawn"]:
        text.append(
            sentence(plural(round_["withdrawn"], "aanvraag werd", "aanvragen werden"))
            + " ingetrokken."
        )
    return [" ".join(text)]


def budget_answer(report: dict, round_: dict, *, first: bool) -> list[str]:
    budget = report.get("budget") or {}
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
    capacity = report["capacity"]
    total = budget.get("total_eur")
    # The offer's capacity on the date (it grows with an amendment), else the programme's.
    planned = budget.get("capacity") or capacity["planned"]
    if total is not None and planned:
        text.append(
            f"Het totaalbedrag van {nl_money(total)} is begroot op "
            f"{plural(planned, 'begeleiding', 'begeleidingen')}, gemiddeld "
            f"{nl_money(Decimal(total) / planned)} per begeleiding."
        )
    if "committed_eur" in budget:
        text.append(
            f"Op {nl_date(report['as_of'])} is daarvan {nl_money(budget['committed_eur'])} "
            f"vastgelegd en {nl_money(budget.get('consumed_eur', 0))} verbruikt"
            + (
                f"; de prognose bij afronding bedraagt {nl_money(budget['forecast_eur'])}."
                if "forecast_eur" in budget
                else "."
            )
        )
    if "cost_eur" in round_:
        text.append(
            f"Voor de gemeenten van de {ordinal(round_['number'])} ronde werden tot nu toe "
            f"{nl_days(round_.get('person_days_consumed', 0))} mensdagen geregistreerd, voor "
            f"{nl_money(round_['cost_eur'])}"
            + (
                f" (gepland: {nl_days(round_['person_days_planned'])} mensdagen)."
                if "person_days_planned" in round_
                else "."
            )
            + " De tabel geeft het bedrag per gemeente."
        )
    if not first:
        remaining = capacity["remaining"]
        if remaining <= 0:
            text.append(
                f"Met deze ronde is het totaal aantal voorziene begeleidingen "
                f"({nl_number(capacity['planned'])}) bereikt."
            )
        else:
            text.append(
                f"Er zijn {nl_number(capacity['accepted'])} van de {nl_number(capacity['planned'])} "
                f"voorziene begeleidingen toegekend; er is nog ruimte voor "
                f"{plural(remaining, 'begeleiding', 'begeleidingen')}."
            )
    return [" ".join(text)]


def progress_answer(round_: dict) -> list[str]:
    text = []
    if "intakes_held" in round_:
        if round_["intakes_held"]:
            text.append(
                f"Er vonden {plural(round_['intakes_held'], 'intakegesprek', 'intakegesprekken')} "
                f"plaats, het eerste op {nl_date(round_.get('first_intake'))}."
            )
            missing = round_["accepted"] - round_["intakes_held"]
            if missing > 0:
                text.append(
                    f"Nog {plural(missing, 'intakegesprek moet', 'intakegesprekken moeten')} plaatsvinden."
                )
        else:
            text.append("Er hebben nog geen intakegesprekken plaatsgevonden.")
    if "trajectories_started" in round_:
        completed = round_.get("trajectories_completed", 0)
        started = round_["trajectories_started"]
        if not started:
            text.append("Er is nog geen begeleiding effectief gestart.")
        else:
            text.append(
                sentence(plural(started, "begeleiding is", "begeleidingen zijn"))
                + " effectief gestart; "
                + (
                    "nog geen enkele is afgerond."
                    if not completed
                    else f"{plural(completed, 'is', 'zijn')} afgerond."
                )
            )
        if completed:
            names = [
                row["name"]
                for row in round_["municipalities"]
                if row.get("completed_on") or row.get("trajectory_status") == "completed"
            ]
            if names:
                text.append(f"Afgerond: {', '.join(names)}.")
    if not text:
        text.append(
            "Voor deze gemeenten zijn nog geen intakegesprekken of trajecten geregistreerd."
        )
    expected = round_.get("expected_completion")
    if expected and round_.get("trajectories_completed", 0) < round_["accepted"]:
        text.append(
            "De trajecten lopen af op verschillende momenten. Aan het huidige tempo is de laatste "
            f"begeleiding van deze ronde naar verwachting afgerond op {nl_date(expected)}."
        )
    elif expected:
        text.append(
            f"Alle begeleidingen van deze ronde zijn afgerond, de laatste op {nl_date(expected)}."
        )
    else:
        text.append(
            "Het is dan ook nog niet mogelijk een uitspraak te doen over het moment van afronding, "
            "wat trouwens sowieso zal verschillen van gemeente tot gemeente."
        )
    return [" ".join(text)]


def first_round_question(round_: dict) -> str:
    count, number = nl_number(round_["accepted"]), ordinal(round_["number"])
    return (
        f"Kan de minister een overzicht geven van de vastgelegde budgetten, in totaal en per "
        f"gemeente, voor de {count} gemeenten in de {number} ronde? Hoe verlopen de begeleidingen "
        f"van die gemeenten? Welke begeleidingen zijn al afgerond? Wanneer zullen de begeleidingen "
        f"van alle {count} gemeenten worden afgerond? Wat zijn de voorlopige conclusies en "
        f"resultaten?"
    )


def later_round_question(round_: dict) -> str:
    number = ordinal(round_["number"])
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


def evaluation_answer(report: dict) -> list[str]:
    evaluation, showcase = report.get("evaluation"), report.get("showcase")
    text = []
    if isinstance(evaluation, dict) and evaluation.get("sent"):
        sentence_ = (
            f"Na afronding krijgt elke gemeente een evaluatievragenlijst. Op "
            f"{nl_date(report['as_of'])} werden er {nl_number(evaluation['sent'])} verstuurd en "
            f"{nl_number(evaluation.get('received', 0))} ingevuld"
        )
        rate = evaluation.get("response_rate_percent")
        sentence_ += f" ({nl_number(rate)}%)." if rate is not None else "."
        text.append(sentence_)
        satisfaction = evaluation.get("average_satisfaction")
        usefulness = evaluation.get("average_usefulness")
        if satisfaction is not None or usefulness is not None:
            parts = []
            if satisfaction is not None:
                parts.append(f"de tevredenheid {nl_number(satisfaction, 1)}")
            if usefulness is not None:
                parts.append(f"het nut {nl_number(usefulness, 1)}")
            text.append(f"Gemiddeld scoren de gemeenten {' en '.join(parts)} op 5.")
        follow_up = evaluation.get("follow_up") or {}
        if follow_up.get("sent"):
            text.append(
                f"Een jaar na afronding volgt een tweede bevraging: "
                f"{nl_number(follow_up.get('received', 0))} van de "
                f"{nl_number(follow_up['sent'])} gemeenten antwoordden."
            )
    elif isinstance(evaluation, dict):
        text.append(
            f"Evaluatiemethode: {TO_COMPLETE} (in Profploeg werden nog geen evaluaties verstuurd)."
        )
    else:
        text.append(f"Evaluatiemethode: {TO_COMPLETE}")
    if isinstance(showcase, dict) and showcase:
        text.append(
            f"Op De Vitrine staan {plural(showcase.get('published', 0), 'praktijk', 'praktijken')} "
            "gepubliceerd."
        )
    else:
        text.append(f"De Vitrine: {TO_COMPLETE}")
    return [" ".join(text[:-1]), text[-1]] if len(text) > 1 else text


def introduction(report: dict) -> list[str]:
    programme = report["programme"]
    text = [
        f"De open oproep ‘{programme['title']}’ werd gelanceerd op "
        f"{nl_date(programme['published_on'])}."
    ]
    for session in report["info_sessions"]:
        text.append(
            f"De infosessie ‘{session['title']}’ van {nl_date(session['date'])} kon rekenen op "
            f"de belangstelling van {plural(session['attendees'], 'deelnemer', 'deelnemers')}."
        )
    return [" ".join(text)]


def filters_note(report: dict) -> list[Paragraph]:
    filters = report.get("filters") or {}
    if not filters:
        return []
    names = {"province": "provincie", "status": "status", "theme": "thema", "expert": "expert"}
    described = "; ".join(
        f"{names.get(key, key)} "
        + (STATUS_NL.get(chosen["value"], chosen["label"]) if key == "status" else chosen["label"])
        for key, chosen in filters.items()
    )
    return [
        Paragraph(
            f"Dit overzicht is beperkt tot de aanvragen met {described}. Capaciteit en budget "
            "gelden voor het hele programma.",
            "note",
        )
    ]


def answer_document(report: dict, *, with_charts: bool = True) -> Document:
    """The whole report as the answer to the written question, with an annex per later round."""
    as_of = nl_date(report["as_of"])
    document = Document(
        title=report["programme"]["title"],
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
    if with_charts and report["rounds"]:
        programme_charts = charts.programme_charts(report, labels=charts.DUTCH)
        programme_charts.insert(1, maps.province_tiles(report, labels=charts.DUTCH))
        for chart in programme_charts:
            blocks.append(Figure(chart, chart.title))
    annexes = []
    question = 0
    for round_ in report["rounds"]:
        question += 1
        first = round_["number"] == 1
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
        for text in progress_answer(round_):
            blocks.append(Paragraph(text))
        if first:
            blocks.append(Paragraph(f"Voorlopige conclusies en resultaten: {TO_COMPLETE}"))
        if with_charts:
            for chart in charts.round_charts(round_, labels=charts.DUTCH):
                blocks.append(Figure(chart, chart.title))
        if first:
            blocks.append(answer_table(round_))
        else:
            annexes.append(round_)
            blocks.append(
                Paragraph(
                    f"Een overzicht per gemeente staat in bijlage {len(annexes)}: "
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


def annex_document(report: dict) -> Document:
    """The annex alone: the municipalities of the report's round(s)."""
    as_of = nl_date(report["as_of"])
    rounds = report["rounds"]
    title = annex_title(rounds[0]) if len(rounds) == 1 else "Overzicht van de gemeenten per ronde"
    document = Document(
        title=f"Bijlage – {title}",
        subtitle=f"{report['programme']['title']} – stand van zaken op {as_of}",
        landscape=True,
    )
    document.blocks.extend(filters_note(report))
    for round_ in rounds:
        if len(rounds) > 1:
            document.blocks.append(Heading(annex_title(round_), 2))
        document.blocks.append(annex_table(round_))
        if not round_["municipalities"]:
            document.blocks.append(Paragraph("Geen aanvragen op deze datum."))
    if not rounds:
        document.blocks.append(Paragraph("Geen ronde was geopend op deze datum."))
    return document
