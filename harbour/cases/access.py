"""Scoped reads of cases: a caseworker or coordinator sees their organisation's cases,
except restricted cases, which only the assigned worker and the case's team see. Anyone
else opening a restricted case must break the glass (actions.break_glass) first.

Every lookup by id raises Http404 for "missing" and "forbidden" alike; a restricted case
raises GlassRequired instead, so the page can offer the break-glass form without showing
anything of the case.
"""

from datetime import timedelta

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from harbour.accounts.access import Acting
from harbour.accounts.constants import CASE_ROLES, Role
from harbour.accounts.models import Membership, User
from harbour.cases.constants import BREAK_GLASS_HOURS
from harbour.cases.models import BreakGlass, Case, Contact, ServiceProvided, Task, Team


class GlassRequired(Exception):
    """The case exists and is restricted; the user is not on its team and has no broken
    glass in force. Carries the case so the view can name its number and nothing else."""

    def __init__(self, case: Case):
        super().__init__(case.number)
        self.case = case


def _glass_in_force(user) -> QuerySet[BreakGlass]:
    since = timezone.now() - timedelta(hours=BREAK_GLASS_HOURS)
    return BreakGlass.objects.filter(user=user, at__gte=since)


def _on_team(user) -> Q:
    return Q(assigned_to=user) | Q(team__members=user)


def all_cases(user, acting: Acting) -> QuerySet[Case]:
    """Every case of the organisation the user may work with, restricted ones included.
    For lookups that then apply the restriction themselves; never list this."""
    if not user.has_perm("cases.view_case", acting.organisation):
        return Case.objects.none()
    return Case.objects.filter(organisation=acting.organisation)


def _visible(user, case: str = "") -> Q:
    """The condition a visible case meets, on the case itself (`case=""`) or across a
    relation to it (`case="case__"`, for follow-ups). Checked row by row on the row in
    hand, so a caseload read through its index stops at the page it needs; a subquery
    listing every visible case would read the whole organisation first."""
    glass = _glass_in_force(user).filter(case=OuterRef(f"{case}pk"))
    team = Team.members.through.objects.filter(team=OuterRef(f"{case}team"), user=user)
    return (
        Q(**{f"{case}restricted": False})
        | Q(**{f"{case}assigned_to": user})
        | Exists(team)
        | Exists(glass)
    )


def visible_cases(user, acting: Acting) -> QuerySet[Case]:
    """The cases a user may list and open: unrestricted ones, restricted ones they are on
    the team of, and restricted ones whose glass they broke in the last hours."""
    return all_cases(user, acting).filter(_visible(user))


def may_see(user, case: Case) -> bool:
    """Whether `user` (already allowed to work with cases) sees this case without
    breaking the glass, or has a broken glass in force."""
    if not case.restricted:
        return True
    if case.assigned_to_id == user.pk:
        return True
    if case.team is not None and case.team.members.filter(pk=user.pk).exists():
        return True
    return _glass_in_force(user).filter(case=case).exists()


def case_for_user(user, acting: Acting, case_id) -> Case:
    try:
        case = (
            all_cases(user, acting)
            .select_related("client", "assigned_to", "team", "linked_case__client")
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError):
        raise Http404 from None
    if not may_see(user, case):
        raise GlassRequired(case)
    return case


def restricted_case_for_glass(user, acting: Acting, case_id) -> Case:
    """The case behind a break-glass form: any case of the organisation the user may work
    with (the form itself reveals only its number)."""
    try:
        return all_cases(user, acting).get(pk=case_id)
    except (Case.DoesNotExist, ValueError):
        raise Http404 from None


def open_cases_of(user, acting: Acting, person) -> QuerySet[Case]:
    """The person's live cases the user can see: triage attaches to one of these."""
    from harbour.cases.constants import LIVE_STATUSES

    return visible_cases(user, acting).filter(client=person, status__in=LIVE_STATUSES)


def contact_for_user(user, acting: Acting, case_id, contact_id) -> Contact:
    case = case_for_user(user, acting, case_id)
    try:
        return Contact.objects.get(pk=contact_id, case=case)
    except (Contact.DoesNotExist, ValueError):
        raise Http404 from None


def service_for_user(user, acting: Acting, case_id, service_id) -> ServiceProvided:
    case = case_for_user(user, acting, case_id)
    try:
        return ServiceProvided.objects.get(pk=service_id, case=case)
    except (ServiceProvided.DoesNotExist, ValueError):
        raise Http404 from None


def visible_tasks(user, acting: Acting) -> QuerySet[Task]:
    """Follow-ups on cases the user can see."""
    if not user.has_perm("cases.view_case", acting.organisation):
        return Task.objects.none()
    return Task.objects.filter(organisation=acting.organisation).filter(_visible(user, "case__"))


def task_for_user(user, acting: Acting, task_id) -> Task:
    try:
        return visible_tasks(user, acting).select_related("case").get(pk=task_id)
    except (Task.DoesNotExist, ValueError):
        raise Http404 from None


def teams_of(acting: Acting) -> QuerySet[Team]:
    return Team.objects.filter(organisation=acting.organisation)


def team_for_user(user, acting: Acting, team_id) -> Team:
    if not user.has_perm("cases.view_case", acting.organisation):
        raise Http404
    try:
        return teams_of(acting).get(pk=team_id)
    except (Team.DoesNotExist, ValueError):
        raise Http404 from None


