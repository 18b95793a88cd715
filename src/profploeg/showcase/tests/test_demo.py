import shutil
import tempfile

from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import reverse

from profploeg.applications.models import Application
from profploeg.demo import applications, showcase, trajectories
from profploeg.demo.trajectories import CONSORTIUM
from profploeg.evaluations.models import Indicator, Invitation, Response
from profploeg.showcase.models import Case, CaseEvent, CasePhoto

MEDIA = tempfile.mkdtemp(prefix="profploeg-test-media-")


@override_settings(MEDIA_ROOT=MEDIA)
class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.programme = applications.load_seed_programme()
        trajectories.load_offer(cls.programme)
        applications.load_third_round(cls.programme)
        trajectories.load_trajectories(cls.programme)
        showcase.load_showcase(cls.programme)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def setUp(self):
        cache.clear()

    def counts(self) -> list[int]:
        models = (Invitation, Response, Indicator, Case, CaseEvent, CasePhoto)
        return [model.objects.count() for model in models]

    def test_loading_twice_changes_nothing(self):
        before = self.counts()
        showcase.load_showcase(self.programme)
        self.assertEqual(self.counts(), before)

    def test_completed_trajectories_have_answered_questionnaires(self):
        self.assertGreater(Invitation.objects.filter(questionnaire__kind="completion").count(), 50)
        self.assertGreater(Response.objects.count(), 40)
        self.assertTrue(Invitation.objects.filter(questionnaire__kind="follow_up").exists())

    def test_a_handful_of_cases_are_published_and_one_is_not(self):
        self.assertGreaterEqual(Case.objects.published().count(), 5)
        self.assertTrue(Case.objects.exclude(status="published").exists())
        for case in Case.objects.published():
            self.assertTrue(case.is_approved)
            self.assertTrue(case.photos.exists())

    def test_no_demo_contact_or_expert_name_appears_publicly(self):
        pages = [reverse(name) for name in (
            "showcase:home", "showcase:cases", "showcase:map", "showcase:cases_json",
            "showcase:cases_csv", "showcase:figures_json", "showcase:sitemap",
        )] + [reverse("showcase:case", args=[c.slug]) for c in Case.objects.published()]  # fmt: skip
        text = "\n".join(self.client.get(url).content.decode() for url in pages)
        contacts = Application.objects.filter(round__programme=self.programme)
        names = set(contacts.values_list("contact_name", flat=True))
        emails = set(contacts.values_list("contact_email", flat=True))
        experts = {person for _org, _areas, _lead, people in CONSORTIUM for person in people}
        self.assertTrue(names and emails and experts)
        for personal in names | emails | experts | {"Lies Verhoeven", "Van den Broeck"}:
            self.assertNotIn(personal, text)
        self.assertIn("Atelier Kern", text)
