"""Applications name the municipality as it was on the day of receipt."""

import datetime

from django.core.exceptions import ValidationError

from profploeg.municipalities.models import Municipality
from profploeg.test import BaseTestCase


class MergedMunicipalityTests(BaseTestCase):
    def test_a_municipality_formed_in_2025_cannot_apply_in_2021_and_is_told_whom_to_apply_as(self):
        new_hasselt = Municipality.objects.get(refnis="71072")
        with self.assertRaises(ValidationError) as refused:
            self.submit(municipality=new_hasselt, day=datetime.date(2021, 8, 2))
        message = " ".join(refused.exception.messages)
        self.assertIn("Kortessem", message)
        self.assertIn("2025", message)
        self.assertNotIn("2021-08-02", message)

    def test_a_municipality_that_merged_cannot_apply_after_the_merger(self):
        kortessem = Municipality.objects.get(name="Kortessem")
        self.programme.rounds.filter(number=2).update(deadline=datetime.date(2025, 12, 31))
        with self.assertRaises(ValidationError) as refused:
            self.submit(municipality=kortessem, day=datetime.date(2025, 2, 3))
        self.assertIn("Hasselt", " ".join(refused.exception.messages))
