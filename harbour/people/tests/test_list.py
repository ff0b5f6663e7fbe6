"""The people list: scoped to the organisation, searchable by name or by exact phone."""

from django.urls import reverse

from harbour.audit.models import AccessEvent
from harbour.people.actions import index_names
from harbour.people.models import Person


def test_it_finds_a_person_by_safe_phone_through_the_blind_index(client, users, unit):
    Person.objects.create(organisation=unit, given_name="Robin", safe_phone="+1 902 555 0142")
    Person.objects.create(organisation=unit, given_name="Sasha", safe_phone="+1 902 555 0199")
    client.force_login(users["caseworker"])
    response = client.get(reverse("people:list"), {"q": "(902) 555-0142"})
    assert [p.given_name for p in response.context["page"]] == ["Robin"]
    assert AccessEvent.objects.filter(action="person.search").count() == 1


def test_it_searches_by_name_within_the_organisation_only(client, users, unit, other_unit):
    for org, family in ((unit, "Example"), (other_unit, "Elsewhere"), (unit, "Robinson")):
        index_names(Person.objects.create(organisation=org, given_name="Sam", family_name=family))
    index_names(Person.objects.create(organisation=unit, given_name="Robin", family_name="Ng"))
    client.force_login(users["caseworker"])
    response = client.get(reverse("people:list"), {"q": "robin"})
    assert [p.family_name for p in response.context["page"]] == ["Ng", "Robinson"]
    response = client.get(reverse("people:list"), {"q": "sam ex"})
    assert [p.family_name for p in response.context["page"]] == ["Example"]


def test_a_name_is_found_by_the_start_of_any_word_or_by_how_it_sounds(client, users, unit):
    person = Person.objects.create(
        organisation=unit, given_name="Katherine", family_name="Bélanger-Da Silva"
    )
    index_names(person)
    client.force_login(users["caseworker"])
    for query in ("kath", "belanger", "BÉLANGER", "da sil", "Catherine", "silva kat"):
        response = client.get(reverse("people:list"), {"q": query})
        assert [p.pk for p in response.context["page"]] == [person.pk], query
    for query in ("atherine", "kath smith", "x"):
        response = client.get(reverse("people:list"), {"q": query})
        assert list(response.context["page"]) == [], query


def test_a_name_given_later_as_an_alias_is_found(client, users, unit):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("people:new"), {"given_name": "Robin", "family_name": "Example", "confirmed": "1"}
    )
    robin = Person.objects.get(given_name="Robin")
    client.post(
        reverse("people:alias_new", kwargs={"person_id": robin.pk}),
        {"given_name": "Rae", "family_name": "Tremblay"},
    )
    response = client.get(reverse("people:list"), {"q": "tremblay"})
    assert [p.pk for p in response.context["page"]] == [robin.pk]


def test_viewing_a_person_is_audited_with_the_reason(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin", safe_phone="555 0142")
    client.force_login(users["caseworker"])
    response = client.get(reverse("people:detail", kwargs={"person_id": person.pk}))
    assert "555 0142" in response.content.decode()
    event = AccessEvent.objects.get(action="person.view")
    assert (event.person_id, event.reason) == (str(person.pk), "casework")
