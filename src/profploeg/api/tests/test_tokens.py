from django.contrib.staticfiles import finders
from django.test import TestCase
from django.utils import translation

from profploeg.api import services
from profploeg.api.models import ApiToken

from .base import ApiTestCase


class TokenServiceTests(ApiTestCase):
    def test_the_plaintext_is_returned_once_and_only_a_salted_hash_is_stored(self):
        token, plaintext = services.create_token(user=self.alice, name="e-loket")
        self.assertTrue(plaintext.startswith(f"pp_{token.prefix}_"))
        secret = plaintext.split("_", 2)[2]
        stored = ApiToken.objects.filter(pk=token.pk).values().get()
        self.assertNotIn(secret, " ".join(str(value) for value in stored.values()))
        self.assertEqual(token.secret_hash, services.hash_secret(secret, token.salt))

    def test_a_token_without_a_name_is_refused(self):
        # Whatever language an earlier test left active: services speak the active one.
        with translation.override("nl-be"):
            with self.assertRaisesMessage(Exception, "Geef het token een naam"):
                services.create_token(user=self.alice, name="  ")

    def test_a_user_without_a_role_gets_no_token(self):
        with self.assertRaises(services.PermissionDenied):
            services.create_token(user=self.outsider, name="x")

    def test_a_wrong_secret_with_a_right_prefix_is_not_a_token(self):
        token, plaintext = services.create_token(user=self.alice, name="e-loket")
        self.assertIsNone(services.use_token(plaintext=plaintext[:-2] + "xx"))
        self.assertEqual(services.use_token(plaintext=plaintext), token)

    def test_someone_else_cannot_revoke_my_token(self):
        token, _plaintext = services.create_token(user=self.alice, name="e-loket")
        with self.assertRaises(services.PermissionDenied):
            services.revoke_token(token=token, by=self.bob)


class BearerAuthTests(ApiTestCase):
    def test_a_token_acts_as_its_user(self):
        response = self.api_get("/api/me", self.alice)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(),
            {
                "username": "alice",
                "role": "municipality",
                "municipality": "12021",
                "province": None,
            },
        )

    def test_using_a_token_records_when(self):
        token, plaintext = services.create_token(user=self.alice, name="e-loket")
        self.client.get("/api/me", headers={"Authorization": f"Bearer {plaintext}"})
        token.refresh_from_db()
        self.assertIsNotNone(token.last_used_at)

    def test_a_revoked_token_gets_401_at_once(self):
        token, plaintext = services.create_token(user=self.alice, name="e-loket")
        auth = {"Authorization": f"Bearer {plaintext}"}
        self.assertEqual(self.client.get("/api/me", headers=auth).status_code, 200)
        services.revoke_token(token=token, by=self.alice)
        response = self.client.get("/api/me", headers=auth)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["code"], "not_authenticated")

    def test_the_token_of_a_deactivated_user_stops_working(self):
        _token, plaintext = services.create_token(user=self.alice, name="e-loket")
        self.alice.is_active = False
        self.alice.save()
        response = self.client.get("/api/me", headers={"Authorization": f"Bearer {plaintext}"})
        self.assertEqual(response.status_code, 401)

    def test_anonymous_gets_401_in_json_not_a_login_redirect(self):
        response = self.client.get("/api/me")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["code"], "not_authenticated")

    def test_a_garbage_authorization_header_gets_401(self):
        for value in ("Bearer", "Bearer nonsense", "Basic abc", "Bearer pp_", "Bearer pp_x_"):
            response = self.client.get("/api/me", headers={"Authorization": value})
            self.assertEqual(response.status_code, 401, value)

    def test_an_unknown_api_path_is_a_json_404(self):
        response = self.api_get("/api/no/such/thing", self.alice)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["code"], "not_found")


class SessionAuthTests(ApiTestCase):
    def test_a_logged_in_browser_reads_with_its_session(self):
        self.client.force_login(self.paula)
        response = self.client.get("/api/me")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["province"], "10000")


class TokenPageTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.client.cookies["django_language"] = "en"
        self.client.force_login(self.alice)

    def test_creating_a_token_shows_its_secret_once(self):
        response = self.client.post("/api/tokens/", {"name": "e-loket"})
        self.assertEqual(response.status_code, 200)
        plaintext = response.context["plaintext"]
        self.assertContains(response, plaintext)
        self.assertContains(response, "shown only once")
        again = self.client.get("/api/tokens/")
        self.assertNotContains(again, plaintext)
        self.assertContains(again, "e-loket")

    def test_revoking_a_token_on_the_page(self):
        token, plaintext = services.create_token(user=self.alice, name="e-loket")
        response = self.client.post(f"/api/tokens/{token.pk}/revoke/")
        self.assertRedirects(response, "/api/tokens/")
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)

    def test_another_users_token_cannot_be_revoked_from_the_page(self):
        token, _plaintext = services.create_token(user=self.bob, name="bob's")
        response = self.client.post(f"/api/tokens/{token.pk}/revoke/")
        self.assertEqual(response.status_code, 404)
        token.refresh_from_db()
        self.assertIsNone(token.revoked_at)

    def test_the_page_needs_a_login(self):
        self.client.logout()
        response = self.client.get("/api/tokens/")
        self.assertEqual(response.status_code, 302)


class NavigationTests(ApiTestCase):
    def test_every_logged_in_user_finds_the_token_page_on_their_account(self):
        for user in (self.alice, self.paula, self.staff):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                page = self.client.get("/accounts/profile/", headers={"Accept-Language": "en"})
                self.assertContains(page, '<a href="/api/tokens/">API tokens</a>', html=True)

    def test_staff_find_the_import_on_the_programmes_page(self):
        self.client.force_login(self.staff)
        page = self.client.get("/programmes/", headers={"Accept-Language": "en"})
        self.assertContains(page, 'href="/imports/applications/"')

    def test_the_links_are_not_shown_to_anonymous_visitors(self):
        page = self.client.get("/vitrine/", headers={"Accept-Language": "en"})
        self.assertNotContains(page, "/api/tokens/")


class DocsTests(TestCase):
    def test_the_schema_and_docs_are_served_without_a_cdn(self):
        schema = self.client.get("/api/openapi.json")
        self.assertEqual(schema.status_code, 200)
        self.assertEqual(schema.json()["info"]["title"], "Profploeg API")
        docs = self.client.get("/api/docs")
        self.assertEqual(docs.status_code, 200)
        self.assertContains(docs, "/static/ninja/swagger-ui-bundle.js")
        self.assertNotContains(docs, "cdn.")
        self.assertNotContains(docs, "https://")
        # The assets come with the installed package, found by the static files finders.
        self.assertIsNotNone(finders.find("ninja/swagger-ui-bundle.js"))
        self.assertIsNotNone(finders.find("ninja/swagger-ui.css"))
