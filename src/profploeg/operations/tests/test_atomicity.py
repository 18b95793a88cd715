"""A database connection lost in the middle of a request leaves nothing half-written: each
service runs in one transaction, so the writes before the failure are rolled back with it."""

import datetime
from decimal import Decimal

import time_machine
from django.db import OperationalError, connection
from django.test import Client

from profploeg.api import services as api_services
from profploeg.applications.models import Application, Message, Transition
from profploeg.lib.dates import at_brussels
from profploeg.trajectories.models import PersonDayEntry
from profploeg.trajectories.tests.base import TrajectoryTestCase


class ConnectionLostAt:
    """Fail the first statement that writes to `table`, as a dropped connection would."""

    def __init__(self, table: str):
        self.table = table
        self.writes_before = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            if f'"{self.table}"' in sql:
                raise OperationalError("server closed the connection unexpectedly")
            self.writes_before += 1
        return execute(sql, params, many, context)


class HalfWrittenTests(TrajectoryTestCase):
    def setUp(self):
        super().setUp()
        traveller = time_machine.travel(at_brussels(datetime.date(2021, 8, 2)), tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        _token, self.token = api_services.create_token(user=self.staff, name="t")
        self.api = Client(raise_request_exception=False)

    def post(self, path: str, body: dict, fail_at: str):
        lost = ConnectionLostAt(fail_at)
        with connection.execute_wrapper(lost):
            response = self.api.post(
                path,
                body,
                content_type="application/json",
                headers={"Authorization": f"Bearer {self.token}"},
            )
        return response, lost

    def test_an_application_is_not_kept_without_its_first_transition(self):
        response, lost = self.post(
            "/api/applications",
            {
                "programme": self.programme.pk,
                "municipality": "44021",
                "contact_name": "C",
                "contact_email": "c@gent.be",
                "question": "Vraag",
            },
            fail_at="applications_transition",
        )
        self.assertEqual(response.status_code, 500)
        # The application row was written before the connection went.
        self.assertGreater(lost.writes_before, 0)
        self.assertFalse(Application.objects.filter(municipality__refnis="44021").exists())
        self.assertFalse(Message.objects.exists())

    def test_a_decision_is_not_kept_without_its_transition(self):
        application = self.submit()
        response, lost = self.post(
            f"/api/applications/{application.pk}/decision",
            {"to_status": "admissible", "expected_version": 1},
            fail_at="applications_transition",
        )
        self.assertEqual(response.status_code, 500)
        self.assertGreater(lost.writes_before, 0)
        application.refresh_from_db()
        self.assertEqual((application.status, application.version), ("submitted", 1))
        self.assertEqual(Transition.objects.filter(application=application).count(), 1)

    def test_person_days_are_not_kept_when_the_audit_entry_cannot_be_written(self):
        traveller = time_machine.travel(at_brussels(datetime.date(2022, 3, 1)), tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        trajectory = self.trajectory()
        entries = PersonDayEntry.objects.count()
        response, lost = self.post(
            "/api/person-days",
            {
                "expert": self.eva.pk,
                "trajectory": trajectory.pk,
                "date": "2022-02-01",
                "days": str(Decimal("1.0")),
                "activity": "analysis",
            },
            fail_at="auditlog_logentry",
        )
        self.assertEqual(response.status_code, 500, response.content[:300])
        self.assertGreater(lost.writes_before, 0)
        self.assertEqual(PersonDayEntry.objects.count(), entries)