def glass_for_review(user, acting: Acting) -> QuerySet[BreakGlass]:
    """Broken glass on the organisation's cases, for a coordinator's review."""
    if not user.has_perm("cases.review_break_glass", acting.organisation):
        return BreakGlass.objects.none()
    return (
        BreakGlass.objects.filter(case__organisation=acting.organisation)
        .select_related("case", "user", "reviewed_by")
        # Unreviewed first, then newest.
        .annotate(pending=ExpressionWrapper(Q(reviewed_at__isnull=True), BooleanField()))
        .order_by("-pending", "-at")
    )


def glass_for_reviewer(user, acting: Acting, glass_id) -> BreakGlass:
    try:
        return glass_for_review(user, acting).get(pk=glass_id)
    except (BreakGlass.DoesNotExist, ValueError):
        raise Http404 from None


def with_visibility(user, cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases` annotated `seen`: whether the user opens each without breaking the glass
    (or with a glass in force), in the same query. For lists that must show a restricted
    case they cannot open as its number only."""
    glass = _glass_in_force(user).filter(case=OuterRef("pk"))
    on_team = Case.objects.filter(pk=OuterRef("pk")).filter(_on_team(user))
    seen = ExpressionWrapper(
        Q(restricted=False) | Exists(on_team) | Exists(glass), output_field=BooleanField()
    )
    return cases.annotate(seen=seen)


def cases_of_person(user, acting: Acting, person) -> QuerySet[Case]:
    """The person's cases as clients, newest first, each annotated `seen` (with_visibility):
    the person page names the number of a restricted case and nothing more."""
    cases = all_cases(user, acting).filter(client=person).prefetch_related("programs")
    return with_visibility(user, cases).order_by("-opened_at")


def linked_cases_of(user, acting: Acting, case: Case) -> list[Case]:
    """The family and friends' cases linked to `case`, each with `seen` set (as
    with_visibility does): a restricted one the user may not open is shown by number only.

    Looked up by the link alone: with the organisation in the same WHERE, SQLite (which
    keeps no statistics unless ANALYZE is run) picks the organisation's index and reads
    every case of the unit. A link never crosses organisations (open_case refuses it);
    the check below keeps it so. Most linked cases are not restricted, so the team and
    glass lookups run only when one is, once for all of them."""
    if not user.has_perm("cases.view_case", acting.organisation):
        return []
    cases = [
        c
        for c in Case.objects.filter(linked_case=case)
        .select_related("client")
        .order_by("opened_at")
        if c.organisation_id == acting.organisation.pk
    ]
    restricted = [c for c in cases if c.restricted]
    teams: set[int] = set()
    glass: set = set()
    if restricted:
        teams = set(user.teams.values_list("pk", flat=True))
        glass = set(
            _glass_in_force(user)
            .filter(case__in=[c.pk for c in restricted])
            .values_list("case_id", flat=True)
        )
    for c in cases:
        seen = not c.restricted or c.assigned_to_id == user.pk or c.team_id in teams
        c.seen = seen or c.pk in glass  # type: ignore[attr-defined]
    return cases


# --- Follow-ups, caseloads, search and teams (issue 3 items 8 and 10) ---------------------


def case_staff(organisation) -> QuerySet[User]:
    """The organisation's active caseworkers and coordinators: who may be assigned a case
    or own a follow-up."""
    return _members_with(organisation, CASE_ROLES)


def case_staff_of(acting: Acting) -> QuerySet[User]:
    return case_staff(acting.organisation)


def team_candidates(acting: Acting) -> QuerySet[User]:
    """Who may be on a team: the organisation's caseworkers, coordinators and volunteers
    (the night volunteers are a team too)."""
    return _members_with(acting.organisation, CASE_ROLES | {Role.VOLUNTEER})


def _members_with(organisation, roles) -> QuerySet[User]:
    memberships = Membership.objects.filter(
        user=OuterRef("pk"), organisation=organisation, role__in=roles, is_active=True
    )
    return User.objects.filter(Exists(memberships), is_active=True).order_by("full_name")


def may_manage_teams(user, acting: Acting) -> bool:
    return user.has_perm("cases.manage_teams", acting.organisation)


def team_work_for_user(user, acting: Acting, team_id) -> Team:
    """A team whose caseload and follow-ups the user may list: its members' and the
    coordinators'. Anyone else gets the same 404 as for a team that does not exist."""
    team = team_for_user(user, acting, team_id)
    if may_manage_teams(user, acting):
        return team
    if not team.members.filter(pk=user.pk).exists():
        raise Http404
    return team


def team_for_manager(user, acting: Acting, team_id) -> Team:
    if not may_manage_teams(user, acting):
        raise Http404
    return team_for_user(user, acting, team_id)


def numbered_case_ids(user, acting: Acting, query: str) -> list:
    """Ids of the organisation's cases, restricted ones included, whose case number or
    police occurrence number is exactly `query` (occurrence numbers also in capitals, as
    records systems print them). Two lookups, one index each: as one OR the database may
    read the whole organisation instead."""
    cases = all_cases(user, acting)
    by_number = cases.filter(number=query).values_list("pk", flat=True)[:5]
    by_occurrence = cases.filter(occurrence_number__in={query, query.upper()})
    return [*by_number, *by_occurrence.values_list("pk", flat=True)[:20]]


def hidden_cases(user, acting: Acting, ids) -> QuerySet[Case]:
    """Of the cases `ids`, the restricted ones the user cannot open without breaking the
    glass. Search names only their numbers, and only for an exact case or occurrence
    number: someone who already knows the number learns that the case exists, never
    whose it is."""
    return (
        all_cases(user, acting)
        .filter(pk__in=ids, restricted=True)
        .exclude(_visible(user))
        .only("pk", "number")
    )
