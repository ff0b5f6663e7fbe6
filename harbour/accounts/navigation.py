"""Role-aware navigation: which sections a user's roles open, in the order they are used.

Later apps add their entries here (one line each); the permission matrix keeps the pages
themselves honest, this only decides what is offered.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from harbour.accounts.constants import Role

StrOrPromise = str | Promise


@dataclass(frozen=True)
class NavItem:
    label: StrOrPromise
    url_name: str
    roles: frozenset[str]


NAV = [
    NavItem(_("Home"), "home", frozenset(Role.values)),
    NavItem(_("My cases"), "cases:caseload", frozenset({Role.CASEWORKER, Role.COORDINATOR})),
    NavItem(_("Follow-ups"), "cases:my_followups", frozenset({Role.CASEWORKER, Role.COORDINATOR})),
    NavItem(_("People"), "people:list", frozenset({Role.CASEWORKER, Role.COORDINATOR})),
    NavItem(_("Triage"), "intake:queue", frozenset({Role.CASEWORKER, Role.COORDINATOR})),
    NavItem(_("Refer a victim"), "intake:police_new", frozenset({Role.OFFICER})),
    NavItem(_("Refer a victim"), "intake:agency_new", frozenset({Role.PARTNER})),
    NavItem(_("Outreach"), "screening:queue", frozenset({Role.CASEWORKER, Role.COORDINATOR})),
    NavItem(_("Screening rules"), "screening:rules", frozenset({Role.COORDINATOR})),
    NavItem(_("Teams"), "cases:teams", frozenset({Role.COORDINATOR})),
    NavItem(_("Audit"), "audit:log", frozenset({Role.COORDINATOR, Role.ADMIN})),
    NavItem(
        _("Occurrence imports"),
        "occurrence_imports:list",
        frozenset({Role.COORDINATOR, Role.ADMIN}),
    ),
    NavItem(_("Broken glass"), "cases:glass_review", frozenset({Role.COORDINATOR})),
    NavItem(_("Statistics"), "screening:stats", frozenset({Role.COORDINATOR, Role.ANALYST})),
    NavItem(_("Users"), "accounts:users", frozenset({Role.ADMIN})),
    NavItem(_("Integration keys"), "accounts:keys", frozenset({Role.ADMIN})),
]


def navigation_for(request, acting) -> list[dict]:
    if acting is None:
        return []
    items = []
    for item in NAV:
        if acting.roles & item.roles:
            url = reverse(item.url_name)
            items.append({"label": item.label, "url": url, "current": request.path == url})
    return items
