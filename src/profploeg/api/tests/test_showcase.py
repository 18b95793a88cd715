"""De Vitrine in the API: only published cases, the same records as the open data, and the
evaluation figures exactly as the status report has them."""

import json

from django.urls import reverse
from django.utils import timezone

from profploeg.api import services as api_services
from profploeg.evaluations.models import Invitation
from profploeg.showcase.tests.base import ShowcaseTestCase


class ShowcaseApiTests(ShowcaseTestCase):
    def get(self, path: str, user=None, **params):
        headers = {"Accept-Language": "en"}
        if user is not None:
            _token, plaintext = api_services.create_token(user=user, name="test")
            headers["Authorization"] = f"Bearer {plaintext}"
        return self.client.get(path, params, headers=headers)

    def test_drafts_and_withdrawn_cases_are_neither_listed_nor_found(self):
        published = self.published(self.lier, title="Lier leeft")
        draft = self.draft(self.brugge, title="Brugge bouwt")
        body = self.get("/api/showcase/cases").json()
        self.assertEqual([case["slug"] for case in body["items"]], [published.slug])
        self.assertEqual(body["count"], 1)
        self.assertEqual(self.get(f"/api/showcase/cases/{draft.slug}").status_code, 404)
        # Not even for staff, who may see the draft in the pages.
        self.assertEqual(self.get(f"/api/showcase/cases/{draft.slug}", self.staff).status_code, 404)
        self.assertEqual(self.get(f"/api/showcase/cases/{published.slug}").status_code, 200)

    def test_a_withdrawn_case_is_gone(self):
        withdrawn = self.withdrawn()
        self.assertEqual(self.get("/api/showcase/cases").json()["count"], 0)
        self.assertEqual(self.get(f"/api/showcase/cases/{withdrawn.slug}").status_code, 404)

    def test_the_payloads_equal_the_open_data(self):
        case = self.published(self.lier, themes=None)
        open_cases = json.loads(self.client.get(reverse("showcase:cases_json")).content)
        body = self.get("/api/showcase/cases").json()
        self.assertEqual(body["items"], open_cases["cases"])
        self.assertEqual(body["licence"], open_cases["licence"])
        detail = self.get(f"/api/showcase/cases/{case.slug}").json()
        self.assertEqual(detail.pop("licence"), open_cases["licence"])
        self.assertEqual(detail, open_cases["cases"][0])
        open_figures = json.loads(self.client.get(reverse("showcase:figures_json")).content)
        self.assertEqual(self.get("/api/showcase/figures").json(), open_figures)
        self.assertEqual(self.get("/api/showcase/cases", province="99999").json()["count"], 0)

    def test_evaluation_equals_the_status_reports(self):
        self.answer_all(Invitation.objects.get(trajectory=self.complete()))
        path = f"/api/programmes/{self.programme.pk}"
        for as_of in ("2022-09-29", timezone.localdate().isoformat()):
            with self.subTest(as_of=as_of):
                evaluation = self.get(f"{path}/evaluation", self.expert, as_of=as_of).json()
                status = self.get(f"{path}/status", self.staff, as_of=as_of).json()
                self.assertEqual(evaluation, status["evaluation"])
        self.assertEqual(evaluation["received"], 1)
        self.assertEqual(self.get(f"{path}/evaluation", self.alice).status_code, 403)
        self.assertEqual(self.get(f"{path}/evaluation").status_code, 401)
