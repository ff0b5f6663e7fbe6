"""Enumerations of the screening app: where occurrences come from, the roles of the people in
them, the canonical classes their offences and relationships are sorted into, and the state
of an import."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceFormat(models.TextChoices):
    """The formats `harbour import occurrences --format` names."""

    NIBRS_FLAT = "nibrs-flat", _("NIBRS flat file")
    NIBRS_XML = "nibrs-xml", _("NIBRS XML")
    CSV = "csv", _("Harbour CSV (UCR2)")
    JSON = "json", _("Harbour JSON (UCR2)")


class PersonRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    # NIBRS says offender, Canadian records systems say accused (or chargeable suspect).
    OFFENDER = "offender", _("Offender or accused")
    ARRESTEE = "arrestee", _("Arrestee")
    WITNESS = "witness", _("Witness")
    COMPLAINANT = "complainant", _("Complainant")


class CodeSystem(models.TextChoices):
    """Whose codes a relationship or offence is given in."""

    NIBRS = "nibrs", _("NIBRS (FBI)")
    UCR2 = "ucr2", _("UCR2 (Statistics Canada)")


class CrimeAgainst(models.TextChoices):
    """An offence's crime-against category (NIBRS Appendix A); 09C justifiable homicide is
    not a crime."""

    PERSON = "person", _("Person")
    PROPERTY = "property", _("Property")
    SOCIETY = "society", _("Society")
    NOT_A_CRIME = "not_a_crime", _("Not a crime")


class RelationshipClass(models.TextChoices):
    """The canonical victim-to-offender relationship classes both code systems map to
    (screening.taxonomy, from its data files)."""

    CURRENT_SPOUSE = "current_spouse", _("Spouse or common-law partner")
    FORMER_SPOUSE = "former_spouse", _("Former spouse or common-law partner")
    CURRENT_DATING = "current_dating", _("Dating partner")
    FORMER_DATING = "former_dating", _("Former dating partner")
    OTHER_INTIMATE = "other_intimate", _("Other intimate partner")
    FAMILY = "family", _("Family member")
    ACQUAINTANCE = "acquaintance", _("Acquaintance")
    STRANGER = "stranger", _("Stranger")
    UNKNOWN = "unknown", _("Unknown")
    SELF = "self", _("Victim was also the offender")


class ImportStatus(models.TextChoices):
    # An upload waiting for the task worker.
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    # Nothing written: the file was not in its format, or broken as a whole.
    REFUSED = "refused", _("Refused")
    COMPLETED = "completed", _("Completed")
    # A batch failed: it was rolled back; the batches before it stay.
    FAILED = "failed", _("Failed")


class RulePriority(models.TextChoices):
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


class MatchStatus(models.TextChoices):
    """Where a victim matched by screening is in the outreach queue."""

    NEW = "new", _("Not decided")
    OFFERED = "offered", _("Services offered")
    NO_ACTION = "no_action", _("No action")
    EXISTING_CLIENT = "existing_client", _("Existing client")
    # Undecided, and a replacement of its occurrence no longer matches any rule.
    NO_LONGER_MATCHES = "no_longer_matches", _("No longer matches")
