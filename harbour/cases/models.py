"""Cases and what happens on them: teams, the case with its programs and lifecycle,
restricted-case access (break the glass), contacts, services provided, follow-up tasks and
the timeline that lists all of it in order.

Narrative notes are encrypted at rest (DESIGN.md §4.6). State changes go through
actions.py, which writes the timeline and the audit trail in the same transaction.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harbour.accounts.models import Organisation
from harbour.cases.constants import (
    BREAK_GLASS_HOURS,
    LIVE_STATUSES,
    CaseStatus,
    Channel,
    ClientRole,
    CloseReason,
    ContactOutcome,
    Direction,
    Priority,
    Program,
    TaskStatus,
    TimelineKind,
)
from harbour.lib.fields import EncryptedTextField
from harbour.people.models import ContactPoint, Person


class Team(models.Model):
    """A named group of workers in one organisation (the IPV team, the night volunteers).
    A case's team shares its caseload; a restricted case is seen by its team only."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="teams", blank=True, verbose_name=_("members")
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """One client's file in one organisation. A family member or friend of a victim is a
    client in their own right: their case has its own client and links to the primary
    victim's case through `linked_case`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="cases")
    # Human-facing number, unique in the organisation: "2026-00042".
    number = models.CharField(_("case number"), max_length=20, editable=False)
    client = models.ForeignKey(
        Person, models.PROTECT, related_name="cases", verbose_name=_("client")
    )
    client_role = models.CharField(
        _("client is"), max_length=20, choices=ClientRole.choices, default=ClientRole.VICTIM
    )
    linked_case = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_cases",
        verbose_name=_("primary victim's case"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned worker"),
    )
    team = models.ForeignKey(
        Team, models.SET_NULL, null=True, blank=True, related_name="cases", verbose_name=_("team")
    )
    # Only the assigned worker and the team see a restricted case; anyone else breaks the
    # glass (BreakGlass) with a reason.
    restricted = models.BooleanField(_("restricted"), default=False)
    restricted_reason = models.CharField(_("why restricted"), max_length=200, blank=True)
    occurrence_number = models.CharField(_("police occurrence number"), max_length=40, blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(
        _("reason for closing"), max_length=30, choices=CloseReason.choices, blank=True
    )
    close_note = models.CharField(_("closing note"), max_length=500, blank=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    # The newest contact, service or status change: caseloads sort and flag by it.
    last_activity_at = models.DateTimeField(default=timezone.now)
    # Not closed (LIVE_STATUSES), kept by the database itself. Caseloads list live cases
    # first, newest activity first, through the *_live indexes below: with one value to
    # match instead of four statuses, a page is read in index order and stops at its
    # fiftieth row, where `status IN (…)` would sort every matching case first.
    live = models.GeneratedField(
        expression=models.Case(
            models.When(status__in=sorted(LIVE_STATUSES), then=models.Value(True)),
            default=models.Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="case_unique_number"),
            models.CheckConstraint(
                condition=~models.Q(status=CaseStatus.CLOSED) | ~models.Q(close_reason=""),
                name="case_closed_has_reason",
            ),
        ]
        indexes = [
            # My caseload: a worker's live cases, newest activity first.
            models.Index(
                fields=["organisation", "assigned_to", "status", "-last_activity_at"],
                name="case_caseload",
            ),
            models.Index(
                fields=["organisation", "team", "status", "-last_activity_at"],
                name="case_team_caseload",
            ),
            # Caseloads: mine, a team's, the organisation's; live cases first, newest
            # activity first (caseload.case_rows). Each leads with what its list fixes,
            # so the database picks it over the others.
            models.Index(
                fields=["organisation", "assigned_to", "-live", "-last_activity_at"],
                name="case_mine_live",
            ),
            models.Index(
                fields=["organisation", "team", "-live", "-last_activity_at"],
                name="case_team_live",
            ),
            models.Index(fields=["organisation", "-live", "-last_activity_at"], name="case_live"),
            models.Index(fields=["organisation", "client"], name="case_client"),
            models.Index(fields=["organisation", "occurrence_number"], name="case_occurrence"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def program_codes(self) -> list[str]:
        return [p.program for p in self.programs.all()]


class CaseProgram(models.Model):
    """A program the case is served under; a case may be in several (IPV and sexual
    violence). A row each, so caseloads filter by program with an index."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="programs")
    program = models.CharField(_("program"), max_length=30, choices=Program.choices)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["program"]
        verbose_name = _("case program")
        verbose_name_plural = _("case programs")
        constraints = [
            models.UniqueConstraint(fields=["case", "program"], name="case_program_unique")
        ]
        indexes = [models.Index(fields=["program", "case"], name="case_program_lookup")]

    def __str__(self) -> str:
        return str(self.get_program_display())


