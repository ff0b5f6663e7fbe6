"""Forms of the people app. Validation only (each message says what to fix); the writes
are in actions.py."""

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harbour.people.constants import (
    EARLIEST_BIRTH_YEAR,
    ContactKind,
    Gender,
    Language,
    RelationshipKind,
    Weekday,
)

DEFAULT_REGION = "CA"


def normalise_phone(value: str) -> str:
    """The number in E.164 (+19025550142), or ValidationError. Numbers without a country
    code are read as Canadian."""
    try:
        number = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        # The message never repeats the number: form errors can reach logs.
        raise ValidationError(
            _(
                "This is not a phone number we can call. Enter it with its area code, "
                "for example 902 555 0142, or with + and the country code."
            ),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class PersonForm(forms.Form):
    given_name = forms.CharField(
        label=_("Given name"),
        max_length=100,
        error_messages={"required": _("Enter the person’s given name.")},
    )
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    preferred_name = forms.CharField(
        label=_("Preferred name"),
        max_length=100,
        required=False,
        help_text=_("The name they want to be called, if different."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter the date of birth as year-month-day.")},
    )
    estimated_age = forms.IntegerField(
        label=_("Estimated age"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Only if the date of birth is not known."),
        error_messages={
            "invalid": _("Enter the estimated age as a whole number of years."),
            "min_value": _("The estimated age cannot be negative."),
            "max_value": _("The estimated age must be 120 or less."),
        },
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    gender_self_described = forms.CharField(
        label=_("Gender, in their words"), max_length=100, required=False
    )
    pronouns = forms.CharField(
        label=_("Pronouns"),
        max_length=50,
        required=False,
        help_text=_("For example: she/her, he/him, they/them, elle, iel."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter language"), choices=[("", "—"), *Language.choices], required=False
    )

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born is None:
            return None
        if born > timezone.localdate():
            raise ValidationError(_("The date of birth cannot be in the future."))
        if born.year < EARLIEST_BIRTH_YEAR:
            raise ValidationError(
                _("The date of birth cannot be before %(year)s.") % {"year": EARLIEST_BIRTH_YEAR}
            )
        return born

    def clean(self):
        data = super().clean()
        if data.get("date_of_birth") and data.get("estimated_age") is not None:
            self.add_error(
                "estimated_age", _("Give a date of birth or an estimated age, not both.")
            )
        if data.get("gender") == Gender.SELF_DESCRIBED and not data.get("gender_self_described"):
            self.add_error("gender_self_described", _("Describe the gender in their words."))
        if data.get("gender") != Gender.SELF_DESCRIBED:
            data["gender_self_described"] = ""
        if data.get("interpreter_needed") and not data.get("interpreter_language"):
            self.add_error(
                "interpreter_language", _("Choose the language the interpreter must speak.")
            )
        return data

    def person_fields(self) -> dict:
        """The cleaned data as Person fields (the estimated age becomes a year)."""
        data = dict(self.cleaned_data)
        age = data.pop("estimated_age", None)
        data.pop("phone", None)
        data.pop("confirmed", None)
        data["estimated_birth_year"] = None if age is None else timezone.localdate().year - age
        return data

    @classmethod
    def initial_for(cls, person) -> dict:
        initial = {name: getattr(person, name) for name in cls.base_fields if hasattr(person, name)}
        if person.estimated_birth_year and not person.date_of_birth:
            initial["estimated_age"] = person.age()
        return initial


class NewPersonForm(PersonForm):
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        help_text=_("Used to look for duplicates. Record how it is safe to use it next."),
    )
    # Set by the second step: "none of these is the same person, create a new record".
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        return normalise_phone(value) if value else ""


class AliasForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("given_name") and not data.get("family_name"):
            raise ValidationError(_("Enter a given name, a family name, or both."))
        return data


class ContactPointForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    value = forms.CharField(
        label=_("Phone number or email address"),
        max_length=254,
        error_messages={"required": _("Enter the phone number or email address.")},
    )
    is_primary = forms.BooleanField(label=_("Primary way to reach them"), required=False)
    safe_to_call = forms.BooleanField(label=_("Safe to call"), required=False)
    safe_to_leave_message = forms.BooleanField(label=_("Safe to leave a message"), required=False)
    safe_to_text = forms.BooleanField(label=_("Safe to text"), required=False)
    safe_to_email = forms.BooleanField(label=_("Safe to email"), required=False)
    safe_days = forms.TypedMultipleChoiceField(
        label=_("Safe days"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means any day."),
    )
    safe_from = forms.TimeField(
        label=_("Safe from"),
        required=False,
        widget=TimeInput(),
        help_text=_("Local time. Leave both times empty if any time is safe."),
    )
    safe_until = forms.TimeField(label=_("Safe until"), required=False, widget=TimeInput())
    code_word = forms.CharField(
        label=_("Code word"),
        max_length=100,
        required=False,
        help_text=_("A word the person uses to show it is safe to talk, or that it is not."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    in_use = forms.BooleanField(
        label=_("Still in use"),
        required=False,
        initial=True,
        help_text=_(
            "Untick when the person no longer uses it (or it is now someone else’s): it is "
            "kept on record but never offered or used for a contact again."
        ),
    )

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), (data.get("value") or "").strip()
        if kind == ContactKind.PHONE and value:
            try:
                data["value"] = normalise_phone(value)
            except ValidationError as error:
                self.add_error("value", error)
            data["safe_to_email"] = False
        elif kind == ContactKind.EMAIL and value:
            try:
                validate_email(value)
            except ValidationError:
                self.add_error("value", _("Enter an email address, for example name@example.ca."))
            data["value"] = value.lower()
            data["safe_to_call"] = data["safe_to_leave_message"] = data["safe_to_text"] = False
        if (data.get("safe_from") is None) != (data.get("safe_until") is None):
            self.add_error("safe_until", _("Give both times, or neither."))
        if data.get("safe_from") is not None and data.get("safe_from") == data.get("safe_until"):
            self.add_error("safe_until", _("The safe period must not start and end together."))
        data["code_word"] = (data.get("code_word") or "").strip() or None
        data["notes"] = (data.get("notes") or "").strip() or None
        return data


class AddressForm(forms.Form):
    line1 = forms.CharField(label=_("Address line 1"), max_length=200, required=False)
    line2 = forms.CharField(label=_("Address line 2"), max_length=200, required=False)
    city = forms.CharField(label=_("City or town"), max_length=100, required=False)
    province = forms.CharField(label=_("Province or territory"), max_length=50, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_(
            "A shelter, or a new home the other party must not learn. Shown only when "
            "someone asks to see it, and every look is recorded."
        ),
    )
    current = forms.BooleanField(label=_("Current address"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if not data.get("line1") and not data.get("city"):
            raise ValidationError(_("Enter at least the first line of the address or the city."))
        if data.get("postal_code"):
            data["postal_code"] = " ".join(data["postal_code"].upper().split())
        for name in ("line1", "line2", "city", "province", "postal_code"):
            data[name] = (data.get(name) or "").strip() or None
        return data


class RelationshipForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The chosen person is their"),
        choices=RelationshipKind.choices,
        error_messages={"required": _("Choose the relationship.")},
    )
    other = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a person from the search results."),
            "invalid": _("Choose a person from the search results."),
        },
    )


class MergeForm(forms.Form):
    KEEP_THIS, KEEP_OTHER = "this", "other"
    other = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the duplicate record."),
            "invalid": _("Choose the duplicate record."),
        },
    )
    keep = forms.ChoiceField(
        label=_("Which record stays"),
        choices=[
            (KEEP_THIS, _("This record stays; the other is merged into it")),
            (KEEP_OTHER, _("The other record stays; this one is merged into it")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which record stays.")},
    )
