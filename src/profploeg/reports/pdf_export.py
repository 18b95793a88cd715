"""The answer document (see `document.py`) as a PDF, with fpdf2: pure Python, no system libraries.

Charts are the very SVG shown on the page, drawn by fpdf2 as vectors. Text uses DejaVu Sans
(shipped in `data/`, subset) because the PDF core fonts have no euro sign."""

import io

from fpdf import FPDF

from profploeg.lib.progress import Progress, no_progress

from . import charts
from .document import Document, Figure, Heading, NewPage, Paragraph, Table, blocks_told

FONT = "sans-serif"
BRAND = (0, 75, 141)
MUTED = (85, 85, 85)
HEADER_FILL = (220, 230, 240)
RULE = (170, 170, 170)
MM_PER_PX = 0.25
TABLE_FONT_SIZE = 7.5
TABLE_PADDING = 1


class ReportPDF(FPDF):
    def __init__(self, document: Document):
        super().__init__(orientation="L" if document.landscape else "P", format="A4")
        self.document = document
        # The family name the charts' SVG asks for: the SVG text uses the same font.
        self.add_font(FONT, "", str(charts.FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(charts.FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=18)
        self.set_title(document.title)
        self.set_subject(document.subtitle)
        self.set_creator("Profploeg")
        self.set_lang("nl-BE")

    def header(self):
        if self.page_no() > 1:
            self.set_font(FONT, size=7)
            self.set_text_color(*MUTED)
            self.cell(0, 5, f"{self.document.title} – {self.document.subtitle}", align="L")
            self.ln(8)
            self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, size=7)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"Pagina {self.page_no()} van {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def column_widths(
    pdf: ReportPDF, table: Table, total: float, padding: float
) -> tuple[list[float], float]:
    """Widths (mm) that never break a word, and the font size that allows it: each column gets
    its longest word, and the room left is shared in proportion to how much more each column's
    longest text would take. A table too wide for the page gets a smaller font instead."""
    measured: dict[tuple[str, str], float] = {}

    def width(text: str, style: str) -> float:
        if (text, style) not in measured:
            pdf.set_font(FONT, style, TABLE_FONT_SIZE)
            measured[(text, style)] = pdf.get_string_width(text)
        return measured[(text, style)]

    least_text, wanted_text = [], []
    for index, header in enumerate(table.headers):
        texts = [row[index] for row in table.rows]
        words = [width(word, "B") for word in header.split()]
        words += [width(word, "") for text in set(texts) for word in text.split()]
        least_text.append(max(words, default=0))
        wanted_text.append(max([width(text, "") for text in set(texts)] or [0]))
    margin = 2 * padding + 0.5
    size = TABLE_FONT_SIZE
    if sum(least_text) and sum(least_text) + margin * len(least_text) > total:
        size = max(5.0, TABLE_FONT_SIZE * (total - margin * len(least_text)) / sum(least_text))
        size = int(size * 4) / 4
    scale = size / TABLE_FONT_SIZE
    least = [text * scale + margin for text in least_text]
    wanted = [
        max(min(text * scale, 70) + margin, floor)
        for text, floor in zip(wanted_text, least, strict=True)
    ]
    if sum(wanted) <= total:
        return [w * total / sum(wanted) for w in wanted], size
    room, extra = total - sum(least), sum(w - m for w, m in zip(wanted, least, strict=True))
    if room <= 0 or not extra:
        return [w * total / sum(least) for w in least], size
    return [m + room * (w - m) / extra for w, m in zip(wanted, least, strict=True)], size


class Wrapper:
    """Greedy word wrap with the widths of words measured once: fpdf2's own table lays out every
    cell through its general text engine, which made a table of thousands of rows take minutes."""

    def __init__(self, pdf: ReportPDF):
        self.pdf = pdf
        self.widths: dict[tuple[str, str], float] = {}

    def width(self, text: str, style: str) -> float:
        key = (text, style)
        if key not in self.widths:
            self.widths[key] = self.pdf.get_string_width(text)
        return self.widths[key]

    def lines(self, text: str, room: float, style: str = "") -> list[str]:
        if not text:
            return [""]
        space = self.width(" ", style)
        lines, current, used = [], [], 0.0
        for word in text.split():
            width = self.width(word, style)
            if current and used + space + width > room:
                lines.append(" ".join(current))
                current, used = [word], width
            else:
                used += (space if current else 0) + width
                current.append(word)
        lines.append(" ".join(current))
        return lines


