import datetime
from decimal import Decimal
from unittest import mock

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from profploeg.lib.dates import BRUSSELS, at_brussels
from profploeg.municipalities.models import Municipality, Province
from profploeg.programmes.models import Theme
from profploeg.test import municipality

from .. import views
from ..models import Application, Attachment, Message, Referral
from .base import PageTestCase, pdf_upload

Status = Application.Status

BEFORE_FIRST_DEADLINE = datetime.datetime(2021, 8, 2, 10, tzinfo=BRUSSELS)
BETWEEN_DEADLINES = datetime.datetime(2021, 8, 20, 10, tzinfo=BRUSSELS)
AFTER_LAST_DEADLINE = datetime.datetime(2021, 12, 1, 10, tzinfo=BRUSSELS)


def detail_url(application: Application) -> str:
    return reverse("applications:detail", args=[application.pk])


class ApplyTests(PageTestCase):
    def apply_url(self) -> str:
        return reverse("applications:apply", args=[self.programme.pk])

    def form_data(self, **kw) -> dict:
        data = {
            "contact_name": "An Peeters",
            "contact_email": "an.peeters@lier.be",
            "contact_phone": "03 800 05 11",
            "question": "Leegstand in de Antwerpsestraat: hoe maken we de kern weer levendig?",
            "themes": [Theme.objects.order_by("pk").first().pk],
        }
        data.update(kw)
        return data

    @time_machine.travel(BEFORE_FIRST_DEADLINE, tick=False)
    def test_municipality_applies_through_the_page_with_pdf_attachments(self):
        self.client.force_login(self.alice)
        data = self.form_data(attachments=[pdf_upload("plan.pdf"), pdf_upload("Kaart kern.pdf")])

        response = self.client.post(self.apply_url(), data, follow=True)

        application = Application.objects.get(municipality=self.lier)
        self.assertRedirects(response, detail_url(application))
        self.assertEqual(application.round, self.round1)
        self.assertEqual(application.submitted_by, self.alice)
        self.assertEqual(application.contact_name, "An Peeters")
        self.assertEqual(application.themes.count(), 1)
        self.assertEqual(
            sorted(application.attachments.values_list("original_name", flat=True)),
            ["Kaart kern.pdf", "plan.pdf"],
        )
        self.assertContains(response, "It is part of round 1 (deadline 13 August 2021)")
        self.assertNotContains(response, "after the deadline")
        self.assertContains(response, "Kaart kern.pdf")

    @time_machine.travel(BEFORE_FIRST_DEADLINE, tick=False)
    def test_apply_page_names_the_round_and_prefills_the_contact(self):
        self.alice.first_name, self.alice.last_name = "Alice", "Lierse"
        self.alice.email = "alice@lier.be"
        self.alice.save()
        self.client.force_login(self.alice)

        response = self.client.get(self.apply_url())

        self.assertContains(
            response, "Your application goes into round 1, deadline 13 August 2021."
        )
        self.assertContains(response, 'value="Alice Lierse"')
        self.assertContains(response, 'value="alice@lier.be"')
        self.assertContains(response, 'type="file"')

    @time_machine.travel(BEFORE_FIRST_DEADLINE, tick=False)
    def test_non_pdf_attachment_is_refused_with_a_field_error(self):
        self.client.force_login(self.alice)
        fake = pdf_upload("begroting.pdf", b"PK\x03\x04 this is a spreadsheet")

        response = self.client.post(
            self.apply_url(), self.form_data(attachments=[pdf_upload(), fake])
        )

        self.assertEqual(response.status_code, 200)
        self.assertFormError(
            response.context["form"], "attachments", "begroting.pdf is not a PDF file."
        )
        self.assertContains(response, "begroting.pdf is not a PDF file.")
        self.assertFalse(Application.objects.exists())
        self.assertFalse(Attachment.objects.exists())

    @time_machine.travel(BEFORE_FIRST_DEADLINE, tick=False)
    def test_missing_question_gives_a_field_error(self):
        self.client.force_login(self.alice)

        response = self.client.post(self.apply_url(), self.form_data(question=""))

        self.assertFormError(response.context["form"], "question", "This field is required.")
        self.assertFalse(Application.objects.exists())

    @time_machine.travel(BETWEEN_DEADLINES, tick=False)
    def test_late_application_is_placed_in_the_next_round_and_the_page_says_so(self):
        self.client.force_login(self.alice)

        before = self.client.get(self.apply_url())
        response = self.client.post(self.apply_url(), self.form_data(), follow=True)

        self.assertContains(
            before,
            "The deadline of round 1 (13 August 2021) has passed. Your application will be "
            "placed in the next round: round 2, deadline 12 November 2021.",
        )
        application = Application.objects.get(municipality=self.lier)
        self.assertEqual(application.round, self.round2)
        self.assertContains(
            response,
            "It arrived after the deadline of round 1 (13 August 2021), so it was placed in the "
            "next round, round 2.",
        )
        self.assertContains(
            response, "after the deadline of round 1 (13 August 2021): placed in round 2."
        )

    @time_machine.travel(BEFORE_FIRST_DEADLINE, tick=False)
    def test_second_application_in_the_same_round_is_refused_with_the_service_message(self):
        self.submit()
        self.client.force_login(self.alice)

        page = self.client.get(self.apply_url())
        response = self.client.post(self.apply_url(), self.form_data())

        self.assertContains(page, "Your municipality already has an application in round 1.")
        self.assertEqual(
            response.context["form"].non_field_errors(),
            ["Lier already has an application in round 1."],
        )
        self.assertEqual(Application.objects.count(), 1)

    @time_machine.travel(AFTER_LAST_DEADLINE, tick=False)
    def test_closed_call_shows_why_and_no_form(self):
        self.client.force_login(self.alice)

        response = self.client.get(self.apply_url())

        self.assertContains(response, "This call is closed: the last deadline has passed.")
        self.assertNotContains(response, 'type="file"')


