import datetime
from decimal import Decimal

import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from profploeg.evaluations import services
from profploeg.evaluations.models import (
    Indicator,
    Invitation,
    MeasureAnswer,
    Question,
    Questionnaire,
    recommended_measures,
)
from profploeg.test import municipality

from .base import MEASURES, EvaluationTestCase

D = datetime.date


class QuestionnaireTests(EvaluationTestCase):
    def test_completing_a_trajectory_emails_the_municipality_a_link(self):
        trajectory = self.complete()
        invitation = Invitation.objects.get(trajectory=trajectory)
        self.assertEqual(invitation.questionnaire.kind, Questionnaire.Kind.COMPLETION)
        self.assertEqual(invitation.recipient_email, "contact@example.be")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["contact@example.be"])
        self.assertIn(f"/evaluations/answer/{invitation.token}/", mail.outbox[0].body)
        self.assertIn("Lier", mail.outbox[0].subject)

    def test_a_programme_without_questionnaire_gets_the_standard_questions(self):
        trajectory = self.complete()
        questionnaire = Invitation.objects.get(trajectory=trajectory).questionnaire
        topics = [q.topic for q in questionnaire.active_questions()]
        self.assertEqual(topics, ["satisfaction", "usefulness", "measures", "changes", "comments"])

    def test_the_questionnaire_is_sent_once_per_trajectory(self):
        trajectory = self.complete()
        self.assertIsNone(services.send_questionnaire(trajectory=trajectory))
        self.assertEqual(Invitation.objects.filter(trajectory=trajectory).count(), 1)

    def test_a_running_trajectory_is_not_evaluated(self):
        trajectory = self.trajectory()
        with self.assertRaisesMessage(ValidationError, "Only a completed trajectory"):
            services.send_questionnaire(trajectory=trajectory)

    def test_links_are_long_random_and_different(self):
        first = Invitation.objects.get(trajectory=self.complete())
        second = Invitation.objects.get(trajectory=self.complete(municipality("Brugge")))
        self.assertGreaterEqual(len(first.token), 43)
        self.assertNotEqual(first.token, second.token)
        self.assertRegex(first.token, r"^[A-Za-z0-9_-]+$")

    def test_an_unknown_or_altered_token_finds_nothing(self):
        invitation = Invitation.objects.get(trajectory=self.complete())
        altered = invitation.token[:-1] + ("A" if invitation.token[-1] != "A" else "B")
        self.assertIsNone(services.invitation_for_token(altered))
        self.assertIsNone(services.invitation_for_token(""))
        self.assertIsNone(services.invitation_for_token("x" * 500))
        self.assertEqual(services.invitation_for_token(invitation.token), invitation)

    def test_staff_add_and_remove_questions(self):
        questionnaire = services.create_questionnaire(
            by=self.staff, programme=self.programme, kind="completion"
        )
        question = services.add_question(
            by=self.staff,
            questionnaire=questionnaire,
            kind="scale",
            topic="other",
            text="Hoe vlot verliep de communicatie?",
        )
        self.assertEqual(questionnaire.active_questions().last(), question)
        services.remove_question(by=self.staff, question=question)
        self.assertFalse(Question.objects.filter(pk=question.pk).exists())

    def test_an_answered_question_is_retired_not_deleted(self):
        invitation = Invitation.objects.get(trajectory=self.complete())
        self.answer_all(invitation)
        question = invitation.questionnaire.active_questions().first()
        services.remove_question(by=self.staff, question=question)
        question.refresh_from_db()
        self.assertFalse(question.is_active)
        self.assertEqual(question.answers.count(), 1)

    def test_only_staff_define_questionnaires(self):
        with self.assertRaises(PermissionDenied):
            services.create_questionnaire(
                by=self.expert, programme=self.programme, kind="completion"
            )

    def test_measures_are_split_from_the_closing_report(self):
        self.assertEqual(
            recommended_measures(MEASURES),
            [
                "Kernwinkelgebied afbakenen",
                "Leegstandsheffing koppelen aan een starterspremie",
                "Pop-upcontracten met eigenaars",
            ],
        )
        self.assertEqual(recommended_measures("- Eén\n- Twee\n"), ["Eén", "Twee"])


