import datetime
import io
import shutil
import tempfile

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from profploeg.evaluations.tests.base import EvaluationTestCase
from profploeg.showcase import services
from profploeg.showcase.models import Case

D = datetime.date


def jpeg(size=(800, 600), exif: bytes | None = None, name="foto.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 60))
    if exif:
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


class ShowcaseTestCase(EvaluationTestCase):
    """EvaluationTestCase with a throw-away media folder, an empty cache, and helpers that walk
    a completed trajectory to a case in any status."""

    @classmethod
    def setUpClass(cls):
        cls.media = tempfile.mkdtemp(prefix="profploeg-test-media-")
        cls.media_override = override_settings(MEDIA_ROOT=cls.media)
        cls.media_override.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.media_override.disable()
        shutil.rmtree(cls.media, ignore_errors=True)

    def setUp(self):
        super().setUp()
        # Pages cached by an earlier test could carry a version number reused after rollback.
        cache.clear()

    def draft(self, municipality=None, title="Leegstand wordt pop-up", **kw) -> Case:
        trajectory = self.complete(municipality, send=False)
        case = services.create_case(
            by=self.staff,
            trajectory=trajectory,
            title=title,
            summary="De winkelstraat kreeg opnieuw invulling.",
            size_class="medium",
            themes=kw.pop("themes", None),
        )
        return services.update_case(
            by=self.staff,
            case=case,
            title=case.title,
            summary=case.summary,
            question=case.question,
            approach="Werksessies met eigenaars en handelaars.",
            measures=case.measures,
            results="Zes panden kregen een nieuwe invulling.",
            size_class=case.size_class,
            themes=case.themes.all(),
        )

    def reviewed(self, municipality=None, approver=None, **kw) -> Case:
        case = services.submit_for_review(by=self.staff, case=self.draft(municipality, **kw))
        return services.approve_case(
            by=approver or self.alice, case=case, version=case.content_version
        )

    def published(self, municipality=None, approver=None, **kw) -> Case:
        return services.publish_case(
            by=self.staff, case=self.reviewed(municipality, approver, **kw)
        )

    def withdrawn(self, **kw) -> Case:
        return services.withdraw_case(
            by=self.staff, case=self.published(**kw), reason="De gemeente trekt haar akkoord in."
        )
