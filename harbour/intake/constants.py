"""Enumerations of intake: where a referral came from, by what channel, its state in the
triage queue, and the target times a unit holds itself to."""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """The door a referral came through. Screening of police reports (issue 4) and
    on-scene call-outs (issue 6) create referrals through the same action with their own
    source: the seam is `actions.receive_referral(source=...)`."""

    SELF = "self", _("Self-referral")
    FAMILY_FRIEND = "family_friend", _("Family member or friend")
    POLICE = "police", _("Police")
    AGENCY = "agency", _("Community agency")
    SCREENING = "screening", _("Screening of police reports")
    ON_SCENE = "on_scene", _("On-scene call-out")


class IntakeChannel(models.TextChoices):
    WEB_FORM = "web_form", _("Public web form")
    OFFICER_FORM = "officer_form", _("Officer's form")
    AGENCY_FORM = "agency_form", _("Agency's form")
    API = "api", _("Records system (API)")
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    EMAIL = "email", _("Email")
    SYSTEM = "system", _("Harbour (screening or call-out)")


class ReferralStatus(models.TextChoices):
    NEW = "new", _("Waiting for triage")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    DUPLICATE = "duplicate", _("Duplicate")


class DeclineReason(models.TextChoices):
    OUT_OF_AREA = "out_of_area", _("Outside our area")
    NOT_ELIGIBLE = "not_eligible", _("Not within our mandate")
    DECLINED_BY_VICTIM = "declined_by_victim", _("The person declined support")
    UNABLE_TO_CONTACT = "unable_to_contact", _("Unable to make contact")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Better served by another agency")
    OTHER = "other", _("Other (explain)")


class RiskFlag(models.TextChoices):
    """Risk indicators a referrer can tick. Codes are stable: the API takes them."""

    WEAPON = "weapon", _("Weapon used or threatened")
    STRANGULATION = "strangulation", _("Strangulation or choking")
    INJURY = "injury", _("Injury")
    CHILDREN_PRESENT = "children_present", _("Children present")
    THREATS_TO_KILL = "threats_to_kill", _("Threats to kill")
    RECENT_SEPARATION = "recent_separation", _("Recent or pending separation")
    ESCALATION = "escalation", _("Violence is escalating")
    STALKING = "stalking", _("Stalking or harassment")
    BREACH = "breach", _("Breach of conditions or an order")
    PREGNANCY = "pregnancy", _("Pregnant")
    SUICIDE_RISK = "suicide_risk", _("Accused threatened suicide")


class ReferralRole(models.TextChoices):
    """A person named on a referral."""

    VICTIM = "victim", _("Victim")
    FAMILY = "family", _("Family member")
    FRIEND = "friend", _("Friend")
    CHILD = "child", _("Child")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    PRIORITY = "priority", _("Priority")
    URGENT = "urgent", _("Urgent: risk of harm now")


# How soon a referral must be triaged, by urgency. A referral carrying a high-risk flag is
# treated as urgent whatever its sender chose (intake.actions.urgency_for).
TRIAGE_TARGETS = {
    Urgency.URGENT: timedelta(hours=4),
    Urgency.PRIORITY: timedelta(hours=24),
    Urgency.ROUTINE: timedelta(hours=72),
}

# The flags that make any referral urgent: a weapon, strangulation and threats to kill are
# the strongest predictors of a lethal assault in the risk research behind the Lethality
# Screen and the Danger Assessment, so a unit reaches out within hours, not days.
HIGH_RISK_FLAGS = frozenset({RiskFlag.WEAPON, RiskFlag.STRANGULATION, RiskFlag.THREATS_TO_KILL})

# Submissions of the public self-referral form allowed per client address per window.
PUBLIC_FORM_LIMIT = 5
PUBLIC_FORM_WINDOW = timedelta(hours=1)

# Victims one staff form takes; more go in the narrative or a second referral.
FORM_VICTIMS = 3