class MineTests(PageTestCase):
    @time_machine.travel(BEFORE_FIRST_DEADLINE, tick=False)
    def test_municipality_sees_its_applications_messages_and_where_to_apply(self):
        own = self.submit(self.lier)
        self.decide(own, Status.INADMISSIBLE, reason="Het formulier is niet ondertekend.")
        self.submit(self.brugge)
        self.client.force_login(self.alice)

        response = self.client.get(reverse("applications:mine"))

        self.assertEqual(list(response.context["applications"]), [own])
        self.assertContains(response, detail_url(own))
        self.assertEqual(
            [m.subject.split(":")[0] for m in response.context["inbox"]],
            ["Uw aanvraag is onontvankelijk", "Aanvraag ontvangen"],
        )
        self.assertNotContains(response, "Brugge")

    @time_machine.travel(BEFORE_FIRST_DEADLINE, tick=False)
    def test_municipality_gets_an_apply_button_for_an_open_call(self):
        self.client.force_login(self.alice)

        response = self.client.get(reverse("applications:mine"))

        self.assertContains(response, reverse("applications:apply", args=[self.programme.pk]))
        self.assertContains(response, "an application sent today goes into round 1")

    @time_machine.travel(AFTER_LAST_DEADLINE, tick=False)
    def test_municipality_gets_no_apply_button_once_the_call_is_closed(self):
        self.client.force_login(self.alice)

        response = self.client.get(reverse("applications:mine"))

        self.assertNotContains(response, reverse("applications:apply", args=[self.programme.pk]))
        self.assertContains(response, "No call is open for applications at the moment.")

    @time_machine.travel(BEFORE_FIRST_DEADLINE, tick=False)
    def test_municipality_that_applied_in_the_open_round_gets_no_second_apply_button(self):
        self.submit(self.lier)
        self.client.force_login(self.alice)

        response = self.client.get(reverse("applications:mine"))

        self.assertContains(response, "You have already applied in round 1.")
        self.assertNotContains(response, reverse("applications:apply", args=[self.programme.pk]))


