import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profploeg.applications.models import Application
from profploeg.municipalities.models import Province
from profploeg.programmes.models import Theme
from profploeg.trajectories.models import Expert


class AsOfForm(forms.Form):
    """What the status report shows: the date, a round and the filters; a link keeps them all."""

    as_of = forms.DateField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    round = forms.IntegerField(label=_("Round"), required=False, min_value=1)
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),
        to_field_name="refnis",
        required=False,
        empty_label=_("All provinces"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Application.Status.choices],
        required=False,
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
    )
    expert = forms.ModelChoiceField(
        label=_("Expert"),
        queryset=Expert.objects.select_related("organisation"),
        required=False,
        empty_label=_("All experts"),
    )
    # The annex (overview of the municipalities) of this round, as a download.
    annex = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def as_of_date(self) -> datetime.date:
        return self.cleaned_data.get("as_of") or timezone.localdate()

    def filters(self) -> dict:
        """The keyword arguments of `status_report` for the chosen filters."""
        data = self.cleaned_data
        return {
            "province": data["province"].refnis if data.get("province") else None,
            "status": data.get("status") or None,
            "theme": data["theme"].slug if data.get("theme") else None,
            "expert": data["expert"].pk if data.get("expert") else None,
        }
