"""The answer document (see `document.py`) as an editable Word file, with python-docx.

Charts are PNG pictures drawn from the same shapes as the page's SVG (Word and LibreOffice need a
bitmap; SVG in DOCX is an extension with a mandatory bitmap fallback), with the chart's title as
alternative text."""

import io
from xml.sax.saxutils import escape

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement
from docx.shared import Cm, Pt, RGBColor, Twips

from profploeg.lib.progress import Progress, no_progress

from . import charts
from .document import Document, Figure, Heading, NewPage, Paragraph, Table, blocks_told

MUTED = RGBColor(0x55, 0x55, 0x55)


def set_language(word, language: str = "nl-BE") -> None:
    """Spelling and hyphenation in Dutch (Belgium) for the whole document."""
    for style_name in ("Normal",):
        run_properties = word.styles[style_name].element.get_or_add_rPr()
        lang = run_properties.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            run_properties.append(lang)
        lang.set(qn("w:val"), language)


def set_page(word, landscape: bool, section=None) -> None:
    section = section or word.sections[0]
    width, height = Cm(21), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if landscape:
        width, height = height, width
    section.page_width, section.page_height = width, height
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))


def write_cell(cell, text: str, numeric: bool, half_points: int) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.font.size = Pt(half_points / 2)
    if numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def row_xml(
    values: list[str], numeric: list[bool], widths: list[str], bold: bool, size: int
) -> str:
    """One table row as WordprocessingML: what python-docx would build cell by cell, written at
    once (python-docx took minutes for tables of thousands of rows)."""
    run_properties = f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{size}"/></w:rPr>'
    cells = []
    for text, right, width in zip(values, numeric, widths, strict=True):
        alignment = '<w:pPr><w:jc w:val="right"/></w:pPr>' if right else ""
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p>{alignment}'
            f'<w:r>{run_properties}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'
        )
    return f"<w:tr>{''.join(cells)}</w:tr>"


def column_twips(table: Table, width_cm: float) -> tuple[list[int], int]:
    """Column widths in twips and the font size in half-points, like the PDF's: no column
    narrower than its longest word, the rest shared by how much longer each column's text is; a
    table too wide for the page gets a smaller font (8 pt: about 115 twips a letter, so that
    wide fonts such as a substitute for Calibri still fit)."""
    per_letter, margin, size = 115, 240, 16
    least, wanted = [], []
    for index, header in enumerate(table.headers):
        texts = {row[index] for row in table.rows} | {header}
        least.append(max(len(word) for text in texts for word in text.split() or [""]))
        wanted.append(min(max(len(text) for text in texts), 45))
    total = int(width_cm / 2.54 * 1440) - margin * len(least)
    if sum(least) * per_letter > total:
        size = max(10, int(size * total / (sum(least) * per_letter)))
    per_letter = per_letter * size / 16
    least = [letters * per_letter for letters in least]
    wanted = [
        max(letters * per_letter, floor) for letters, floor in zip(wanted, least, strict=True)
    ]
    if sum(wanted) <= total:
        widths = [w * total / sum(wanted) for w in wanted]
    else:
        room, extra = total - sum(least), sum(w - m for w, m in zip(wanted, least, strict=True))
        if room <= 0 or not extra:
            widths = [w * total / sum(least) for w in least]
        else:
            widths = [m + room * (w - m) / extra for w, m in zip(wanted, least, strict=True)]
    return [round(w) + margin for w in widths], size


def write_table(word, table: Table, width_cm: float) -> None:
    if not table.headers:
        return
    if table.caption:
        word.add_paragraph(table.caption, style="Caption")
    out = word.add_table(rows=1, cols=len(table.headers))
    out.style = "Light Grid Accent 1"
    out.alignment = WD_TABLE_ALIGNMENT.LEFT
    twips, size = column_twips(table, width_cm)
    widths = [str(width) for width in twips]
    header = out.rows[0]
    for cell, text, numeric in zip(header.cells, table.headers, table.numeric, strict=True):
        write_cell(cell, text, numeric, size)
    # Repeat the header row on every page.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    out.autofit = False
    for column, cell, width in zip(out.columns, header.cells, widths, strict=True):
        column.width = Twips(int(width))
        cell.width = Twips(int(width))
    if table.rows:
        rows = "".join(
            row_xml(values, table.numeric, widths, bold=values[0] == "Totaal", size=size)
            for values in table.rows
        )
        parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{rows}</w:tbl>")
        for row in list(parsed):
            out._tbl.append(row)
    word.add_paragraph()


def write_figure(word, figure: Figure, width_cm: float) -> None:
    chart = figure.chart
    word.add_paragraph(figure.caption, style="Caption")
    width = Cm(min(width_cm, chart.width * 0.025))
    shape = word.add_picture(io.BytesIO(charts.to_png(chart)), width=width)
    shape._inline.docPr.set("descr", chart.title)


def count_shape_ids(word) -> None:
    """Number the pictures with a counter. python-docx finds each new picture's id by reading
    every id in the document (an XPath over the whole body), which took seconds per chart
    behind the tables of a large programme. The document is written top to bottom and only its
    pictures take ids, so counting on from the highest id already there gives the same ids."""
    part = word.part
    used = [int(value) for value in part.element.xpath("//@id") if value.isdigit()]
    ids = iter(range(max(used, default=0) + 1, 2**31))
    part.__class__ = type(
        "CountedIdsPart", (type(part),), {"next_id": property(lambda self: next(ids))}
    )


def render(document: Document, progress: Progress = no_progress) -> bytes:
    word = WordDocument()
    count_shape_ids(word)
    set_page(word, document.landscape)
    set_language(word)
    word.styles["Normal"].font.size = Pt(10.5)
    word.core_properties.title = document.title
    word.core_properties.subject = document.subtitle
    word.core_properties.author = "Profploeg"
    word.core_properties.language = "nl-BE"
    word.add_heading(document.title, 0)
    word.add_paragraph(document.subtitle, style="Subtitle")
    text_width = 25.7 if document.landscape else 17
    for block in blocks_told(document, progress):
        if isinstance(block, Heading):
            word.add_heading(block.text, block.level)
        elif isinstance(block, Paragraph):
            if block.style == "question":
                paragraph = word.add_paragraph(block.text, style="Intense Quote")
            else:
                paragraph = word.add_paragraph(block.text)
                if block.style == "note":
                    for run in paragraph.runs:
                        run.italic = True
                        run.font.color.rgb = MUTED
                        run.font.size = Pt(9)
        elif isinstance(block, Table):
            write_table(word, block, text_width)
        elif isinstance(block, Figure):
            write_figure(word, block, text_width)
        elif isinstance(block, NewPage):
            set_page(word, block.landscape, word.add_section(WD_SECTION.NEW_PAGE))
            text_width = 25.7 if block.landscape else 17
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