class DetailTests(PageTestCase):
    def test_detail_shows_the_history_with_who_when_and_why(self):
        application = self.submit()
        self.decide(application, Status.ADMISSIBLE)
        self.decide(application, Status.DEFERRED, reason="De vraag is nog te ruim.")
        self.client.force_login(self.alice)

        response = self.client.get(detail_url(application))

        self.assertEqual(len(response.context["transitions"]), 3)
        self.assertContains(response, "De vraag is nog te ruim.")
        self.assertContains(response, "by Sam Staff")
        self.assertContains(response, "02/08/2021 10:00")
        self.assertContains(response, "Uw begeleiding kan nog niet starten: Lier")

    def test_staff_sees_only_the_decisions_allowed_from_the_current_status(self):
        application = self.submit()
        self.client.force_login(self.staff)

        submitted = self.client.get(detail_url(application))
        self.decide(application, Status.ADMISSIBLE)
        admissible = self.client.get(detail_url(application))

        self.assertEqual(
            [f.initial["to_status"] for f in submitted.context["decision_forms"]],
            [Status.ADMISSIBLE, Status.INADMISSIBLE],
        )
        self.assertEqual(
            [f.initial["to_status"] for f in admissible.context["decision_forms"]],
            [Status.ACCEPTED, Status.DEFERRED],
        )
        self.assertContains(admissible, 'name="version" value="2"')

    def test_merged_municipality_is_shown_as_it_was_and_as_it_is_now(self):
        kortessem = Municipality.objects.get(refnis="73040")
        application = self.submit(kortessem)
        self.client.force_login(self.staff)

        response = self.client.get(detail_url(application))

        self.assertContains(response, "Kortessem (now Hasselt)")
        self.assertContains(response, "REFNIS 73040")
        self.assertContains(response, "REFNIS 71072")

    def test_detail_links_the_earlier_application_and_the_reapplication(self):
        first = self.submit()
        self.decide(first, Status.INADMISSIBLE, reason="Onvolledig.")
        again = self.submit(day=datetime.date(2021, 9, 15))
        self.client.force_login(self.alice)

        first_page = self.client.get(detail_url(first))
        again_page = self.client.get(detail_url(again))

        self.assertEqual(list(first_page.context["later"]), [again])
        self.assertContains(first_page, detail_url(again))
        self.assertEqual(again_page.context["earlier"], first)
        self.assertContains(again_page, detail_url(first))

    def test_dates_are_shown_in_belgian_format(self):
        application = self.submit()
        self.client.cookies.clear()
        self.client.force_login(self.alice)

        response = self.client.get(detail_url(application))

        self.assertContains(response, "13 augustus 2021")
        self.assertContains(response, "02/08/2021 10:00")


class DecideTests(PageTestCase):
    def decide_url(self, application: Application) -> str:
        return reverse("applications:decide", args=[application.pk])

    def test_staff_decides_through_the_page(self):
        application = self.submit()
        self.client.force_login(self.staff)

        response = self.client.post(
            self.decide_url(application),
            {"to_status": Status.INADMISSIBLE, "version": 1, "reason": "Geen collegebeslissing."},
            follow=True,
        )

        self.assertRedirects(response, detail_url(application))
        application.refresh_from_db()
        self.assertEqual(application.status, Status.INADMISSIBLE)
        step = application.transitions.last()
        self.assertEqual((step.by, step.reason), (self.staff, "Geen collegebeslissing."))
        self.assertContains(response, "The application is now “inadmissible”.")
        self.assertTrue(
            Message.objects.filter(subject="Uw aanvraag is onontvankelijk: Lier").exists()
        )

    def test_refusal_without_reason_gives_a_field_error_and_changes_nothing(self):
        application = self.submit()
        self.client.force_login(self.staff)

        response = self.client.post(
            self.decide_url(application),
            {"to_status": Status.INADMISSIBLE, "version": 1, "reason": " "},
        )

        self.assertEqual(response.status_code, 200)
        refusal = next(
            f
            for f in response.context["decision_forms"]
            if f.data.get("to_status") == "inadmissible"
        )
        self.assertEqual(
            refusal.errors["reason"], ["Give a reason: the municipality will read it."]
        )
        self.assertContains(response, "Give a reason: the municipality will read it.")
        application.refresh_from_db()
        self.assertEqual(application.status, Status.SUBMITTED)

    def test_stale_version_gives_the_conflict_message_and_no_second_transition(self):
        application = self.submit()
        self.client.force_login(self.staff)
        page = self.client.get(detail_url(application))
        self.assertContains(page, 'name="version" value="1"')
        # Meanwhile a colleague declares it admissible.
        self.decide(application, Status.ADMISSIBLE, by=self.staff2)

        response = self.client.post(
            self.decide_url(application),
            {"to_status": Status.INADMISSIBLE, "version": 1, "reason": "Er ontbreekt een kaart."},
        )

        self.assertEqual(response.status_code, 409)
        self.assertContains(
            response,
            "Someone else changed this application while you were looking at it.",
            status_code=409,
        )
        # What they typed is not lost: it is shown and put in the decisions possible now.
        self.assertContains(response, "Er ontbreekt een kaart.", count=2, status_code=409)
        deferral = response.context["decision_forms"][1]
        self.assertEqual(deferral.initial["reason"], "Er ontbreekt een kaart.")
        self.assertEqual([f.initial["version"] for f in response.context["decision_forms"]], [2, 2])
        self.assertEqual(application.transitions.count(), 2)
        self.assertEqual(
            list(application.transitions.values_list("to_status", flat=True)),
            [Status.SUBMITTED, Status.ADMISSIBLE],
        )
        application.refresh_from_db()
        self.assertEqual((application.status, application.version), (Status.ADMISSIBLE, 2))

    def test_same_decision_on_a_stale_page_is_a_conflict_not_a_second_step(self):
        application = self.submit()
        self.decide(application, Status.ADMISSIBLE, by=self.staff2)
        self.client.force_login(self.staff)

        response = self.client.post(
            self.decide_url(application),
            {"to_status": Status.ADMISSIBLE, "version": 1, "reason": ""},
        )

        self.assertEqual(response.status_code, 409)
        self.assertEqual(application.transitions.count(), 2)


