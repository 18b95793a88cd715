import datetime
from decimal import Decimal

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import translation

from profploeg.lib import formats

FEB_7 = datetime.date(2022, 2, 7)


class BelgianDutchTests(SimpleTestCase):
    def setUp(self):
        translation.activate("nl-be")
        self.addCleanup(translation.deactivate)

    def test_text_dates_are_long_and_table_dates_are_day_first(self):
        self.assertEqual(formats.day(FEB_7), "7 februari 2022")
        self.assertEqual(formats.short_day(FEB_7), "07/02/2022")
        self.assertEqual(formats.month(FEB_7), "02/2022")

    def test_an_aware_moment_is_shown_in_belgian_time(self):
        moment = datetime.datetime(2022, 2, 6, 23, 30, tzinfo=datetime.UTC)
        self.assertEqual(formats.day(moment), "7 februari 2022")
        self.assertEqual(formats.moment(moment), "7 februari 2022 00:30")

    def test_numbers_have_a_decimal_comma_and_grouped_thousands(self):
        self.assertEqual(formats.number(Decimal("1500000")), "1.500.000")
        self.assertEqual(formats.number(Decimal("2.50")), "2,5")
        self.assertEqual(formats.number(Decimal("2.5"), 2), "2,50")

    def test_person_days_show_no_needless_decimals(self):
        self.assertEqual(formats.days(Decimal("2.50")), "2,5")
        self.assertEqual(formats.days(Decimal("0.5")), "0,5")
        self.assertEqual(formats.days(Decimal("1.00")), "1")

    def test_a_change_always_shows_its_sign(self):
        self.assertEqual(formats.signed(Decimal("-2.8")), "-2,8")
        self.assertEqual(formats.signed(Decimal("2.8")), "+2,8")

    def test_money_has_the_euro_sign_before_a_grouped_amount(self):
        self.assertEqual(formats.money(Decimal("1500000")), "€ 1.500.000,00")
        self.assertEqual(formats.money(1500000, 0), "€ 1.500.000")
        self.assertEqual(formats.money(Decimal("-12.5")), "-€ 12,50")

    def test_chart_amounts_are_short(self):
        self.assertEqual(formats.money_short(250000), "€ 250.000")
        self.assertEqual(formats.money_short(Decimal("1500000")), "€ 1,5 mln")


class EnglishTests(SimpleTestCase):
    def test_english_keeps_its_number_notation_and_the_day_before_the_month(self):
        with translation.override("en"):
            self.assertEqual(formats.day(FEB_7), "7 February 2022")
            self.assertEqual(formats.short_day(FEB_7), "07/02/2022")
            self.assertEqual(formats.money(Decimal("1500000")), "€ 1,500,000.00")
            self.assertEqual(formats.days(Decimal("2.5")), "2.5")


class FilterTests(SimpleTestCase):
    def test_templates_format_changes_money_and_days_in_the_active_language(self):
        template = Template(
            "{{ change|signed }} {{ amount|money }} {{ total|days }} {{ none|signed }}"
        )
        context = Context(
            {"change": Decimal("-2.8"), "amount": Decimal("1500"), "total": Decimal("2.50")}
        )
        with translation.override("nl-be"):
            self.assertEqual(template.render(context), "-2,8 € 1.500,00 2,5 ")
        with translation.override("en"):
            self.assertEqual(template.render(context), "-2.8 € 1,500.00 2.5 ")

    def test_a_value_that_is_not_a_number_is_shown_as_it_is(self):
        self.assertEqual(Template("{{ text|days }}").render(Context({"text": "n.v.t."})), "n.v.t.")
