import datetime
import io
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from profploeg.applications.models import Application
from profploeg.lib.dates import at_brussels
from profploeg.programmes.models import Theme
from profploeg.reports.status import status_report
from profploeg.test import PASSWORD, BaseTestCase
from profploeg.trajectories.tests.base import TrajectoryTestCase

Status = Application.Status
D = datetime.date
AS_OF = D(2021, 12, 31)


def names(report) -> list[str]:
    """The municipalities' names of a report, typed or as JSON."""
    data = report if isinstance(report, dict) else report.model_dump()
    return [row["name"] for round_ in data["rounds"] for row in round_["municipalities"]]


class FilterTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        vacancy = Theme.objects.get(slug="leegstand")
        mobility = Theme.objects.get(slug="mobiliteit")
        cls.lier_application = cls.submit(cls, cls.lier, themes=[vacancy])
        cls.brugge_application = cls.submit(cls, cls.brugge, themes=[mobility, vacancy])
        cls.gent_application = cls.submit(cls, cls.lier.__class__.objects.get(name="Gent"))
        decided = at_brussels(D(2021, 8, 20))
        cls.decide(
            cls, cls.brugge_application, Status.INADMISSIBLE, reason="Onvolledig", at=decided
        )
        for status in (Status.ADMISSIBLE, Status.ACCEPTED):
            cls.decide(cls, cls.lier_application, status, at=decided)

    def test_no_filter_keeps_every_application(self):
        report = status_report(programme=self.programme, as_of=AS_OF)
        self.assertEqual(names(report), ["Brugge", "Gent", "Lier"])
        self.assertEqual(report.filters, {})

    def test_province_keeps_its_municipalities_and_recounts_the_round(self):
        report = status_report(programme=self.programme, as_of=AS_OF, province="10000")
        round1 = report.rounds[0]
        self.assertEqual(names(report), ["Lier"])
        self.assertEqual((round1.submitted, round1.accepted), (1, 1))
        self.assertEqual(
            report.model_dump()["filters"], {"province": {"value": "10000", "label": "Antwerpen"}}
        )
        by_name = status_report(programme=self.programme, as_of=AS_OF, province="west-vlaanderen")
        self.assertEqual(names(by_name), ["Brugge"])

    def test_status_on_the_date(self):
        report = status_report(programme=self.programme, as_of=AS_OF, status="inadmissible")
        self.assertEqual(names(report), ["Brugge"])
        self.assertEqual(report.rounds[0].inadmissible, 1)
        before = status_report(programme=self.programme, as_of=D(2021, 8, 1), status="submitted")
        self.assertEqual(names(before), [])

    def test_theme(self):
        report = status_report(programme=self.programme, as_of=AS_OF, theme="leegstand")
        self.assertEqual(names(report), ["Brugge", "Lier"])
        self.assertEqual(
            names(status_report(programme=self.programme, as_of=AS_OF, theme="wonen")), []
        )

    def test_filters_combine(self):
        report = status_report(
            programme=self.programme, as_of=AS_OF, theme="leegstand", status="accepted"
        )
        self.assertEqual(names(report), ["Lier"])

    def test_capacity_is_the_whole_programmes_whatever_the_filter(self):
        report = status_report(programme=self.programme, as_of=AS_OF, province="30000")
        self.assertEqual(report.capacity.accepted, 1)
        self.assertEqual(report.rounds[0].accepted, 0)

    def test_an_unknown_status_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "“lost”"):
            status_report(programme=self.programme, as_of=AS_OF, status="lost")

    def test_the_cli_takes_the_same_filters(self):
        out = io.StringIO()
        call_command(
            "report", "status", "--as-of", "2021-12-31", "--programme", str(self.programme.pk),
            "--province", "Antwerpen", "--theme", "leegstand", stdout=out,
        )  # fmt: skip
        report = json.loads(out.getvalue())
        self.assertEqual(names(report), ["Lier"])
        vacancy = Theme.objects.get(slug="leegstand").name
        self.assertEqual(
            {key: chosen["label"] for key, chosen in report["filters"].items()},
            {"province": "Antwerpen", "theme": vacancy},
        )


class FilterPageTests(BaseTestCase):
    def setUp(self):
        self.submit(self.lier)
        self.submit(self.brugge)
        self.client.login(username="sam", password=PASSWORD)
        self.url = reverse("reports:status", args=[self.programme.pk])

    def test_the_filters_are_a_link_that_downloads_keep(self):
        response = self.client.get(self.url, {"as_of": "2021-12-31", "province": "30000"})
        self.assertContains(response, "Brugge")
        self.assertNotContains(response, '<td class="col-name">Lier</td>', html=False)
        self.assertContains(response, "as_of=2021-12-31&amp;province=30000&amp;format=csv")
        self.assertContains(
            response, '<input type="hidden" name="province" value="30000">', html=True
        )
        self.assertContains(response, 'href="?as_of=2021-12-31&amp;province=30000"')
        csv = self.client.get(
            self.url, {"as_of": "2021-12-31", "province": "30000", "format": "csv"}
        ).content.decode()
        self.assertIn("Brugge", csv)
        self.assertNotIn("Lier", csv)

    def test_an_unknown_filter_value_shows_the_form_error_and_the_whole_report(self):
        response = self.client.get(self.url, {"as_of": "2021-12-31", "status": "lost"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Lier")
        self.assertContains(response, 'class="field-error"')


class ExpertFilterTests(TrajectoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        lier = cls.trajectory(cls.lier)
        brugge = cls.trajectory(cls.brugge, ed_days=None)
        cls.register(lier, D(2022, 2, 1), expert=cls.ed)
        cls.register(brugge, D(2022, 2, 2))

    def test_expert_keeps_the_municipalities_they_work_for_and_recounts_the_guidance(self):
        everything = status_report(programme=self.programme, as_of=D(2022, 2, 28)).rounds[0]
        report = status_report(programme=self.programme, as_of=D(2022, 2, 28), expert=self.ed.pk)
        round1 = report.rounds[0]
        self.assertEqual(names(report), ["Lier"])
        self.assertEqual(
            report.filters["expert"].model_dump(), {"value": str(self.ed.pk), "label": "Ed Detail"}
        )
        self.assertEqual(everything.trajectories_started, 2)
        self.assertEqual(
            (round1.intakes_held, round1.trajectories_started, round1.consumed_eur),
            (1, 1, Decimal("1000.00")),
        )
        self.assertEqual(round1.person_days_planned, Decimal("15.0"))


class FilterApiTests(BaseTestCase):
    def test_the_api_takes_the_same_filters_as_the_page_and_the_cli(self):
        self.submit(self.lier)
        self.submit(self.brugge)
        self.client.login(username="sam", password=PASSWORD)
        url = f"/api/programmes/{self.programme.pk}/status"
        response = self.client.get(url, {"as_of": "2021-12-31", "province": "30000"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(names(response.json()), ["Brugge"])
        self.assertEqual(
            self.client.get(url, {"as_of": "2021-12-31", "status": "lost"}).status_code, 422
        )