class WithdrawAndAttachmentTests(PageTestCase):
    def test_municipality_withdraws_its_application(self):
        application = self.submit(by=self.alice)
        self.client.force_login(self.alice)
        page = self.client.get(detail_url(application))

        response = self.client.post(
            reverse("applications:withdraw", args=[application.pk]),
            {"version": 1, "confirm": "on"},
            follow=True,
        )

        self.assertContains(page, "Withdraw this application")
        self.assertRedirects(response, detail_url(application))
        application.refresh_from_db()
        self.assertEqual(application.status, Status.WITHDRAWN)
        self.assertContains(response, "Your application has been withdrawn.")
        self.assertNotContains(response, "Withdraw this application")

    def test_a_withdrawal_needs_the_box_ticked(self):
        application = self.submit()
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("applications:withdraw", args=[application.pk]), {"version": 1}, follow=True
        )
        application.refresh_from_db()
        self.assertEqual(application.status, Status.SUBMITTED)
        self.assertContains(response, "Tick the box to confirm the withdrawal")

    def test_withdraw_after_admissibility_is_refused_with_a_message(self):
        application = self.submit()
        self.decide(application, Status.ADMISSIBLE)
        self.client.force_login(self.alice)

        response = self.client.post(
            reverse("applications:withdraw", args=[application.pk]),
            {"version": 2, "confirm": "on"},
            follow=True,
        )

        self.assertContains(response, "An application that is admissible cannot become withdrawn.")
        application.refresh_from_db()
        self.assertEqual(application.status, Status.ADMISSIBLE)

    def test_attachment_is_served_as_a_download_under_its_original_name(self):
        application = self.submit(attachments=[pdf_upload("Plan kern Lier.pdf")])
        attachment = application.attachments.get()
        self.client.force_login(self.alice)

        response = self.client.get(
            reverse("applications:attachment", args=[application.pk, attachment.pk])
        )

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertIn('filename="Plan kern Lier.pdf"', response["Content-Disposition"])
        self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF-"))


