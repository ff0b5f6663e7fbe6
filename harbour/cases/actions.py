"""Writes on cases. Each runs in one transaction and writes the case's timeline entry and
the audit event with the change (DESIGN §4.3): a case and the trail of what happened to it
commit or roll back together.

`open_case` is the one way a case comes to exist: triage, the call-out scene report and the
demo data all go through it.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harbour.accounts.constants import CASE_ROLES, Role
from harbour.accounts.models import Organisation, User
from harbour.audit.actions import record_access
from harbour.cases.constants import ClientRole, Priority, Program, TaskStatus, TimelineKind
from harbour.cases.models import BreakGlass, Case, CaseProgram, Task, Team, TimelineEvent
from harbour.people.models import Person


class CaseError(ValueError):
    """A change refused; the message says what to fix. Nothing was written."""


def add_timeline(
    case: Case,
    kind: str,
    verb: str,
    *,
    actor=None,
    obj=None,
    at: datetime | None = None,
    **data,
) -> TimelineEvent:
    """One timeline line, in the caller's transaction. `data` holds codes only (a channel,
    an outcome, a status): never notes, names or numbers."""
    return TimelineEvent.objects.create(
        case=case,
        at=at or timezone.now(),
        kind=kind,
        verb=verb,
        data=data,
        actor=actor if actor is not None and actor.is_authenticated else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )


def touch(case: Case, at: datetime | None = None) -> None:
    """Move the case's last activity forward (never back: a contact logged late for last
    week does not make the case look untouched since)."""
    at = at or timezone.now()
    Case.objects.filter(pk=case.pk, last_activity_at__lt=at).update(last_activity_at=at)
    if case.last_activity_at < at:
        case.last_activity_at = at


def next_case_number(organisation: Organisation, year: int) -> str:
    """The organisation's next number for `year` ("2026-00042"). The caller holds the
    organisation's row lock (open_case), so two cases opened at once cannot draw the
    same number on PostgreSQL; on SQLite the IMMEDIATE transaction serialises writers."""
    prefix = f"{year}-"
    last = (
        Case.objects.filter(organisation=organisation, number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    n = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{n:05d}"


def _set_trafficking_protection(person: Person, programs: Iterable[str]) -> None:
    # The consent ledger refuses police disclosure for a person in the trafficking
    # program (consent.actions.disclose); the flag is how it knows.
    if Program.TRAFFICKING in programs and not person.trafficking_protection:
        person.trafficking_protection = True
        person.save(update_fields=["trafficking_protection"])


@transaction.atomic
def open_case(
    request,
    organisation: Organisation,
    client: Person,
    *,
    programs: Iterable[str],
    priority: str = Priority.NORMAL,
    assigned_to=None,
    team: Team | None = None,
    client_role: str = ClientRole.VICTIM,
    linked_case: Case | None = None,
    occurrence_number: str = "",
    restricted: bool = False,
    restricted_reason: str = "",
    opened_at: datetime | None = None,
) -> Case:
    programs = sorted(set(programs))
    if not programs:
        raise CaseError(_("Choose at least one program."))
    if any(p not in Program.values for p in programs):
        raise CaseError(_("Choose programs from the list."))
    if client.organisation_id != organisation.pk:
        raise CaseError(_("The client must be a person of this organisation."))
    if linked_case is not None and linked_case.organisation_id != organisation.pk:
        raise CaseError(_("The linked case must be a case of this organisation."))
    if client_role != ClientRole.VICTIM and linked_case is None:
        raise CaseError(_("A family member's or friend's case links to the victim's case."))
    if restricted and not restricted_reason.strip():
        raise CaseError(_("Say why the case is restricted."))
    if team is not None and team.organisation_id != organisation.pk:
        raise CaseError(_("Choose a team of this organisation."))
    opened_at = opened_at or timezone.now()
    # Lock the organisation's row: case numbers are drawn one at a time (next_case_number).
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    user = getattr(request, "user", None)
    case = Case(
        organisation=organisation,
        number=next_case_number(organisation, timezone.localtime(opened_at, organisation.tz).year),
        client=client,
        client_role=client_role,
        linked_case=linked_case,
        priority=priority,
        assigned_to=assigned_to,
        team=team,
        occurrence_number=occurrence_number.strip(),
        restricted=restricted,
        restricted_reason=restricted_reason.strip(),
        opened_at=opened_at,
        last_activity_at=opened_at,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    case.save(force_insert=True)
    CaseProgram.objects.bulk_create(
        [CaseProgram(case=case, program=p, added_at=opened_at) for p in programs]
    )
    _set_trafficking_protection(client, programs)
    add_timeline(case, TimelineKind.CASE, "opened", actor=user, obj=case, at=opened_at)
    record_access(request, "case.open", obj=case, person=client)
    return case


@transaction.atomic
def break_glass(request, case: Case, reason: str) -> BreakGlass:
    """Let the user into a restricted case they are not on the team of, for
    BREAK_GLASS_HOURS, with their reason on the record for a coordinator's review."""
    reason = reason.strip()
    if len(reason) < 10:
        raise CaseError(_("Give a reason of at least 10 characters: it is reviewed."))
    glass = BreakGlass.objects.create(case=case, user=request.user, reason=reason)
    add_timeline(case, TimelineKind.BREAK_GLASS, "broken", actor=request.user, obj=glass)
    record_access(request, "case.break_glass", obj=case, person=case.client, reason=reason)
    return glass


