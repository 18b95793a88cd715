"""A PDF attachment that would run something when opened is refused, and nothing is saved."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from profploeg.applications.models import Application
from profploeg.test import BaseTestCase

SCRIPTED = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj\n"
    b"2 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


class ActivePdfTests(BaseTestCase):
    def test_a_pdf_with_a_script_is_refused_and_nothing_is_saved(self):
        upload = SimpleUploadedFile("plan.pdf", SCRIPTED, content_type="application/pdf")
        with self.assertRaisesMessage(ValidationError, "(/JS)"):
            self.submit(attachments=[upload])
        self.assertFalse(Application.objects.exists())
