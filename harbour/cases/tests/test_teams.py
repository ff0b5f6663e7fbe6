"""Teams: listed for caseworkers and coordinators; made and changed by coordinators, with
members among the unit's caseworkers, coordinators and volunteers; audited."""

from django.urls import reverse

from harbour.accounts.constants import Role
from harbour.audit.models import AccessEvent
from harbour.cases.models import Team
from harbour.testing.fixtures import make_user

TEAMS = reverse("cases:teams")
NEW = reverse("cases:team_new")


def edit_url(team):
    return reverse("cases:team_edit", kwargs={"team_id": team.pk})


def test_a_coordinator_makes_a_team_of_the_units_workers(client, users, unit):
    client.force_login(users[Role.COORDINATOR])
    members = [users[Role.CASEWORKER].pk, users[Role.VOLUNTEER].pk]
    response = client.post(NEW, {"name": "  Night   team ", "members": members})
    assert response.status_code == 302
    team = Team.objects.get(organisation=unit)
    assert team.name == "Night team"
    assert set(team.members.values_list("pk", flat=True)) == set(members)
    event = AccessEvent.objects.get(action="team.create")
    assert event.object_id == str(team.pk)
    assert event.reason == "added: caseworker@unit.test, volunteer@unit.test"


def test_changing_a_team_records_who_joined_and_who_left(client, users, unit):
    team = Team.objects.create(organisation=unit, name="IPV team")
    team.members.add(users[Role.CASEWORKER])
    client.force_login(users[Role.COORDINATOR])
    form = client.get(edit_url(team)).context["form"]
    assert form["members"].value() == [users[Role.CASEWORKER].pk]
    response = client.post(edit_url(team), {"name": "IPV", "members": [users[Role.COORDINATOR].pk]})
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "IPV"
    assert list(team.members.all()) == [users[Role.COORDINATOR]]
    assert AccessEvent.objects.get(action="team.update").reason == (
        "added: coordinator@unit.test; removed: caseworker@unit.test"
    )


def test_it_refuses_a_duplicate_or_missing_name_and_writes_nothing(client, users, unit):
    Team.objects.create(organisation=unit, name="IPV team")
    client.force_login(users[Role.COORDINATOR])
    response = client.post(NEW, {"name": "ipv TEAM"})
    assert response.context["form"].non_field_errors() == ["There is already a team of that name."]
    response = client.post(NEW, {"name": " "})
    assert response.context["form"].errors["name"] == ["Give the team a name."]
    assert Team.objects.count() == 1
    assert not AccessEvent.objects.filter(action="team.create").exists()


def test_members_come_from_the_unit_only(client, users, unit, outsider):
    client.force_login(users[Role.COORDINATOR])
    for stranger in (outsider, users[Role.OFFICER], users[Role.ADMIN]):
        response = client.post(NEW, {"name": "Mixed", "members": [stranger.pk]})
        assert response.context["form"].errors["members"] == ["Choose members from the list."]
    assert not Team.objects.exists()


def test_the_list_shows_my_teams_and_offers_changes_to_coordinators(client, users, unit):
    mine = Team.objects.create(organisation=unit, name="Mine")
    mine.members.add(users[Role.CASEWORKER])
    other = Team.objects.create(organisation=unit, name="Other")
    client.force_login(users[Role.CASEWORKER])
    page = client.get(TEAMS).content.decode()
    assert "Your team" in page
    assert reverse("cases:team_caseload", kwargs={"team_id": mine.pk}) in page
    assert reverse("cases:team_caseload", kwargs={"team_id": other.pk}) not in page
    assert NEW not in page and edit_url(mine) not in page
    client.force_login(users[Role.COORDINATOR])
    page = client.get(TEAMS).content.decode()
    assert NEW in page and edit_url(other) in page
    assert reverse("cases:team_followups", kwargs={"team_id": other.pk}) in page


def test_only_coordinators_change_teams(client, users, unit):
    team = Team.objects.create(organisation=unit, name="IPV team")
    client.force_login(users[Role.CASEWORKER])
    assert client.get(NEW).status_code == 403
    assert client.post(edit_url(team), {"name": "Mine now"}).status_code == 403
    team.refresh_from_db()
    assert team.name == "IPV team"


def test_another_organisations_coordinator_gets_404_and_their_own_list(
    client, users, unit, other_unit, outsider
):
    team = Team.objects.create(organisation=unit, name="IPV team")
    Team.objects.create(organisation=other_unit, name="Theirs")
    client.force_login(outsider)
    assert client.get(edit_url(team)).status_code == 404
    assert client.post(edit_url(team), {"name": "Taken"}).status_code == 404
    assert [t.name for t in client.get(TEAMS).context["teams"]] == ["Theirs"]
    make_user("cw@other.test", other_unit, Role.CASEWORKER)
    response = client.post(NEW, {"name": "IPV team", "members": [users[Role.CASEWORKER].pk]})
    assert response.context["form"].errors["members"] == ["Choose members from the list."]
