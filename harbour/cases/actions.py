"""Writes on cases. Each runs in one transaction and writes the case's timeline entry and
the audit event with the change (DESIGN §4.3): a case and the trail of what happened to it
commit or roll back together.

`open_case` is the one way a case comes to exist: triage, the call-out scene report and the
demo data all go through it.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harbour.accounts.models import Organisation
from harbour.audit.actions import record_access
from harbour.cases.constants import ClientRole, Priority, Program, TimelineKind
from harbour.cases.models import BreakGlass, Case, CaseProgram, Team, TimelineEvent
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