@transaction.atomic
def review_glass(request, glass: BreakGlass, note: str) -> None:
    glass.reviewed_by = request.user
    glass.reviewed_at = timezone.now()
    glass.review_note = note.strip()[:500]
    glass.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    record_access(request, "case.review_break_glass", obj=glass.case, person=glass.case.client)


# --- Follow-ups and teams (issue 3 items 8 and 10) ----------------------------------------
#
# A follow-up's title is staff-written text: it stays in the Task row. Timeline lines hold
# codes and link to the task; audit events name the case's client as the person concerned.


def _check_followup(case: Case, *, title: str, owner, team: Team | None) -> str:
    title = title.strip()
    if not title:
        raise CaseError(_("Say what is to be done."))
    if len(title) > 200:
        raise CaseError(_("Say what is to be done in 200 characters or fewer."))
    if owner is None and team is None:
        raise CaseError(_("Choose who does it: an owner, a team, or both."))
    if owner is not None:
        staff = User.objects.filter(
            pk=owner.pk,
            is_active=True,
            memberships__organisation_id=case.organisation_id,
            memberships__role__in=CASE_ROLES,
            memberships__is_active=True,
        )
        if not staff.exists():
            raise CaseError(_("The owner must be a caseworker or coordinator of this unit."))
    if team is not None and team.organisation_id != case.organisation_id:
        raise CaseError(_("Choose a team of this organisation."))
    return title


def _check_due(due_at: datetime, now: datetime) -> None:
    if timezone.is_naive(due_at):
        raise ValueError("due_at must be an aware datetime")
    # Times are typed to the minute: a follow-up due this very minute is not in the past.
    if due_at < now.replace(second=0, microsecond=0):
        raise CaseError(_("The due time has passed: choose a time from now on."))


@transaction.atomic
def create_followup(
    request,
    case: Case,
    *,
    title: str,
    due_at: datetime,
    owner=None,
    team: Team | None = None,
) -> Task:
    """A follow-up on a live case, for an owner, a team, or an owner within a team. Due
    times in the past are refused: a follow-up is work still to do (record work already
    done as a contact or a service)."""
    if not case.is_live:
        raise CaseError(_("This case is closed: reopen it before adding a follow-up."))
    title = _check_followup(case, title=title, owner=owner, team=team)
    now = timezone.now()
    _check_due(due_at, now)
    task = Task.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        title=title,
        due_at=due_at,
        owner=owner,
        team=team,
        created_by=request.user,
        created=now,
    )
    add_timeline(
        case, TimelineKind.TASK, "created", actor=request.user, obj=task, at=now, due=_iso(due_at)
    )
    touch(case, now)
    record_access(request, "followup.create", obj=task, person=case.client)
    return task


@transaction.atomic
def complete_followup(request, task: Task) -> bool:
    """Mark an open follow-up done. Returns False, writing nothing, if it was no longer
    open (two people pressing "Done" at once: the second finds it done)."""
    now = timezone.now()
    # A conditional UPDATE, not read-then-save: of two requests racing, only one changes
    # the row (PostgreSQL re-checks the WHERE after the first commits; SQLite serialises
    # writers), so the timeline and the audit trail say "done" once.
    done = Task.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE, done_at=now, done_by=request.user
    )
    if not done:
        return False
    task.status, task.done_at, task.done_by = TaskStatus.DONE, now, request.user
    add_timeline(task.case, TimelineKind.TASK, "done", actor=request.user, obj=task, at=now)
    touch(task.case, now)
    record_access(request, "followup.complete", obj=task, person=task.case.client)
    return True


