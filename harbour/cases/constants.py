"""Enumerations of the cases app: programs, the status lifecycle, priorities, contacts,
follow-ups and timeline events (DESIGN §5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Program(models.TextChoices):
    """The unit's programs a case is served under. Later issues add registry, devices and
    financial aid; add them here, never as free text."""

    GENERAL = "general", _("General victim services")
    IPV = "ipv", _("Intimate partner violence")
    SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
    TRAFFICKING = "trafficking", _("Human trafficking")
    HOMICIDE = "homicide", _("Homicide and bereaved family")
    SERIOUS_CRIME = "serious_crime", _("Serious crime")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    # "Active" is also a consent's state ("en vigueur"); a case is "actif".
    ACTIVE = "active", pgettext_lazy("case status", "Active")
    ON_HOLD = "on_hold", _("On hold")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


# Statuses of a case that is still being worked: caseloads, "existing open case" at triage.
LIVE_STATUSES = frozenset(
    {CaseStatus.OPEN, CaseStatus.ACTIVE, CaseStatus.ON_HOLD, CaseStatus.REOPENED}
)

# The lifecycle: from each status, where a case may go next. Closing needs a reason;
# a closed case can only be reopened.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.ACTIVE, CaseStatus.ON_HOLD, CaseStatus.CLOSED}),
    CaseStatus.ACTIVE: frozenset({CaseStatus.ON_HOLD, CaseStatus.CLOSED}),
    CaseStatus.ON_HOLD: frozenset({CaseStatus.ACTIVE, CaseStatus.CLOSED}),
    CaseStatus.REOPENED: frozenset({CaseStatus.ACTIVE, CaseStatus.ON_HOLD, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.REOPENED}),
}


class CloseReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Support complete: goals met")
    DECLINED = "declined", _("Client declined further service")
    UNABLE_TO_CONTACT = "unable_to_contact", _("Unable to make contact")
    REFERRED = "referred", _("Referred to another service")
    MOVED = "moved", _("Moved out of the area")
    DECEASED = "deceased", _("Client deceased")
    OTHER = "other", _("Other (explain)")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


# Sort order: most urgent first.
PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class ClientRole(models.TextChoices):
    """Who the client of a case is to the crime. Family members and friends are clients in
    their own right: their case links to the primary victim's case."""

    VICTIM = "victim", _("Victim")
    FAMILY = "family", _("Family member of a victim")
    FRIEND = "friend", _("Friend of a victim")
    CAREGIVER = "caregiver", _("Caregiver of a victim")
    WITNESS = "witness", _("Witness")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    DROP_IN = "drop_in", _("Drop-in")
    ON_SCENE = "on_scene", _("On scene")
    HOME_VISIT = "home_visit", _("Home visit")
    VIRTUAL = "virtual", _("Video call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("We contacted them")
    INCOMING = "incoming", _("They contacted us")


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Spoke with them")
    NO_ANSWER = "no_answer", _("No answer, no message left")
    LEFT_MESSAGE = "left_message", _("Left a voicemail or message")
    SENT = "sent", _("Message sent (text, email or letter)")
    NOT_SAFE_TO_TALK = "not_safe_to_talk", _("Not safe to talk: call back later")
    WRONG_NUMBER = "wrong_number", _("Wrong or disconnected number")
    DECLINED = "declined", _("Declined support")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TimelineKind(models.TextChoices):
    """What a timeline entry is about. Later apps add their kinds (assessment, alarm,
    court event) here."""

    REFERRAL = "referral", _("Referral")
    CASE = "case", _("Case")
    STATUS = "status", _("Status")
    ASSIGNMENT = "assignment", _("Assignment")
    CONTACT = "contact", _("Contact")
    SERVICE = "service", _("Service")
    CONSENT = "consent", _("Consent")
    TASK = "task", _("Follow-up")
    BREAK_GLASS = "break_glass", _("Restricted access")
    NOTE = "note", _("Note")


# How long a broken glass lets its user into a restricted case before they must break it
# again (with a new reason).
BREAK_GLASS_HOURS = 8

# A follow-up's owner (or, without one, its team) is emailed once when it comes due within
# this many hours (cases.tasks.remind_due_followups, run hourly by cron).
REMINDER_HOURS = 24
