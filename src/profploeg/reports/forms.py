import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profploeg.applications.models import Application
from profploeg.municipalities.models import Province
from profploeg.programmes.models import Theme
from profploeg.trajectories.models import Expert


class ExpertField(forms.ModelChoiceField):
    """An expert, by number or, typed, by name (upper or lower case): a consortium too long for
    a list is filtered by typing (see `AsOfForm`)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            matches = list(self.queryset.filter(name__iexact=str(value).strip())[:2])
            if len(matches) == 1:
                return matches[0]
            raise


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
    expert = ExpertField(
        label=_("Expert"),
        queryset=Expert.objects.select_related("organisation"),
        required=False,
        empty_label=_("All experts"),
    )
    # Above this many experts in the programme the filter is typed rather than a list, which
    # would weigh more than the rest of the page.
    EXPERTS_IN_A_LIST = 100

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programme is not None:
            # The programme's own consortium: the experts assigned in it.
            field = self.fields["expert"]
            field.queryset = field.queryset.filter(
                assignments__trajectory__application__round__programme=programme
            ).distinct()
            if field.queryset.count() > self.EXPERTS_IN_A_LIST:
                field.widget = forms.TextInput(attrs={"autocomplete": "off"})
                field.help_text = _("Type the expert's full name.")

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
