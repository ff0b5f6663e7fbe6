"""Contact points with safe-contact preferences, and the audited code word."""

from datetime import time

from django.urls import reverse

from harbour.audit.models import AccessEvent
from harbour.lib.fields import blind_lookup
from harbour.people.models import ContactPoint, Person


def new_url(person):
    return reverse("people:contact_new", kwargs={"person_id": person.pk})


def phone(**overrides):
    # "Still in use" is ticked on a new form, as a browser would send it.
    data = {
        "kind": "phone",
        "value": "902-555-0199",
        "safe_to_call": "on",
        "code_word": "tulip",
        "in_use": "on",
    }
    data.update(overrides)
    return data


def test_it_adds_a_phone_with_its_safe_contact_preferences(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    client.force_login(users["caseworker"])
    response = client.post(
        new_url(person),
        phone(safe_days=["0", "2"], safe_from="09:00", safe_until="15:00", is_primary="on"),
    )
    assert response.status_code == 302
    contact = ContactPoint.objects.get(person=person)
    assert contact.value == "+19025550199" and contact.code_word == "tulip"
    assert (contact.safe_to_call, contact.safe_to_leave_message, contact.safe_to_text) == (
        True,
        False,
        False,
    )
    assert contact.safe_days == [0, 2]
    assert (contact.safe_from, contact.safe_until) == (time(9), time(15))
    assert ContactPoint.objects.filter(**blind_lookup(ContactPoint, "value", "9025550199")).exists()
    assert AccessEvent.objects.filter(action="contact.add", person_id=str(person.pk)).exists()


def test_the_person_page_says_what_is_not_safe_and_hides_the_code_word(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    ContactPoint.objects.create(
        person=person, kind="phone", value="+19025550199", safe_to_call=True, code_word="tulip"
    )
    client.force_login(users["caseworker"])
    page = client.get(reverse("people:detail", kwargs={"person_id": person.pk})).content.decode()
    assert "Do NOT leave a message" in page and "Do NOT text" in page
    assert "tulip" not in page


def test_revealing_the_code_word_is_audited(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    contact = ContactPoint.objects.create(
        person=person, kind="phone", value="+19025550199", code_word="tulip"
    )
    client.force_login(users["caseworker"])
    url = reverse(
        "people:code_word_reveal", kwargs={"person_id": person.pk, "contact_id": contact.pk}
    )
    response = client.post(url)
    assert "tulip" in response.content.decode()
    event = AccessEvent.objects.get(action="contact.reveal_code_word")
    assert (event.person_id, event.object_id) == (str(person.pk), str(contact.pk))


def test_it_refuses_a_malformed_phone_number_and_writes_nothing(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    client.force_login(users["caseworker"])
    response = client.post(new_url(person), phone(value="555-01"))
    assert "not a phone number we can call" in response.context["form"].errors["value"][0]
    assert not ContactPoint.objects.exists()


def test_it_refuses_a_malformed_email_address(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    client.force_login(users["caseworker"])
    response = client.post(new_url(person), {"kind": "email", "value": "not-an-address"})
    assert "value" in response.context["form"].errors
    assert not ContactPoint.objects.exists()


def test_it_needs_both_ends_of_the_safe_times(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    client.force_login(users["caseworker"])
    response = client.post(new_url(person), phone(safe_from="09:00"))
    assert response.context["form"].errors["safe_until"] == ["Give both times, or neither."]
    assert not ContactPoint.objects.exists()


def test_one_contact_point_is_primary(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    first = ContactPoint.objects.create(
        person=person, kind="phone", value="+19025550199", is_primary=True
    )
    client.force_login(users["caseworker"])
    client.post(
        new_url(person),
        {"kind": "email", "value": "Robin@Example.ca", "is_primary": "on", "in_use": "on"},
    )
    first.refresh_from_db()
    email = ContactPoint.objects.get(kind="email")
    assert (first.is_primary, email.is_primary, email.value) == (False, True, "robin@example.ca")


def test_changing_a_contact_point_keeps_its_index_in_step(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    contact = ContactPoint.objects.create(person=person, kind="phone", value="+19025550199")
    client.force_login(users["caseworker"])
    url = reverse("people:contact_edit", kwargs={"person_id": person.pk, "contact_id": contact.pk})
    assert client.post(url, phone(value="902 555 0123")).status_code == 302
    assert ContactPoint.objects.filter(**blind_lookup(ContactPoint, "value", "9025550123")).exists()
    assert not ContactPoint.objects.filter(
        **blind_lookup(ContactPoint, "value", "9025550199")
    ).exists()


def test_another_organisation_gets_404_on_a_contact_point(client, outsider, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    contact = ContactPoint.objects.create(
        person=person, kind="phone", value="+19025550199", code_word="tulip"
    )
    client.force_login(outsider)
    kwargs = {"person_id": person.pk, "contact_id": contact.pk}
    assert client.post(reverse("people:contact_edit", kwargs=kwargs), phone()).status_code == 404
    assert client.post(reverse("people:code_word_reveal", kwargs=kwargs)).status_code == 404
    assert not AccessEvent.objects.filter(action="contact.reveal_code_word").exists()


def test_a_number_no_longer_in_use_is_kept_marked_and_never_primary(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    contact = ContactPoint.objects.create(
        person=person, kind="phone", value="+19025550199", safe_to_call=True, is_primary=True
    )
    client.force_login(users["caseworker"])
    url = reverse("people:contact_edit", kwargs={"person_id": person.pk, "contact_id": contact.pk})
    data = phone(is_primary="on")
    del data["in_use"]  # unticked
    assert client.post(url, data).status_code == 302
    contact.refresh_from_db()
    assert (contact.in_use, contact.is_primary) == (False, False)
    page = client.get(reverse("people:detail", kwargs={"person_id": person.pk})).content.decode()
    assert "No longer in use: do not use" in page
    assert "Safe to call" not in page
    # Still found by the number: an old number is still a clue to a duplicate record.
    assert ContactPoint.objects.filter(**blind_lookup(ContactPoint, "value", "9025550199")).exists()
    assert AccessEvent.objects.filter(action="contact.update", person_id=str(person.pk)).exists()
