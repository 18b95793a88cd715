from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where the token is used, for example “e-loket” or “dashboard”."),
    )


class ImportForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None)
    file = forms.FileField(
        label=_("E-loket export"),
        help_text=_("A .csv or .xlsx file, one application per row (columns: see the README)."),
    )

    def __init__(self, *args, **kwargs):
        from profploeg.programmes.models import Programme

        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.order_by("-published_on", "-pk")