class RoundTableTests(PageTestCase):
    def round_url(self) -> str:
        return reverse("applications:round", args=[self.round1.pk])

    def setUp(self):
        super().setUp()
        self.lier_application = self.submit(self.lier, day=datetime.date(2021, 8, 3))
        self.brugge_application = self.submit(self.brugge, day=datetime.date(2021, 8, 1))
        self.kortessem_application = self.submit(
            Municipality.objects.get(refnis="73040"), day=datetime.date(2021, 8, 2)
        )
        self.decide(self.brugge_application, Status.ADMISSIBLE)
        self.client.force_login(self.expert)

    def shown(self, **query) -> list[int]:
        """The ids of the applications the table lists, in its order."""
        response = self.client.get(self.round_url(), query)
        self.assertEqual(response.status_code, 200)
        return [row["pk"] for row in response.context["applications"]]

    def queries_per_view(self) -> list[int]:
        """The query count of the first page, a filtered and re-sorted page and a search, each
        with applications to list."""
        counts = []
        for query in ({}, {"sort": "-province", "status": Status.SUBMITTED}, {"q": "e"}):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(self.round_url(), query)
            self.assertEqual(response.status_code, 200)
            counts.append(len(queries))
        return counts

    def test_round_table_shows_refnis_names_then_and_now_province_and_status(self):
        response = self.client.get(self.round_url())

        self.assertContains(response, "73040")
        self.assertContains(response, "Kortessem (now Hasselt)")
        self.assertContains(response, "Limburg")
        self.assertContains(response, '<span class="badge admissible">Admissible</span>', html=True)
        self.assertContains(response, "01/08/2021 10:00")

    def test_round_counts_have_the_names_and_meanings_of_the_status_report(self):
        response = self.client.get(self.round_url(), HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.context["ever_admissible"], 1)
        counts = {label: count for _s, label, count, _l in response.context["counts"]}
        self.assertEqual((counts["Awaiting admissibility"], counts["Awaiting assessment"]), (2, 1))
        self.assertContains(response, "Found admissible")
        self.assertContains(response, '<span class="badge admissible">Awaiting assessment</span>')

    def test_round_table_sorts_by_municipality_unless_asked_otherwise(self):
        brugge, kortessem, lier = (
            self.brugge_application.pk,
            self.kortessem_application.pk,
            self.lier_application.pk,
        )
        self.assertEqual(self.shown(), [brugge, kortessem, lier])
        self.assertEqual(self.shown(sort="received"), [brugge, kortessem, lier])
        self.assertEqual(self.shown(sort="-received"), [lier, kortessem, brugge])
        self.assertEqual(self.shown(sort="province")[0], lier)
        self.assertEqual(self.shown(sort="status")[0], brugge)

    def test_sort_links_keep_the_filters_and_reverse_the_current_sort(self):
        response = self.client.get(self.round_url(), {"q": "lier", "sort": "municipality"})

        self.assertEqual(
            response.context["sort_links"]["municipality"], "q=lier&sort=-municipality"
        )
        self.assertEqual(response.context["sort_links"]["received"], "q=lier&sort=received")

    def test_round_table_filters_by_status_and_province(self):
        self.assertEqual(self.shown(status=Status.ADMISSIBLE), [self.brugge_application.pk])
        antwerpen = Province.objects.get(name="Antwerpen")
        self.assertEqual(self.shown(province=antwerpen.pk), [self.lier_application.pk])
        self.assertEqual(self.shown(province=antwerpen.pk, status=Status.ADMISSIBLE), [])

    def test_round_table_searches_by_name_then_or_now_and_by_refnis(self):
        self.assertEqual(self.shown(q="lier"), [self.lier_application.pk])
        self.assertEqual(self.shown(q="73040"), [self.kortessem_application.pk])
        self.assertEqual(self.shown(q="Hasselt"), [self.kortessem_application.pk])

    def test_unknown_filter_value_is_ignored_with_an_error(self):
        response = self.client.get(self.round_url(), {"status": "lost", "sort": "nonsense"})

        self.assertEqual(len(response.context["applications"]), 3)
        self.assertTrue(response.context["form"].errors)

    def test_round_table_escapes_what_municipalities_and_staff_typed(self):
        Theme.objects.create(slug="xss", name="<script>alert(1)</script>")
        self.lier_application.themes.add(Theme.objects.get(slug="xss"))

        response = self.client.get(self.round_url())

        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(response, "<script>alert(1)")

    def test_round_table_links_each_application(self):
        response = self.client.get(self.round_url())

        for application in (self.brugge_application, self.lier_application):
            self.assertContains(response, f'href="{detail_url(application)}"')

    def test_round_table_runs_as_many_queries_for_4000_applications_as_for_3(self):
        few = self.queries_per_view()
        provinces = list(Province.objects.all())
        themes = list(Theme.objects.all())
        hasselt = Municipality.objects.get(refnis="71072")
        municipalities = Municipality.objects.bulk_create(
            Municipality(
                refnis=f"9{i:04d}",
                name=f"Testgemeente {i:04d}",
                province=provinces[i % len(provinces)],
                # Every tenth one has merged since, so the "now" name is read as well.
                valid_until=datetime.date(2024, 12, 31) if i % 10 == 0 else None,
                merged_into=hasselt if i % 10 == 0 else None,
            )
            for i in range(4000)
        )
        statuses = list(Status)
        applications = Application.objects.bulk_create(
            Application(
                round=self.round1,
                municipality=municipality,
                submitted_at=at_brussels(
                    datetime.date(2021, 7, 1) + datetime.timedelta(days=i % 40)
                ),
                contact_name="Contact",
                contact_email="contact@example.be",
                question="Vraag",
                status=statuses[i % len(statuses)],
            )
            for i, municipality in enumerate(municipalities)
        )
        Application.themes.through.objects.bulk_create(
            Application.themes.through(application_id=a.pk, theme_id=themes[i % len(themes)].pk)
            for i, a in enumerate(applications)
        )

        self.assertEqual(self.queries_per_view(), few)
        self.assertLessEqual(max(few), 10)
        response = self.client.get(self.round_url(), {"q": "Testgemeente"})
        self.assertEqual(response.context["total"], 4003)
        self.assertEqual(response.context["page"].paginator.count, 4000)
        self.assertEqual(len(response.context["applications"]), 50)
        self.assertContains(response, "Testgemeente 0010 (now Hasselt)")
        last_page = self.client.get(self.round_url(), {"q": "Testgemeente", "page": 80})
        self.assertContains(last_page, "Testgemeente 3999")
        self.assertNotContains(last_page, "Testgemeente 0010 ")


