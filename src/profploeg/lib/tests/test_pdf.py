"""Uploaded PDFs with scripts or launch actions are recognised, compressed or not."""

import io

from django.test import SimpleTestCase
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from profploeg.lib.pdf import active_content


def pdf(action: dict | None = None, *, compress: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if action is not None:
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(
            DictionaryObject({NameObject(k): v for k, v in action.items()})
        )
    if compress:
        writer.compress_identical_objects()
        for page in writer.pages:
            page.compress_content_streams()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class ActiveContentTests(SimpleTestCase):
    def test_a_plain_document_passes(self):
        self.assertIsNone(active_content(pdf()))

    def test_a_script_run_on_opening_is_found(self):
        script = {"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert(1)")}
        self.assertIn(active_content(pdf(script)), ("/JavaScript", "/JS"))

    def test_a_launch_action_on_a_page_is_found(self):
        writer = PdfWriter()
        page = writer.add_blank_page(595, 842)
        page[NameObject("/AA")] = DictionaryObject(
            {
                NameObject("/O"): DictionaryObject(
                    {
                        NameObject("/S"): NameObject("/Launch"),
                        NameObject("/F"): TextStringObject("calc.exe"),
                    }
                )
            }
        )
        buffer = io.BytesIO()
        writer.write(buffer)
        self.assertEqual(active_content(buffer.getvalue()), "/Launch")

    def test_an_opening_view_is_no_action(self):
        # Word, fpdf2 and others open at a page and zoom level: /OpenAction [page /FitH null].
        from fpdf import FPDF

        document = FPDF()
        document.add_page()
        document.set_font("helvetica", size=12)
        document.cell(text="Plan van aanpak")
        data = bytes(document.output())
        self.assertIn(b"/OpenAction", data)
        self.assertIsNone(active_content(data))

    def test_a_broken_file_is_searched_byte_by_byte(self):
        self.assertIsNone(active_content(b"%PDF-1.4 just some text"))
        self.assertEqual(
            active_content(b"%PDF-1.4 1 0 obj << /S /JavaScript /JS (x) >> endobj"), "/JS"
        )
        self.assertIsNone(active_content(b"%PDF-1.4 /JSON is not /JS-like"))
