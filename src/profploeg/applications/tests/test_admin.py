"""Django admin reads applications; their inlines never break the page."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from profploeg.applications.models import Attachment
from profploeg.test import BaseTestCase


class ApplicationAdminTests(BaseTestCase):
    def test_the_change_page_of_an_application_with_an_attachment_opens(self):
        application = self.submit()
        Attachment.objects.create(
            application=application,
            file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"),
            original_name="plan.pdf",
            size=13,
        )
        self.staff.is_staff = self.staff.is_superuser = True
        self.staff.save()
        self.client.force_login(self.staff)
        response = self.client.get(
            reverse("admin:applications_application_change", args=[application.pk])
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "plan.pdf")
