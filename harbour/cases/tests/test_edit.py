"""Editing a case: programs, priority, assignment, team, restriction and occurrence
number, each change on the timeline and in the audit trail."""

import pytest
from django.urls import reverse

from harbour.accounts.constants import Role
from harbour.audit.models import AccessEvent
from harbour.cases.models import Case, TimelineEvent
from harbour.cases.tests.helpers import case, team
from harbour.testing.fixtures import make_user


@pytest.fixture
def c(unit, users):
    return case(unit, users["caseworker"])


def edit_url(c):
    return reverse("cases:edit", kwargs={"case_id": c.pk})


def form_of(c, **changes):
    c = Case.objects.get(pk=c.pk)
    data = {
        "programs": c.program_codes,
        "priority": c.priority,
        "assigned_to": c.assigned_to_id or "",
        "team": c.team_id or "",
        "occurrence_number": c.occurrence_number,
        "restricted": "on" if c.restricted else "",
        "restricted_reason": c.restricted_reason,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v not in ("", None)}


def lines(c, kind=None):
    events = TimelineEvent.objects.filter(case=c).exclude(verb="opened")
    if kind:
        events = events.filter(kind=kind)
    return [(e.kind, e.verb, e.data) for e in events.order_by("id")]


def test_the_form_shows_the_case_as_it_is(client, users, c):
    client.force_login(users["caseworker"])
    form = client.get(edit_url(c)).context["form"]
    assert form.initial["programs"] == ["ipv"]
    assert form.initial["assigned_to"] == users["caseworker"].pk