def write_table(pdf: ReportPDF, table: Table) -> None:
    """Rows with a rule under each, the header again on every page, numbers right-aligned."""
    if not table.headers:
        return
    if table.caption:
        pdf.set_font(FONT, "B", 8)
        pdf.multi_cell(0, 5, table.caption, new_x="LMARGIN", new_y="NEXT", align="L")
    widths, size = column_widths(pdf, table, pdf.epw, TABLE_PADDING)
    wrapper = Wrapper(pdf)
    line_height, padding, left = size * 0.5, TABLE_PADDING, pdf.l_margin
    aligns = ["R" if numeric else "L" for numeric in table.numeric]

    def draw(cells: list[str], bold: bool, fill: bool) -> None:
        style = "B" if bold else ""
        pdf.set_font(FONT, style, size)
        wrapped = [
            wrapper.lines(text, width - 2 * padding, style)
            for text, width in zip(cells, widths, strict=True)
        ]
        height = max(len(lines) for lines in wrapped) * line_height + 2 * padding
        if pdf.get_y() + height > pdf.page_break_trigger and not fill:
            # The next page turns the same way: the widths were made for this one.
            pdf.add_page(orientation=pdf.cur_orientation)
            draw(table.headers, True, True)
            pdf.set_font(FONT, style, size)
        top = pdf.get_y()
        if fill:
            pdf.set_fill_color(*HEADER_FILL)
            pdf.rect(left, top, sum(widths), height, style="F")
        x = left
        for lines, width, align in zip(wrapped, widths, aligns, strict=True):
            for index, line in enumerate(lines):
                pdf.set_xy(x + padding, top + padding + index * line_height)
                pdf.cell(width - 2 * padding, line_height, line, align=align)
            x += width
        pdf.set_draw_color(*RULE)
        pdf.line(left, top + height, left + sum(widths), top + height)
        pdf.set_xy(left, top + height)

    if pdf.get_y() + 20 > pdf.page_break_trigger:
        pdf.add_page(orientation=pdf.cur_orientation)
    draw(table.headers, True, True)
    for row in table.rows:
        draw(row, row[:1] == ["Totaal"], False)
    pdf.ln(4)


def write_figure(pdf: ReportPDF, figure: Figure) -> None:
    """The chart's SVG as vectors, at most the text width wide and one page high."""
    chart = figure.chart
    room = pdf.page_break_trigger - pdf.t_margin - 20
    width = min(pdf.epw, chart.width * MM_PER_PX, room * chart.width / chart.height)
    height = chart.height * width / chart.width
    if pdf.get_y() + height + 8 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font(FONT, "B", 9)
    pdf.multi_cell(0, 5, figure.caption, new_x="LMARGIN", new_y="NEXT", align="L")
    svg = str(charts.to_svg(chart, titles=False)).encode()
    pdf.image(io.BytesIO(svg), x=pdf.l_margin, w=width, h=height)
    pdf.ln(3)


def render(document: Document, progress: Progress = no_progress) -> bytes:
    pdf = ReportPDF(document)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.set_text_color(*BRAND)
    pdf.multi_cell(0, 8, document.title, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FONT, size=11)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 6, document.subtitle, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    for block in blocks_told(document, progress):
        if isinstance(block, Heading):
            if pdf.get_y() > pdf.page_break_trigger - 30:
                pdf.add_page()
            pdf.ln(2)
            pdf.set_font(FONT, "B", 13 if block.level == 1 else 11)
            pdf.set_text_color(*BRAND)
            pdf.multi_cell(0, 7, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.set_text_color(0, 0, 0)
        elif isinstance(block, Paragraph):
            if block.style == "question":
                pdf.set_font(FONT, "B", 10)
                pdf.set_left_margin(pdf.l_margin + 5)
                pdf.multi_cell(0, 5, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
                pdf.set_left_margin(pdf.l_margin - 5)
            elif block.style == "note":
                pdf.set_font(FONT, size=8)
                pdf.set_text_color(*MUTED)
                pdf.multi_cell(0, 4.5, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
                pdf.set_text_color(0, 0, 0)
            else:
                pdf.set_font(FONT, size=10)
                pdf.multi_cell(0, 5, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(2)
        elif isinstance(block, Table):
            write_table(pdf, block)
        elif isinstance(block, Figure):
            write_figure(pdf, block)
        elif isinstance(block, NewPage):
            pdf.add_page(orientation="L" if block.landscape else "P")
    return bytes(pdf.output())