class AnswerTests(EvaluationTestCase):
    def setUp(self):
        super().setUp()
        self.invitation = Invitation.objects.get(trajectory=self.complete())

    def test_a_questionnaire_can_be_answered_once(self):
        response = self.answer_all(self.invitation)
        self.assertEqual(response.answers.count(), 4)
        self.assertEqual(
            list(response.measures.values_list("status", flat=True)),
            ["carried_out", "planned", "not_planned"],
        )
        with self.assertRaisesMessage(ValidationError, "already answered"):
            self.answer_all(self.invitation)

    def test_an_expired_link_cannot_be_answered(self):
        with time_machine.travel(self.invitation.expires_at + datetime.timedelta(minutes=1)):
            with self.assertRaisesMessage(ValidationError, "This link expired"):
                self.answer_all(self.invitation)
        self.assertFalse(Invitation.objects.filter(answered_at__isnull=False).exists())

    def test_the_link_works_up_to_its_expiry(self):
        with time_machine.travel(self.invitation.expires_at - datetime.timedelta(minutes=1)):
            self.answer_all(self.invitation)

    def test_the_link_is_valid_for_the_questionnaires_number_of_days(self):
        self.assertEqual(
            self.invitation.expires_at - self.invitation.sent_at, datetime.timedelta(days=42)
        )

    def test_every_required_question_needs_an_answer(self):
        with self.assertRaises(ValidationError) as caught:
            services.submit_response(
                invitation=self.invitation, scores={}, texts={}, measures={1: "planned"}
            )
        self.assertIn("Choose a score from 1 to 5.", caught.exception.messages)
        self.assertTrue(
            any("Pop-upcontracten met eigenaars" in m for m in caught.exception.messages)
        )
        self.invitation.refresh_from_db()
        self.assertIsNone(self.invitation.answered_at)

    def test_a_score_outside_one_to_five_is_refused(self):
        question = self.invitation.questionnaire.active_questions().first()
        with self.assertRaisesMessage(ValidationError, "whole number from 1 to 5"):
            self.answer_all(self.invitation, satisfaction=6)
        self.assertEqual(question.answers.count(), 0)

    def test_staff_renew_an_expired_link_and_the_old_one_stops_working(self):
        old = self.invitation.token
        with time_machine.travel(self.invitation.expires_at + datetime.timedelta(days=3)):
            renewed = services.renew_invitation(by=self.staff, invitation=self.invitation)
            self.assertNotEqual(renewed.token, old)
            self.assertIsNone(services.invitation_for_token(old))
            self.answer_all(renewed)

    def test_an_answered_questionnaire_cannot_be_renewed(self):
        self.answer_all(self.invitation)
        with self.assertRaisesMessage(ValidationError, "has been answered"):
            services.renew_invitation(by=self.staff, invitation=self.invitation)


