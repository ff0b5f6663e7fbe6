"""Caseloads: my cases, a team's, and all cases for coordinators; filters, order, the next
follow-up and its overdue flag, restricted cases, paging, and a query count that does not
grow with the page."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.constants import Role
from harbour.cases.constants import CaseStatus, Priority, Program, TaskStatus
from harbour.cases.models import BreakGlass, Team
from harbour.cases.tests.caseload_helpers import make_case, make_task

CASELOAD = reverse("cases:caseload")
ALL = reverse("cases:all_cases")


def numbers(response) -> list[str]:
    return [case.number for case in response.context["rows"]]


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def test_my_cases_are_my_live_cases_newest_activity_first(client, users, unit):
    worker = users[Role.CASEWORKER]
    old = make_case(unit, assigned_to=worker, activity=ago(days=9))
    new = make_case(unit, assigned_to=worker, activity=ago(hours=1))
    make_case(unit, assigned_to=worker, status=CaseStatus.CLOSED)
    make_case(unit, assigned_to=users[Role.COORDINATOR])
    client.force_login(worker)
    response = client.get(CASELOAD)
    assert numbers(response) == [new.number, old.number]
    page = response.content.decode()
    assert "Robin Example" in page and "Intimate partner violence" in page


def test_each_row_shows_the_next_open_follow_up_and_flags_it_overdue(client, users, unit):
    worker = users[Role.CASEWORKER]
    late = make_case(unit, assigned_to=worker)
    make_task(late, owner=worker, due_in=-timedelta(hours=3))
    make_task(late, owner=worker, due_in=timedelta(days=3))
    calm = make_case(unit, assigned_to=worker)
    make_task(calm, owner=worker, due_in=-timedelta(days=5), status=TaskStatus.DONE)
    soon = make_task(calm, owner=worker, due_in=timedelta(days=1))
    client.force_login(worker)
    response = client.get(CASELOAD)
    rows = {case.number: case for case in response.context["rows"]}
    assert rows[late.number].next_due < timezone.now()
    assert rows[calm.number].next_due == soon.due_at
    assert response.content.decode().count("Overdue</span>") == 1


def test_it_filters_by_status_program_priority_and_overdue(client, users, unit):
    worker = users[Role.CASEWORKER]
    ipv = make_case(unit, assigned_to=worker, programs=[Program.IPV], priority=Priority.HIGH)
    sv = make_case(unit, assigned_to=worker, programs=[Program.SEXUAL_VIOLENCE, Program.IPV])
    closed = make_case(unit, assigned_to=worker, status=CaseStatus.CLOSED)
    held = make_case(unit, assigned_to=worker, status=CaseStatus.ON_HOLD)
    make_task(sv, owner=worker, due_in=-timedelta(days=1))
    client.force_login(worker)

    def only(**filters):
        return sorted(numbers(client.get(CASELOAD, filters)))

    assert only() == sorted([ipv.number, sv.number, held.number])
    assert only(status="closed") == [closed.number]
    assert only(status="on_hold") == [held.number]
    assert only(status="all") == sorted([ipv.number, sv.number, closed.number, held.number])
    assert only(program="sexual_violence") == [sv.number]
    assert only(program="ipv") == sorted([ipv.number, sv.number, held.number])
    assert only(priority="high") == [ipv.number]
    assert only(overdue="on") == [sv.number]


def test_a_bad_filter_is_named_and_falls_back_to_its_default(client, users, unit):
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    client.force_login(worker)
    response = client.get(CASELOAD, {"status": "deleted", "program": "astrology"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["status"] == ["Choose a status from the list."]
    assert errors["program"] == ["Choose a program from the list."]
    assert numbers(response) == [case.number]


def test_it_pages_without_counting_and_keeps_the_filters(client, users, unit):
    worker = users[Role.CASEWORKER]
    for i in range(51):
        make_case(unit, assigned_to=worker, activity=ago(minutes=i), priority=Priority.HIGH)
    client.force_login(worker)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(CASELOAD, {"priority": "high"})
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    assert len(first.context["rows"]) == 50 and first.context["has_next"]
    assert "?priority=high&amp;page=2" in first.content.decode()
    second = client.get(CASELOAD, {"priority": "high", "page": "2"})
    assert len(second.context["rows"]) == 1 and not second.context["has_next"]


def test_the_query_count_does_not_grow_with_the_page(client, users, unit):
    worker = users[Role.CASEWORKER]
    team = Team.objects.create(organisation=unit, name="IPV team")
    client.force_login(worker)

    def load() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CASELOAD, {"program": "ipv", "overdue": ""})
        assert response.status_code == 200
        return [q["sql"] for q in queries.captured_queries]

    case = make_case(unit, assigned_to=worker, team=team)
    make_task(case, owner=worker)
    load()  # the session's first request does its own bookkeeping
    few = load()
    for _ in range(20):
        case = make_case(unit, assigned_to=worker, team=team, programs=[Program.IPV, "general"])
        make_task(case, owner=worker, due_in=-timedelta(hours=1))
        make_task(case, owner=worker)
    many = load()
    assert len(many) == len(few)
    # The page's own reads: the page's case ids in order, those cases with their clients
    # and next follow-ups, then their programs. Everything else is the session, the user
    # and the permission check.
    own = [q for q in many if "cases_" in q]
    assert len(own) == 3
    assert "cases_task" not in own[0]
    assert "cases_task" in own[1] and "cases_caseprogram" in own[2]


def test_restricted_cases_show_only_where_visible_cases_allows(client, users, unit):
    coordinator = users[Role.COORDINATOR]
    team = Team.objects.create(organisation=unit, name="Professional standards")
    open_case = make_case(unit, assigned_to=users[Role.CASEWORKER])
    hidden = make_case(unit, restricted=True, restricted_reason="Officer accused", team=team)
    client.force_login(coordinator)
    assert numbers(client.get(ALL)) == [open_case.number]
    BreakGlass.objects.create(case=hidden, user=coordinator, reason="Checking a 3 a.m. call")
    assert sorted(numbers(client.get(ALL))) == sorted([open_case.number, hidden.number])


def test_a_team_caseload_lists_the_teams_cases_with_who_is_assigned(client, users, unit):
    worker = users[Role.CASEWORKER]
    team = Team.objects.create(organisation=unit, name="IPV team")
    team.members.add(worker)
    theirs = make_case(unit, team=team, assigned_to=users[Role.COORDINATOR])
    restricted = make_case(unit, team=team, restricted=True, restricted_reason="Staff accused")
    make_case(unit, assigned_to=worker)
    client.force_login(worker)
    response = client.get(reverse("cases:team_caseload", kwargs={"team_id": team.pk}))
    # A restricted case of my own team is mine to see.
    assert sorted(numbers(response)) == sorted([theirs.number, restricted.number])
    page = response.content.decode()
    assert "Cases of IPV team" in page and "Assigned to" in page and "Coordinator" in page


def test_all_cases_is_for_coordinators(client, users, unit):
    client.force_login(users[Role.CASEWORKER])
    assert client.get(ALL).status_code == 403
    assert "All cases" not in client.get(CASELOAD).content.decode()
    client.force_login(users[Role.COORDINATOR])
    assert "All cases" in client.get(CASELOAD).content.decode()


def test_another_organisation_sees_none_of_the_cases(client, users, unit, outsider):
    make_case(unit, assigned_to=users[Role.CASEWORKER])
    team = Team.objects.create(organisation=unit, name="IPV team")
    client.force_login(outsider)
    assert numbers(client.get(CASELOAD)) == []
    assert numbers(client.get(ALL)) == []
    url = reverse("cases:team_caseload", kwargs={"team_id": team.pk})
    assert client.get(url).status_code == 404


def test_the_caseload_page_carries_the_case_search_box(client, users, unit):
    client.force_login(users[Role.CASEWORKER])
    page = client.get(CASELOAD).content.decode()
    assert f'action="{reverse("cases:search")}"' in page
