"""Family members and friends as clients in their own right: a linked case from the
victim's case, both cases showing each other, and the person page listing cases."""

import pytest
from django.urls import reverse

from harbour.cases.constants import ClientRole
from harbour.cases.models import Case, TimelineEvent
from harbour.cases.tests.helpers import case, person, relate, team
from harbour.people.models import Person, Relationship


@pytest.fixture
def c(unit, users):
    return case(unit, users["caseworker"], team=team(unit, "IPV team", users["caseworker"]))


def new_url(c):
    return reverse("cases:linked_new", kwargs={"case_id": c.pk})


def test_a_relative_on_file_gets_a_linked_case(client, users, unit, c):
    mother = person(unit, "Morgan")
    relate(c.client, mother)
    client.force_login(users["caseworker"])
    page = client.get(new_url(c)).content.decode()
    assert "Morgan Example (Parent)" in page
    response = client.post(
        new_url(c), {"person": str(mother.pk), "client_role": "family", "programs": ["homicide"]}
    )
    linked = Case.objects.get(client=mother)
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:detail", kwargs={"case_id": linked.pk}
    )
    assert (linked.client_role, linked.linked_case, linked.program_codes) == (
        "family",
        c,
        ["homicide"],
    )
    assert (linked.assigned_to, linked.team) == (c.assigned_to, c.team)
    line = TimelineEvent.objects.get(case=c, verb="linked_case_opened")
    assert line.data == {"client_role": "family"} and line.object_id == str(linked.pk)

    # Both cases show each other.
    victim_page = client.get(reverse("cases:detail", kwargs={"case_id": c.pk})).content.decode()
    assert linked.number in victim_page and "Morgan Example" in victim_page
    assert "Linked case opened for a client in their own right: family member" in victim_page
    theirs = client.get(reverse("cases:detail", kwargs={"case_id": linked.pk})).content.decode()
    assert "Primary victim’s case" in theirs and c.number in theirs


def test_a_new_person_is_added_with_their_relationship_to_the_victim(client, users, unit, c):
    client.force_login(users["caseworker"])
    response = client.post(
        new_url(c),
        {
            "person": "new",
            "given_name": "Riley",
            "family_name": "Friend",
            "relationship": "friend",
            "client_role": "friend",
            "programs": ["ipv"],
        },
    )
    assert response.status_code == 302
    riley = Person.objects.get(given_name="Riley")
    assert riley.organisation == unit and riley.family_name_key
    assert Relationship.objects.filter(person=c.client, other=riley, kind="friend").exists()
    assert Case.objects.get(client=riley).client_role == ClientRole.FRIEND


def test_a_new_person_needs_a_name_and_a_relationship(client, users, c):
    client.force_login(users["caseworker"])
    response = client.post(
        new_url(c), {"person": "new", "client_role": "friend", "programs": ["ipv"]}
    )
    errors = response.context["form"].errors
    assert errors["given_name"] == ["Enter the new person’s given name."]
    assert errors["relationship"] == ["Choose what the new person is to the client."]
    assert Case.objects.count() == 1 and Person.objects.count() == 1


def test_someone_unrelated_to_the_victim_cannot_be_chosen(client, users, unit, c):
    stranger = person(unit, "Stranger")
    client.force_login(users["caseworker"])
    response = client.post(
        new_url(c), {"person": str(stranger.pk), "client_role": "family", "programs": ["ipv"]}
    )
    assert "person" in response.context["form"].errors
    assert not Case.objects.filter(client=stranger).exists()


def test_a_relative_gets_one_open_linked_case(client, users, unit, c):
    mother = person(unit, "Morgan")
    relate(c.client, mother)
    client.force_login(users["caseworker"])
    data = {"person": str(mother.pk), "client_role": "family", "programs": ["ipv"]}
    client.post(new_url(c), data)
    response = client.post(new_url(c), data)
    assert "already has an open case linked" in " ".join(
        response.context["form"].non_field_errors()
    )
    assert Case.objects.filter(client=mother).count() == 1


def test_a_restricted_victims_family_case_is_restricted_too(client, users, unit, c):
    Case.objects.filter(pk=c.pk).update(restricted=True, restricted_reason="Staff accused")
    mother = person(unit, "Morgan")
    relate(c.client, mother)
    client.force_login(users["caseworker"])
    client.post(
        new_url(c), {"person": str(mother.pk), "client_role": "family", "programs": ["ipv"]}
    )
    linked = Case.objects.get(client=mother)
    assert linked.restricted and linked.restricted_reason == "Staff accused"
    assert linked.team == c.team


def test_another_organisation_gets_404(client, unit, c, outsider):
    client.force_login(outsider)
    assert client.get(new_url(c)).status_code == 404
    assert client.post(new_url(c), {"person": "new", "given_name": "X"}).status_code == 404


# The person page lists the person's cases.


def test_the_person_page_lists_their_cases_and_restricted_ones_by_number_only(
    client, users, unit, c
):
    sealed = team(unit, "Sealed", users["admin"])
    hidden = case(
        unit,
        users["admin"],
        c.client,
        assigned_to=None,
        team=sealed,
        restricted=True,
        restricted_reason="Accused is an officer",
        programs=["sexual_violence"],
    )
    client.force_login(users["caseworker"])
    page = client.get(reverse("people:detail", kwargs={"person_id": c.client_id})).content.decode()
    assert c.number in page and "Intimate partner violence" in page
    assert hidden.number in page and "restricted case" in page
    assert "Sexual violence" not in page and "Accused is an officer" not in page
