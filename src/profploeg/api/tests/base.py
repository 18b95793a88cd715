"""What the API tests share: a token per named user and JSON requests read in English."""

from django.core.cache import cache

from profploeg.accounts.models import User
from profploeg.api import services
from profploeg.test import BaseTestCase


class ApiTestCase(BaseTestCase):
    def setUp(self):
        # Tokens are rows, rolled back after each test; rate-limit windows live in the cache.
        self.tokens: dict[str, str] = {}
        cache.clear()

    def token_for(self, user: User) -> str:
        if user.username not in self.tokens:
            _token, plaintext = services.create_token(user=user, name="test")
            self.tokens[user.username] = plaintext
        return self.tokens[user.username]

    def headers(self, user: User | None, **extra) -> dict:
        headers = {"Accept-Language": "en", **extra}
        if user is not None:
            headers["Authorization"] = f"Bearer {self.token_for(user)}"
        return headers

    def api_get(self, path: str, user: User | None = None, **params):
        return self.client.get(path, params, headers=self.headers(user))

    def api_post(self, path: str, data: dict, user: User | None = None, **headers):
        return self.client.post(
            path, data, content_type="application/json", headers=self.headers(user, **headers)
        )
