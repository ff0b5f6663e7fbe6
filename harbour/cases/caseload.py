"""Caseloads and case search: my cases, a team's cases, all the organisation's cases (for
coordinators), and finding a case by client name or alias, phone number, case number or
police occurrence number.

Caseloads are the pages a worker opens most, on organisations with a hundred thousand
cases: each page runs a fixed number of queries whatever its length (the programs in one
prefetch, the next follow-up as a subquery of the list's own query), reads through the
caseload indexes, and pages without counting (no COUNT over the whole set).
"""

from collections import defaultdict
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from harbour.accounts.access import Acting, staff_required
from harbour.accounts.constants import Role
from harbour.audit.actions import record_access
from harbour.cases.access import (
    hidden_cases,
    numbered_case_ids,
    team_work_for_user,
    visible_cases,
)
from harbour.cases.constants import LIVE_STATUSES, CaseStatus, Priority, Program, TaskStatus
from harbour.cases.models import Case, CaseProgram, Task
from harbour.people.access import looks_like_phone, people_named, people_with_phone, visible_people

CASE = (Role.CASEWORKER, Role.COORDINATOR)
PAGE_SIZE = 50
# Deep offsets get slow and nobody pages that far: past this, search or filter.
MAX_PAGE = 200
LIVE = "live"
ALL = "all"
# A query shorter than this matches too much to be a search.
MIN_QUERY_LENGTH = 2
# Cases of matching people a search lists at most (ten pages).
SEARCH_LIMIT = 500


class CaseloadFilter(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            (LIVE, gettext_lazy("Not closed")),
            *CaseStatus.choices,
            (ALL, gettext_lazy("All, closed included")),
        ],
        error_messages={"invalid_choice": gettext_lazy("Choose a status from the list.")},
    )
    program = forms.ChoiceField(
        label=gettext_lazy("Program"),
        required=False,
        choices=[("", gettext_lazy("All programs")), *Program.choices],
        error_messages={"invalid_choice": gettext_lazy("Choose a program from the list.")},
    )
    priority = forms.ChoiceField(
        label=pgettext_lazy("case", "Priority"),
        required=False,
        choices=[("", gettext_lazy("Any priority")), *Priority.choices],
        error_messages={"invalid_choice": gettext_lazy("Choose a priority from the list.")},
    )
    overdue = forms.BooleanField(
        label=gettext_lazy("Only cases with an overdue follow-up"), required=False
    )

    def filters(self) -> dict:
        """The valid filters; a bad value (shown as an error) falls back to its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or LIVE,
            "program": data.get("program", ""),
            "priority": data.get("priority", ""),
            "overdue": bool(data.get("overdue")),
        }


def _filtered(cases: QuerySet[Case], filters: dict, now) -> QuerySet[Case]:
    status = filters["status"]
    if status == LIVE:
        cases = cases.filter(live=True)
    elif status != ALL:
        # `live` too, though the status implies it: it is what the indexes lead with.
        cases = cases.filter(status=status, live=status in LIVE_STATUSES)
    if filters["program"]:
        in_program = CaseProgram.objects.filter(case=OuterRef("pk"), program=filters["program"])
        cases = cases.filter(Exists(in_program))
    if filters["priority"]:
        cases = cases.filter(priority=filters["priority"])
    if filters["overdue"]:
        overdue = Task.objects.filter(case=OuterRef("pk"), status=TaskStatus.OPEN, due_at__lt=now)
        cases = cases.filter(Exists(overdue))
    return cases


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), MAX_PAGE))
    except ValueError:
        return 1


# What a row shows: reading only these keeps fifty rows cheap to build.
ROW_FIELDS = (
    "id",
    "number",
    "status",
    "priority",
    "restricted",
    "last_activity_at",
    "live",
    "client__id",
    "client__given_name",
    "client__family_name",
    "client__preferred_name",
    "assigned_to__id",
    "assigned_to__full_name",
)


# Caseloads: live cases first, then each newest activity first; read in the order of the
# *_live indexes. Search results have no index order to follow (they come from several
# lookups), and are simply newest activity first.
CASELOAD_ORDER = ("-live", "-last_activity_at")
SEARCH_ORDER = ("-last_activity_at",)


def case_rows(
    cases: QuerySet[Case], number: int, acting: Acting, order=CASELOAD_ORDER
) -> tuple[list, bool]:
    """One page of cases in `order`, each with its client, programs and next open
    follow-up (`next_due`), and whether another page follows. Three queries.

    The labels and local times each row shows are worked out here, once per value: a page
    of fifty rows would otherwise translate the same few labels hundreds of times."""
    next_due = (
        Task.objects.filter(case=OuterRef("pk"), status=TaskStatus.OPEN)
        .order_by("due_at")
        .values("due_at")[:1]
    )
    start = (number - 1) * PAGE_SIZE
    # The page's ids first, in order, then its rows with their next follow-up: the
    # follow-up subquery then runs for one page of cases, not for every case matched (a
    # name search can match hundreds, a coordinator's list thousands).
    ids = list(cases.order_by(*order).values_list("pk", flat=True)[start : start + PAGE_SIZE + 1])
    has_next = len(ids) > PAGE_SIZE
    ids = ids[:PAGE_SIZE]
    rows = (
        Case.objects.filter(pk__in=ids)
        .select_related("client", "assigned_to")
        .only(*ROW_FIELDS)
        .annotate(next_due=Subquery(next_due))
    )
    by_id = {case.pk: case for case in rows}
    # Rows carry what the table shows as extra attributes (below): typed loosely.
    page: list[Any] = [by_id[pk] for pk in ids if pk in by_id]
    # The programs of the page in one query, as plain pairs: a prefetch would clone a
    # queryset per row when the template asks each case for them (milliseconds a page).
    of_case: dict = defaultdict(list)
    for case_id, program in CaseProgram.objects.filter(
        case_id__in=[case.pk for case in page]
    ).values_list("case_id", "program"):
        of_case[case_id].append(program)
    now = timezone.now()
    tz = acting.organisation.tz
    programs = {value: str(label) for value, label in Program.choices}
    statuses = {value: str(label) for value, label in CaseStatus.choices}
    priorities = {value: str(label) for value, label in Priority.choices}
    for case in page:
        case.url = reverse("cases:detail", kwargs={"case_id": case.pk})
        case.program_labels = ", ".join(programs.get(p, p) for p in sorted(of_case[case.pk]))
        case.status_label = statuses.get(case.status, case.status)
        case.priority_label = priorities.get(case.priority, case.priority)
        case.urgent = case.priority in (Priority.URGENT, Priority.HIGH)
        case.last_activity_local = _local(case.last_activity_at, tz)
        case.next_due_local = _local(case.next_due, tz) if case.next_due else ""
        case.overdue = case.next_due is not None and case.next_due < now
    return page, has_next


def _local(at, tz) -> str:
    return timezone.localtime(at, tz).strftime("%Y-%m-%d %H:%M")


def _caseload(request, cases: QuerySet[Case], template_context: dict):
    form = CaseloadFilter(request.GET)
    filters = form.filters()
    now = timezone.now()
    number = _page_number(request)
    rows, has_next = case_rows(_filtered(cases, filters, now), number, request.acting)
    context = {
        "form": form,
        "rows": rows,
        "page_number": number,
        "has_next": has_next and number < MAX_PAGE,
        "show_assigned": template_context["which"] != "mine",
        **template_context,
    }
    return render(request, "cases/caseload.html", context)


@staff_required(*CASE)
def caseload(request):
    """My cases: the ones assigned to me."""
    cases = visible_cases(request.user, request.acting).filter(assigned_to=request.user)
    return _caseload(request, cases, {"title": _("My cases"), "which": "mine"})


@staff_required(*CASE)
def team_caseload(request, team_id):
    """A team's cases, for its members and the coordinators."""
    team = team_work_for_user(request.user, request.acting, team_id)
    cases = visible_cases(request.user, request.acting).filter(team=team)
    title = _("Cases of %(team)s") % {"team": team.name}
    return _caseload(request, cases, {"title": title, "which": "team", "team": team})


