"""Forms of the accounts app. Validation only: the writes are in actions.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.accounts.constants import KeyScope, Role


class UserForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles in this organisation"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role, or deactivate the user.")},
    )


class KeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system uses this key, for example “Records system export”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=KeyScope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scope.")},
    )


class OrganisationSwitchForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
