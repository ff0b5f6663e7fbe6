"""Writes on cases. Each runs in one transaction and writes the case's timeline entry and
the audit event with the change (DESIGN §4.3): a case and the trail of what happened to it
commit or roll back together.

`open_case` is the one way a case comes to exist: triage, the call-out scene report and the
demo data all go through it.
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from harbour.accounts.access import Acting
from harbour.accounts.constants import CASE_ROLES, Role
from harbour.accounts.models import Organisation, User
from harbour.audit.actions import record_access
from harbour.cases import safe_contact
from harbour.cases.constants import (
    LIVE_STATUSES,
    TRANSITIONS,
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
from harbour.cases.models import (
    BreakGlass,
    Case,
    CaseProgram,
    Contact,
    ServiceProvided,
    Task,
    Team,
    TimelineEvent,
)
from harbour.cases.services import taxonomy
from harbour.people.actions import add_relationship, create_person
from harbour.people.constants import RelationshipKind
from harbour.people.models import ContactPoint, Person, Relationship


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
def review_glass(request, glass: BreakGlass, note: str) -> bool:
    """Mark a broken glass reviewed. False if another coordinator reviewed it first: the
    conditional UPDATE lets only one review stand, so neither note overwrites the other."""
    note = note.strip()
    if not note:
        raise CaseError(_("Write what you found: the note is the record of the review."))
    now = timezone.now()
    done = BreakGlass.objects.filter(pk=glass.pk, reviewed_at__isnull=True).update(
        reviewed_by=request.user, reviewed_at=now, review_note=note[:500]
    )
    if not done:
        return False
    glass.reviewed_by, glass.reviewed_at, glass.review_note = request.user, now, note[:500]
    add_timeline(glass.case, TimelineKind.BREAK_GLASS, "reviewed", actor=request.user, obj=glass)
    record_access(request, "case.review_break_glass", obj=glass.case, person=glass.case.client)
    return True


# Editing a case: programs, priority, assignment, team, restriction, occurrence number.


def _check_worker(organisation: Organisation, user) -> None:
    from harbour.cases.access import case_staff

    if user is not None and not case_staff(organisation).filter(pk=user.pk).exists():
        raise CaseError(_("Assign the case to a caseworker or coordinator of this organisation."))


@transaction.atomic
def update_case(
    request,
    case: Case,
    *,
    programs: Iterable[str],
    priority: str,
    assigned_to,
    team: Team | None,
    restricted: bool,
    restricted_reason: str = "",
    occurrence_number: str = "",
    lift_reason: str = "",
) -> list[str]:
    """Change what the edit form holds; each change gets its own timeline line and the
    audit trail names the fields changed. Returns the names of the fields changed.

    A restricted case needs a team with at least one member: the team (and the assigned
    worker) are the only people who open it without breaking the glass, so a restricted
    case without one would be hidden from everyone. Lifting a restriction is a
    coordinator's decision, with a reason."""
    # Lock the row: two people saving the form at once would each compare against a stale
    # "before" and write timeline lines for changes the other already made.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    organisation = locked.organisation
    programs = sorted(set(programs))
    if not programs:
        raise CaseError(_("Choose at least one program."))
    if any(p not in Program.values for p in programs):
        raise CaseError(_("Choose programs from the list."))
    if priority not in Priority.values:
        raise CaseError(_("Choose a priority from the list."))
    _check_worker(organisation, assigned_to)
    if team is not None and team.organisation_id != organisation.pk:
        raise CaseError(_("Choose a team of this organisation."))
    restricted_reason = restricted_reason.strip()
    if restricted and not restricted_reason:
        raise CaseError(_("Say why the case is restricted."))
    if restricted and team is None:
        raise CaseError(_("Choose the team that may open the restricted case."))
    if restricted and team is not None and not team.members.exists():
        raise CaseError(_("That team has no members: nobody could open the restricted case."))
    lifting = locked.restricted and not restricted
    if lifting and not request.user.has_perm("cases.lift_restriction", organisation):
        raise CaseError(_("Only a coordinator can lift a restriction."))
    if lifting and not lift_reason.strip():
        raise CaseError(_("Say why the restriction is lifted."))

    user = request.user
    changed: list[str] = []
    before = set(locked.program_codes)
    added, removed = sorted(set(programs) - before), sorted(before - set(programs))
    if added or removed:
        CaseProgram.objects.filter(case=locked, program__in=removed).delete()
        CaseProgram.objects.bulk_create([CaseProgram(case=locked, program=p) for p in added])
        # Leaving the trafficking program does not lift the protection: the danger of
        # disclosure to police outlasts the program (a coordinator's call, not a form's).
        _set_trafficking_protection(locked.client, added)
        add_timeline(
            locked, TimelineKind.CASE, "programs_changed", actor=user, added=added, removed=removed
        )
        changed.append("programs")
    if priority != locked.priority:
        move: dict[str, Any] = {"from": locked.priority, "to": priority}
        add_timeline(locked, TimelineKind.CASE, "priority_changed", actor=user, **move)
        locked.priority = priority
        changed.append("priority")
    if assigned_to != locked.assigned_to:
        add_timeline(
            locked,
            TimelineKind.ASSIGNMENT,
            "assigned",
            actor=user,
            to_user=assigned_to.pk if assigned_to else None,
            from_user=locked.assigned_to_id,
        )
        locked.assigned_to = assigned_to
        changed.append("assigned_to")
    if team != locked.team:
        add_timeline(
            locked,
            TimelineKind.ASSIGNMENT,
            "team_changed",
            actor=user,
            to_team=team.pk if team else None,
            from_team=locked.team_id,
        )
        locked.team = team
        changed.append("team")
    if restricted and not locked.restricted:
        add_timeline(locked, TimelineKind.CASE, "restricted", actor=user)
        record_access(
            request, "case.restrict", obj=locked, person=locked.client, reason=restricted_reason
        )
    elif lifting:
        add_timeline(locked, TimelineKind.CASE, "unrestricted", actor=user)
        record_access(
            request, "case.unrestrict", obj=locked, person=locked.client, reason=lift_reason.strip()
        )
    if restricted != locked.restricted:
        changed.append("restricted")
    locked.restricted = restricted
    new_reason = restricted_reason if restricted else ""
    if new_reason != locked.restricted_reason:
        locked.restricted_reason = new_reason
        changed.append("restricted_reason")
    occurrence_number = occurrence_number.strip()
    if occurrence_number != locked.occurrence_number:
        # The timeline says it changed, never the number itself (codes only).
        add_timeline(locked, TimelineKind.CASE, "occurrence_changed", actor=user)
        locked.occurrence_number = occurrence_number
        changed.append("occurrence_number")
    fields = [f for f in changed if f != "programs"]
    if fields:
        locked.save(update_fields=fields)
    if changed:
        record_access(
            request, "case.update", obj=locked, person=locked.client, reason=", ".join(changed)
        )
    for name in ("priority", "assigned_to", "team", "restricted", "restricted_reason"):
        setattr(case, name, getattr(locked, name))
    case.occurrence_number = locked.occurrence_number
    return changed


