"""My follow-ups (overdue, then today, then later) and a team's follow-ups (for its
members and the coordinators)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from harbour.accounts.constants import Role
from harbour.cases.constants import TaskStatus
from harbour.cases.models import Team
from harbour.cases.tests.caseload_helpers import make_case, make_task
from harbour.testing.fixtures import make_user

MINE = reverse("cases:my_followups")


def team_url(team):
    return reverse("cases:team_followups", kwargs={"team_id": team.pk})


def test_my_follow_ups_list_the_overdue_first_then_today_then_later(client, users, unit):
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    now = timezone.localtime(timezone.now(), unit.tz)
    # Later today, if the day has time left; otherwise it is simply "upcoming".
    minutes_left = (24 * 60 - 1) - (now.hour * 60 + now.minute)
    later_today = timedelta(minutes=max(1, min(30, minutes_left - 1)))
    next_week = make_task(case, owner=worker, due_in=timedelta(days=7), title="Next week")
    overdue = make_task(case, owner=worker, due_in=-timedelta(days=1), title="Overdue")
    today = make_task(case, owner=worker, due_in=later_today, title="Today")
    make_task(case, owner=worker, due_in=-timedelta(days=3), status=TaskStatus.DONE, title="Done")
    make_task(case, owner=users[Role.COORDINATOR], title="Not mine")
    client.force_login(worker)
    rows = client.get(MINE).context["rows"]
    assert [task.title for _, task in rows] == ["Overdue", "Today", "Next week"]
    groups = dict((task.pk, when) for when, task in rows)
    assert groups[overdue.pk] == "overdue" and groups[next_week.pk] == "upcoming"
    if minutes_left > 2:
        assert groups[today.pk] == "today"
    page = client.get(MINE).content.decode()
    assert "Overdue</span>" in page


def test_my_teams_follow_ups_without_an_owner_are_offered_too(client, users, unit):
    worker = users[Role.CASEWORKER]
    mine, other = (
        Team.objects.create(organisation=unit, name="Mine"),
        Team.objects.create(organisation=unit, name="Other"),
    )
    mine.members.add(worker)
    case = make_case(unit)
    make_task(case, team=mine, title="Anyone on my team")
    make_task(case, team=other, title="Another team's")
    client.force_login(worker)
    response = client.get(MINE)
    assert [t.title for _, t in response.context["unowned"]] == ["Anyone on my team"]


def test_a_follow_up_on_a_restricted_case_i_cannot_see_is_not_listed(client, users, unit):
    worker = users[Role.CASEWORKER]
    hidden = make_case(unit, restricted=True, restricted_reason="Staff member accused")
    make_task(hidden, owner=worker, title="Hidden")
    client.force_login(worker)
    assert client.get(MINE).context["rows"] == []
    hidden.assigned_to = worker
    hidden.save(update_fields=["assigned_to"])
    assert len(client.get(MINE).context["rows"]) == 1


def test_the_list_pages_without_counting(client, users, unit):
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    for i in range(51):
        make_task(case, owner=worker, due_in=timedelta(days=1, minutes=i), title=f"T{i:02d}")
    client.force_login(worker)
    first = client.get(MINE)
    assert len(first.context["rows"]) == 50 and first.context["has_next"]
    second = client.get(MINE, {"page": "2"})
    assert [t.title for _, t in second.context["rows"]] == ["T50"]
    assert not second.context["has_next"]
    assert client.get(MINE, {"page": "nonsense"}).context["page_number"] == 1


def test_a_team_lists_its_open_follow_ups_with_their_owners(client, users, unit):
    worker, coordinator = users[Role.CASEWORKER], users[Role.COORDINATOR]
    team = Team.objects.create(organisation=unit, name="IPV team")
    team.members.add(worker)
    case = make_case(unit, team=team)
    make_task(case, team=team, owner=coordinator, due_in=-timedelta(hours=2), title="Late")
    make_task(case, team=team, title="Unowned")
    make_task(case, owner=worker, title="Not the team's")
    for user in (worker, coordinator):
        client.force_login(user)
        response = client.get(team_url(team))
        assert response.status_code == 200
        assert [t.title for _, t in response.context["rows"]] == ["Late", "Unowned"]
        page = response.content.decode()
        assert "Coordinator" in page and "Nobody yet" in page and "Overdue</span>" in page


def test_a_caseworker_outside_the_team_gets_404(client, users, unit):
    team = Team.objects.create(organisation=unit, name="IPV team")
    outside = make_user("outside@unit.test", unit, Role.CASEWORKER)
    client.force_login(outside)
    assert client.get(team_url(team)).status_code == 404
    assert (
        client.get(reverse("cases:team_caseload", kwargs={"team_id": team.pk})).status_code == 404
    )


def test_another_organisations_coordinator_gets_404_and_an_empty_list(
    client, users, unit, outsider
):
    team = Team.objects.create(organisation=unit, name="IPV team")
    make_task(make_case(unit), team=team, owner=users[Role.CASEWORKER])
    client.force_login(outsider)
    assert client.get(team_url(team)).status_code == 404
    assert (
        client.get(reverse("cases:team_followups", kwargs={"team_id": 999999})).status_code == 404
    )
    assert client.get(MINE).context["rows"] == []