class ProvinceTests(PageTestCase):
    def test_province_user_sees_only_the_applications_of_its_province(self):
        lier = self.submit(self.lier)
        brugge = self.submit(self.brugge)
        self.client.force_login(self.paula)

        response = self.client.get(reverse("applications:province"))

        self.assertEqual(list(response.context["applications"]), [lier])
        self.assertContains(response, detail_url(lier))
        self.assertNotContains(response, detail_url(brugge))
        self.assertNotContains(response, "Brugge")

    def test_every_application_of_the_province_is_a_page_away(self):
        mine = [self.submit(municipality(name)) for name in ("Lier", "Mechelen", "Turnhout")]
        self.submit(self.brugge)
        self.client.force_login(self.paula)
        with mock.patch.object(views, "PROVINCE_PAGE_SIZE", 2):
            first = self.client.get(reverse("applications:province"))
            second = self.client.get(reverse("applications:province"), {"page": 2})
        self.assertCountEqual(
            list(first.context["applications"]) + list(second.context["applications"]), mine
        )
        self.assertContains(first, "Page 1 of 2 (1–2 of 3)")
        self.assertContains(first, 'href="?page=2" rel="next"', html=False)

    def test_follow_up_list_holds_refused_applications_until_the_outcome_is_known(self):
        refused = self.submit(self.lier)
        self.decide(refused, Status.INADMISSIBLE, reason="Onvolledig dossier.")
        self.client.force_login(self.paula)

        before = self.client.get(reverse("applications:province"))
        with time_machine.travel(datetime.datetime(2021, 9, 1, 10, tzinfo=BRUSSELS), tick=False):
            response = self.client.post(
                reverse("applications:referral", args=[refused.pk]),
                {
                    "contacted_on": "2021-08-30",
                    "outcome": Referral.Outcome.DECLINED,
                    "note": "Ziet af.",
                },
                follow=True,
            )

        self.assertEqual(list(before.context["awaiting"]), [refused])
        self.assertContains(before, "Onvolledig dossier.")
        self.assertRedirects(response, reverse("applications:province"))
        self.assertContains(response, "The follow-up of Lier has been saved.")
        self.assertEqual(list(response.context["awaiting"]), [])
        self.assertEqual(list(response.context["followed"]), [refused])
        referral = refused.referral
        self.assertEqual(
            (referral.contacted_on, referral.contacted_by, referral.outcome),
            (datetime.date(2021, 8, 30), self.paula, Referral.Outcome.DECLINED),
        )

    def test_follow_up_dated_in_the_future_gives_a_field_error(self):
        refused = self.submit(self.lier)
        self.decide(refused, Status.INADMISSIBLE, reason="Onvolledig dossier.")
        self.client.force_login(self.paula)

        with time_machine.travel(datetime.datetime(2021, 9, 1, 10, tzinfo=BRUSSELS), tick=False):
            response = self.client.post(
                reverse("applications:referral", args=[refused.pk]),
                {"contacted_on": "2021-09-02", "outcome": Referral.Outcome.PENDING},
            )

        self.assertFormError(
            response.context["form"], "contacted_on", "The contact date cannot be in the future."
        )
        self.assertFalse(Referral.objects.exists())

    def test_staff_records_a_follow_up_from_the_application(self):
        deferred = self.submit(self.brugge)
        self.decide(deferred, Status.ADMISSIBLE)
        self.decide(deferred, Status.DEFERRED, reason="Vraag nog onduidelijk.")
        self.client.force_login(self.staff)

        with time_machine.travel(datetime.datetime(2021, 9, 1, 10, tzinfo=BRUSSELS), tick=False):
            response = self.client.post(
                reverse("applications:referral", args=[deferred.pk]),
                {"contacted_on": "2021-08-31", "outcome": Referral.Outcome.PENDING},
                follow=True,
            )

        self.assertRedirects(response, detail_url(deferred))
        self.assertContains(response, "Contacted, no outcome yet")

    def test_follow_up_page_of_an_admitted_application_sends_back_to_it(self):
        application = self.submit(self.lier)
        self.client.force_login(self.paula)

        response = self.client.get(reverse("applications:referral", args=[application.pk]))

        self.assertRedirects(response, detail_url(application))
        self.assertFalse(Referral.objects.exists())


