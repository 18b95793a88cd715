from django import forms
from django.utils.translation import gettext_lazy as _

from profploeg.municipalities.models import Province
from profploeg.programmes.models import Theme

from .models import Case, SizeClass


class CaseFilterForm(forms.Form):
    """Search and filters of the public case list; every field is optional."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. leegstand, markt")}),
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    size = forms.ChoiceField(
        label=_("Size of the municipality"),
        required=False,
        choices=[("", _("All sizes"))] + SizeClass.choices,
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("All themes"))] + [
            (t.slug, t.name) for t in Theme.objects.filter(cases__status="published").distinct()
        ]
        self.fields["province"].choices = [("", _("All provinces"))] + [
            (p.refnis, p.name) for p in Province.objects.all()
        ]
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]

    def apply(self, cases):
        """The cases that match the valid filters (an invalid filter is ignored)."""
        if not self.is_valid():
            return cases
        data = self.cleaned_data
        if data["q"]:
            cases = cases.search(data["q"])
        if data["theme"]:
            cases = cases.filter(themes__slug=data["theme"])
        if data["province"]:
            cases = cases.filter(
                trajectory__application__municipality__province__refnis=data["province"]
            )
        if data["year"]:
            cases = cases.filter(trajectory__ended_on__year=data["year"])
        if data["size"]:
            cases = cases.filter(size_class=data["size"])
        return cases

    def active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


class NewCaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences; search results show them."),
    )
    size_class = forms.ChoiceField(
        label=_("Size of the municipality"),
        choices=SizeClass.choices,
        help_text=_("Population is not in our data: choose the class that fits."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


PUBLIC_HELP = _("Public text: name no person (no contact persons, no experts).")


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = [
            "title",
            "summary",
            "question",
            "approach",
            "measures",
            "results",
            "size_class",
            "themes",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "question": forms.Textarea(attrs={"rows": 4}),
            "approach": forms.Textarea(attrs={"rows": 6}),
            "measures": forms.Textarea(attrs={"rows": 6}),
            "results": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "approach": PUBLIC_HELP,
            "measures": _("One measure per line."),
            "results": PUBLIC_HELP,
        }


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, at most 8 MB. Location and camera data are removed."),
    )
    alt_text = forms.CharField(
        label=_("Text alternative"),
        max_length=250,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=250, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
