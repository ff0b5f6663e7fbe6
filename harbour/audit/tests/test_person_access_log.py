"""The coordinator's page: who accessed this person's information, when, and why."""

from django.urls import reverse

from harbour.audit.models import AccessEvent
from harbour.people.models import Person


def test_a_coordinator_sees_who_viewed_a_person(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin", family_name="Example")
    client.force_login(users["caseworker"])
    client.get(reverse("people:detail", kwargs={"person_id": person.pk}))

    client.force_login(users["coordinator"])
    response = client.get(reverse("people:access_log", kwargs={"person_id": person.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Caseworker &lt;caseworker@unit.test&gt;" in page
    assert "person.view" in page
    assert "casework" in page


def test_reviewing_the_log_is_itself_recorded(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin", family_name="Example")
    client.force_login(users["coordinator"])
    client.get(reverse("people:access_log", kwargs={"person_id": person.pk}))
    event = AccessEvent.objects.get(action="person.view_access_log")
    assert event.actor == users["coordinator"]
    assert event.person_id == str(person.pk)


def test_it_shows_only_events_about_that_person(client, users, unit):
    robin = Person.objects.create(organisation=unit, given_name="Robin", family_name="Example")
    sasha = Person.objects.create(organisation=unit, given_name="Sasha", family_name="Other")
    client.force_login(users["caseworker"])
    client.get(reverse("people:detail", kwargs={"person_id": sasha.pk}))
    client.force_login(users["coordinator"])
    response = client.get(reverse("people:access_log", kwargs={"person_id": robin.pk}))
    shown = list(response.context["page"])
    # Only the coordinator's own review of Robin's log: Sasha's view is not listed.
    assert [(e.action, e.person_id) for e in shown] == [("person.view_access_log", str(robin.pk))]


def test_another_organisation_cannot_review_the_log(client, unit, outsider):
    person = Person.objects.create(organisation=unit, given_name="Robin", family_name="Example")
    client.force_login(outsider)
    response = client.get(reverse("people:access_log", kwargs={"person_id": person.pk}))
    assert response.status_code == 404
    assert not AccessEvent.objects.filter(person_id=str(person.pk)).exists()
