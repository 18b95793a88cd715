"""The staff's users list: a page at a time, filtered as the API's `/api/users`."""

from unittest import mock

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from profploeg.accounts import services, views
from profploeg.accounts.models import User
from profploeg.test import BaseTestCase, make_user


@override_settings(OTP_REQUIRED=False)
class UserListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        services.deactivate_user(by=cls.staff, user=cls.bob)

    def setUp(self):
        super().setUp()
        self.client.force_login(self.staff)
        self.client.cookies["django_language"] = "en"

    def usernames(self, response) -> list[str]:
        return [user.username for user in response.context["users"]]

    def test_the_second_page_shows_the_rest_and_says_how_many(self):
        with mock.patch.object(views, "USER_PAGE_SIZE", 4):
            first = self.client.get("/accounts/users/")
            second = self.client.get("/accounts/users/", {"page": 2})
        everyone = User.objects.exclude(role="").values_list("username", flat=True)
        self.assertEqual(len(self.usernames(first)), 4)
        self.assertCountEqual(self.usernames(first) + self.usernames(second), everyone)
        self.assertContains(first, f"Page 1 of 2 (1–4 of {len(everyone)})")
        self.assertContains(first, 'href="?page=2" rel="next"', html=False)
        # Someone without a role is no user of the programme.
        self.assertNotIn(self.outsider.username, self.usernames(first) + self.usernames(second))

    def test_each_filter_keeps_only_the_users_it_names(self):
        cases = [
            ({"role": "municipality"}, ["alice", "bob"]),
            ({"role": "municipality", "active": "true"}, ["alice"]),
            ({"active": "false"}, ["bob"]),
            ({"q": "STAFF"}, ["sam"]),
            ({"q": "sofie"}, ["sofie"]),
            ({"q": "nobody"}, []),
        ]
        for query, expected in cases:
            with self.subTest(query=query):
                self.assertEqual(
                    sorted(self.usernames(self.client.get("/accounts/users/", query))), expected
                )
        self.assertContains(
            self.client.get("/accounts/users/", {"q": "nobody"}), "No user matches these filters."
        )

    def test_filters_stay_in_the_links_between_pages(self):
        with mock.patch.object(views, "USER_PAGE_SIZE", 1):
            first = self.client.get("/accounts/users/", {"role": "municipality"})
            second = self.client.get("/accounts/users/", {"role": "municipality", "page": 2})
        self.assertContains(first, 'href="?role=municipality&amp;page=2"', html=False)
        self.assertEqual(sorted(self.usernames(first) + self.usernames(second)), ["alice", "bob"])
        # The choice stays selected, and the invitation form keeps its own field ids.
        self.assertContains(first, '<option value="municipality" selected>', html=False)
        self.assertContains(first, 'id="filter_role"', html=False)
        self.assertContains(first, 'id="id_role"', html=False)

    def test_the_api_filters_by_the_same_names_with_the_same_result(self):
        for query in (
            {"role": "municipality"},
            {"active": "false"},
            {"q": "Staff", "active": "true"},
        ):
            with self.subTest(query=query):
                page = self.client.get("/accounts/users/", query)
                api = self.client.get("/api/users", query).json()
                self.assertEqual(
                    sorted(self.usernames(page)), sorted(item["username"] for item in api["items"])
                )

    def test_only_staff_see_the_list(self):
        for user in (self.expert, self.alice, self.paula):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get("/accounts/users/").status_code, 403)

    def test_the_page_costs_the_same_number_of_queries_at_any_length(self):
        self.client.get("/accounts/users/")
        with CaptureQueriesContext(connection) as small:
            self.client.get("/accounts/users/")
        for number in range(30):
            make_user(f"user{number}", User.Role.MUNICIPALITY, municipality=self.lier)
            services.deactivate_user(by=self.staff, user=User.objects.get(username=f"user{number}"))
        with self.assertNumQueries(len(small)):
            response = self.client.get("/accounts/users/")
        self.assertEqual(len(self.usernames(response)), 36)

    def test_older_account_changes_are_a_page_further(self):
        for _round in range(views.EVENT_PAGE_SIZE):
            services.reactivate_user(by=self.staff, user=self.bob)
            services.deactivate_user(by=self.staff, user=self.bob)
        first = self.client.get("/accounts/users/")
        self.assertEqual(len(first.context["events"].object_list), views.EVENT_PAGE_SIZE)
        self.assertContains(first, 'href="?events_page=2" rel="next"', html=False)
        last = self.client.get("/accounts/users/", {"events_page": 3})
        self.assertEqual(last.context["events"].number, 3)
        self.assertTrue(last.context["events"].object_list)
