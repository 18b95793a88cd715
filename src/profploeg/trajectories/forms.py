from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profploeg.accounts.models import User
from profploeg.programmes.forms import ProgrammeFilterForm

from .models import (
    Expert,
    ExpertiseArea,
    IntakeForm,
    Organisation,
    PersonDayEntry,
    Trajectory,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DAY_CHOICES = [("0.5", _("Half day (0.5)")), ("1.0", _("Whole day (1)"))]


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    organisation = forms.CharField(
        label=_("Organisation"), max_length=200, help_text=_("The consortium partner.")
    )
    expertise_areas = forms.ModelMultipleChoiceField(
        label=_("Expertise areas"),
        queryset=ExpertiseArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    user = forms.ModelChoiceField(
        label=_("User account"),
        queryset=User.objects.filter(role=User.Role.EXPERT, expert_profile__isnull=True),
        required=False,
        help_text=_("Lets the expert log in and register their own person-days."),
    )
    # Optional: an expert may join before their rate is agreed (the service wants both or none).
    day_rate_eur = forms.DecimalField(
        label=_("Day rate (EUR)"), max_digits=12, decimal_places=2, required=False
    )
    rate_valid_from = forms.DateField(label=_("Rate valid from"), widget=DATE, required=False)


class DayRateForm(forms.Form):
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    rate_eur = forms.DecimalField(label=_("Day rate (EUR)"), max_digits=12, decimal_places=2)


class OfferForm(forms.Form):
    total_eur = forms.DecimalField(label=_("Total amount (EUR)"), max_digits=12, decimal_places=2)
    capacity = forms.IntegerField(label=_("Capacity (trajectories)"), min_value=0)
    average_person_days = forms.DecimalField(
        label=_("Average person-days per trajectory"), max_digits=6, decimal_places=1
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE, required=False)


class AmendmentForm(forms.Form):
    effective_on = forms.DateField(label=_("Effective from"), widget=DATE)
    total_eur = forms.DecimalField(
        label=_("New total amount (EUR)"), max_digits=12, decimal_places=2
    )
    capacity = forms.IntegerField(label=_("New capacity (trajectories)"), min_value=0)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class IntakePlanForm(forms.Form):
    planned_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=90)
    location = forms.CharField(label=_("Place"), max_length=300, required=False)
    video_url = forms.URLField(label=_("Video link"), required=False)
    participants = forms.CharField(
        label=_("Participants"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    experts = forms.ModelMultipleChoiceField(
        label=_("Experts"),
        queryset=Expert.objects.filter(is_active=True).select_related("organisation"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CancelIntakeForm(ReasonForm):
    # Cancelling tells everyone invited at once: one click must not do it.
    confirm = forms.BooleanField(
        label=_(
            "I confirm: cancel this intake. Everyone invited gets the cancellation with this "
            "reason; a new intake must be planned afterwards."
        )
    )


class IntakeOutcomeForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    agreed_question = forms.CharField(
        label=_("Agreed question"), widget=forms.Textarea(attrs={"rows": 4})
    )
    planned_start = forms.DateField(label=_("Planned start"), widget=DATE)
    planned_end = forms.DateField(
        label=_("Planned end"), widget=DATE, help_text=_("Typically 6 to 9 months after the start.")
    )


class AssignmentForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=_("Expert"), queryset=Expert.objects.filter(is_active=True), required=False
    )
    planned_days = forms.DecimalField(
        label=_("Planned person-days"), max_digits=6, decimal_places=1, required=False
    )


AssignmentFormSet = forms.formset_factory(AssignmentForm, extra=4)


class PlanForm(AssignmentForm):
    on = forms.DateField(
        label=_("Effective from"),
        widget=DATE,
        required=False,
        help_text=_("Today unless given; figures of earlier dates keep the plan of then."),
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class ExpectedEndForm(forms.Form):
    expected_end = forms.DateField(label=_("Expected end"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(
        label=_("Effective from"),
        widget=DATE,
        required=False,
        help_text=_("Today unless given."),
    )


class IntakeFormForm(forms.ModelForm):
    class Meta:
        model = IntakeForm
        fields = [
            f"{name}_{part}"
            for name, _dutch, _label in IntakeForm.FIVE_BS
            for part in ("score", "comment")
        ]
        widgets = {
            f"{name}_{part}": (
                # A blank first choice: a score left unchosen is an error, never a silent 1.
                forms.Select(choices=[("", "—")] + [(i, i) for i in range(1, 6)])
                if part == "score"
                else forms.Textarea(attrs={"rows": 2})
            )
            for name, _dutch, _label in IntakeForm.FIVE_BS
            for part in ("score", "comment")
        }


class StepForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    measures = forms.CharField(
        label=_("Recommended measures"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    reason = forms.CharField(
        label=_("Reason for stopping"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Stopping ends a trajectory for good: it asks for a ticked confirmation.
    confirm = forms.BooleanField(required=False)


class PersonDayForm(forms.Form):
    trajectory = forms.ModelChoiceField(label=_("Trajectory"), queryset=Trajectory.objects.none())
    day = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    days = forms.TypedChoiceField(
        label=_("Person-days"), choices=DAY_CHOICES, coerce=Decimal, initial="1.0"
    )
    activity = forms.ChoiceField(label=_("Activity"), choices=PersonDayEntry.Activity.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, expert: Expert, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trajectory"].queryset = (
            Trajectory.objects.filter(assignments__expert=expert, status=Trajectory.Status.RUNNING)
            .select_related("application__municipality", "application__round")
            .order_by("application__municipality__name")
        )


class ExpertChoiceForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=_("Expert"), queryset=Expert.objects.select_related("organisation")
    )


class TrajectoryFilterForm(ProgrammeFilterForm):
    """The trajectory list's filters: the API's parameters (?programme=, ?status=,
    ?municipality=, ?expert=), applied through the same `TrajectoryQuerySet.filtered`. An
    invalid value is shown as an error and left out; the others still apply."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + Trajectory.Status.choices, required=False
    )
    municipality = forms.CharField(
        label=_("Municipality or REFNIS"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    expert = forms.ModelChoiceField(
        label=_("Expert"),
        queryset=Expert.objects.select_related("organisation"),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, team: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # Who works on which trajectory is the team's business.
        if not team:
            del self.fields["expert"]

    def chosen(self):
        self.is_valid()
        return self.cleaned_data.get("programme")

    @property
    def active(self) -> bool:
        return any(self.filters().values())

    def filters(self) -> dict:
        """The valid filters asked for, as keyword arguments of `filtered`."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        help_text=_(
            "First row: date, municipality (or trajectory), days, activity, note. "
            "Dutch column names work too (datum, gemeente, dagen, activiteit, opmerking)."
        ),
    )


class CorrectionForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE)
    days = forms.TypedChoiceField(label=_("Person-days"), choices=DAY_CHOICES, coerce=Decimal)
    activity = forms.ChoiceField(label=_("Activity"), choices=PersonDayEntry.Activity.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    remove = forms.BooleanField(label=_("Remove this entry"), required=False)
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2})
    )


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=DATE, required=False)


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    is_lead_partner = forms.BooleanField(
        label=_("Lead partner"),
        required=False,
        help_text=_("The one partner that coordinates the consortium."),
    )


class ExpertiseAreaForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=50,
        required=False,
        help_text=_("How filters name it; made from the name if left empty."),
    )


class ExpertEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    expertise_areas = forms.ModelMultipleChoiceField(
        label=_("Expertise areas"),
        queryset=ExpertiseArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    user = forms.ModelChoiceField(
        label=_("User account"),
        queryset=User.objects.filter(role=User.Role.EXPERT),
        required=False,
        help_text=_("Lets the expert log in and register their own person-days."),
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive expert keeps their days but gets no new assignments."),
    )


class HeldIntakeForm(IntakeOutcomeForm):
    """An intake held before it was recorded here: its day, place and outcome."""

    location = forms.CharField(label=_("Place"), max_length=300, required=False)
    participants = forms.CharField(
        label=_("Participants"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
