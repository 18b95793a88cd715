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


class ActiveSelect(forms.NullBooleanSelect):
    """All, yes or no, written as the API's `active` parameter: empty, `true` or `false`."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("yes")), ("false", _("no"))]

    def format_value(self, value):
        return {True: "true", False: "false", "true": "true", "false": "false"}.get(value, "")


class UserFilterForm(forms.Form):
    """The users list's filters: the API's parameters (?role=, ?active=true|false, ?q=),
    applied through the same `UserQuerySet.filtered`."""

    role = forms.ChoiceField(label=_("Role"), required=False, choices=[])
    active = forms.NullBooleanField(label=_("Active"), required=False, widget=ActiveSelect)
    q = forms.CharField(
        label=_("Name or email"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the invitation form on the same page has a role field too.
        from .models import User

        super().__init__(*args, auto_id="filter_%s", **kwargs)
        self.fields["role"].choices = [("", _("All"))] + User.Role.choices

    @property
    def active_filters(self) -> bool:
        return any(value not in (None, "") for value in self.filters().values())

    def filters(self) -> dict:
        """The valid filters asked for, as keyword arguments of `filtered`."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields}
