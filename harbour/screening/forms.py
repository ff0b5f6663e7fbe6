"""Forms of the screening pages: a rule's conditions (choices from the taxonomy) and the
outreach decisions."""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harbour.cases.constants import Channel, ContactOutcome
from harbour.cases.forms import DateTimeInput, WorkerChoiceField, local_now, point_label, read_local
from harbour.screening import taxonomy
from harbour.screening.constants import RelationshipClass, RulePriority
from harbour.screening.screen import has_conditions

CODES = re.compile(r"[\s,]+")


def _codes(value: str, check, what) -> list[str]:
    codes = [c for c in CODES.split(value.strip().upper()) if c]
    unknown = [c for c in codes if check(c) is None]
    if unknown:
        raise forms.ValidationError(
            _("Unknown %(what)s: %(codes)s.") % {"what": what, "codes": ", ".join(unknown)}
        )
    return sorted(set(codes))


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    active = forms.BooleanField(label=_("Active"), required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=RulePriority.choices)
    reason = forms.CharField(label=_("Reason shown to staff"), max_length=300)
    categories = forms.MultipleChoiceField(
        label=_("Offence categories"), required=False, widget=forms.CheckboxSelectMultiple
    )
    nibrs_codes = forms.CharField(
        label=_("NIBRS offense codes"),
        help_text=_("Separated by spaces or commas, for example 13A 100 120."),
        required=False,
    )
    ucr2_codes = forms.CharField(
        label=_("UCR2 violation codes"),
        help_text=_("Separated by spaces or commas, for example 1410 1610."),
        required=False,
    )
    crime_against_person = forms.BooleanField(
        label=_("The offence must be a crime against the person"), required=False
    )
    bias_motivated = forms.BooleanField(
        label=_("The offence must be bias-motivated"), required=False
    )
    relationship_classes = forms.MultipleChoiceField(
        label=_("The victim's relationship to an offender is one of"),
        choices=RelationshipClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minimum_age = forms.IntegerField(
        label=_("Minimum victim age"), min_value=0, max_value=120, required=False
    )
    offer_to_family = forms.BooleanField(label=_("Offer services to the family"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = self.fields["categories"]
        assert isinstance(categories, forms.MultipleChoiceField)
        categories.choices = taxonomy.category_choices()

    @staticmethod
    def initial_for(version) -> dict:
        return {
            "name": version.name,
            "active": version.active,
            "priority": version.priority,
            "reason": version.reason,
            "categories": version.categories,
            "nibrs_codes": " ".join(version.nibrs_codes),
            "ucr2_codes": " ".join(version.ucr2_codes),
            "crime_against_person": version.crime_against_person,
            "bias_motivated": version.bias_motivated,
            "relationship_classes": version.relationship_classes,
            "minimum_age": version.minimum_age,
            "offer_to_family": version.offer_to_family,
        }

    def clean_nibrs_codes(self):
        return _codes(self.cleaned_data["nibrs_codes"], taxonomy.nibrs_offence, _("NIBRS codes"))

    def clean_ucr2_codes(self):
        return _codes(self.cleaned_data["ucr2_codes"], taxonomy.ucr2_violation, _("UCR2 codes"))

    def clean(self):
        data = super().clean()
        if not self.errors and not has_conditions(data):
            raise forms.ValidationError(
                _(
                    "Give at least one offence condition: a category, a code, crime against "
                    "the person, or bias-motivated."
                )
            )
        return data


class NoActionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why no action"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say why no action is taken.")},
    )


class AssignForm(forms.Form):
    assigned_to = WorkerChoiceField(
        label=_("Assign to"),
        queryset=None,
        error_messages={"required": _("Choose who to assign this victim to.")},
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assigned_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff


class ExistingClientForm(forms.Form):
    person: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Existing client"),
        queryset=None,
        error_messages={
            "required": _("Choose the client from your unit's people."),
            "invalid_choice": _("Choose the client from your unit's people."),
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class AttemptForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactOutcome.choices)
    at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    contact_point: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Number or address used"), queryset=None, required=False, empty_label="—"
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, points, tz, **kwargs):
        kwargs.setdefault("initial", {"at": local_now(tz)})
        super().__init__(*args, **kwargs)
        self.tz = tz
        field = self.fields["contact_point"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = points
        field.label_from_instance = point_label  # type: ignore[method-assign]

    def clean_at(self):
        at = read_local(self.cleaned_data["at"], self.tz)
        if at > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("An attempt cannot be in the future."))
        return at
