import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from profploeg.applications.models import Message
from profploeg.programmes.models import Theme
from profploeg.showcase import services
from profploeg.showcase.models import Case, CaseEvent

from .base import ShowcaseTestCase, jpeg

Status = Case.Status


def edit(case: Case, by, **changes) -> Case:
    fields = {
        name: getattr(case, name)
        for name in ("title", "summary", "question", "approach", "measures", "results")
    }
    fields.update(size_class=case.size_class, themes=case.themes.all())
    fields.update(changes)
    return services.update_case(by=by, case=case, **fields)


class WorkflowTests(ShowcaseTestCase):
    def test_a_case_starts_from_the_closing_report(self):
        case = self.draft()
        self.assertEqual(case.status, Status.DRAFT)
        self.assertEqual(case.question, "Leegstand in de winkelstraat aanpakken")
        self.assertEqual(case.measures.splitlines()[0], "Kernwinkelgebied afbakenen")
        self.assertEqual(case.slug, "lier-leegstand-wordt-pop-up")

    def test_only_a_completed_trajectory_becomes_a_case(self):
        with self.assertRaisesMessage(ValidationError, "Only a completed trajectory"):
            services.create_case(
                by=self.staff,
                trajectory=self.trajectory(),
                title="Te vroeg",
                summary="Nog bezig.",
                size_class="small",
            )

    def test_an_incomplete_case_is_not_sent_for_approval(self):
        trajectory = self.complete(send=False)
        case = services.create_case(
            by=self.staff,
            trajectory=trajectory,
            title="Half",
            summary="Half af.",
            size_class="small",
        )
        with self.assertRaisesMessage(ValidationError, "approach, results"):
            services.submit_for_review(by=self.staff, case=case)

    def test_sending_for_approval_asks_the_municipality(self):
        case = services.submit_for_review(by=self.staff, case=self.draft())
        self.assertEqual(case.status, Status.REVIEW)
        message = Message.objects.filter(municipality=self.lier).latest("pk")
        self.assertIn("goed voor De Vitrine", message.subject)
        self.assertIn(f"/vitrine/manage/{case.pk}/", message.body)

    def test_a_case_is_not_published_before_the_municipality_approves(self):
        case = services.submit_for_review(by=self.staff, case=self.draft())
        with self.assertRaisesMessage(ValidationError, "has not approved this version"):
            services.publish_case(by=self.staff, case=case)

    def test_the_municipality_approves_the_version_it_read(self):
        case = services.submit_for_review(by=self.staff, case=self.draft())
        read = case.content_version
        edit(case, self.staff, results="Zeven panden.")
        with self.assertRaisesMessage(ValidationError, "The text changed while you were reading"):
            services.approve_case(by=self.alice, case=case, version=read)

    def test_another_municipality_cannot_approve(self):
        case = services.submit_for_review(by=self.staff, case=self.draft())
        for user in (self.bob, self.paula, self.staff):
            with self.assertRaises(PermissionDenied):
                services.approve_case(by=user, case=case, version=case.content_version)

    def test_the_municipality_asks_for_changes_with_a_reason(self):
        case = services.submit_for_review(by=self.staff, case=self.draft())
        with self.assertRaisesMessage(ValidationError, "Say what must change"):
            services.request_changes(by=self.alice, case=case, reason=" ")
        case = services.request_changes(by=self.alice, case=case, reason="Schrap de tweede alinea.")
        self.assertEqual(case.status, Status.DRAFT)

    def test_only_staff_publish(self):
        case = self.reviewed()
        for user in (self.expert, self.alice):
            with self.assertRaises(PermissionDenied):
                services.publish_case(by=user, case=case)

    def test_every_step_is_audited_with_who_when_and_why(self):
        case = self.withdrawn()
        steps = list(case.events.values_list("action", "by__username", "to_status"))
        self.assertEqual(
            steps,
            [
                ("created", "sam", "draft"),
                ("edited", "sam", "draft"),
                ("submitted", "sam", "review"),
                ("approved", "alice", "review"),
                ("published", "sam", "published"),
                ("withdrawn", "sam", "withdrawn"),
            ],
        )
        self.assertEqual(case.events.last().reason, "De gemeente trekt haar akkoord in.")
        self.assertTrue(all(e.at for e in CaseEvent.objects.all()))

    def test_a_text_change_takes_a_published_case_offline_until_approved_again(self):
        case = self.published()
        case = edit(case, self.expert, results="Intussen acht panden.")
        self.assertEqual(case.status, Status.REVIEW)
        self.assertFalse(case.is_approved)
        case = services.approve_case(by=self.alice, case=case, version=case.content_version)
        case = services.publish_case(by=self.staff, case=case)
        self.assertEqual(case.status, Status.PUBLISHED)

    def test_themes_and_size_change_a_published_case_at_once(self):
        case = self.published()
        theme = Theme.objects.create(slug="horeca", name="Horeca")
        case = edit(case, self.staff, themes=[theme], size_class="city")
        self.assertEqual(case.status, Status.PUBLISHED)
        self.assertEqual(case.size_class, "city")

    def test_the_municipality_can_withdraw_its_consent(self):
        case = self.published()
        case = services.withdraw_case(by=self.alice, case=case, reason="Nieuw bestuur.")
        self.assertEqual(case.status, Status.WITHDRAWN)

    def test_withdrawing_needs_a_reason(self):
        with self.assertRaisesMessage(ValidationError, "Say why"):
            services.withdraw_case(by=self.staff, case=self.published(), reason="")

    def test_a_withdrawn_case_can_be_published_again_with_its_approval(self):
        case = services.publish_case(by=self.staff, case=self.withdrawn())
        self.assertEqual(case.status, Status.PUBLISHED)