@transaction.atomic
def update_followup(
    request,
    task: Task,
    *,
    title: str,
    due_at: datetime,
    owner=None,
    team: Team | None = None,
) -> list[str]:
    """Change what, when or who of an open follow-up. Returns the names of the fields that
    changed (empty: nothing written). A due time left as it was may be in the past (an
    overdue follow-up can be reassigned); a new one may not."""
    case = task.case
    title = _check_followup(case, title=title, owner=owner, team=team)
    now = timezone.now()
    changes: dict[str, object] = {}
    if title != task.title:
        changes["title"] = title
    if _minute(due_at) != _minute(task.due_at):
        _check_due(due_at, now)
        changes["due_at"] = due_at
    if (owner.pk if owner else None) != task.owner_id:
        changes["owner"] = owner
    if (team.pk if team else None) != task.team_id:
        changes["team"] = team
    if not changes:
        return []
    if {"due_at", "owner", "team"} & set(changes):
        # A new time or new people get their own reminder.
        changes["reminded_at"] = None
    updated = Task.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(**changes)
    if not updated:
        raise CaseError(_("This follow-up was completed or cancelled meanwhile."))
    for name, value in changes.items():
        setattr(task, name, value)
    changed = sorted(name.removesuffix("_at") for name in changes if name != "reminded_at")
    add_timeline(case, TimelineKind.TASK, "updated", actor=request.user, obj=task, changed=changed)
    touch(case, now)
    record_access(
        request, "followup.update", obj=task, person=case.client, reason=", ".join(changed)
    )
    return changed


@transaction.atomic
def cancel_followup(request, task: Task) -> bool:
    """Cancel an open follow-up (no longer needed). False, writing nothing, if it was no
    longer open."""
    now = timezone.now()
    cancelled = Task.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
        status=TaskStatus.CANCELLED, done_at=now, done_by=request.user
    )
    if not cancelled:
        return False
    task.status = TaskStatus.CANCELLED
    add_timeline(task.case, TimelineKind.TASK, "cancelled", actor=request.user, obj=task, at=now)
    touch(task.case, now)
    record_access(request, "followup.cancel", obj=task, person=task.case.client)
    return True


def _minute(at: datetime) -> datetime:
    # Due times are typed to the minute; an unchanged form must not read as a new time.
    return at.replace(second=0, microsecond=0)


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="minutes")


def _check_team(organisation: Organisation, name: str, members, team: Team | None) -> str:
    name = " ".join(name.split())
    if not name:
        raise CaseError(_("Give the team a name."))
    if len(name) > 100:
        raise CaseError(_("Give the team a name of 100 characters or fewer."))
    same = Team.objects.filter(organisation=organisation, name__iexact=name)
    if team is not None:
        same = same.exclude(pk=team.pk)
    if same.exists():
        raise CaseError(_("There is already a team of that name."))
    allowed = User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__role__in=CASE_ROLES | {Role.VOLUNTEER},
        memberships__is_active=True,
    )
    if {u.pk for u in members} - set(allowed.values_list("pk", flat=True)):
        raise CaseError(_("Members must be caseworkers, coordinators or volunteers of this unit."))
    return name


def _members_reason(added, removed) -> str:
    # Staff addresses, not victims: who joined or left a team decides who sees its
    # restricted cases, so the trail names them.
    parts = []
    if added:
        parts.append("added: " + ", ".join(sorted(u.email for u in added)))
    if removed:
        parts.append("removed: " + ", ".join(sorted(u.email for u in removed)))
    return "; ".join(parts)


@transaction.atomic
def create_team(request, organisation: Organisation, *, name: str, members) -> Team:
    members = list(members)
    name = _check_team(organisation, name, members, None)
    team = Team.objects.create(organisation=organisation, name=name)
    team.members.set(members)
    record_access(
        request,
        "team.create",
        obj=team,
        organisation=organisation,
        reason=_members_reason(members, []),
    )
    return team


@transaction.atomic
def update_team(request, team: Team, *, name: str, members) -> None:
    members = list(members)
    name = _check_team(team.organisation, name, members, team)
    before = set(team.members.all())
    after = set(members)
    if name != team.name:
        team.name = name
        team.save(update_fields=["name"])
    team.members.set(members)
    reason = _members_reason(after - before, before - after)
    record_access(request, "team.update", obj=team, organisation=team.organisation, reason=reason)
