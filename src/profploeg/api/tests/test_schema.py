"""schemathesis against our own OpenAPI schema, in the test suite: no 500s, every answer as
documented. A bounded number of generated requests per endpoint, valid and invalid ones, sent to
the Django WSGI application in this process (inside the test's transaction)."""

import datetime

import hypothesis
import schemathesis
import time_machine
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from profploeg.lib.dates import at_brussels
from profploeg.programmes.models import InfoSession, Theme

from .base import ApiTestCase, build_guidance

EXAMPLES_PER_ENDPOINT = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@override_settings(API_RATE_LIMIT="1000000/minute")
class SchemaTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_guidance(cls)
        cls.application = cls.submit_in_round_1(cls.lier)
        cls.info_session = InfoSession.objects.create(
            programme=cls.programme, title="Infowebinar", held_on=datetime.date(2021, 6, 25)
        )

    @classmethod
    def submit_in_round_1(cls, municipality):
        from profploeg.applications import services

        return services.submit_application(
            programme=cls.programme,
            municipality=municipality,
            submitted_by=cls.staff,
            received_at=at_brussels(datetime.date(2021, 8, 2)),
            contact_name="Contact",
            contact_email="contact@example.be",
            question="Hoe maken we onze kern bedrijviger?",
        )

    def setUp(self):
        super().setUp()
        # The WSGI handler would close the database connection around each request, and with it
        # the test's transaction; Django's own test client does the same as this.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self.addCleanup(request_started.connect, close_old_connections)
        self.addCleanup(request_finished.connect, close_old_connections)
        # Round 1 open: generated applications can be accepted as well as refused.
        traveller = time_machine.travel(at_brussels(datetime.date(2021, 8, 2)), tick=True)
        traveller.start()
        self.addCleanup(traveller.stop)

    def run_schema(self, user) -> dict[str, int]:
        app = WSGIHandler()
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
        headers = {"Authorization": f"Bearer {self.token_for(user)}", "Accept-Language": "en"}
        known = {
            "application_id": self.application.pk,
            # The programme in guidance: its status report and budget hold every figure.
            "programme_id": self.guidance_programme.pk,
            "round_id": self.round1.pk,
            "refnis": "12021",
            "expert_id": self.eva.pk,
            "intake_id": self.boom_intake.pk,
            "trajectory_id": self.lier_trajectory.pk,
            "entry_id": self.lier_entry.pk,
            "session_id": self.info_session.pk,
            "theme_id": Theme.objects.order_by("pk").first().pk,
            "organisation_id": self.eva.organisation_id,
        }
        statuses: dict[str, int] = {}
        for result in schema.get_all_operations():
            operation = result.ok()
            names = {p.name for p in operation.path_parameters}
            strategies = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
            # A public endpoint without parameters has no invalid request to generate.
            raw = operation.definition.raw
            if raw.get("parameters") or raw.get("requestBody") or raw.get("security"):
                strategies.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
            if names:
                strategies.append(
                    operation.as_strategy(
                        path_parameters={name: known[name] for name in names if name in known}
                    )
                )
            for strategy in strategies:

                @hypothesis.settings(
                    max_examples=EXAMPLES_PER_ENDPOINT,
                    deadline=None,
                    database=None,
                    derandomize=True,
                    suppress_health_check=list(hypothesis.HealthCheck),
                    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
                )
                @hypothesis.given(case=strategy)
                def check(case):
                    response = case.call(headers=headers)
                    key = f"{response.status_code}"
                    statuses[key] = statuses.get(key, 0) + 1
                    case.validate_response(response, checks=CHECKS, headers=headers)

                with self.subTest(operation=operation.label):
                    check()
        return statuses

    def test_every_endpoint_answers_staff_as_documented(self):
        statuses = self.run_schema(self.staff)
        self.assertNotIn("500", statuses)
        # The generated requests reach past validation: some succeed.
        self.assertTrue({"200", "201"} & set(statuses), statuses)

    def test_every_endpoint_answers_a_municipality_as_documented(self):
        statuses = self.run_schema(self.alice)
        self.assertNotIn("500", statuses)
