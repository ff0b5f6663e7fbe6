"""Object permissions as `rules` predicates: "may this user do X in this organisation?".

Loaded automatically (rules' autodiscovery). Views ask through `user.has_perm(name, org)`
inside access.py functions, never in templates or forms.
"""

import rules

from harbour.accounts.constants import Role
from harbour.accounts.models import Membership, Organisation


def _holds(user, organisation: Organisation, *roles: str) -> bool:
    if not user.is_authenticated or not user.is_active or organisation is None:
        return False
    return Membership.objects.filter(
        user=user, organisation=organisation, role__in=roles, is_active=True
    ).exists()


@rules.predicate
def is_member(user, organisation) -> bool:
    return _holds(user, organisation, *Role.values)


@rules.predicate
def is_admin(user, organisation) -> bool:
    return _holds(user, organisation, Role.ADMIN)


@rules.predicate
def is_coordinator(user, organisation) -> bool:
    return _holds(user, organisation, Role.COORDINATOR)


@rules.predicate
def is_caseworker(user, organisation) -> bool:
    return _holds(user, organisation, Role.CASEWORKER)


rules.add_perm("accounts.manage_users", is_admin)
rules.add_perm("accounts.manage_keys", is_admin)
rules.add_perm("people.view_person", is_caseworker | is_coordinator)
rules.add_perm("audit.view_person_access", is_coordinator | is_admin)
rules.add_perm("cases.view_case", is_caseworker | is_coordinator)
rules.add_perm("cases.review_break_glass", is_coordinator)
# Lifting a restriction opens a sensitive file to the whole unit: a coordinator decides.
rules.add_perm("cases.lift_restriction", is_coordinator)
rules.add_perm("intake.triage", is_caseworker | is_coordinator)
rules.add_perm("cases.manage_teams", is_coordinator)