class BreakGlass(models.Model):
    """Someone outside a restricted case's team opened it, with a reason. Lets them in for
    BREAK_GLASS_HOURS; listed for a coordinator to review."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="break_glasses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("broken glass")
        verbose_name_plural = _("broken glass")
        indexes = [
            models.Index(fields=["case", "user", "-at"], name="break_glass_lookup"),
            models.Index(fields=["reviewed_at", "-at"], name="break_glass_review"),
        ]

    def __str__(self) -> str:
        return str(_("broken glass"))

    @property
    def expires_at(self):
        return self.at + timedelta(hours=BREAK_GLASS_HOURS)


class Contact(models.Model):
    """A contact or an attempt at one, in either direction."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, models.CASCADE, related_name="contacts")
    # Whom it was with: the client, or another person on file (a parent, a friend).
    person = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("with")
    )
    # The number or address used, so its safe-contact preferences can be checked.
    contact_point = models.ForeignKey(
        ContactPoint,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("number or address used"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ContactOutcome.choices)
    notes = EncryptedTextField(_("notes"), null=True, blank=True)
    # Set when the worker went ahead after the warning that it is outside the safe times.
    outside_safe_times = models.BooleanField(default=False, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["case", "-at"], name="contact_case_at")]

    def __str__(self) -> str:
        return str(self.get_channel_display())


class ServiceProvided(models.Model):
    """A service from the taxonomy (cases/data/services.json) given on a case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, models.CASCADE, related_name="services")
    # A code of the services taxonomy; validated by actions against the data file.
    service = models.CharField(_("service"), max_length=40)
    at = models.DateTimeField(_("when"), default=timezone.now)
    minutes = models.PositiveIntegerField(_("time spent (minutes)"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), null=True, blank=True)
    contact = models.ForeignKey(
        Contact, models.SET_NULL, null=True, blank=True, related_name="services"
    )
    provided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("service provided")
        verbose_name_plural = _("services provided")
        indexes = [
            models.Index(fields=["case", "-at"], name="service_case_at"),
            models.Index(fields=["service", "at"], name="service_code_at"),
        ]

    def __str__(self) -> str:
        return self.service


class Task(models.Model):
    """A follow-up: something someone must do by a date, on a case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, models.CASCADE, related_name="tasks")
    title = models.CharField(_("what to do"), max_length=200)
    due_at = models.DateTimeField(_("due"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("owner"),
    )
    team = models.ForeignKey(
        Team, models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("team")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set by the reminder task when it has reminded the owner, so a reminder goes once.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            models.Index(fields=["organisation", "owner", "status", "due_at"], name="task_owner"),
            models.Index(fields=["organisation", "team", "status", "due_at"], name="task_team"),
            models.Index(fields=["case", "status", "due_at"], name="task_case"),
            models.Index(fields=["status", "reminded_at", "due_at"], name="task_reminder"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == TaskStatus.OPEN and self.due_at < timezone.now()


class TimelineEvent(models.Model):
    """One line on a case's timeline, written by the action that made the change. It holds
    codes only (`verb` and `data`, such as {"channel": "phone", "outcome": "reached"}), never
    notes or names: the page renders the sentence in the reader's language, and notes stay
    encrypted in their own rows."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="timeline")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=TimelineKind.choices)
    verb = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the line is about ("cases.contact", uuid), for a link to it.
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        indexes = [models.Index(fields=["case", "-at"], name="timeline_case_at")]

    def __str__(self) -> str:
        return f"{self.kind}.{self.verb}"
