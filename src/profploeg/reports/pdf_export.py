"""The answer document (see `document.py`) as a PDF, with fpdf2: pure Python, no system libraries.

Charts are the very SVG shown on the page, drawn by fpdf2 as vectors. Text uses DejaVu Sans
(shipped in `data/`, subset) because the PDF core fonts have no euro sign."""

import io

from fpdf import FPDF
from fpdf.fonts import FontFace

from . import charts
from .document import Document, Figure, Heading, NewPage, Paragraph, Table

FONT = "sans-serif"
BRAND = (0, 75, 141)
MUTED = (85, 85, 85)
HEADER_FILL = (220, 230, 240)
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


def column_widths(pdf: ReportPDF, table: Table, total: float, padding: float) -> list[float]:
    """Widths (mm) that never break a word: each column gets its longest word, and the room
    left is shared in proportion to how much more each column's longest text would take."""
    least, wanted = [], []
    for index, header in enumerate(table.headers):
        pdf.set_font(FONT, "B", TABLE_FONT_SIZE)
        words = [pdf.get_string_width(word) for word in header.split()]
        pdf.set_font(FONT, "", TABLE_FONT_SIZE)
        texts = [row[index] for row in table.rows[:300]]
        words += [pdf.get_string_width(word) for text in texts for word in text.split()]
        lines = [pdf.get_string_width(text) for text in texts] or [0]
        least.append(max(words, default=0) + 2 * padding + 0.5)
        wanted.append(max(min(max(lines), 70) + 2 * padding + 0.5, least[-1]))
    if sum(wanted) <= total:
        return [width * total / sum(wanted) for width in wanted]
    room, extra = total - sum(least), sum(w - m for w, m in zip(wanted, least, strict=True))
    if room <= 0 or not extra:
        return [width * total / sum(least) for width in least]
    return [m + room * (w - m) / extra for w, m in zip(wanted, least, strict=True)]


def write_table(pdf: ReportPDF, table: Table) -> None:
    if table.caption:
        pdf.set_font(FONT, "B", 8)
        pdf.multi_cell(0, 5, table.caption, new_x="LMARGIN", new_y="NEXT", align="L")
    widths = column_widths(pdf, table, pdf.epw, TABLE_PADDING)
    pdf.set_font(FONT, size=TABLE_FONT_SIZE)
    with pdf.table(
        col_widths=widths,
        text_align=tuple("RIGHT" if numeric else "LEFT" for numeric in table.numeric),
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADER_FILL),
        line_height=3.8,
        padding=TABLE_PADDING,
        borders_layout="HORIZONTAL_LINES",
        width=pdf.epw,
    ) as out:
        out.row(table.headers)
        for row in table.rows:
            out.row(row)
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


def render(document: Document) -> bytes:
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
    for block in document.blocks:
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