@staff_required(Role.COORDINATOR)
def all_cases(request):
    """Every case of the organisation the coordinator can see (restricted ones only where
    they are on the team or have broken the glass)."""
    cases = visible_cases(request.user, request.acting)
    return _caseload(request, cases, {"title": _("All cases"), "which": "all"})


def _search(request, query: str) -> tuple[list, list, str]:
    """The ids of the cases the query finds (among all the organisation's: the caller
    narrows them to the visible ones), the ids found by number, and the kind of search in
    words for the audit trail: the kind, never the text."""
    by_number = numbered_case_ids(request.user, request.acting, query)
    kinds = ["case or occurrence number"]
    clients = None
    if looks_like_phone(query):
        clients = people_with_phone(visible_people(request.user, request.acting), query)
        kinds.append("phone")
    elif not any(c.isdigit() for c in query):
        # Names have no digits; "HRPS-26-000123" is a number, not part of a name.
        clients = people_named(
            visible_people(request.user, request.acting), query, request.acting.organisation
        )
        kinds.append("name")
    found = list(by_number)
    if clients is not None:
        # The newest cases of the matching people, up to SEARCH_LIMIT: enough pages to
        # look through; past that the search needs more words.
        of_clients = (
            Case.objects.filter(organisation=request.acting.organisation)
            .filter(client__in=clients.values("pk"))
            .order_by("-last_activity_at")
            .values_list("pk", flat=True)[:SEARCH_LIMIT]
        )
        found += list(of_clients)
    return found, by_number, "search by " + " or ".join(reversed(kinds))


@staff_required(*CASE)
def case_search(request):
    """Cases by client name or alias, phone number (exact), case number or occurrence
    number (exact). Only cases the user can see are listed; a restricted case they cannot
    see shows up only on its exact number, as a restricted case with that number."""
    query = " ".join(request.GET.get("q", "").split())[:100]
    context = {"query": query, "rows": [], "hidden": [], "searched": False, "error": ""}
    if query and len(query) < MIN_QUERY_LENGTH:
        context["error"] = _("Type at least two characters.")
    elif query:
        found, by_number, kind = _search(request, query)
        record_access(request, "case.search", reason=kind)
        number = _page_number(request)
        cases = visible_cases(request.user, request.acting).filter(pk__in=found)
        rows, has_next = case_rows(cases, number, request.acting, SEARCH_ORDER)
        hidden = list(hidden_cases(request.user, request.acting, by_number)[:10])
        context.update(
            searched=True,
            rows=rows,
            hidden=hidden,
            page_number=number,
            has_next=has_next and number < MAX_PAGE,
            show_assigned=True,
            limited=len(found) >= SEARCH_LIMIT,
        )
    return render(request, "cases/search.html", context)