@transaction.atomic
def change_status(
    request,
    case: Case,
    new_status: str,
    *,
    expected: str | None = None,
    close_reason: str = "",
    close_note: str = "",
) -> None:
    """Move the case along its lifecycle (constants.TRANSITIONS). Closing needs a reason
    (and a note for "other"); reopening a closed case makes it REOPENED."""
    # Two workers can change the status at once (one closes while the other puts the case
    # on hold): lock the row and check the move against the status as it is now. With
    # `expected` (the status the form showed), a change made meanwhile is refused instead
    # of silently overridden.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected is not None and locked.status != expected:
        raise CaseError(
            _(
                "Someone changed the status meanwhile: the case is now %(status)s. "
                "Check, then try again."
            )
            % {"status": locked.get_status_display()}
        )
    if new_status not in TRANSITIONS.get(locked.status, ()):
        raise CaseError(
            _("A case that is %(status)s cannot be moved to that status.")
            % {"status": locked.get_status_display()}
        )
    now = timezone.now()
    data: dict[str, Any] = {"from": locked.status, "to": new_status}
    if new_status == CaseStatus.CLOSED:
        close_note = close_note.strip()
        if close_reason not in CloseReason.values:
            raise CaseError(_("Choose why the case is closed."))
        if close_reason == CloseReason.OTHER and not close_note:
            raise CaseError(_("Explain why the case is closed."))
        locked.closed_at, locked.close_reason, locked.close_note = now, close_reason, close_note
        data["reason"] = close_reason
    if new_status == CaseStatus.REOPENED:
        locked.reopened_at = now
        locked.closed_at, locked.close_reason, locked.close_note = None, "", ""
    locked.status = new_status
    locked.save(update_fields=["status", "closed_at", "close_reason", "close_note", "reopened_at"])
    add_timeline(locked, TimelineKind.STATUS, "changed", actor=request.user, at=now, **data)
    touch(locked, now)
    record_access(request, "case.status", obj=locked, person=locked.client, reason=new_status)
    for name in ("status", "closed_at", "close_reason", "close_note", "reopened_at"):
        setattr(case, name, getattr(locked, name))