class PhotoTests(ShowcaseTestCase):
    def test_a_photo_is_re_encoded_within_bounds(self):
        case = self.draft()
        photo = services.add_photo(
            by=self.staff, case=case, image=jpeg(size=(3200, 1800)), alt_text="Het marktplein"
        )
        self.assertEqual((photo.width, photo.height), (1600, 900))
        self.assertTrue(photo.image.name.endswith(".jpg"))
        self.assertNotIn("foto", photo.image.name)

    def test_location_and_camera_data_are_removed(self):
        exif = Image.Exif()
        exif[0x010F] = "Camera Maker"  # Make
        exif[0x8825] = {1: "N", 2: (51.0, 7.0, 30.0)}  # GPS
        photo = services.add_photo(
            by=self.staff, case=self.draft(), image=jpeg(exif=exif.tobytes()), alt_text="Gevels"
        )
        with photo.image.open("rb") as stored, Image.open(stored) as image:
            self.assertEqual(dict(image.getexif()), {})

    def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(self):
        fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
        with self.assertRaisesMessage(ValidationError, "not a photo we can read"):
            services.add_photo(by=self.staff, case=self.draft(), image=fake, alt_text="Iets")

    def test_an_image_of_another_format_is_refused(self):
        out = io.BytesIO()
        Image.new("RGB", (20, 20)).save(out, "GIF")
        gif = SimpleUploadedFile("foto.gif", out.getvalue(), content_type="image/gif")
        with self.assertRaisesMessage(ValidationError, "JPEG, PNG or WebP"):
            services.add_photo(by=self.staff, case=self.draft(), image=gif, alt_text="Iets")

    def test_a_photo_too_large_is_refused(self):
        big = SimpleUploadedFile("foto.jpg", b"\xff" * (services.MAX_PHOTO_BYTES + 1))
        with self.assertRaisesMessage(ValidationError, "larger than 8 MB"):
            services.add_photo(by=self.staff, case=self.draft(), image=big, alt_text="Iets")

    def test_a_photo_needs_a_text_alternative(self):
        with self.assertRaisesMessage(ValidationError, "Describe the photo"):
            services.add_photo(by=self.staff, case=self.draft(), image=jpeg(), alt_text="  ")

    def test_a_new_photo_on_a_published_case_needs_approval_again(self):
        case = self.published()
        services.add_photo(by=self.staff, case=case, image=jpeg(), alt_text="Nieuw terras")
        case.refresh_from_db()
        self.assertEqual(case.status, Status.REVIEW)


class StatusReportTests(ShowcaseTestCase):
    def test_the_status_report_counts_the_cases_by_status_on_the_date(self):
        import datetime

        from profploeg.reports.status import status_report

        self.published()
        self.draft(self.brugge)
        today = datetime.date.today()
        report = status_report(programme=self.programme, as_of=today)
        self.assertEqual(report.showcase.published, 1)
        self.assertEqual(report.showcase.draft, 1)
        earlier = status_report(programme=self.programme, as_of=today - datetime.timedelta(days=1))
        self.assertEqual(earlier.showcase.published, 0)
