from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_(
            "The 6 digits from your authenticator app, a recovery code, or the emailed code."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class EnrolForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class InviteForm(forms.Form):
    """Who to invite; the service decides which organisation field the role needs."""

    email = forms.EmailField(label=_("Email"))
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[])
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=None,
        required=False,
        help_text=_("For a municipality user."),
    )
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=None, required=False, help_text=_("For a province user.")
    )
    expert = forms.ModelChoiceField(
        label=_("Expert profile"),
        queryset=None,
        required=False,
        help_text=_("For an expert: a registered expert without a user account."),
    )

    def __init__(self, *args, **kwargs):
        # Imported here: accounts sits below the apps that hold municipalities' and experts' data.
        from profploeg.municipalities.models import Municipality, Province
        from profploeg.trajectories.models import Expert

        from .models import User

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "—"), *User.Role.choices]
        self.fields["municipality"].queryset = Municipality.objects.current().order_by("name")
        self.fields["province"].queryset = Province.objects.order_by("name")
        self.fields["expert"].queryset = Expert.objects.filter(user__isnull=True).select_related(
            "organisation"
        )
