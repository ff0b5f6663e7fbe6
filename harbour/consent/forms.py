"""Forms of the consent ledger. Validation only; the writes (and the consent check) are
in actions.py. Times are typed in the organisation's local time."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harbour.accounts.models import Organisation
from harbour.consent.constants import LegalBasis, Method, Purpose, RecipientClass
from harbour.people.forms import DateInput


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _local(value: datetime, tz: ZoneInfo) -> datetime:
    """A typed date and time, read in the organisation's zone (not the server's)."""
    return timezone.make_aware(value.replace(tzinfo=None), tz)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", "—"), *Purpose.choices])
    recipient_organisation = OrganisationChoiceField(
        label=_("Recipient organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("One organisation, or leave empty and choose a class of recipient."),
    )
    recipient_class = forms.ChoiceField(
        label=_("Class of recipient"),
        choices=[("", "—"), *RecipientClass.choices],
        required=False,
    )
    method = forms.ChoiceField(
        label=_("How it was given"), choices=Method.choices, widget=forms.RadioSelect
    )
    witness_name = forms.CharField(
        label=_("Witness"),
        max_length=200,
        required=False,
        help_text=_("Required for verbal consent: who heard it."),
    )
    given_at = forms.DateTimeField(
        label=_("Given"),
        widget=DateTimeInput(),
        error_messages={"invalid": _("Enter when the consent was given as a date and time.")},
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=DateInput(),
        help_text=_("The consent lapses at the end of this day."),
        error_messages={
            "required": _("Enter the date the consent expires: every consent has one."),
            "invalid": _("Enter the expiry date as year-month-day."),
        },
    )
    text_version = forms.CharField(
        label=_("Version of the consent text"),
        max_length=50,
        help_text=_("As printed on the form the person signed or heard, e.g. VSU-C1 2026-01."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        field = self.fields["recipient_organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.exclude(pk=organisation.pk)

    def clean(self):
        data = super().clean()
        org, cls = data.get("recipient_organisation"), data.get("recipient_class")
        if bool(org) == bool(cls):
            raise ValidationError(
                _("Choose either one recipient organisation or a class of recipient, not both.")
            )
        if data.get("method") == Method.VERBAL_WITNESSED and not data.get("witness_name"):
            self.add_error("witness_name", _("Verbal consent needs the name of the witness."))
        tz = self.organisation.tz
        if data.get("given_at"):
            data["given_at"] = _local(data["given_at"], tz)
        if data.get("expires_on"):
            end = datetime.combine(data.pop("expires_on") + timedelta(days=1), time())
            data["expires_at"] = timezone.make_aware(end, tz)
            if data.get("given_at") and data["expires_at"] <= data["given_at"]:
                self.add_error("expires_on", _("The consent must expire after it was given."))
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the consent revoked?"),
        max_length=500,
        error_messages={"required": _("Say why the consent is revoked.")},
    )


class DisclosureForm(forms.Form):
    recipient = OrganisationChoiceField(
        label=_("Shared with"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("Choose the organisation the information goes to.")},
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", "—"), *Purpose.choices])
    what = forms.CharField(
        label=_("What is shared"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A short summary. It is encrypted."),
        error_messages={"required": _("Say what is shared.")},
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis, only if there is no consent"),
        choices=[("", "—"), *LegalBasis.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Why the legal basis applies"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["recipient"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.exclude(pk=organisation.pk)

    def clean(self):
        data = super().clean()
        if data.get("legal_basis") and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the legal basis applies."))
        return data
