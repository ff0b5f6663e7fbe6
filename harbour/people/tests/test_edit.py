"""Editing a person's details and adding aliases."""

from django.urls import reverse

from harbour.audit.models import AccessEvent
from harbour.people.models import Person, PersonAlias


def edit_url(person):
    return reverse("people:edit", kwargs={"person_id": person.pk})


def test_it_saves_the_details_and_recomputes_the_name_keys(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Jon", family_name="Smyth")
    client.force_login(users["coordinator"])
    response = client.post(
        edit_url(person),
        {
            "given_name": "Jonathan",
            "family_name": "Smith",
            "gender": "self_described",
            "gender_self_described": "genderfluid",
            "interpreter_needed": "on",
            "interpreter_language": "ar",
            "languages": ["ar"],
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.given_name, person.family_name_key) == ("Jonathan", "SM0")
    assert person.gender_label == "genderfluid"
    assert (person.interpreter_needed, person.interpreter_language) == (True, "ar")
    assert AccessEvent.objects.filter(action="person.update").count() == 1


def test_it_asks_for_the_self_described_gender(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Ari")
    client.force_login(users["caseworker"])
    response = client.post(edit_url(person), {"given_name": "Ari", "gender": "self_described"})
    assert "gender_self_described" in response.context["form"].errors
    person.refresh_from_db()
    assert person.gender == ""


def test_it_adds_an_alias_that_duplicate_detection_finds(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Maëlle", family_name="Vachon")
    client.force_login(users["caseworker"])
    url = reverse("people:alias_new", kwargs={"person_id": person.pk})
    client.post(url, {"given_name": "Maëlle", "family_name": "Gagnon"})
    alias = PersonAlias.objects.get(person=person)
    assert alias.family_name_key == "KKNN"
    response = client.post(reverse("people:new"), {"given_name": "Maelle", "family_name": "Gagnon"})
    assert [m.person for m in response.context["matches"]] == [person]
    assert "matches an alias" in response.context["matches"][0].reasons


def test_an_alias_needs_a_name(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Ari")
    client.force_login(users["caseworker"])
    url = reverse("people:alias_new", kwargs={"person_id": person.pk})
    response = client.post(url, {"given_name": "", "family_name": ""})
    assert response.status_code == 200 and not PersonAlias.objects.exists()


def test_another_organisation_cannot_edit_the_person(client, outsider, unit):
    person = Person.objects.create(organisation=unit, given_name="Ari")
    client.force_login(outsider)
    response = client.post(edit_url(person), {"given_name": "Changed"})
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.given_name == "Ari"


def test_removing_an_alias_stops_search_finding_the_person_by_it(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Maëlle", family_name="Vachon")
    client.force_login(users["caseworker"])
    client.post(
        reverse("people:alias_new", kwargs={"person_id": person.pk}),
        {"given_name": "Maëlle", "family_name": "Gagnon"},
    )
    alias = PersonAlias.objects.get(person=person)
    assert list(
        client.get(reverse("people:list"), {"q": "gagnon"}).context["page"].object_list
    ) == [person]
    url = reverse("people:alias_remove", kwargs={"person_id": person.pk, "alias_id": alias.pk})
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not PersonAlias.objects.exists()
    assert (
        list(client.get(reverse("people:list"), {"q": "gagnon"}).context["page"].object_list) == []
    )
    assert list(
        client.get(reverse("people:list"), {"q": "vachon"}).context["page"].object_list
    ) == [person]
    event = AccessEvent.objects.get(action="person.remove_alias")
    assert event.person_id == str(person.pk)


def test_an_alias_of_someone_else_cannot_be_removed_through_this_person(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Ari")
    other = Person.objects.create(organisation=unit, given_name="Sam")
    alias = PersonAlias.objects.create(person=other, given_name="Sammy")
    client.force_login(users["caseworker"])
    url = reverse("people:alias_remove", kwargs={"person_id": person.pk, "alias_id": alias.pk})
    assert client.post(url).status_code == 404
    assert PersonAlias.objects.filter(pk=alias.pk).exists()
