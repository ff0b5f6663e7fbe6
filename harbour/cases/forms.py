"""Forms of the case page: editing, status, contacts, services, linked cases and the
break-glass reason. Validation only (each message says what to fix); the writes and the
rules that protect people (safe contact, restrictions, transitions) are in actions.py.
Dates and times are typed in the organisation's local time."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from harbour.cases.access import case_staff
from harbour.cases.actions import LINKED_ROLES
from harbour.cases.constants import (
    TRANSITIONS,
    CaseStatus,
    Channel,
    CloseReason,
    ContactOutcome,
    Direction,
    Priority,
    Program,
)
from harbour.cases.models import Case, Contact, Team
from harbour.cases.services import taxonomy
from harbour.people.constants import RelationshipKind


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def local_now(tz: ZoneInfo) -> datetime:
    """Now on the organisation's clock, to the minute, as a form's initial value."""
    return timezone.localtime(timezone.now(), tz).replace(second=0, microsecond=0, tzinfo=None)


def read_local(value: datetime, tz: ZoneInfo) -> datetime:
    """A typed date and time, read in the organisation's zone (not the server's)."""
    return timezone.make_aware(value.replace(tzinfo=None), tz)


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


def point_label(cp) -> str:
    """A number or address with what is not safe about it, so the choice is made with
    the preferences in view: "Phone: +19025550142 (NOT safe: message, text)"."""
    if cp.kind == "phone":
        flags = [
            (cp.safe_to_call, _("call")),
            (cp.safe_to_leave_message, _("message")),
            (cp.safe_to_text, _("text")),
        ]
    else:
        flags = [(cp.safe_to_email, _("email"))]
    unsafe = [str(name) for ok, name in flags if not ok]
    label = f"{cp.get_kind_display()}: {cp.value}"
    if unsafe:
        label += " " + str(_("(NOT safe: %(what)s)")) % {"what": ", ".join(unsafe)}
    return label


class CaseForm(forms.Form):
    programs = forms.MultipleChoiceField(
        label=_("Programs"),
        choices=Program.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one program.")},
    )
    # "Priority" alone is also an urgency of referrals ("prioritaire").
    priority = forms.ChoiceField(
        label=pgettext_lazy("case field", "Priority"), choices=Priority.choices
    )
    assigned_to = WorkerChoiceField(
        label=_("Assigned worker"),
        queryset=None,
        required=False,
        empty_label="—",
        error_messages={
            "invalid_choice": _(
                "Assign the case to a caseworker or coordinator of this organisation."
            )
        },
    )
    team: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Team"),
        queryset=None,
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": _("Choose a team of this organisation.")},
    )
    occurrence_number = forms.CharField(
        label=_("Police occurrence number"), max_length=40, required=False
    )
    restricted = forms.BooleanField(
        label=_("Restricted case"),
        required=False,
        help_text=_(
            "Only the team and the assigned worker open it; anyone else must give a reason, "
            "which a coordinator reviews. For example: the accused works for the police or "
            "the unit."
        ),
    )
    restricted_reason = forms.CharField(
        label=_("Why is it restricted?"), max_length=200, required=False
    )
    lift_reason = forms.CharField(
        label=_("Why is the restriction lifted?"),
        max_length=500,
        required=False,
        help_text=_("Only when lifting a restriction. A coordinator decides."),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        workers = self.fields["assigned_to"]
        teams = self.fields["team"]
        assert isinstance(workers, forms.ModelChoiceField)
        assert isinstance(teams, forms.ModelChoiceField)
        workers.queryset = case_staff(case.organisation)
        teams.queryset = Team.objects.filter(organisation=case.organisation_id)
        if not case.restricted:
            del self.fields["lift_reason"]

    @classmethod
    def initial_for(cls, case: Case) -> dict:
        return {
            "programs": case.program_codes,
            "priority": case.priority,
            "assigned_to": case.assigned_to_id,
            "team": case.team_id,
            "occurrence_number": case.occurrence_number,
            "restricted": case.restricted,
            "restricted_reason": case.restricted_reason,
        }

    def clean(self):
        data = super().clean()
        if data.get("restricted") and not (data.get("restricted_reason") or "").strip():
            self.add_error("restricted_reason", _("Say why the case is restricted."))
        if data.get("restricted") and not data.get("team"):
            self.add_error("team", _("Choose the team that may open the restricted case."))
        lifting = self.case.restricted and not data.get("restricted")
        if lifting and not (data.get("lift_reason") or "").strip():
            self.add_error("lift_reason", _("Say why the restriction is lifted."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        error_messages={
            "required": _("Choose the new status."),
            "invalid_choice": _(
                "The case cannot move to that status from where it is now. Reload the page "
                "to see its status."
            ),
        },
    )
    # The status the page showed: a change made by someone else meanwhile is refused.
    expected = forms.ChoiceField(choices=CaseStatus.choices, widget=forms.HiddenInput)
    close_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", "—"), *CloseReason.choices],
        required=False,
        help_text=_("Only when closing the case."),
    )
    close_note = forms.CharField(
        label=_("Closing note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the reason is “Other”."),
    )

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("initial", {"expected": case.status})
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(case.status, frozenset())
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(v, lbl) for v, lbl in CaseStatus.choices if v in allowed]
        if CaseStatus.CLOSED not in allowed:
            del self.fields["close_reason"]
            del self.fields["close_note"]

    def clean(self):
        data = super().clean()
        if data.get("status") == CaseStatus.CLOSED:
            if not data.get("close_reason"):
                self.add_error("close_reason", _("Choose why the case is closed."))
            elif data["close_reason"] == CloseReason.OTHER and not data.get("close_note"):
                self.add_error("close_note", _("Explain why the case is closed."))
        return data


class ContactForm(forms.Form):
    person = forms.ChoiceField(
        label=_("With whom"),
        error_messages={"invalid_choice": _("Choose the client or a person related to them.")},
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=Direction.choices,
        initial=Direction.OUTGOING,
        widget=forms.RadioSelect,
    )
    contact_point = forms.ChoiceField(
        label=_("Number or address used"),
        required=False,
        error_messages={"invalid_choice": _("Choose a number or address from the list.")},
        help_text=_("Required for a call, text or email we make: its safety is checked."),
    )
    at = forms.DateTimeField(
        label=_("When"),
        widget=DateTimeInput(),
        help_text=_("Local time."),
        error_messages={
            "required": _("Enter when the contact happened."),
            "invalid": _("Enter when the contact happened as a date and time."),
        },
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        error_messages={
            "invalid": _("Enter the duration as a whole number of minutes."),
            "min_value": _("The duration must be at least 1 minute."),
            "max_value": _("The duration must be 24 hours or less."),
        },
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactOutcome.choices)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Encrypted. Shown only on the contact’s own page, and every look is recorded."),
    )
    confirm_outside_safe_times = forms.BooleanField(
        label=_("Record anyway: the contact did happen outside the safe times"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, people, points, tz: ZoneInfo, **kwargs):
        """`people`: the client first, then the people related to them; `points`: their
        contact points, each with `person` selected."""
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("at", local_now(tz))
        kwargs["initial"].setdefault("person", str(people[0].pk))
        super().__init__(*args, **kwargs)
        self.tz = tz
        self.people = {str(p.pk): p for p in people}
        self.points = {str(cp.pk): cp for cp in points}
        person = self.fields["person"]
        point = self.fields["contact_point"]
        assert isinstance(person, forms.ChoiceField) and isinstance(point, forms.ChoiceField)
        person.choices = [(str(p.pk), p.display_name) for p in people]
        grouped: dict[str, list[tuple[str, str]]] = {}
        for cp in points:
            grouped.setdefault(cp.person.display_name, []).append((str(cp.pk), point_label(cp)))
        point.choices = [("", "—"), *grouped.items()]

    def show_confirmation(self) -> None:
        """After the outside-safe-times warning: offer the "record anyway" box."""
        field = self.fields["confirm_outside_safe_times"]
        field.widget = forms.CheckboxInput()

    def clean_at(self):
        at = read_local(self.cleaned_data["at"], self.tz)
        if at > timezone.now():
            raise ValidationError(_("The contact cannot be in the future."))
        return at

    def clean(self):
        data = super().clean()
        data["person"] = self.people.get(data.get("person") or "")
        data["contact_point"] = self.points.get(data.get("contact_point") or "")
        return data


class ServiceForm(forms.Form):
    service = forms.ChoiceField(
        label=_("Service"),
        error_messages={
            "required": _("Choose the service."),
            "invalid_choice": _("Choose a service from the list."),
        },
    )
    at = forms.DateTimeField(
        label=_("When"),
        widget=DateTimeInput(),
        help_text=_("Local time."),
        error_messages={
            "required": _("Enter when the service was given."),
            "invalid": _("Enter when the service was given as a date and time."),
        },
    )
    minutes = forms.IntegerField(
        label=_("Time spent (minutes)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        error_messages={
            "invalid": _("Enter the time spent as a whole number of minutes."),
            "min_value": _("The time spent must be at least 1 minute."),
            "max_value": _("The time spent must be 24 hours or less."),
        },
    )
    contact = forms.ChoiceField(
        label=_("During which contact"),
        required=False,
        error_messages={"invalid_choice": _("Choose a contact of this case.")},
        help_text=_("Optional: the contact in which the service was given."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Encrypted."),
    )

    def __init__(self, *args, contacts: list[Contact], tz: ZoneInfo, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("at", local_now(tz))
        super().__init__(*args, **kwargs)
        self.tz = tz
        self.contacts = {str(c.pk): c for c in contacts}
        service = self.fields["service"]
        contact = self.fields["contact"]
        assert isinstance(service, forms.ChoiceField) and isinstance(contact, forms.ChoiceField)
        service.choices = [("", "—"), *taxonomy().choices()]
        contact.choices = [("", "—")] + [
            (
                str(c.pk),
                f"{timezone.localtime(c.at, tz):%Y-%m-%d %H:%M} · {c.get_channel_display()}"
                f" · {c.get_outcome_display()}",
            )
            for c in contacts
        ]

    def clean_at(self):
        at = read_local(self.cleaned_data["at"], self.tz)
        if at > timezone.now():
            raise ValidationError(_("The service cannot be in the future."))
        return at

    def clean(self):
        data = super().clean()
        data["contact"] = self.contacts.get(data.get("contact") or "")
        return data


NEW_PERSON = "new"


class LinkedCaseForm(forms.Form):
    person = forms.ChoiceField(
        label=_("Who"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a person related to the client, or a new person."),
            "invalid_choice": _("Choose a person related to the client."),
        },
    )
    client_role = forms.ChoiceField(
        label=_("They are"),
        choices=[(r.value, r.label) for r in LINKED_ROLES],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether they are a family member, friend or caregiver.")
        },
    )
    programs = forms.MultipleChoiceField(
        label=_("Programs"),
        choices=Program.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one program.")},
    )
    given_name = forms.CharField(label=_("New person: given name"), max_length=100, required=False)
    family_name = forms.CharField(
        label=_("New person: family name"), max_length=100, required=False
    )
    relationship = forms.ChoiceField(
        label=_("New person: what they are to the client"),
        choices=[("", "—"), *RelationshipKind.choices],
        required=False,
    )

    def __init__(self, *args, related, **kwargs):
        """`related`: (person, what they are to the client) pairs."""
        super().__init__(*args, **kwargs)
        self.related = {str(p.pk): p for p, _label in related}
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(p.pk), f"{p.display_name} ({label})") for p, label in related] + [
            (NEW_PERSON, _("Someone not on file yet: add them"))
        ]

    def clean(self):
        data = super().clean()
        choice = data.get("person")
        if choice == NEW_PERSON:
            if not (data.get("given_name") or "").strip():
                self.add_error("given_name", _("Enter the new person’s given name."))
            if not data.get("relationship"):
                self.add_error("relationship", _("Choose what the new person is to the client."))
            data["person"] = None
        elif choice:
            data["person"] = self.related.get(choice)
        return data

    def new_person_fields(self) -> dict | None:
        if self.cleaned_data.get("person") is not None:
            return None
        fields: dict[str, object] = dict.fromkeys(
            ("preferred_name", "gender", "gender_self_described"), ""
        )
        fields.update(
            given_name=self.cleaned_data["given_name"].strip(),
            family_name=self.cleaned_data["family_name"].strip(),
            pronouns="",
            languages=[],
            interpreter_needed=False,
            interpreter_language="",
            date_of_birth=None,
            estimated_birth_year=None,
        )
        return fields


class GlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to open this case?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At least 10 characters. A coordinator reviews every reason."),
        error_messages={"required": _("Give a reason of at least 10 characters: it is reviewed.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise ValidationError(_("Give a reason of at least 10 characters: it is reviewed."))
        return reason


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"),
        max_length=500,
        error_messages={
            "required": _("Write what you found: the note is the record of the review.")
        },
    )
