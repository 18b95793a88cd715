import datetime
import threading
from decimal import Decimal
from unittest import skipUnless

from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.test import TransactionTestCase

from profploeg.accounts.models import User
from profploeg.applications.models import Application
from profploeg.lib.dates import at_brussels
from profploeg.programmes.models import Programme, Round
from profploeg.test import municipality
from profploeg.trajectories import services
from profploeg.trajectories.models import (
    Assignment,
    DayRate,
    Expert,
    Organisation,
    PersonDayEntry,
    Trajectory,
)

DAY = datetime.date(2022, 2, 1)


@skipUnless(connection.vendor == "postgresql", "needs real concurrent transactions")
class OneDayPerDateUnderConcurrencyTests(TransactionTestCase):
    """Two registrations for the same expert and date, in two transactions at once."""

    # The municipalities come from a data migration: put them back after the flush.
    serialized_rollback = True

    def setUp(self):
        self.user = User.objects.create_user("eva", role=User.Role.EXPERT)
        self.staff = User.objects.create_user("sam", role=User.Role.STAFF)
        self.expert = Expert.objects.create(
            name="Eva", organisation=Organisation.objects.create(name="Org"), user=self.user
        )
        DayRate.objects.create(
            expert=self.expert, valid_from=datetime.date(2021, 1, 1), rate_eur=Decimal("800")
        )
        programme = Programme.objects.create(
            title="P", published_on=DAY, capacity=2, budget_eur=Decimal("100000")
        )
        round_ = Round.objects.create(
            programme=programme,
            number=1,
            opens_on=datetime.date(2021, 6, 1),
            deadline=datetime.date(2021, 8, 1),
        )
        self.trajectories = []
        for name in ("Lier", "Brugge"):
            application = Application.objects.create(
                round=round_,
                municipality=municipality(name),
                submitted_at=at_brussels(datetime.date(2021, 7, 1)),
                contact_name="C",
                contact_email="c@example.be",
                question="Q",
                status=Application.Status.ACCEPTED,
            )
            trajectory = Trajectory.objects.create(
                application=application,
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

    def race(self, *actions):
        """Run the actions in threads released together; return what each raised or returned."""
        barrier = threading.Barrier(len(actions))
        results = [None] * len(actions)

        def run(index, action):
            try:
                barrier.wait()
                results[index] = action()
            except Exception as error:
                results[index] = error
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        return results

    def register(self, trajectory, day=DAY):
        return lambda: services.register_person_days(
            by=self.user,
            expert=self.expert,
            trajectory=trajectory,
            day=day,
            days=Decimal("1.0"),
            activity="analysis",
        )

    def test_two_registrations_at_once_cannot_exceed_one_day(self):
        # Several rounds: a single race could pass by luck of timing without the lock.
        for offset in range(5):
            day = DAY + datetime.timedelta(days=offset)
            results = self.race(
                self.register(self.trajectories[0], day), self.register(self.trajectories[1], day)
            )
            errors = [r for r in results if isinstance(r, ValidationError)]
            self.assertEqual(len(errors), 1, results)
            self.assertEqual(
                PersonDayEntry.objects.filter(expert=self.expert, date=day).count(), 1, results
            )

    def test_an_import_racing_a_manual_entry_cannot_exceed_one_day(self):
        row = services.ImportRow(
            number=2,
            day=DAY,
            trajectory=self.trajectories[1],
            days=Decimal("1.0"),
            activity="workshop",
            note="",
            problems=(),
        )

        def import_():
            return services.import_person_days(by=self.user, expert=self.expert, rows=[row])

        results = self.race(self.register(self.trajectories[0]), import_)
        errors = [r for r in results if isinstance(r, ValidationError)]
        self.assertEqual(len(errors), 1, results)
        self.assertEqual(
            PersonDayEntry.objects.filter(expert=self.expert, date=DAY).count(), 1, results
        )
