"""django-allauth adapter: no self sign-up, and our database lockout around authentication."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.accounts import lockout

LOCKED_MESSAGE = _(
    "Too many failed sign-in attempts for this account. Try again in 30 minutes, "
    "or ask your organisation's administrator."
)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Staff accounts are created by their organisation's administrator.
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        login = credentials.get("email") or credentials.get("username") or ""
        if lockout.is_locked(login):
            lockout.spend_hash_time(credentials.get("password", ""))
            raise forms.ValidationError(LOCKED_MESSAGE)

    def authenticate(self, request, **credentials):
        login = credentials.get("email") or credentials.get("username") or ""
        user = super().authenticate(request, **credentials)
        if user is None:
            lockout.record_failure(login)
        else:
            lockout.clear(login)
        return user
