"""Enumerations of the accounts app: organisation kinds and staff roles (DESIGN §1, §5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    POLICE = "police", _("Police service")
    VSU = "vsu", _("Victim services unit")
    AGENCY = "agency", _("Community agency")
    HOSPITAL = "hospital", _("Hospital")
    COURT = "court", _("Court / Crown")
    MONITORING = "monitoring", _("Monitoring centre")


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    COORDINATOR = "coordinator", _("Coordinator")
    VOLUNTEER = "volunteer", _("Volunteer")
    OFFICER = "officer", _("Police officer")
    DISPATCHER = "dispatcher", _("Dispatcher")
    PARTNER = "partner", _("Partner agency worker")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")


# Roles that work with identified victims' files inside a victim services unit.
CASE_ROLES = frozenset({Role.CASEWORKER, Role.COORDINATOR})


class KeyScope(models.TextChoices):
    PEOPLE_READ = "people:read", _("Read people")
    REFERRALS_WRITE = "referrals:write", _("Send referrals")
    ALARMS_WRITE = "alarms:write", _("Send alarm events")
    OCCURRENCES_WRITE = "occurrences:write", _("Send police occurrences")