# Contacts and services.


class OutsideSafeTimes(CaseError):
    """The contact is allowed but falls outside the safe days and times: the worker must
    confirm before it is recorded. Nothing was written."""


def related_to(client: Person, person: Person) -> bool:
    return Relationship.objects.filter(
        Q(person=client, other=person) | Q(person=person, other=client)
    ).exists()


@transaction.atomic
def record_contact(
    request,
    case: Case,
    *,
    person: Person,
    channel: str,
    direction: str,
    at: datetime,
    outcome: str,
    contact_point: ContactPoint | None = None,
    duration_minutes: int | None = None,
    notes: str = "",
    confirmed_outside_safe_times: bool = False,
) -> Contact:
    """Record a contact, or an attempt, with the client or someone close to them. Refuses
    (CaseError, nothing written) what the person's safe-contact preferences forbid; raises
    OutsideSafeTimes for an outgoing call or text outside their safe times unless the
    worker confirmed it, and then records that it was."""
    if channel not in Channel.values or direction not in Direction.values:
        raise CaseError(_("Choose the channel and the direction from the lists."))
    if outcome not in ContactOutcome.values:
        raise CaseError(_("Choose the outcome from the list."))
    if at > timezone.now():
        raise CaseError(_("The contact cannot be in the future."))
    if duration_minutes is not None and not 0 < duration_minutes <= 24 * 60:
        raise CaseError(_("The duration must be between 1 minute and 24 hours."))
    if person.pk != case.client_id and not related_to(case.client, person):
        raise CaseError(_("Choose the client or a person related to them."))
    if contact_point is not None and contact_point.person_id != person.pk:
        raise CaseError(_("Choose a number or address of the person you contacted."))
    verdict = safe_contact.check(
        channel=channel,
        direction=direction,
        outcome=outcome,
        point=contact_point,
        at=at,
        tz=case.organisation.tz,
    )
    if verdict.refusal:
        raise CaseError(verdict.refusal)
    if verdict.warning and not confirmed_outside_safe_times:
        raise OutsideSafeTimes(verdict.warning)
    contact = Contact.objects.create(
        case=case,
        person=person,
        contact_point=contact_point,
        channel=channel,
        direction=direction,
        at=at,
        duration_minutes=duration_minutes,
        outcome=outcome,
        notes=notes.strip() or None,
        outside_safe_times=bool(verdict.warning),
        recorded_by=request.user,
    )
    add_timeline(
        case,
        TimelineKind.CONTACT,
        "recorded",
        actor=request.user,
        obj=contact,
        at=at,
        channel=channel,
        direction=direction,
        outcome=outcome,
        outside_safe_times=contact.outside_safe_times,
        **{"with": "client" if person.pk == case.client_id else "other"},
    )
    touch(case, at)
    record_access(request, "contact.record", obj=contact, person=person)
    return contact