class IntakeInvitationInMessagesTests(PageTestCase):
    def test_the_intake_invitation_is_among_the_municipalitys_messages(self):
        from profploeg.trajectories import services as guidance
        from profploeg.trajectories.models import Expert, Organisation

        application = self.submit()
        self.decide(application, Status.ADMISSIBLE, at=at_brussels(datetime.date(2021, 8, 20)))
        self.decide(application, Status.ACCEPTED, at=at_brussels(datetime.date(2021, 9, 15)))
        expert = Expert.objects.create(
            name="Eva Expert", organisation=Organisation.objects.create(name="Retail NV")
        )
        intake = guidance.plan_intake(
            by=self.staff,
            application=application,
            planned_at=timezone.now() + datetime.timedelta(days=7),
            location="Stadhuis",
            experts=[expert],
        )
        self.client.force_login(self.alice)
        page = self.client.get(detail_url(application))
        self.assertContains(page, reverse("trajectories:intake_ics", args=[intake.pk]))
        self.assertContains(page, "Calendar invitations for the intake")


class GuidanceLinkTests(PageTestCase):
    def test_application_intake_and_trajectory_link_to_each_other(self):
        from profploeg.trajectories import services as guidance
        from profploeg.trajectories.models import Expert, Organisation

        application = self.submit()
        self.decide(application, Status.ADMISSIBLE, at=at_brussels(datetime.date(2021, 8, 20)))
        self.decide(application, Status.ACCEPTED, at=at_brussels(datetime.date(2021, 9, 15)))
        expert = Expert.objects.create(
            name="Eva Expert", organisation=Organisation.objects.create(name="Retail NV")
        )
        trajectory = guidance.record_held_intake(
            by=self.staff,
            application=application,
            held_on=datetime.date(2021, 10, 5),
            agreed_question="Hoe vullen we de leegstand?",
            assignments=[guidance.PlannedAssignment(expert=expert, planned_days=Decimal("8"))],
            planned_start=datetime.date(2022, 1, 10),
            planned_end=datetime.date(2022, 8, 31),
        )
        self.client.force_login(self.alice)
        page = self.client.get(detail_url(application))
        self.assertContains(page, reverse("trajectories:detail", args=[trajectory.pk]))
        self.assertContains(page, reverse("trajectories:intake", args=[trajectory.intake_id]))
        back = self.client.get(reverse("trajectories:detail", args=[trajectory.pk]))
        self.assertContains(back, detail_url(application))
        intake = self.client.get(reverse("trajectories:intake", args=[trajectory.intake_id]))
        self.assertContains(intake, detail_url(application))
