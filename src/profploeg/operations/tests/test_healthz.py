"""/healthz answers a monitor on the same machine, whatever host name it asks for."""

from django.test import TestCase, override_settings


@override_settings(ALLOWED_HOSTS=["profploeg.example.org"])
class HealthCheckTests(TestCase):
    def test_a_monitor_on_this_machine_gets_ok(self):
        response = self.client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok")

    def test_other_pages_still_refuse_an_unknown_host(self):
        response = self.client.get("/vitrine/", HTTP_HOST="127.0.0.1:8000")
        self.assertEqual(response.status_code, 400)
