from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's own date picker; it sends and expects ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ServiceForm(forms.Form):
    """A form whose data goes to a service: the service's ValidationError becomes form errors."""

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's error on the field it names, or above the form if it names none
        of this form's fields (a model constraint, a rule about the whole object)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


class ProgrammeForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    published_on = forms.DateField(label=_("Publication date"), widget=DateInput)
    capacity = forms.IntegerField(
        label=_("Planned capacity"),
        min_value=0,
        help_text=_("Number of trajectories the budget is planned for."),
    )
    budget_eur = forms.DecimalField(
        label=_("Total budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )


class RoundForm(ServiceForm):
    opens_on = forms.DateField(label=_("Opening date"), widget=DateInput)
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DateInput,
        help_text=_("Applications received after this day go into the next round."),
    )

    def clean(self):
        cleaned = super().clean()
        opens_on, deadline = cleaned.get("opens_on"), cleaned.get("deadline")
        if opens_on and deadline and opens_on > deadline:
            self.add_error("deadline", _("The deadline cannot be before the opening date."))
        return cleaned


class InfoSessionForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    registrations = forms.IntegerField(label=_("Registrations"), min_value=0, initial=0)
    attendees = forms.IntegerField(label=_("Attendees"), min_value=0, initial=0)


class ThemeForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=50,
        required=False,
        help_text=_("How filters and imports name the theme; made from the name if left empty."),
    )


class ProgrammeFilterForm(forms.Form):
    """The `programme` filter of the lists that span programmes: the same parameter as the
    API's list filters, applied through the same `in_programme` QuerySet methods."""

    programme = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Programme"),
        empty_label=_("All programmes"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Imported here: forms of other apps import this module before the models are ready.
        from .models import Programme

        self.fields["programme"].queryset = Programme.objects.newest_first()

    def chosen(self):
        """The programme asked for, or None for all (also for an unknown one)."""
        return self.cleaned_data.get("programme") if self.is_valid() else None

    def apply(self, queryset):
        """The queryset kept to the programme asked for (any with an `in_programme` method)."""
        programme = self.chosen()
        return queryset if programme is None else queryset.in_programme(programme)