class ReminderTests(EvaluationTestCase):
    def setUp(self):
        super().setUp()
        self.invitation = Invitation.objects.get(trajectory=self.complete())
        mail.outbox.clear()

    def at(self, days: int) -> datetime.datetime:
        return self.invitation.sent_at + datetime.timedelta(days=days)

    def test_no_reminder_before_two_weeks(self):
        self.assertEqual(services.send_reminders(now=self.at(13)), [])

    def test_one_reminder_after_two_weeks_however_often_it_runs(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(len(services.send_reminders(now=self.at(15))), 1)
            self.assertEqual(services.send_reminders(now=self.at(16)), [])
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("Herinnering", mail.outbox[0].subject)
        self.assertIn(self.invitation.token, mail.outbox[0].body)

    def test_an_answered_or_expired_questionnaire_gets_no_reminder(self):
        self.assertEqual(services.send_reminders(now=self.at(60)), [])
        self.answer_all(self.invitation)
        self.assertEqual(services.send_reminders(now=self.at(20)), [])

    def test_the_command_reminds_and_is_idempotent(self):
        with time_machine.travel(self.at(15)):
            call_command("send_reminders", stdout=open("/dev/null", "w"))
            call_command("send_reminders", stdout=open("/dev/null", "w"))
        self.invitation.refresh_from_db()
        self.assertIsNotNone(self.invitation.reminded_at)
        self.assertEqual(
            self.invitation.questionnaire.invitations.filter(reminded_at__isnull=False).count(), 1
        )


class FollowUpTests(EvaluationTestCase):
    def test_staff_send_the_follow_up_to_trajectories_completed_by_a_date(self):
        early = self.complete(on=D(2022, 9, 30))
        later = self.complete(municipality("Brugge"), on=D(2023, 3, 1))
        sent = services.send_follow_up(
            by=self.staff, programme=self.programme, completed_before=D(2022, 12, 31)
        )
        self.assertEqual([i.trajectory for i in sent], [early])
        self.assertEqual(sent[0].questionnaire.kind, Questionnaire.Kind.FOLLOW_UP)
        self.assertFalse(
            Invitation.objects.filter(trajectory=later, questionnaire__kind="follow_up")
        )

    def test_a_second_follow_up_run_sends_nothing_twice(self):
        self.complete()
        services.send_follow_up(
            by=self.staff, programme=self.programme, completed_before=D(2023, 1, 1)
        )
        with self.assertRaisesMessage(ValidationError, "every one has had it already"):
            services.send_follow_up(
                by=self.staff, programme=self.programme, completed_before=D(2023, 1, 1)
            )

    def test_only_staff_send_the_follow_up(self):
        self.complete()
        with self.assertRaises(PermissionDenied):
            services.send_follow_up(
                by=self.expert, programme=self.programme, completed_before=D(2023, 1, 1)
            )


class IndicatorTests(EvaluationTestCase):
    def record(self, by=None, **kw):
        fields = {
            "trajectory": self.trajectory(),
            "kind": "vacancy_rate",
            "moment": "before",
            "value": Decimal("12.5"),
            "measured_on": D(2021, 12, 1),
            "source": "Leegstandsinventaris gemeente",
        }
        fields.update(kw)
        return services.record_indicator(by=by or self.expert, **fields)

    def test_an_expert_records_an_indicator_with_date_and_source(self):
        indicator = self.record()
        self.assertEqual(indicator.recorded_by, self.expert)
        self.assertEqual(Indicator.objects.count(), 1)

    def test_an_indicator_needs_a_source(self):
        with self.assertRaisesMessage(ValidationError, "Give the source"):
            self.record(source="  ")

    def test_a_vacancy_rate_is_at_most_100_percent(self):
        with self.assertRaisesMessage(ValidationError, "at most 100"):
            self.record(value=Decimal("120"))

    def test_an_after_measurement_follows_the_start(self):
        with self.assertRaisesMessage(ValidationError, "after the trajectory started"):
            self.record(moment="after", measured_on=D(2021, 12, 1))

    def test_a_municipality_does_not_record_indicators(self):
        with self.assertRaises(PermissionDenied):
            self.record(by=self.alice)


class MeasureStatusTests(EvaluationTestCase):
    def test_measure_answers_keep_the_text_as_sent(self):
        invitation = Invitation.objects.get(trajectory=self.complete())
        self.answer_all(invitation)
        self.assertEqual(MeasureAnswer.objects.first().measure, "Kernwinkelgebied afbakenen")
        self.assertLess(invitation.sent_at, timezone.now() + datetime.timedelta(seconds=1))


class OptionalCommentsTests(EvaluationTestCase):
    def test_free_comments_may_stay_empty(self):
        invitation = Invitation.objects.get(trajectory=self.complete())
        questions = list(invitation.questionnaire.active_questions())
        comments = next(q for q in questions if q.topic == "comments")
        self.assertFalse(comments.required)
        texts = {q.pk: "Meer volk." for q in questions if q.kind == "text" and q.required}
        scores = {q.pk: 4 for q in questions if q.kind == "scale"}
        response = services.submit_response(
            invitation=invitation,
            scores=scores,
            texts=texts,
            measures={1: "planned", 2: "planned", 3: "planned"},
        )
        self.assertFalse(response.answers.filter(question=comments).exists())
