import datetime
from decimal import Decimal

from profploeg.evaluations import services
from profploeg.evaluations.models import Invitation
from profploeg.evaluations.summary import (
    evaluation_figures,
    evaluation_summary,
    indicator_summary,
    side_by_side,
)
from profploeg.test import municipality

from .base import EvaluationTestCase

D = datetime.date


class SummaryTests(EvaluationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.gent = municipality("Gent")

    def setUp(self):
        super().setUp()
        self.lier_trajectory = self.complete()
        self.brugge_trajectory = self.complete(self.brugge)
        self.gent_trajectory = self.complete(self.gent)
        self.lier_invitation = Invitation.objects.get(trajectory=self.lier_trajectory)
        self.brugge_invitation = Invitation.objects.get(trajectory=self.brugge_trajectory)
        self.answer_all(self.lier_invitation, satisfaction=4, usefulness=5)
        self.answer_all(
            self.brugge_invitation,
            satisfaction=2,
            usefulness=3,
            measures={1: "carried_out", 2: "carried_out", 3: "planned"},
        )

    def test_response_rate_counts_answered_of_sent(self):
        summary = evaluation_summary(programme=self.programme)
        self.assertEqual((summary["sent"], summary["answered"], summary["open"]), (3, 2, 1))
        self.assertEqual(summary["response_rate"], Decimal("66.7"))

    def test_scores_are_distributed_and_averaged_per_question(self):
        summary = evaluation_summary(programme=self.programme)
        satisfaction = next(s for s in summary["scores"] if s["topic"] == "satisfaction")
        self.assertEqual(satisfaction["counts"], [0, 1, 0, 1, 0])
        self.assertEqual(satisfaction["average"], Decimal("3.0"))
        self.assertEqual(summary["average_usefulness"], Decimal("4.0"))

    def test_measures_planned_and_carried_out_are_counted(self):
        measures = evaluation_summary(programme=self.programme)["measures"]
        self.assertEqual(measures, {"carried_out": 3, "planned": 2, "not_planned": 1, "total": 6})

    def test_groups_by_province_show_each_provinces_response(self):
        provinces = {
            row["name"]: row
            for row in evaluation_summary(programme=self.programme)["groups"]["province"]
        }
        self.assertEqual(provinces["Antwerpen"]["answered"], 1)
        self.assertEqual(provinces["West-Vlaanderen"]["satisfaction"], Decimal("2.0"))
        self.assertEqual(provinces["Oost-Vlaanderen"]["response_rate"], Decimal("0.0"))

    def test_a_province_filter_keeps_only_its_municipalities(self):
        summary = evaluation_summary(programme=self.programme, province="30000")
        self.assertEqual([i["municipality"] for i in summary["invitations"]], ["Brugge"])

    def test_comments_come_in_one_list_with_their_municipality(self):
        comments = evaluation_summary(programme=self.programme)["comments"]
        self.assertEqual(len(comments), 4)
        self.assertEqual({c["municipality"] for c in comments}, {"Lier", "Brugge"})

    def test_a_date_before_the_answers_shows_none(self):
        sent_on = self.lier_invitation.sent_at.date()
        earlier = evaluation_summary(
            programme=self.programme, as_of=sent_on - datetime.timedelta(days=1)
        )
        self.assertEqual(earlier["sent"], 0)

    def test_indicators_pair_the_latest_before_and_after(self):
        for moment, value, day in (
            ("before", "14.0", D(2021, 11, 1)),
            ("before", "12.0", D(2021, 12, 1)),
            ("after", "9.0", D(2023, 6, 1)),
        ):
            services.record_indicator(
                by=self.expert,
                trajectory=self.lier_trajectory,
                kind="vacancy_rate",
                moment=moment,
                value=Decimal(value),
                measured_on=day,
                source="Telling",
            )
        indicators = indicator_summary(programme=self.programme)
        row = indicators["rows"][0]
        self.assertEqual((row["before"], row["after"], row["change"]), (12, 9, -3))
        vacancy = next(t for t in indicators["totals"] if t["kind"] == "vacancy_rate")
        self.assertEqual(vacancy["trajectories"], 1)

    def test_follow_up_answers_stand_next_to_the_completion_answers(self):
        services.send_follow_up(
            by=self.staff, programme=self.programme, completed_before=D(2023, 1, 1)
        )
        follow_up = Invitation.objects.get(
            trajectory=self.lier_trajectory, questionnaire__kind="follow_up"
        )
        self.answer_all(
            follow_up, usefulness=3, measures={1: "carried_out", 2: "carried_out", 3: "carried_out"}
        )
        rows = {row["municipality"]: row for row in side_by_side(programme=self.programme)}
        self.assertEqual(rows["Lier"]["completion"]["carried_out"], 1)
        self.assertEqual(rows["Lier"]["follow_up"]["carried_out"], 3)
        self.assertEqual(rows["Lier"]["follow_up"]["usefulness"], Decimal("3.0"))
        self.assertEqual(rows["Gent"]["completion"]["status"], "open")

    def test_figures_for_the_status_report(self):
        figures = evaluation_figures(self.programme, datetime.date.today())
        self.assertEqual(figures["received"], 2)
        self.assertEqual(figures["sent"], 3)
        self.assertEqual(figures["follow_up"]["sent"], 0)

    def test_the_status_report_carries_the_evaluation_object(self):
        from profploeg.reports.exports import as_json
        from profploeg.reports.status import status_report

        report = status_report(programme=self.programme, as_of=datetime.date.today())
        self.assertEqual(report.evaluation.received, 2)
        self.assertIn('"response_rate_percent": "66.7"', as_json(report))