def test_each_change_gets_its_own_timeline_line(client, users, unit, c):
    coordinator = users["coordinator"]
    night = team(unit, "Night team", coordinator)
    client.force_login(users["caseworker"])
    response = client.post(
        edit_url(c),
        form_of(
            c,
            programs=["ipv", "sexual_violence"],
            priority="high",
            assigned_to=coordinator.pk,
            team=night.pk,
            occurrence_number="HRPS-26-000777",
        ),
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.program_codes == ["ipv", "sexual_violence"]
    assert (c.priority, c.assigned_to, c.team, c.occurrence_number) == (
        "high",
        coordinator,
        night,
        "HRPS-26-000777",
    )
    assert lines(c) == [
        ("case", "programs_changed", {"added": ["sexual_violence"], "removed": []}),
        ("case", "priority_changed", {"from": "normal", "to": "high"}),
        (
            "assignment",
            "assigned",
            {"to_user": coordinator.pk, "from_user": users["caseworker"].pk},
        ),
        ("assignment", "team_changed", {"to_team": night.pk, "from_team": None}),
        ("case", "occurrence_changed", {}),
    ]
    event = AccessEvent.objects.get(action="case.update")
    assert event.reason == "programs, priority, assigned_to, team, occurrence_number"
    page = client.get(reverse("cases:detail", kwargs={"case_id": c.pk}))
    # The new worker is named on the timeline in words, not by id.
    text = page.content.decode()
    assert f"Assigned to {coordinator.full_name}." in text
    assert "Team changed to Night team." in text
    assert "Priority changed from normal to high." in text


def test_saving_without_a_change_writes_nothing(client, users, c):
    client.force_login(users["caseworker"])
    assert client.post(edit_url(c), form_of(c)).status_code == 302
    assert lines(c) == []
    assert not AccessEvent.objects.filter(action="case.update").exists()


def test_adding_the_trafficking_program_protects_the_client(client, users, c):
    client.force_login(users["caseworker"])
    client.post(edit_url(c), form_of(c, programs=["ipv", "trafficking"]))
    c.client.refresh_from_db()
    assert c.client.trafficking_protection is True
    # Leaving the program later keeps the protection.
    client.post(edit_url(c), form_of(c, programs=["ipv"]))
    c.client.refresh_from_db()
    assert c.client.trafficking_protection is True


def test_a_case_keeps_at_least_one_program(client, users, c):
    client.force_login(users["caseworker"])
    response = client.post(edit_url(c), form_of(c, programs=[]))
    assert response.context["form"].errors["programs"] == ["Choose at least one program."]
    assert Case.objects.get(pk=c.pk).program_codes == ["ipv"]


def test_only_the_organisations_workers_can_be_assigned(client, users, unit, other_unit, c):
    elsewhere = make_user("elsewhere@other.test", other_unit, Role.CASEWORKER)
    client.force_login(users["caseworker"])
    for who in (elsewhere, users["volunteer"], users["admin"]):
        response = client.post(edit_url(c), form_of(c, assigned_to=who.pk))
        assert "assigned_to" in response.context["form"].errors, who
    assert Case.objects.get(pk=c.pk).assigned_to == users["caseworker"]


def test_another_organisations_team_is_not_offered(client, users, other_unit, c):
    theirs = team(other_unit, "Their team")
    client.force_login(users["caseworker"])
    response = client.post(edit_url(c), form_of(c, team=theirs.pk))
    assert "team" in response.context["form"].errors
    assert Case.objects.get(pk=c.pk).team is None


def test_restricting_needs_a_reason_and_a_team_with_members(client, users, unit, c):
    client.force_login(users["caseworker"])
    response = client.post(edit_url(c), form_of(c, restricted="on"))
    errors = response.context["form"].errors
    assert errors["restricted_reason"] == ["Say why the case is restricted."]
    assert errors["team"] == ["Choose the team that may open the restricted case."]
    empty = team(unit, "Empty team")
    response = client.post(
        edit_url(c),
        form_of(c, restricted="on", restricted_reason="Accused is an officer", team=empty.pk),
    )
    assert "nobody could open" in " ".join(response.context["form"].non_field_errors())
    assert not Case.objects.get(pk=c.pk).restricted


def test_restricting_hides_the_case_from_everyone_off_its_team(client, users, unit, c):
    ipv = team(unit, "IPV team", users["caseworker"])
    client.force_login(users["caseworker"])
    response = client.post(
        edit_url(c),
        form_of(c, restricted="on", restricted_reason="Accused is an officer", team=ipv.pk),
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.restricted and c.restricted_reason == "Accused is an officer"
    assert ("case", "restricted", {}) in lines(c)
    event = AccessEvent.objects.get(action="case.restrict")
    assert event.reason == "Accused is an officer"
    detail = reverse("cases:detail", kwargs={"case_id": c.pk})
    assert client.get(detail).status_code == 200
    client.force_login(users["coordinator"])
    assert client.get(detail).status_code == 403


def test_only_a_coordinator_lifts_a_restriction_and_says_why(client, users, unit, c):
    ipv = team(unit, "IPV team", users["caseworker"], users["coordinator"])
    Case.objects.filter(pk=c.pk).update(restricted=True, restricted_reason="Staff", team=ipv)
    client.force_login(users["caseworker"])
    response = client.post(edit_url(c), form_of(c, restricted="", lift_reason="Cleared"))
    assert "Only a coordinator" in " ".join(response.context["form"].non_field_errors())
    assert Case.objects.get(pk=c.pk).restricted

    client.force_login(users["coordinator"])
    response = client.post(edit_url(c), form_of(c, restricted=""))
    assert response.context["form"].errors["lift_reason"] == ["Say why the restriction is lifted."]
    response = client.post(
        edit_url(c), form_of(c, restricted="", lift_reason="Investigation closed, no staff link")
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert not c.restricted and c.restricted_reason == ""
    assert ("case", "unrestricted", {}) in lines(c)
    assert AccessEvent.objects.get(action="case.unrestrict").reason.startswith("Investigation")


def test_another_organisation_gets_404(client, c, outsider):
    client.force_login(outsider)
    assert client.get(edit_url(c)).status_code == 404
    assert client.post(edit_url(c), form_of(c, priority="urgent")).status_code == 404
    assert Case.objects.get(pk=c.pk).priority == "normal"
