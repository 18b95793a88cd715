import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profploeg.lib.dates import BRUSSELS
from profploeg.lib.forms import PlainSelect
from profploeg.municipalities.models import Municipality, Province, municipality_matching
from profploeg.programmes.models import Theme

from .models import Application, Referral, Transition
from .services import check_pdf


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when it names one we show."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePdfField(forms.FileField):
    """Several PDF files in one input; each one is checked by its content, not its name."""

    widget = MultipleFileInput(attrs={"accept": "application/pdf,.pdf"})

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        errors = []
        for upload in files:
            try:
                check_pdf(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class ApplicationForm(forms.Form):
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact email"))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=50, required=False)
    question = forms.CharField(
        label=_("Your question or need"),
        widget=forms.Textarea,
        help_text=_("What should the town centre gain from the guidance? What have you tried?"),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
        required=False,
    )
    attachments = MultiplePdfField(
        label=_("Attachments (PDF)"),
        required=False,
        help_text=_("You can select several PDF files at once."),
    )


class MomentWidget(forms.MultiWidget):
    def __init__(self, attrs=None):
        super().__init__(
            [
                # Two inputs behind one label: each names its own part for screen readers.
                forms.DateInput(attrs={"type": "date", "aria-label": _("Date")}, format="%Y-%m-%d"),
                forms.TimeInput(
                    attrs={"type": "time", "aria-label": _("Time (optional)")},
                    format="%H:%M",
                ),
            ],
            attrs,
        )

    def decompress(self, value):
        if value is None:
            return [None, None]
        local = timezone.localtime(value)
        return [local.date(), local.time().replace(second=0, microsecond=0)]


class MomentField(forms.MultiValueField):
    """When something took effect, as a Belgian date and an optional time.

    Both empty: now. A date without a time: now for today, noon for an earlier day."""

    widget = MomentWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("Leave empty for now. Without a time, an earlier day counts at noon.")
        )
        super().__init__(
            fields=[forms.DateField(required=False), forms.TimeField(required=False)],
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list):
        day, time = (list(data_list) + [None, None])[:2]
        if day is None:
            if time is not None:
                raise ValidationError(_("Give the date as well as the time."), code="incomplete")
            return None
        if time is None:
            if day == timezone.localdate():
                return None
            time = datetime.time(12, 0)
        return datetime.datetime.combine(day, time, tzinfo=BRUSSELS)


class DecisionForm(forms.Form):
    """One staff decision: the target status travels with the version the page was built on."""

    to_status = forms.ChoiceField(choices=Application.Status.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    at = MomentField(label=_("Decided on"))
    confirm_over_capacity = forms.BooleanField(
        label=_("I confirm accepting over capacity (give the reason above)"), required=False
    )

    def __init__(self, *args, reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        if reason_required:
            self.fields["reason"].help_text = _("Required: the municipality will read it.")


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # A withdrawal cannot be undone: one click must not do it.
    confirm = forms.BooleanField(
        label=_(
            "I confirm: withdraw this application. It cannot be undone; the municipality can "
            "apply again while the call is open."
        )
    )


class RecordWithdrawalForm(forms.Form):
    """Staff record a withdrawal the municipality sent by letter, email or phone."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(
        label=_("Came in by"), choices=[("", "---------")] + Transition.Channel.choices
    )
    at = MomentField(label=_("Received on"))
    reason = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PaperApplicationForm(ApplicationForm):
    """Staff record an application that came in on paper or by mail, on its real moment."""

    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
    )
    received_at = MomentField(label=_("Received on"))

    field_order = ["municipality", "received_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.select_related(
            "province"
        ).order_by("name", "-valid_from")
        # Before and after the 2025 mergers two municipalities may share a name.
        self.fields["municipality"].label_from_instance = lambda m: f"{m.name} ({m.refnis})"


class ReferralForm(forms.Form):
    contacted_on = forms.DateField(
        label=_("Contacted on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Referral.Outcome.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class RoundFilterForm(forms.Form):
    """Filter, search and sort a round's applications (?status=, ?province=, ?q=, ?sort=)."""

    SORTS = {
        "municipality": ("municipality__name", "pk"),
        "received": ("submitted_at", "pk"),
        "status": ("status", "municipality__name"),
        "province": ("municipality__province__name", "municipality__name"),
    }

    q = forms.CharField(
        label=_("Municipality or REFNIS"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + Application.Status.choices,
        required=False,
        widget=PlainSelect,
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),
        required=False,
        empty_label=_("All"),
        widget=PlainSelect,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=PlainSelect,
        choices=[
            ("municipality", _("Municipality, A to Z")),
            ("-municipality", _("Municipality, Z to A")),
            ("received", _("Received, oldest first")),
            ("-received", _("Received, newest first")),
            ("status", _("Status")),
            ("-status", _("Status, reversed")),
            ("province", _("Province, A to Z")),
            ("-province", _("Province, Z to A")),
        ],
    )

    @property
    def current_sort(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("sort") or "municipality"

    def filter(self, applications):
        """Apply the valid filters; an invalid one is shown as an error and ignored."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("status"):
            applications = applications.filter(status=data["status"])
        if data.get("province"):
            applications = applications.filter(municipality__province=data["province"])
        if q := (data.get("q") or "").strip():
            applications = applications.filter(municipality_matching(q, "municipality__"))
        sort = self.current_sort
        fields = self.SORTS[sort.lstrip("-")]
        # Reversing a column reverses that column only: ties stay in name order.
        if sort.startswith("-"):
            fields = (f"-{fields[0]}", *fields[1:])
        return applications.order_by(*fields)
