"""The people a unit works with: persons with their names and aliases, contact points with
safe-contact preferences, addresses, and relationships between persons.

Everything sensitive about where a person can be reached (phone numbers, email addresses,
code words, addresses, notes) is encrypted at rest (DESIGN.md §4.6). Names stay in plain
columns so people can be found; their phonetic keys (set by actions.py) let duplicate
detection narrow candidates with an index instead of reading every person.
"""

import uuid
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harbour.accounts.models import Organisation
from harbour.lib.fields import (
    BlindIndexField,
    EncryptedTextField,
    email_or_phone_key,
    phone_key,
)
from harbour.people.constants import ContactKind, Gender, Language, RelationshipKind, inverse


class Person(models.Model):
    # UUID primary keys are set before the first save, so encrypted fields can bind their
    # ciphertext to the row from the start.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="people")
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    # Phonetic keys of the names (matching.name_key), kept by actions.py; indexed with the
    # organisation so duplicate detection reads a handful of rows, not the whole unit.
    given_name_key = models.CharField(max_length=40, blank=True, editable=False)
    family_name_key = models.CharField(max_length=40, blank=True, editable=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # When only an age is known ("about 30"): the year it points to.
    estimated_birth_year = models.PositiveSmallIntegerField(
        _("estimated year of birth"), null=True, blank=True
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    gender_self_described = models.CharField(
        _("gender, in their words"), max_length=100, blank=True
    )
    pronouns = models.CharField(_("pronouns"), max_length=50, blank=True)
    # ISO 639-1 codes from constants.Language, in the person's order of preference.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=8, choices=Language.choices, blank=True
    )
    # Encrypted at rest and bound to this row (DESIGN.md §4.6); found by its digits through
    # the blind index, never by comparing the column. Contact points (below) are the full
    # record of how to reach someone; this is the foundation's single safe number.
    safe_phone = EncryptedTextField(_("safe phone number"), null=True, blank=True)
    safe_phone_index = BlindIndexField(source="safe_phone", normalise=phone_key)
    # A duplicate merged into another record stays (the audit trail points at it) but is
    # hidden from lists; its page sends the reader to the survivor.
    merged_into = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="merged_from", editable=False
    )
    merged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # In the human-trafficking program: never disclosed to police without their consent,
    # not even on a legal basis (consent.actions.disclose). The cases app (issue 3 item 4)
    # will set this from the person's programs.
    trafficking_protection = models.BooleanField(
        _("in the human-trafficking program: never disclosed to police without consent"),
        default=False,
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["organisation", "family_name_key"], name="person_family_key"),
            models.Index(fields=["organisation", "given_name_key"], name="person_given_key"),
            models.Index(fields=["organisation", "date_of_birth"], name="person_dob"),
            # The people list: one organisation's unmerged people in name order, and its
            # count, both answered from this index alone.
            models.Index(
                fields=["organisation", "merged_into", "family_name", "given_name"],
                name="person_list",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def display_name(self) -> str:
        if self.preferred_name and self.preferred_name != self.given_name:
            return f"{self.preferred_name} ({self})"
        return str(self)

    def age(self, today: date | None = None) -> int | None:
        today = today or timezone.localdate()
        if self.date_of_birth:
            born = self.date_of_birth
            return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if self.estimated_birth_year:
            return today.year - self.estimated_birth_year
        return None

    @property
    def gender_label(self) -> str:
        if self.gender == Gender.SELF_DESCRIBED and self.gender_self_described:
            return self.gender_self_described
        return self.get_gender_display()

    @property
    def language_labels(self) -> list[str]:
        names = dict(Language.choices)
        return [str(names.get(code, code)) for code in self.languages]


class PersonAlias(models.Model):
    """Another name a person is or was known by: a maiden name, a nickname, a name used on
    the street, or the names of a duplicate record merged into this one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, models.CASCADE, related_name="aliases")
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    given_name_key = models.CharField(max_length=40, blank=True, editable=False)
    family_name_key = models.CharField(max_length=40, blank=True, editable=False)
    from_merge = models.BooleanField(default=False, editable=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        indexes = [
            models.Index(fields=["family_name_key"], name="alias_family_key"),
            models.Index(fields=["given_name_key"], name="alias_given_key"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class ContactPoint(models.Model):
    """A phone number or email address, and how it is safe to use it. Anything not ticked as
    safe is treated as not safe: an abuser may share the phone or read the mail."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, models.CASCADE, related_name="contact_points")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    value = EncryptedTextField(_("number or address"))
    value_index = BlindIndexField(source="value", normalise=email_or_phone_key)
    safe_to_call = models.BooleanField(_("safe to call"), default=False)
    safe_to_leave_message = models.BooleanField(_("safe to leave a message"), default=False)
    safe_to_text = models.BooleanField(_("safe to text"), default=False)
    safe_to_email = models.BooleanField(_("safe to email"), default=False)
    # Days (constants.Weekday) and times in the organisation's time zone; empty days means
    # any day, no times means any time.
    safe_days = models.JSONField(_("safe days"), default=list, blank=True)
    safe_from = models.TimeField(_("safe from"), null=True, blank=True)
    safe_until = models.TimeField(_("safe until"), null=True, blank=True)
    code_word = EncryptedTextField(_("code word"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), null=True, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    # A number or address the person no longer uses (changed phones, moved out, or it is
    # now the other party's): kept, because past contacts name it and duplicate detection
    # still finds it, but never offered for a new contact and never used for one. A database
    # default too, so bulk writers that do not name the column (the demo) write True.
    in_use = models.BooleanField(_("still in use"), default=True, db_default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-in_use", "-is_primary", "created"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")

    def __str__(self) -> str:
        # Never the value: __str__ ends up in logs and error reports.
        return str(self.get_kind_display())

    @property
    def safe_day_labels(self) -> list[str]:
        from harbour.people.constants import Weekday

        return [str(Weekday(d).label) for d in self.safe_days]


class Address(models.Model):
    """Where a person lives or stays. Every part is encrypted; a confidential address (a
    shelter, a new home the abuser must not learn) is shown only on an audited reveal."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, models.CASCADE, related_name="addresses")
    line1 = EncryptedTextField(_("address line 1"), null=True, blank=True)
    line2 = EncryptedTextField(_("address line 2"), null=True, blank=True)
    city = EncryptedTextField(_("city or town"), null=True, blank=True)
    province = EncryptedTextField(_("province or territory"), null=True, blank=True)
    postal_code = EncryptedTextField(_("postal code"), null=True, blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    current = models.BooleanField(_("current address"), default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-current", "-created"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return str(_("address"))

    @property
    def lines(self) -> list[str]:
        city_line = " ".join(p for p in (self.city, self.province, self.postal_code) if p)
        return [p for p in (self.line1, self.line2, city_line) if p]


class Relationship(models.Model):
    """`other` is `person`'s <kind>: (person=A, other=B, kind=PARENT) reads "B is A's
    parent". Stored once; the other side reads it through constants.inverse."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, models.CASCADE, related_name="relationships")
    other = models.ForeignKey(Person, models.CASCADE, related_name="relationships_to")
    kind = models.CharField(_("relationship"), max_length=20, choices=RelationshipKind.choices)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(person=models.F("other")), name="relationship_not_self"
            ),
            models.UniqueConstraint(fields=["person", "other", "kind"], name="relationship_unique"),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def seen_from(self, person: Person) -> tuple[Person, str]:
        """(the other person, what they are to `person`)."""
        if person.pk == self.person_id:
            return self.other, str(self.get_kind_display())
        return self.person, str(inverse(self.kind).label)


class NameToken(models.Model):
    """One searchable word of a person's names (given, family, preferred, aliases), folded
    by matching.plain ("bélanger" → "belanger"), and each word's phonetic key marked "~".
    Kept by actions.py (index_names). Name search finds a person by the start of any word
    of any of their names through one index range, instead of reading every name in the
    unit (access.people_named)."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="name_tokens")
    # Copied from the person so the index narrows to one unit first. No index of its own:
    # name_token_lookup starts with it, and a second one tempts SQLite's planner to read
    # every token of the unit.
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="+", db_index=False)
    token = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "token"], name="name_token_unique")
        ]
        indexes = [models.Index(fields=["organisation", "token"], name="name_token_lookup")]

    def __str__(self) -> str:
        return self.token
