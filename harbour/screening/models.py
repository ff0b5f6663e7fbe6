"""Police occurrences as imported from the records system (DESIGN §5): the occurrence, its
offences, the people in it with their roles, each victim's offences and relationships to
the offenders, and the imports that brought them.

An occurrence is keyed by (organisation, ORI, incident number): importing it again replaces
it in place (same id; its offences, people and relationships are written afresh), a delete
removes it. Refer to a person in an occurrence by (occurrence, role, sequence number), which
survives a replacement; the person's row id does not.

The canonical classes (an offence's crime-against category and category, a relationship's
class and whether it is intimate) are copied onto the rows at import from
screening.taxonomy, so that statistics are plain SQL over these tables.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harbour.accounts.models import Organisation
from harbour.cases.constants import Channel, ContactOutcome
from harbour.lib.fields import EncryptedDateField, EncryptedTextField
from harbour.screening.constants import (
    CodeSystem,
    CrimeAgainst,
    ImportStatus,
    MatchStatus,
    PersonRole,
    RelationshipClass,
    RulePriority,
    SourceFormat,
)


class ImportRun(models.Model):
    """One import of one file: who, when, what, and what came of it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="occurrence_imports"
    )
    source_format = models.CharField(_("format"), max_length=12, choices=SourceFormat.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    # Null when run from the command line (the audit trail then says "system").
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    # Why a failed run stopped (the batch that failed was rolled back), or why a queued
    # upload was refused.
    error = models.TextField(_("error"), blank=True)
    # Progress, for the upload's page: lines of the file read so far, of all its lines.
    lines_done = models.PositiveBigIntegerField(_("lines read"), default=0)
    lines_total = models.PositiveBigIntegerField(_("lines"), default=0)
    inserted = models.PositiveIntegerField(_("inserted"), default=0)
    replaced = models.PositiveIntegerField(_("replaced"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    deleted = models.PositiveIntegerField(_("deleted"), default=0)
    # Deletes of incidents that were not on file: nothing to do.
    not_on_file = models.PositiveIntegerField(_("deletes of incidents not on file"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    # Records kept with something to know (a UCR2 code outside Harbour's partial list).
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    zero_reports_added = models.PositiveIntegerField(_("zero reports added"), default=0)
    zero_reports_deleted = models.PositiveIntegerField(_("zero reports deleted"), default=0)
    # NIBRS Group B arrest reports: read and checked, not kept (they name no victim).
    arrests_skipped = models.PositiveIntegerField(_("Group B arrest reports skipped"), default=0)

    COUNTS = (
        "inserted",
        "replaced",
        "unchanged",
        "deleted",
        "not_on_file",
        "rejected",
        "warnings",
        "zero_reports_added",
        "zero_reports_deleted",
        "arrests_skipped",
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("occurrence import")
        verbose_name_plural = _("occurrence imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class ImportRejection(models.Model):
    """One problem with one record the import left out, or (``warning``) something to know
    about a record it kept."""

    run = models.ForeignKey(ImportRun, models.CASCADE, related_name="rejections")
    warning = models.BooleanField(_("kept, with a warning"), default=False)
    line = models.PositiveIntegerField(_("line"))
    segment = models.CharField(_("segment"), max_length=60, blank=True)
    field = models.CharField(_("field"), max_length=120, blank=True)
    position = models.CharField(_("position"), max_length=12, blank=True)
    reason = models.TextField(_("reason"))
    ori = models.CharField(_("ORI"), max_length=20, blank=True)
    incident_number = models.CharField(_("incident number"), max_length=40, blank=True)

    class Meta:
        ordering = ["line", "id"]
        verbose_name = _("rejected record")
        verbose_name_plural = _("rejected records")

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class Occurrence(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed by the key and the date index below, which both start with it.
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="occurrences", db_index=False
    )
    # The reporting agency (NIBRS ORI; for Canadian exports, the service's identifier).
    ori = models.CharField(_("agency identifier (ORI)"), max_length=20)
    incident_number = models.CharField(_("incident number"), max_length=40)
    source_format = models.CharField(_("format"), max_length=12, choices=SourceFormat.choices)
    incident_date = models.DateField(_("incident date"))
    incident_hour = models.PositiveSmallIntegerField(_("incident hour"), null=True, blank=True)
    # NIBRS report date indicator: the incident date is unknown; incident_date is the date
    # it was reported.
    incident_date_is_report_date = models.BooleanField(
        _("incident date is the report date"), default=False
    )
    reported_date = models.DateField(_("reported date"), null=True, blank=True)
    # NIBRS data element 4: A–E, or N not cleared exceptionally.
    cleared_exceptionally = models.CharField(_("cleared exceptionally"), max_length=1, blank=True)
    exceptional_clearance_date = models.DateField(
        _("exceptional clearance date"), null=True, blank=True
    )
    # The first offence's location type (NIBRS gives one per offence).
    location_type = models.CharField(_("location type"), max_length=4, blank=True)
    # True or False where the source can say, None where it cannot (nibrs_codes.flags).
    weapon = models.BooleanField(_("weapon"), null=True, blank=True)
    injury = models.BooleanField(_("injury"), null=True, blank=True)
    strangulation = models.BooleanField(_("strangulation"), null=True, blank=True)
    children_present = models.BooleanField(_("children present"), null=True, blank=True)
    # A keyed hash of everything stored for the occurrence: re-importing it unchanged is
    # recognised and skipped (imports.py).
    content_hash = models.CharField(max_length=64, editable=False)
    import_run = models.ForeignKey(
        ImportRun, models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        ordering = ["-incident_date", "incident_number"]
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        constraints = [
            models.UniqueConstraint(
                # Number before ORI: an import looks occurrences up by organisation and
                # incident numbers (imports.py), which this index then answers.
                fields=["organisation", "incident_number", "ori"],
                name="occurrence_key",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "incident_date"], name="occurrence_date"),
        ]

    def __str__(self) -> str:
        return f"{self.ori} {self.incident_number}"


class OccurrenceOffence(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    occurrence = models.ForeignKey(Occurrence, models.CASCADE, related_name="offences")
    nibrs_code = models.CharField(_("NIBRS offense code"), max_length=3, blank=True)
    ucr2_code = models.CharField(_("UCR2 violation code"), max_length=8, blank=True)
    # True completed, False attempted, None not said.
    completed = models.BooleanField(_("completed"), null=True, blank=True)
    # From screening.taxonomy at import.
    crime_against = models.CharField(
        _("crime against"), max_length=12, choices=CrimeAgainst.choices, blank=True
    )
    category = models.CharField(_("category"), max_length=40, blank=True)
    location_type = models.CharField(_("location type"), max_length=4, blank=True)
    offender_suspected_of_using = models.JSONField(
        _("offender suspected of using"), default=list, blank=True
    )
    criminal_activity_codes = models.JSONField(
        _("criminal activity or gang information"), default=list, blank=True
    )
    weapon_force_codes = models.JSONField(_("weapon or force"), default=list, blank=True)
    bias_motivation_codes = models.JSONField(_("bias motivation"), default=list, blank=True)
    # Any bias motivation other than 88 none and 99 unknown.
    bias_motivated = models.BooleanField(_("bias-motivated"), default=False)

    class Meta:
        ordering = ["occurrence", "nibrs_code", "ucr2_code"]
        verbose_name = _("offence")
        verbose_name_plural = _("offences")

    def __str__(self) -> str:
        return self.nibrs_code or self.ucr2_code


class OccurrencePerson(models.Model):
    # A UUID set before the row is written: the encrypted names are bound to it.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed by the unique constraint below, which starts with it.
    occurrence = models.ForeignKey(
        Occurrence, models.CASCADE, related_name="people", db_index=False
    )
    role = models.CharField(_("role"), max_length=12, choices=PersonRole.choices)
    sequence_number = models.PositiveSmallIntegerField(_("sequence number"))
    # NIBRS data element 25: I individual, L law enforcement officer, B business, F
    # financial institution, G government, R religious organisation, S society/public,
    # O other, U unknown.
    victim_type = models.CharField(_("type of victim"), max_length=1, blank=True)
    age_code = models.CharField(_("age as coded"), max_length=8, blank=True)
    age_low = models.PositiveSmallIntegerField(_("age (lowest)"), null=True, blank=True)
    age_high = models.PositiveSmallIntegerField(_("age (highest)"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    race = models.CharField(_("race"), max_length=1, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=1, blank=True)
    resident_status = models.CharField(_("resident status"), max_length=1, blank=True)
    injury_codes = models.JSONField(_("injuries"), default=list, blank=True)
    # NIBRS data element 31 (aggravated assault/homicide circumstances; 06 is domestic
    # violence) and 32.
    circumstance_codes = models.JSONField(_("circumstances"), default=list, blank=True)
    justifiable_homicide_circumstance = models.CharField(
        _("justifiable homicide circumstance"), max_length=1, blank=True
    )
    # Arrestees.
    arrest_transaction_number = models.CharField(
        _("arrest transaction number"), max_length=20, blank=True
    )
    arrest_date = models.DateField(_("arrest date"), null=True, blank=True)
    arrest_type = models.CharField(_("type of arrest"), max_length=1, blank=True)
    arrest_offence_code = models.CharField(_("arrest offense code"), max_length=8, blank=True)
    armed_with_codes = models.JSONField(_("armed with"), default=list, blank=True)
    # Never in NIBRS; Canadian records-system exports may carry them.
    given_name = EncryptedTextField(_("given name"), null=True, blank=True)
    family_name = EncryptedTextField(_("family name"), null=True, blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    # Victims: the offences of the occurrence they are a victim of.
    offences = models.ManyToManyField(
        OccurrenceOffence, through="VictimOffence", related_name="victims", blank=True
    )

    class Meta:
        ordering = ["occurrence", "role", "sequence_number"]
        verbose_name = _("person in an occurrence")
        verbose_name_plural = _("people in occurrences")
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "role", "sequence_number"], name="occurrence_person_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.sequence_number}"


class VictimOffence(models.Model):
    """A victim's connection to one offence of the occurrence (NIBRS data element 24)."""

    # Indexed by the unique constraint below, which starts with it.
    victim = models.ForeignKey(
        OccurrencePerson, models.CASCADE, related_name="offence_links", db_index=False
    )
    # Links go when their victim goes, and a victim always goes with its offences (the whole
    # occurrence is rewritten), so the offence side needs no index to cascade.
    offence = models.ForeignKey(
        OccurrenceOffence, models.DO_NOTHING, related_name="victim_links", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["victim", "offence"], name="victim_offence_key")
        ]

    def __str__(self) -> str:
        return f"{self.victim_id} → {self.offence_id}"


class OccurrenceRelationship(models.Model):
    """What the victim was to one offender ("BG": the victim was the offender's boyfriend or
    girlfriend), with its canonical class."""

    victim = models.ForeignKey(OccurrencePerson, models.CASCADE, related_name="relationships")
    # The offender with that sequence number in the same occurrence, if the source has one.
    # Rewritten with the victim, as for VictimOffence.offence.
    offender = models.ForeignKey(
        OccurrencePerson,
        models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    offender_sequence_number = models.PositiveSmallIntegerField(_("offender sequence number"))
    code_system = models.CharField(_("code system"), max_length=8, choices=CodeSystem.choices)
    # NIBRS codes are two letters; UCR2 categories are words ("spouse_former").
    code = models.CharField(_("relationship code"), max_length=30)
    # From screening.taxonomy at import; blank when the taxonomy has no class for the code.
    relationship_class = models.CharField(
        _("relationship class"), max_length=20, choices=RelationshipClass.choices, blank=True
    )
    is_intimate = models.BooleanField(_("intimate partner"), default=False)

    class Meta:
        ordering = ["victim", "offender_sequence_number"]
        verbose_name = _("victim–offender relationship")
        verbose_name_plural = _("victim–offender relationships")

    def __str__(self) -> str:
        return f"{self.code} ({self.relationship_class or '?'})"


class ZeroReport(models.Model):
    """An agency's statement that it had no crime, arrests or recovered property in a
    month (NIBRS zero report segment). Removed when an incident of that month arrives."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="zero_reports")
    ori = models.CharField(_("agency identifier (ORI)"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    import_run = models.ForeignKey(
        ImportRun, models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ori", "year", "month"]
        verbose_name = _("zero report")
        verbose_name_plural = _("zero reports")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "ori", "year", "month"], name="zero_report_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ori} {self.year}-{self.month:02d}"


class ScreeningRule(models.Model):
    """One screening rule of an organisation. What it matches is in its versions: every
    edit writes a new ``ScreeningRuleVersion`` and points ``current`` at it; the versions
    are never changed, so a match always says exactly which rule text matched it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="screening_rules")
    # The default rule this was seeded from ("ipv", "sexual", ...); blank for a rule a
    # coordinator added.
    key = models.CharField(_("default rule"), max_length=20, blank=True)
    current = models.ForeignKey(
        "ScreeningRuleVersion", models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("screening rule")
        verbose_name_plural = _("screening rules")

    def __str__(self) -> str:
        return self.current.name if self.current else str(self.pk)


class ScreeningRuleVersion(models.Model):
    """The rule as it stood after one edit. A victim matches when all the conditions set
    hold (screening.screen documents them exactly)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    rule = models.ForeignKey(ScreeningRule, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=120)
    active = models.BooleanField(_("active"), default=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=RulePriority.choices, default=RulePriority.NORMAL
    )
    reason = models.CharField(_("reason shown to staff"), max_length=300)
    # Offence conditions: an offence of the victim's whose category is one of these or
    # whose code is one of these (either list may be empty, not both).
    categories = models.JSONField(_("offence categories"), default=list, blank=True)
    nibrs_codes = models.JSONField(_("NIBRS offense codes"), default=list, blank=True)
    ucr2_codes = models.JSONField(_("UCR2 violation codes"), default=list, blank=True)
    crime_against_person = models.BooleanField(
        _("the offence must be a crime against the person"), default=False
    )
    bias_motivated = models.BooleanField(_("the offence must be bias-motivated"), default=False)
    # Relationship condition: the victim's relationship to at least one offender is one of
    # these classes (empty: any relationship, or none).
    relationship_classes = models.JSONField(
        _("victim–offender relationship classes"), default=list, blank=True
    )
    minimum_age = models.PositiveSmallIntegerField(_("minimum victim age"), null=True, blank=True)
    offer_to_family = models.BooleanField(_("offer services to the family"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["rule", "-number"]
        verbose_name = _("screening rule version")
        verbose_name_plural = _("screening rule versions")
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="screening_rule_version_key")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"


class ScreeningMatch(models.Model):
    """One victim of one occurrence that screening matched: an item of the outreach queue.

    The victim is (occurrence, victim sequence number), which survives the occurrence being
    replaced by a later import; the ORI and incident number are kept too, so that a match
    outlives an occurrence the records system deleted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="screening_matches", db_index=False
    )
    occurrence = models.ForeignKey(
        Occurrence, models.SET_NULL, null=True, blank=True, related_name="screening_matches"
    )
    ori = models.CharField(_("agency identifier (ORI)"), max_length=20)
    incident_number = models.CharField(_("incident number"), max_length=40)
    victim_sequence_number = models.PositiveSmallIntegerField(_("victim sequence number"))
    incident_date = models.DateField(_("incident date"))
    # When the police reported it (the occurrence's report date, else its incident date):
    # the start of "time from report to first contact".
    reported_date = models.DateField(_("reported date"))
    priority = models.CharField(_("priority"), max_length=8, choices=RulePriority.choices)
    reasons = models.ManyToManyField(ScreeningRuleVersion, related_name="matches")
    status = models.CharField(
        _("status"), max_length=20, choices=MatchStatus.choices, default=MatchStatus.NEW
    )
    matched_at = models.DateTimeField(_("matched"), default=timezone.now)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    no_action_reason = EncryptedTextField(_("reason for no action"), null=True, blank=True)
    referral = models.ForeignKey(
        "intake.Referral", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)

    class Meta:
        ordering = ["-incident_date", "incident_number", "victim_sequence_number"]
        verbose_name = _("screening match")
        verbose_name_plural = _("screening matches")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "incident_number", "ori", "victim_sequence_number"],
                name="screening_match_key",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "priority"], name="screening_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.ori} {self.incident_number} V{self.victim_sequence_number}"


class OutreachAttempt(models.Model):
    """One attempt to reach a matched victim, checked against safe-contact rules before it
    is recorded (screening.outreach.record_attempt)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    match = models.ForeignKey(ScreeningMatch, models.CASCADE, related_name="attempts")
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ContactOutcome.choices)
    at = models.DateTimeField(_("when"))
    # A contact point of the linked person, where the channel uses one.
    contact_point = models.ForeignKey(
        "people.ContactPoint", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = EncryptedTextField(_("notes"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["match", "at"]
        verbose_name = _("outreach attempt")
        verbose_name_plural = _("outreach attempts")

    def __str__(self) -> str:
        return f"{self.channel} {self.outcome}"
