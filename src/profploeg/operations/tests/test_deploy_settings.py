"""Production settings come from the environment; checked in a fresh process, as a server starts."""

import json
import os
import secrets
import subprocess
import sys
import tempfile

from django.test import SimpleTestCase

SETTINGS_SHOWN = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_AGE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
]


def production_env(**overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        DJANGO_SETTINGS_MODULE="profploeg.settings",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def profploeg(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "profploeg", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


class ProductionSettingsTests(SimpleTestCase):
    def test_check_deploy_reports_nothing_with_production_environment(self):
        result = profploeg("check", "--deploy", "--fail-level", "DEBUG", env=production_env())
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertIn("System check identified no issues (0 silenced).", result.stdout)

    def test_production_settings_are_strict(self):
        code = (
            "import json; from django.conf import settings; "
            f"print(json.dumps({{k: getattr(settings, k) for k in {SETTINGS_SHOWN!r}}}))"
        )
        result = profploeg("shell", "-c", code, env=production_env())
        self.assertEqual(result.returncode, 0, result.stderr)
        shown = json.loads(result.stdout.strip().splitlines()[-1])
        self.assertEqual(
            shown,
            {
                "DEBUG": False,
                "SESSION_COOKIE_SECURE": True,
                "SESSION_COOKIE_HTTPONLY": True,
                "SESSION_COOKIE_AGE": 8 * 60 * 60,
                "CSRF_COOKIE_SECURE": True,
                "SECURE_SSL_REDIRECT": True,
                "SECURE_HSTS_SECONDS": 31536000,
                "SECURE_CONTENT_TYPE_NOSNIFF": True,
                "SECURE_REFERRER_POLICY": "same-origin",
                "X_FRAME_OPTIONS": "DENY",
            },
        )

    def test_production_refuses_to_start_without_a_secret_key(self):
        result = profploeg("check", env=production_env(SECRET_KEY=None))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Set SECRET_KEY in the environment", result.stderr)

    def test_debug_refuses_to_serve_a_public_host(self):
        result = profploeg("check", env=production_env(DEBUG="1"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DEBUG is on", result.stderr)

    def test_production_refuses_a_short_or_example_secret_key(self):
        for key in ("x", "change-me-to-50-or-more-random-characters", "a" * 60):
            with self.subTest(key=key):
                result = profploeg("check", env=production_env(SECRET_KEY=key))
                self.assertNotEqual(result.returncode, 0)
                self.assertIn("SECRET_KEY", result.stderr)

    def test_the_secret_key_may_come_from_a_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".key") as secret:
            secret.write(secrets.token_urlsafe(64) + "\n")
            secret.flush()
            env = production_env(SECRET_KEY=None, SECRET_KEY_FILE=secret.name)
            result = profploeg("check", "--deploy", "--fail-level", "DEBUG", env=env)
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)

    def test_a_malformed_yes_no_value_stops_the_start(self):
        result = profploeg("check", env=production_env(SECURE_SSL_REDIRECT="ja"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECURE_SSL_REDIRECT='ja' is not a yes/no value", result.stderr)

    def test_a_malformed_number_stops_the_start(self):
        result = profploeg("check", env=production_env(SESSION_COOKIE_AGE="8h"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SESSION_COOKIE_AGE='8h' is not a whole number", result.stderr)

    def test_a_hanging_mail_server_times_out(self):
        code = "from django.conf import settings; print(settings.EMAIL_TIMEOUT)"
        result = profploeg("shell", "-c", code, env=production_env())
        self.assertEqual(result.stdout.strip().splitlines()[-1], "30")

    def test_the_cache_comes_from_cache_url(self):
        code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
        result = profploeg(
            "shell", "-c", code, env=production_env(CACHE_URL="redis://127.0.0.1:6379/0")
        )
        self.assertEqual(
            result.stdout.strip().splitlines()[-1], "django.core.cache.backends.redis.RedisCache"
        )
        result = profploeg("check", env=production_env(CACHE_URL="memcached://x"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("CACHE_URL", result.stderr)

    def test_the_demo_is_refused_in_production_unless_forced(self):
        result = profploeg("demo", env=production_env())
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("published password", result.stderr)
