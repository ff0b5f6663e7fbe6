"""Relationships between people of one organisation, read from either side."""

from django.urls import reverse

from harbour.people.actions import index_names
from harbour.people.models import Person, Relationship


def test_it_adds_a_relationship_shown_inversely_from_the_other_side(client, users, unit):
    child = Person.objects.create(organisation=unit, given_name="Kai", family_name="Chen")
    parent = Person.objects.create(organisation=unit, given_name="Wen", family_name="Chen")
    index_names(parent)
    client.force_login(users["caseworker"])
    url = reverse("people:relationship_new", kwargs={"person_id": child.pk})
    assert client.get(url, {"q": "Wen"}).context["found"] == [parent]
    response = client.post(url, {"other": parent.pk, "kind": "parent"})
    assert response.status_code == 302
    assert Relationship.objects.filter(person=child, other=parent, kind="parent").exists()
    page = client.get(reverse("people:detail", kwargs={"person_id": parent.pk})).content.decode()
    assert "Child:" in page and "Kai Chen" in page


def test_it_refuses_a_person_of_another_organisation(client, users, unit, other_unit):
    person = Person.objects.create(organisation=unit, given_name="Kai")
    stranger = Person.objects.create(organisation=other_unit, given_name="Wen")
    client.force_login(users["caseworker"])
    url = reverse("people:relationship_new", kwargs={"person_id": person.pk})
    response = client.post(url, {"other": stranger.pk, "kind": "friend"})
    assert response.status_code == 200
    assert response.context["form"].errors["other"]
    assert not Relationship.objects.exists()


def test_it_refuses_a_relationship_with_oneself(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Kai")
    client.force_login(users["caseworker"])
    url = reverse("people:relationship_new", kwargs={"person_id": person.pk})
    response = client.post(url, {"other": person.pk, "kind": "friend"})
    assert response.context["form"].errors["other"]
    assert not Relationship.objects.exists()


def test_it_removes_a_relationship_from_either_side(client, users, unit):
    a = Person.objects.create(organisation=unit, given_name="Kai")
    b = Person.objects.create(organisation=unit, given_name="Wen")
    rel = Relationship.objects.create(person=a, other=b, kind="former_partner")
    client.force_login(users["caseworker"])
    url = reverse(
        "people:relationship_remove", kwargs={"person_id": b.pk, "relationship_id": rel.pk}
    )
    assert client.post(url).status_code == 302
    assert not Relationship.objects.exists()


def test_another_organisation_gets_404_on_a_relationship(client, outsider, unit):
    a = Person.objects.create(organisation=unit, given_name="Kai")
    b = Person.objects.create(organisation=unit, given_name="Wen")
    rel = Relationship.objects.create(person=a, other=b, kind="friend")
    client.force_login(outsider)
    url = reverse(
        "people:relationship_remove", kwargs={"person_id": a.pk, "relationship_id": rel.pk}
    )
    assert client.post(url).status_code == 404
    assert Relationship.objects.exists()
