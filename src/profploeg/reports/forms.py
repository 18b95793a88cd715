import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    round = forms.IntegerField(label=_("Round"), required=False, min_value=1)
    # The annex (overview of the municipalities) of this round, as a download.
    annex = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def as_of_date(self) -> datetime.date:
        return self.cleaned_data.get("as_of") or timezone.localdate()
