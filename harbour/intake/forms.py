"""Forms of intake: the public self-referral form, the officer's and the agency's referral
forms, and triage's decisions. Validation only, each message saying what to fix; the rules
every door shares are enforced again in actions.receive_referral, and the writes are there.
"""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harbour.accounts.constants import CASE_ROLES
from harbour.accounts.models import Organisation, User
from harbour.cases.constants import Priority, Program
from harbour.cases.models import Team
from harbour.intake.actions import IntakeError, Named, VictimDecision, check_date_of_birth
from harbour.intake.constants import (
    FORM_VICTIMS,
    DeclineReason,
    ReferralRole,
    RiskFlag,
    Urgency,
)
from harbour.people.constants import Language
from harbour.people.forms import DateInput, normalise_phone

NEW = "new"
YES, NO, NOT_SURE = "yes", "no", "not_sure"


def _clean_phone(form: forms.Form, name: str) -> str:
    value = (form.cleaned_data.get(name) or "").strip()
    return normalise_phone(value) if value else ""


def _clean_email(form: forms.Form, name: str) -> str:
    value = (form.cleaned_data.get(name) or "").strip().lower()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(
                _("Enter an email address, for example name@example.ca.")
            ) from None
    return value


def _clean_birth(form: forms.Form):
    born = form.cleaned_data.get("date_of_birth")
    try:
        check_date_of_birth(born)
    except IntakeError as error:
        raise ValidationError(error.message) from None
    return born


class SafeContactFields(forms.Form):
    """How to reach a person and how it is safe to: shared by every referral form. Nothing
    ticked means nothing is safe."""

    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    email = forms.CharField(label=_("Email address"), max_length=254, required=False)
    safe_to_call = forms.BooleanField(label=_("Safe to call"), required=False)
    safe_to_leave_message = forms.BooleanField(label=_("Safe to leave a message"), required=False)
    safe_to_text = forms.BooleanField(label=_("Safe to text"), required=False)
    safe_to_email = forms.BooleanField(label=_("Safe to email"), required=False)
    safe_times = forms.CharField(
        label=_("Safe times to make contact"),
        max_length=200,
        required=False,
        help_text=_("For example: weekdays between 9 and 11 in the morning."),
    )
    no_contact = forms.BooleanField(
        label=_("Do not make contact: they will get in touch"), required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", "—"), *Language.choices], required=False
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)

    def clean_phone(self):
        return _clean_phone(self, "phone")

    def clean_email(self):
        return _clean_email(self, "email")

    def clean(self):
        data = super().clean()
        by_phone = (
            data.get("safe_to_call")
            or data.get("safe_to_leave_message")
            or data.get("safe_to_text")
        )
        if data.get("no_contact") and (by_phone or data.get("safe_to_email")):
            self.add_error(
                "no_contact",
                _("“Do not make contact” cannot go with a safe way to make contact: choose one."),
            )
        if by_phone and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Give the phone number that is safe to use."))
        if data.get("safe_to_email") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Give the email address that is safe to use."))
        return data

    def named(self, role: str = ReferralRole.VICTIM) -> Named:
        data = self.cleaned_data
        return Named(
            role=role,
            given_name=data["given_name"],
            family_name=data.get("family_name", ""),
            date_of_birth=data.get("date_of_birth"),
            phone=data["phone"],
            email=data["email"],
            safe_to_call=data["safe_to_call"],
            safe_to_leave_message=data["safe_to_leave_message"],
            safe_to_text=data["safe_to_text"],
            safe_to_email=data["safe_to_email"],
            safe_times=data["safe_times"],
            no_contact=data["no_contact"],
            language=data["language"],
            interpreter_needed=data["interpreter_needed"],
        )


# ---- staff forms: the officer's and the agency's ----


class VictimForm(SafeContactFields):
    given_name = forms.CharField(
        label=_("Given name"),
        max_length=100,
        error_messages={"required": _("Enter the victim’s given name.")},
    )
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter the date of birth as year-month-day.")},
    )

    field_order = ["given_name", "family_name", "date_of_birth"]

    def clean_date_of_birth(self):
        return _clean_birth(self)


class BaseVictimFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": _("Name at least one victim."),
        "too_many_forms": _("Name at most %(num)d victims; add others to a second referral."),
    }


VictimFormSet = forms.formset_factory(
    VictimForm,
    formset=BaseVictimFormSet,
    extra=FORM_VICTIMS - 1,
    min_num=1,
    max_num=FORM_VICTIMS,
    validate_min=True,
    validate_max=True,
)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class StaffReferralForm(forms.Form):
    """The referral itself, around the victims: the officer's form (police=True) or the
    agency's. `choose_unit` adds the receiving unit when the sender is not one."""

    to = UnitChoiceField(
        label=_("Send to"),
        queryset=Organisation.objects.none(),
        empty_label="—",
        error_messages={"required": _("Choose the victim services unit to send it to.")},
    )
    occurrence_number = forms.CharField(
        label=_("Police occurrence number"),
        max_length=40,
        error_messages={"required": _("Enter the police occurrence number.")},
    )
    offence = forms.CharField(label=_("Offence"), max_length=200, required=False)
    risk_flags = forms.MultipleChoiceField(
        label=_("Risk indicators"),
        choices=RiskFlag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A weapon, strangulation or threats to kill make the referral urgent."),
    )
    victim_consented = forms.ChoiceField(
        label=_("Did the victim agree to this referral?"),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the victim agreed to be referred.")},
        help_text=_(
            "If not, the referral is still sent: the unit decides whether and how to reach "
            "out, and sees that the victim did not agree."
        ),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, widget=forms.RadioSelect
    )
    narrative = forms.CharField(
        label=_("What happened, and what help is needed"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    referrer_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        error_messages={"required": _("Enter your name.")},
    )
    referrer_role = forms.CharField(label=_("Your role"), max_length=100, required=False)
    referrer_phone = forms.CharField(label=_("Your phone number"), max_length=40, required=False)
    referrer_email = forms.CharField(label=_("Your email address"), max_length=254, required=False)
    # One per form shown: sending the same form twice (a double tap, a retry on a bad
    # connection) makes one referral, not two (actions.receive_referral's idempotency).
    submission = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This form is incomplete: open a new referral form and try again."),
            "invalid": _("This form is incomplete: open a new referral form and try again."),
        },
    )

    def __init__(self, *args, police: bool, choose_unit: bool, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.police = police
        if choose_unit:
            to = self.fields["to"]
            assert isinstance(to, forms.ModelChoiceField)
            to.queryset = units
        else:
            del self.fields["to"]
        if police:
            self.fields["referrer_role"].label = _("Badge number")
        else:
            self.fields["occurrence_number"].required = False
            self.fields["occurrence_number"].help_text = _("If the police are involved.")
            self.fields["victim_consented"].help_text = _(
                "If not, the referral is still sent, and the unit sees that the victim did "
                "not agree."
            )

    @classmethod
    def initial_for(cls, user) -> dict:
        return {
            "referrer_name": user.full_name,
            "referrer_email": user.email,
            "urgency": Urgency.ROUTINE,
            "submission": uuid.uuid4(),
        }

    def clean_referrer_phone(self):
        return _clean_phone(self, "referrer_phone")

    def clean_referrer_email(self):
        return _clean_email(self, "referrer_email")

    def clean_victim_consented(self):
        return self.cleaned_data["victim_consented"] == YES


# ---- the public self-referral form ----


class PublicReferralForm(SafeContactFields):
    """A person asking for support for themselves, or a family member or friend asking on
    their behalf (`for_other`). Every label reads for the person filling it in."""

    given_name = forms.CharField(
        label=_("Your first name"),
        max_length=100,
        help_text=_("Or the name you want us to use."),
        error_messages={"required": _("Enter a first name, or the name you want us to use.")},
    )
    family_name = forms.CharField(label=_("Your last name"), max_length=100, required=False)
    narrative = forms.CharField(
        label=_("Anything you want us to know"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Left empty by people (it is off screen and out of the tab order); bots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    field_order = [
        "referrer_name",
        "referrer_relationship",
        "referrer_phone",
        "referrer_email",
        "victim_knows",
        "given_name",
        "family_name",
    ]

    def __init__(self, *args, for_other: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_other = for_other
        self.fields["phone"].label = _("Your phone number")
        self.fields["email"].label = _("Your email address")
        self.fields["no_contact"].label = _("Do not contact me. I will get in touch.")
        self.fields["language"].label = _("Language you want to use")
        self.fields["interpreter_needed"].label = _("I would like an interpreter")
        self.fields["narrative"].help_text = _("Only what you are comfortable sharing.")
        if for_other:
            self._for_someone_else()

    def _for_someone_else(self) -> None:
        self.fields["referrer_name"] = forms.CharField(
            label=_("Your name"),
            max_length=200,
            error_messages={"required": _("Enter your name.")},
        )
        self.fields["referrer_relationship"] = forms.ChoiceField(
            label=_("You are their"),
            choices=[(ReferralRole.FAMILY, _("Family member")), (ReferralRole.FRIEND, _("Friend"))],
            widget=forms.RadioSelect,
            error_messages={"required": _("Say whether you are family or a friend.")},
        )
        self.fields["referrer_phone"] = forms.CharField(
            label=_("Your phone number"), max_length=40, required=False
        )
        self.fields["referrer_email"] = forms.CharField(
            label=_("Your email address"), max_length=254, required=False
        )
        self.fields["victim_knows"] = forms.ChoiceField(
            label=_("Do they know, and agree, that you are contacting us?"),
            choices=[(YES, _("Yes")), (NO, _("No")), (NOT_SURE, _("Not sure"))],
            widget=forms.RadioSelect,
            error_messages={"required": _("Say whether they know you are contacting us.")},
        )
        labels = {
            "given_name": _("Their first name"),
            "family_name": _("Their last name"),
            "phone": _("Their phone number"),
            "email": _("Their email address"),
            "safe_times": _("Safe times to contact them"),
            "no_contact": _("Do not contact them: contact me only"),
            "language": _("Language they use"),
            "interpreter_needed": _("They need an interpreter"),
        }
        for name, label in labels.items():
            self.fields[name].label = label
        self.fields["given_name"].help_text = ""
        self.fields["given_name"].error_messages["required"] = _(
            "Enter the first name of the person who needs support."
        )
        self.order_fields(self.field_order)

    def clean_referrer_phone(self):
        return _clean_phone(self, "referrer_phone")

    def clean_referrer_email(self):
        return _clean_email(self, "referrer_email")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        safe_way = (
            data.get("safe_to_call")
            or data.get("safe_to_leave_message")
            or data.get("safe_to_text")
            or data.get("safe_to_email")
        )
        if self.for_other:
            if not data.get("referrer_phone") and not data.get("referrer_email"):
                self.add_error(
                    "referrer_phone", _("Give a phone number or an email address for you.")
                )
        elif not data.get("no_contact") and not safe_way:
            raise ValidationError(
                _(
                    "Tell us how it is safe to reach you (tick at least one way), or tick "
                    "“Do not contact me”."
                )
            )
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def victim_consented(self) -> bool | None:
        """For someone else: whether the victim agreed, as the referrer knows it."""
        answer = self.cleaned_data.get("victim_knows")
        return {YES: True, NO: False}.get(answer) if answer else None


# ---- triage ----


class AcceptForm(forms.Form):
    """Accepting: for each victim, who they are (a person on file or a new person) and
    which case (a new one, or one of their live cases); then, for new cases, the programs,
    priority, worker and team."""

    programs = forms.MultipleChoiceField(
        label=_("Programs"),
        choices=Program.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    priority = forms.ChoiceField(label=_("Case priority"), choices=Priority.choices)
    assigned_to = forms.ModelChoiceField(
        label=_("Assigned worker"), queryset=User.objects.none(), required=False, empty_label="—"
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args, victims, organisation, **kwargs):
        """`victims`: for each victim on the referral, (the ReferralPerson, its likely
        duplicates, and {person id: their live cases})."""
        super().__init__(*args, **kwargs)
        self.victims = victims
        workers = self.fields["assigned_to"]
        assert isinstance(workers, forms.ModelChoiceField)
        workers.queryset = User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role__in=CASE_ROLES,
            memberships__is_active=True,
        ).distinct()
        teams = self.fields["team"]
        assert isinstance(teams, forms.ModelChoiceField)
        teams.queryset = Team.objects.filter(organisation=organisation)
        self.cases: dict[str, object] = {}
        for named, matches, cases in victims:
            people = [(str(m.person.pk), str(m.person)) for m in matches]
            self.fields[f"person_{named.pk}"] = forms.ChoiceField(
                label=_("Who is this?"),
                choices=[*people, (NEW, _("A new person, from the referral’s details"))],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose who this is: a person on file, or a new person.")
                },
            )
            case_choices = [(NEW, _("Open a new case"))]
            for match in matches:
                for case in cases.get(match.person.pk, []):
                    self.cases[str(case.pk)] = case
                    case_choices.append((str(case.pk), str(case.number)))
            self.fields[f"case_{named.pk}"] = forms.ChoiceField(
                label=_("Case"),
                choices=case_choices,
                widget=forms.RadioSelect,
                initial=NEW,
                error_messages={"required": _("Choose a new case or an existing one.")},
            )

    def person_field(self, named):
        return self[f"person_{named.pk}"]

    def case_field(self, named):
        return self[f"case_{named.pk}"]

    def clean(self):
        data = super().clean()
        opens_a_case = False
        people = {str(m.person.pk): m.person for _n, matches, _c in self.victims for m in matches}
        for named, _matches, _cases in self.victims:
            who, which = data.get(f"person_{named.pk}"), data.get(f"case_{named.pk}")
            if who is None or which is None:
                continue
            if which == NEW:
                opens_a_case = True
            elif who == NEW:
                self.add_error(
                    f"case_{named.pk}", _("A new person has no case yet: open a new case.")
                )
            elif self.cases[which].client_id != people[who].pk:
                self.add_error(
                    f"case_{named.pk}",
                    _("That case is someone else’s: choose a case of the person you chose."),
                )
        if opens_a_case and not data.get("programs"):
            self.add_error("programs", _("Choose at least one program for the new case."))
        return data

    def decisions(self) -> list[VictimDecision]:
        data = self.cleaned_data
        people = {str(m.person.pk): m.person for _n, matches, _c in self.victims for m in matches}
        out = []
        for named, _matches, _cases in self.victims:
            who, which = data[f"person_{named.pk}"], data[f"case_{named.pk}"]
            out.append(
                VictimDecision(
                    named=named,
                    person=None if who == NEW else people[who],
                    case=None if which == NEW else self.cases[which],  # type: ignore[arg-type]
                )
            )
        return out


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason for declining.")},
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for “Other”."),
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == DeclineReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Explain the reason in the note."))
        return data


class DuplicateForm(forms.Form):
    of = forms.ChoiceField(
        label=_("Duplicate of"),
        error_messages={
            "required": _("Choose the referral this one repeats."),
            "invalid_choice": _("Choose the referral this one repeats."),
        },
    )

    def __init__(self, *args, candidates, tz, **kwargs):
        super().__init__(*args, **kwargs)
        of = self.fields["of"]
        assert isinstance(of, forms.ChoiceField)
        of.choices = [("", "—")] + [(str(r.pk), self.label_for(r, tz)) for r in candidates]

    @staticmethod
    def label_for(referral, tz) -> str:
        parts = [referral.reference, str(referral.get_source_display())]
        parts.append(timezone.localtime(referral.received_at, tz).date().isoformat())
        if referral.occurrence_number:
            parts.append(referral.occurrence_number)
        return " · ".join(parts)
