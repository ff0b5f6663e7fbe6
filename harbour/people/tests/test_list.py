"""The people list: scoped to the organisation, searchable by name or by exact phone."""

from django.urls import reverse

from harbour.audit.models import AccessEvent
from harbour.people.models import Person


def test_it_finds_a_person_by_safe_phone_through_the_blind_index(client, users, unit):
    Person.objects.create(organisation=unit, given_name="Robin", safe_phone="+1 902 555 0142")
    Person.objects.create(organisation=unit, given_name="Sasha", safe_phone="+1 902 555 0199")
    client.force_login(users["caseworker"])
    response = client.get(reverse("people:list"), {"q": "(902) 555-0142"})
    assert [p.given_name for p in response.context["page"]] == ["Robin"]
    assert AccessEvent.objects.filter(action="person.search").count() == 1


def test_it_searches_by_name_within_the_organisation_only(client, users, unit, other_unit):
    Person.objects.create(organisation=unit, given_name="Robin", family_name="Example")
    Person.objects.create(organisation=other_unit, given_name="Robin", family_name="Elsewhere")
    client.force_login(users["caseworker"])
    response = client.get(reverse("people:list"), {"q": "robin"})
    assert [p.family_name for p in response.context["page"]] == ["Example"]


def test_viewing_a_person_is_audited_with_the_reason(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin", safe_phone="555 0142")
    client.force_login(users["caseworker"])
    response = client.get(reverse("people:detail", kwargs={"person_id": person.pk}))
    assert "555 0142" in response.content.decode()
    event = AccessEvent.objects.get(action="person.view")
    assert (event.person_id, event.reason) == (str(person.pk), "casework")
