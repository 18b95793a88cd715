from unittest import mock

from django.urls import reverse

from profploeg.showcase import views
from profploeg.showcase.models import Case
from profploeg.test import PASSWORD, make_programme

from .base import ShowcaseTestCase, jpeg


class ManageTests(ShowcaseTestCase):
    def login(self, user):
        self.client.login(username=user.username, password=PASSWORD)

    def test_staff_write_a_case_from_a_completed_trajectory(self):
        trajectory = self.complete(send=False)
        self.login(self.staff)
        self.assertContains(self.client.get(reverse("showcase:manage")), "Write a case")
        response = self.client.post(
            reverse("showcase:case_create", args=[trajectory.pk]),
            {"title": "Leegstand aangepakt", "summary": "Kort.", "size_class": "small"},
        )
        case = Case.objects.get()
        self.assertRedirects(response, reverse("showcase:manage_case", args=[case.pk]))

    def test_the_cases_of_one_programme_with_the_programme_filter(self):
        case = self.draft()
        other = make_programme(title="Profploeg 2")
        self.login(self.staff)
        page = self.client.get(reverse("showcase:manage"), {"programme": self.programme.pk})
        self.assertEqual(list(page.context["cases"]), [case])
        page = self.client.get(reverse("showcase:manage"), {"programme": other.pk})
        self.assertEqual(list(page.context["cases"]), [])
        self.assertEqual(list(page.context["candidates"]), [])

    def test_every_case_is_a_page_away(self):
        cases = [self.draft(), self.draft(self.brugge, title="Een markt die werkt")]
        self.login(self.staff)
        with mock.patch.object(views, "MANAGE_PAGE_SIZE", 1):
            first = self.client.get(reverse("showcase:manage"), {"programme": self.programme.pk})
            second = self.client.get(
                reverse("showcase:manage"), {"programme": self.programme.pk, "page": 2}
            )
        self.assertCountEqual(list(first.context["cases"]) + list(second.context["cases"]), cases)
        self.assertContains(
            first, f'href="?programme={self.programme.pk}&amp;page=2" rel="next"', html=False
        )

    def test_the_whole_workflow_through_the_pages(self):
        case = self.draft()
        url = reverse("showcase:manage_case", args=[case.pk])
        self.login(self.staff)
        self.client.post(reverse("showcase:action", args=[case.pk, "submit"]))
        self.login(self.alice)
        page = self.client.get(url)
        self.assertContains(page, "Approve this text for publication")
        self.client.post(
            reverse("showcase:action", args=[case.pk, "approve"]), {"version": case.content_version}
        )
        self.login(self.staff)
        self.client.post(reverse("showcase:action", args=[case.pk, "publish"]))
        case.refresh_from_db()
        self.assertEqual(case.status, Case.Status.PUBLISHED)
        history = self.client.get(url)
        self.assertContains(history, "Approved by the municipality")

    def test_a_refused_step_is_explained(self):
        case = self.draft()
        self.login(self.staff)
        response = self.client.post(
            reverse("showcase:action", args=[case.pk, "publish"]), follow=True
        )
        self.assertContains(response, "that step is not possible")

    def test_staff_upload_a_photo_on_the_page(self):
        case = self.draft()
        self.login(self.expert)
        self.client.post(
            reverse("showcase:photo_add", args=[case.pk]),
            {"image": jpeg(), "alt_text": "Het plein op marktdag"},
        )
        self.assertEqual(case.photos.get().alt_text, "Het plein op marktdag")

    def test_a_photo_whose_file_is_gone_gives_404_not_500(self):
        case = self.draft()
        self.login(self.expert)
        self.client.post(
            reverse("showcase:photo_add", args=[case.pk]),
            {"image": jpeg(), "alt_text": "Het plein op marktdag"},
        )
        photo = case.photos.get()
        photo.image.storage.delete(photo.image.name)
        self.login(self.staff)
        response = self.client.get(reverse("showcase:photo", args=[photo.pk]))
        self.assertEqual(response.status_code, 404)

    def test_a_password_alone_does_not_show_an_unpublished_photo(self):
        case = self.draft()
        self.login(self.expert)
        self.client.post(
            reverse("showcase:photo_add", args=[case.pk]),
            {"image": jpeg(), "alt_text": "Het plein op marktdag"},
        )
        url = reverse("showcase:photo", args=[case.photos.get().pk])
        # Logged in with the password, the second factor still to come.
        self.client.force_login(self.staff)
        with self.settings(OTP_REQUIRED=True):
            self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_another_municipality_and_outsiders_get_404_or_403(self):
        case = self.draft()
        url = reverse("showcase:manage_case", args=[case.pk])
        self.login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_a_municipality_cannot_edit_the_text(self):
        case = self.draft()
        self.login(self.alice)
        response = self.client.post(
            reverse("showcase:manage_case", args=[case.pk]), {"title": "Anders"}
        )
        self.assertEqual(response.status_code, 403)