@transaction.atomic
def record_service(
    request,
    case: Case,
    *,
    service: str,
    at: datetime,
    minutes: int | None = None,
    contact: Contact | None = None,
    notes: str = "",
) -> ServiceProvided:
    """Record a service of the taxonomy (services.json) given on the case."""
    offered = taxonomy().services.get(service)
    if offered is None or offered.retired:
        raise CaseError(_("Choose a service from the list."))
    if at > timezone.now():
        raise CaseError(_("The service cannot be in the future."))
    if minutes is not None and not 0 < minutes <= 24 * 60:
        raise CaseError(_("The time spent must be between 1 minute and 24 hours."))
    if contact is not None and contact.case_id != case.pk:
        raise CaseError(_("Choose a contact of this case."))
    provided = ServiceProvided.objects.create(
        case=case,
        service=service,
        at=at,
        minutes=minutes,
        contact=contact,
        notes=notes.strip() or None,
        provided_by=request.user,
    )
    add_timeline(
        case,
        TimelineKind.SERVICE,
        "recorded",
        actor=request.user,
        obj=provided,
        at=at,
        service=service,
        minutes=minutes,
    )
    touch(case, at)
    record_access(request, "service.record", obj=provided, person=case.client)
    return provided


# Family members and friends as clients in their own right.

LINKED_ROLES = (ClientRole.FAMILY, ClientRole.FRIEND, ClientRole.CAREGIVER)


@transaction.atomic
def open_linked_case(
    request,
    acting: Acting,
    case: Case,
    *,
    client_role: str,
    programs: Iterable[str],
    person: Person | None = None,
    new_person: dict | None = None,
    relationship: str = "",
) -> Case:
    """Open a case for a family member, friend or caregiver of the victim of `case`,
    linked to it. Either `person` (already related to the victim) or `new_person` (the
    fields of a new record, who becomes the victim's `relationship`).

    The new case takes the victim's case's worker and team, and its restriction: the
    family of a restricted case is as exposed as the victim."""
    if case.client_role != ClientRole.VICTIM:
        raise CaseError(_("Open a family member’s or friend’s case from the victim’s case."))
    if client_role not in LINKED_ROLES:
        raise CaseError(_("Choose whether they are a family member, friend or caregiver."))
    if (person is None) == (new_person is None):
        raise CaseError(_("Choose a person related to the client, or add a new person."))
    if person is not None:
        if person.pk == case.client_id:
            raise CaseError(_("The client already has this case."))
        if not related_to(case.client, person):
            raise CaseError(_("Choose a person related to the client."))
        if Case.objects.filter(linked_case=case, client=person, status__in=LIVE_STATUSES).exists():
            raise CaseError(_("This person already has an open case linked to this one."))
    else:
        assert new_person is not None
        if relationship not in RelationshipKind.values:
            raise CaseError(_("Choose what the new person is to the client."))
        person = create_person(request, acting, **new_person)
        add_relationship(request, case.client, person, relationship)
    linked = open_case(
        request,
        case.organisation,
        person,
        programs=programs,
        client_role=client_role,
        linked_case=case,
        assigned_to=case.assigned_to,
        team=case.team,
        restricted=case.restricted,
        restricted_reason=case.restricted_reason,
    )
    add_timeline(
        case,
        TimelineKind.CASE,
        "linked_case_opened",
        actor=request.user,
        obj=linked,
        client_role=client_role,
    )
    return linked


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
        from harbour.cases.access import case_staff

        if not case_staff(case.organisation_id).filter(pk=owner.pk).exists():
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
