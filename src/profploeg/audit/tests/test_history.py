"""Every change to applications, decisions, intakes, trajectories, person-days and cases is
logged with who, when and what changed, and staff read it per object."""

import datetime
from decimal import Decimal

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse

from profploeg.api import services as api_services
from profploeg.applications.models import Transition
from profploeg.audit import views as audit_views
from profploeg.showcase.tests.base import ShowcaseTestCase
from profploeg.trajectories import services as trajectory_services

D = datetime.date


def history_url(obj) -> str:
    return reverse("audit:history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


class AuditTrailTests(ShowcaseTestCase):
    def test_a_decision_on_the_page_is_logged_with_who_and_when(self):
        application = self.submit()
        self.client.force_login(self.staff)

        self.client.post(
            reverse("applications:decide", args=[application.pk]),
            {"to_status": "admissible", "version": 1},
        )

        transition = Transition.objects.get(application=application, to_status="admissible")
        entry = LogEntry.objects.get_for_object(transition).get()
        self.assertEqual(entry.actor, self.staff)
        self.assertEqual(entry.action, LogEntry.Action.CREATE)
        self.assertEqual(entry.changes_dict["to_status"], ["None", "admissible"])
        page = self.client.get(history_url(application))
        self.assertContains(page, "Sam Staff")
        self.assertContains(page, "Submitted → Admissible")
        self.assertNotContains(page, "None →")

    def test_a_decision_through_the_api_names_the_token_user(self):
        application = self.submit()
        _token, plaintext = api_services.create_token(user=self.staff, name="t")
        self.client.post(
            f"/api/applications/{application.pk}/decision",
            {"to_status": "admissible", "expected_version": 1},
            content_type="application/json",
            headers={"Authorization": f"Bearer {plaintext}"},
        )
        transition = Transition.objects.get(application=application, to_status="admissible")
        self.assertEqual(LogEntry.objects.get_for_object(transition).get().actor, self.staff)

    def test_a_person_day_correction_keeps_the_old_and_new_values(self):
        trajectory = self.trajectory()
        entry = self.register(trajectory, D(2022, 2, 1), days="1.0")
        with set_actor(self.staff):
            trajectory_services.correct_person_days(
                by=self.staff, entry=entry, reason="Halve dag", days=Decimal("0.5")
            )
        update = LogEntry.objects.get_for_object(entry).filter(action=LogEntry.Action.UPDATE).get()
        self.assertEqual(update.changes_dict["days"], ["1.0", "0.5"])
        self.assertEqual(update.actor, self.staff)

        self.client.force_login(self.staff)
        trajectory_page = self.client.get(history_url(trajectory))
        self.assertContains(trajectory_page, "→ 0.5")
        self.assertContains(self.client.get(history_url(entry)), "→ 0.5")
        self.assertNotContains(trajectory_page, "PersonDayCorrection.None")

    def test_intakes_trajectories_and_cases_have_a_history(self):
        case = self.published(self.brugge, approver=self.bob)
        trajectory = case.trajectory
        intake = trajectory.application.intakes.get()
        self.client.force_login(self.staff)
        for obj in (trajectory.application, intake, trajectory, case):
            with self.subTest(obj=obj._meta.model_name):
                self.assertTrue(LogEntry.objects.get_for_object(obj).exists())
                page = self.client.get(history_url(obj))
                self.assertEqual(page.status_code, 200)
                self.assertNotContains(page, "No changes recorded.")

    def test_the_object_pages_link_to_the_history_for_staff_only(self):
        application = self.submit()
        url = history_url(application)
        self.client.force_login(self.staff)
        self.assertContains(
            self.client.get(reverse("applications:detail", args=[application.pk])), url
        )
        self.client.force_login(self.expert)
        self.assertNotContains(
            self.client.get(reverse("applications:detail", args=[application.pk])), url
        )

    def test_only_staff_read_the_history(self):
        application = self.submit()
        for user in (self.expert, self.alice, self.paula):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(history_url(application)).status_code, 403)

    def test_an_object_that_is_not_audited_has_no_history_page(self):
        self.client.force_login(self.staff)
        response = self.client.get(
            reverse("audit:history", args=["programmes", "programme", self.programme.pk])
        )
        self.assertEqual(response.status_code, 404)

    def test_application_field_changes_are_logged(self):
        application = self.submit()
        with set_actor(self.staff):
            application.contact_phone = "03 123 45 67"
            application.save()
        entry = (
            LogEntry.objects.get_for_object(application).filter(action=LogEntry.Action.UPDATE).get()
        )
        self.assertEqual(entry.changes_dict["contact_phone"], ["", "03 123 45 67"])

    def test_the_history_shows_dutch_labels_values_and_when_a_decision_took_effect(self):
        application = self.submit()
        with set_actor(self.staff):
            self.decide(
                application,
                "admissible",
                at=datetime.datetime(2021, 8, 20, 12, 0, tzinfo=datetime.UTC),
            )
        self.client.force_login(self.staff)
        self.client.cookies["django_language"] = "nl-be"

        page = self.client.get(history_url(application))

        self.assertContains(page, "<dd>Ingediend → Ontvankelijk</dd>", html=True)
        self.assertContains(page, "<td>20/08/2021 14:00</td>", html=True)
        self.assertNotContains(page, "None")

    def test_a_long_history_is_paged_not_cut_off(self):
        application = self.submit()
        with set_actor(self.staff):
            for number in range(audit_views.HISTORY_PAGE_SIZE + 4):
                application.contact_phone = f"03 000 00 {number:02d}"
                application.save()
        self.client.force_login(self.staff)
        first = self.client.get(history_url(application))
        self.assertEqual(len(first.context["entries"]), audit_views.HISTORY_PAGE_SIZE)
        self.assertContains(first, 'href="?page=2" rel="next"', html=False)
        last = self.client.get(history_url(application), {"page": 2})
        # The oldest change, the submission itself, is on the last page.
        self.assertContains(last, "03 000 00 00")
        self.assertEqual(
            len(first.context["entries"]) + len(last.context["entries"]),
            first.context["page"].paginator.count,
        )
        self.assertGreater(
            first.context["page"].paginator.count,
            LogEntry.objects.get_for_object(application).count(),
            "the application's own changes and those of its rows",
        )
