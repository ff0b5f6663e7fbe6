"""Addresses: encrypted, and a confidential one shown only on an audited reveal."""

from django.db import connection
from django.urls import reverse

from harbour.audit.models import AccessEvent
from harbour.people.models import Address, Person


def test_it_adds_an_address_encrypted_at_rest(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    client.force_login(users["caseworker"])
    url = reverse("people:address_new", kwargs={"person_id": person.pk})
    response = client.post(
        url,
        {
            "line1": "12 Harbour Street",
            "city": "Halifax",
            "postal_code": "b3h 1a1",
            "current": "on",
        },
    )
    assert response.status_code == 302
    address = Address.objects.get(person=person)
    assert address.lines == ["12 Harbour Street", "Halifax B3H 1A1"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT line1 FROM people_address")
        assert "Harbour" not in cursor.fetchone()[0]


def test_a_confidential_address_is_shown_only_on_an_audited_reveal(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    address = Address.objects.create(person=person, line1="12 Hidden Lane", confidential=True)
    client.force_login(users["caseworker"])
    page = client.get(reverse("people:detail", kwargs={"person_id": person.pk})).content.decode()
    assert "Hidden Lane" not in page
    url = reverse(
        "people:address_reveal", kwargs={"person_id": person.pk, "address_id": address.pk}
    )
    assert "12 Hidden Lane" in client.post(url).content.decode()
    event = AccessEvent.objects.get(action="address.reveal")
    assert (event.person_id, event.object_id) == (str(person.pk), str(address.pk))


def test_an_address_needs_a_line_or_a_city(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    client.force_login(users["caseworker"])
    url = reverse("people:address_new", kwargs={"person_id": person.pk})
    response = client.post(url, {"province": "NS"})
    assert response.context["form"].non_field_errors()
    assert not Address.objects.exists()


def test_another_organisation_gets_404_on_an_address(client, outsider, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    address = Address.objects.create(person=person, line1="12 Hidden Lane", confidential=True)
    client.force_login(outsider)
    kwargs = {"person_id": person.pk, "address_id": address.pk}
    assert client.post(reverse("people:address_reveal", kwargs=kwargs)).status_code == 404
    assert (
        client.post(reverse("people:address_edit", kwargs=kwargs), {"city": "X"}).status_code == 404
    )
    assert not AccessEvent.objects.filter(action="address.reveal").exists()
