"""What the page tests share: uploads kept in a throwaway folder and pages read in English."""

import shutil
import tempfile

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from profploeg.test import BaseTestCase

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name: str = "plan.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class PageTestCase(BaseTestCase):
    @classmethod
    def setUpClass(cls):
        media = tempfile.mkdtemp(prefix="profploeg-test-media-")
        cls.addClassCleanup(shutil.rmtree, media, ignore_errors=True)
        media_override = override_settings(
            MEDIA_ROOT=media,
            # The named users get real passwords; a fast hasher keeps set-up quick.
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        )
        media_override.enable()
        cls.addClassCleanup(media_override.disable)
        super().setUpClass()

    def setUp(self):
        super().setUp()
        # Assertions read the English msgids, so that translating the interface breaks no test.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
