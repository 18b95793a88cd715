from django import forms
from django.test import SimpleTestCase

from profploeg.lib.forms import PlainSelect

CHOICES = [("", "All"), ("a&b", "Tom & Jerry"), ("c", '<b>"C"</b>')]


class FilterForm(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False, widget=PlainSelect)
    django = forms.ChoiceField(choices=CHOICES, required=False)
    grouped_plain = forms.ChoiceField(
        choices=[("Letters", [("x", "X"), ("y", "Y")]), ("z", "Z")], widget=PlainSelect
    )
    grouped_django = forms.ChoiceField(choices=[("Letters", [("x", "X"), ("y", "Y")]), ("z", "Z")])


class PlainSelectTests(SimpleTestCase):
    def test_plain_select_writes_the_same_markup_as_djangos_select(self):
        form = FilterForm(
            {"plain": "a&b", "django": "a&b", "grouped_plain": "y", "grouped_django": "y"}
        )
        form.is_valid()

        for plain, django in (("plain", "django"), ("grouped_plain", "grouped_django")):
            with self.subTest(plain):
                expected = str(form[django]).replace(f"id_{django}", "ID").replace(django, "NAME")
                written = str(form[plain]).replace(f"id_{plain}", "ID").replace(plain, "NAME")
                self.assertHTMLEqual(written, expected)

    def test_plain_select_escapes_labels_and_values(self):
        html = str(FilterForm()["plain"])

        self.assertIn("Tom &amp; Jerry", html)
        self.assertIn("&lt;b&gt;&quot;C&quot;&lt;/b&gt;", html)
        self.assertNotIn("<b>", html)
