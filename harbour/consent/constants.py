"""Enumerations of the consent ledger: what a consent is for, to whom, how it was given,
and the legal bases that allow a disclosure without one (DESIGN §4.7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from harbour.accounts.constants import OrganisationKind


class Purpose(models.TextChoices):
    REFERRAL = "referral", _("Referral to services")
    POLICE_SHARING = "police_sharing", _("Information sharing with police")
    CONFERENCE = "conference", _("High-risk case conference")
    DEVICE_MONITORING = "device_monitoring", _("Safety-device monitoring")
    COURT_LIAISON = "court_liaison", _("Court / Crown liaison")
    REGISTRY = "registry", _("Vulnerable persons registry")


class RecipientClass(models.TextChoices):
    """A class of recipient. The values are OrganisationKind's, so an organisation's kind
    is the class it belongs to (test_constants checks they stay in step)."""

    POLICE = OrganisationKind.POLICE.value, _("Any police service")
    VSU = OrganisationKind.VSU.value, _("Any victim services unit")
    AGENCY = OrganisationKind.AGENCY.value, _("Any community agency")
    HOSPITAL = OrganisationKind.HOSPITAL.value, _("Any hospital")
    COURT = OrganisationKind.COURT.value, _("Any court / Crown office")
    MONITORING = OrganisationKind.MONITORING.value, _("Any monitoring centre")


class Method(models.TextChoices):
    WRITTEN = "written", _("Written and signed")
    E_SIGNED = "e_signed", _("Signed electronically")
    VERBAL_WITNESSED = "verbal_witnessed", _("Verbal, with a witness")


class LegalBasis(models.TextChoices):
    IMMINENT_RISK = "imminent_risk", _("Imminent risk of serious harm")
    COURT_ORDER = "court_order", _("Court order")
    REQUIRED_BY_LAW = "required_by_law", _("Required by law")


# How many days before a consent lapses the worker who recorded it is reminded.
REMINDER_DAYS = 14
