"""Two app servers (separate gunicorn processes) on one PostgreSQL database: concurrent decisions
on one application and concurrent registrations for one expert and date keep every invariant."""

import datetime
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal
from unittest import skipUnless

from django.db import connection
from django.test import TransactionTestCase

from profploeg.accounts.models import User
from profploeg.api import services as api_services
from profploeg.applications.models import Application, Transition
from profploeg.lib.dates import at_brussels
from profploeg.programmes.models import Programme, Round
from profploeg.test import municipality
from profploeg.trajectories.models import (
    Assignment,
    DayRate,
    Expert,
    Organisation,
    PersonDayEntry,
    Trajectory,
)

REQUESTS = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@skipUnless(connection.vendor == "postgresql", "needs a database that separate processes share")
class TwoServerProcessesTests(TransactionTestCase):
    # The municipalities come from a data migration: put them back after the flush.
    serialized_rollback = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DEBUG": "1",
            "OTP_REQUIRED": "0",
            "TASK_BACKEND": "immediate",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "API_RATE_LIMIT": "10000/minute",
        }
        cls.ports = [free_port(), free_port()]
        cls.servers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "profploeg.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--threads",
                    "8",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for port in cls.ports
        ]
        deadline = time.monotonic() + 60
        for port in cls.ports:
            while True:
                try:
                    if cls.request(port, "GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    cls.tearDownClass()
                    raise RuntimeError("the app servers did not start")
                time.sleep(0.2)

    @classmethod
    def tearDownClass(cls):
        for server in cls.servers:
            server.terminate()
        for server in cls.servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        super().tearDownClass()

    @staticmethod
    def request(port: int, method: str, path: str, body=None, token: str | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Content-Type": "application/json", "Accept-Language": "en"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = conn.getresponse()
        return response.status, response.read()

    def setUp(self):
        self.staff = User.objects.create_user("sam", role=User.Role.STAFF)
        self.eva = User.objects.create_user("eva", role=User.Role.EXPERT)
        _t, self.staff_token = api_services.create_token(user=self.staff, name="t")
        _t, self.eva_token = api_services.create_token(user=self.eva, name="t")
        self.expert = Expert.objects.create(
            name="Eva", organisation=Organisation.objects.create(name="Org"), user=self.eva
        )
        DayRate.objects.create(
            expert=self.expert, valid_from=datetime.date(2021, 1, 1), rate_eur=Decimal("800")
        )
        programme = Programme.objects.create(
            title="P",
            published_on=datetime.date(2021, 6, 1),
            capacity=2,
            budget_eur=Decimal("100000"),
        )
        round_ = Round.objects.create(
            programme=programme,
            number=1,
            opens_on=datetime.date(2021, 6, 1),
            deadline=datetime.date(2021, 8, 1),
        )

        def application(name: str, status: str) -> Application:
            created = Application.objects.create(
                round=round_,
                municipality=municipality(name),
                submitted_at=at_brussels(datetime.date(2021, 7, 1)),
                contact_name="C",
                contact_email="c@example.be",
                question="Q",
                status=status,
            )
            Transition.objects.create(
                application=created,
                to_status=status,
                at=created.submitted_at,
                recorded_at=created.submitted_at,
            )
            return created

        self.submitted = application("Gent", Application.Status.SUBMITTED)
        self.trajectories = []
        for name in ("Lier", "Brugge"):
            trajectory = Trajectory.objects.create(
                application=application(name, Application.Status.ACCEPTED),
                question="Q",
                status=Trajectory.Status.RUNNING,
                created_on=datetime.date(2021, 10, 1),
                planned_start=datetime.date(2022, 1, 1),
                planned_end=datetime.date(2022, 9, 1),
                started_on=datetime.date(2022, 1, 1),
            )
            Assignment.objects.create(
                trajectory=trajectory,
                expert=self.expert,
                planned_days=Decimal("10"),
                assigned_on=datetime.date(2021, 10, 1),
            )
            self.trajectories.append(trajectory)

    def fire(self, requests: list[tuple[str, dict, str]]) -> list[int]:
        """Send the requests at once, alternating between the two servers; their statuses."""
        barrier = threading.Barrier(len(requests))
        statuses = [0] * len(requests)

        def send(index: int, path: str, body: dict, token: str):
            barrier.wait()
            statuses[index] = self.request(self.ports[index % 2], "POST", path, body, token)[0]

        threads = [
            threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return statuses

    def test_one_of_many_simultaneous_decisions_wins_and_the_others_get_the_conflict(self):
        path = f"/api/applications/{self.submitted.pk}/decision"
        statuses = self.fire(
            [
                (
                    path,
                    {"to_status": status, "expected_version": 1, "reason": "R"},
                    self.staff_token,
                )
                for status in ["admissible", "inadmissible"] * (REQUESTS // 2)
            ]
        )
        self.assertEqual(sorted(statuses), [200] + [409] * (REQUESTS - 1))
        self.submitted.refresh_from_db()
        self.assertEqual(self.submitted.version, 2)
        decisions = Transition.objects.filter(application=self.submitted).exclude(
            to_status="submitted"
        )
        self.assertEqual(decisions.count(), 1)
        self.assertEqual(decisions.get().to_status, self.submitted.status)

    def test_simultaneous_registrations_never_give_an_expert_more_than_a_day_per_date(self):
        day = "2022-02-01"
        statuses = self.fire(
            [
                (
                    "/api/person-days",
                    {
                        "trajectory": self.trajectories[i % 2].pk,
                        "date": day,
                        "days": "1.0" if i % 4 == 0 else "0.5",
                        "activity": "analysis",
                    },
                    self.eva_token,
                )
                for i in range(REQUESTS)
            ]
        )
        registered = sum(
            PersonDayEntry.objects.filter(expert=self.expert, date=day).values_list(
                "days", flat=True
            ),
            Decimal(0),
        )
        self.assertLessEqual(registered, Decimal("1.0"))
        self.assertGreater(registered, 0)
        accepted = statuses.count(201)
        self.assertGreaterEqual(accepted, 1)
        self.assertEqual(
            accepted, PersonDayEntry.objects.filter(expert=self.expert, date=day).count()
        )
        self.assertTrue(all(status in (201, 400, 409, 422) for status in statuses), statuses)
