"""Creating a person: the details, then the likely duplicates, then a new record."""

from datetime import date, timedelta

from django.urls import reverse

from harbour.audit.models import AccessEvent
from harbour.people.models import ContactPoint, Person

URL = reverse("people:new")


def details(**overrides):
    data = {"given_name": "Catherine", "family_name": "Tremblay", "date_of_birth": "1990-04-02"}
    data.update(overrides)
    return data


def test_it_creates_a_person_when_nobody_looks_the_same(client, users, unit):
    client.force_login(users["caseworker"])
    response = client.post(
        URL, details(phone="(902) 555-0142", languages=["fr", "en"], pronouns="elle")
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", kwargs={"person_id": person.pk})
    assert (person.organisation, person.given_name, person.date_of_birth) == (
        unit,
        "Catherine",
        date(1990, 4, 2),
    )
    assert person.languages == ["fr", "en"] and person.pronouns == "elle"
    assert (person.given_name_key, person.family_name_key) == ("K0RN", "TRMBL")
    contact = ContactPoint.objects.get(person=person)
    # Stored in E.164; nothing is safe until the caseworker says so.
    assert contact.value == "+19025550142" and contact.is_primary
    assert not (contact.safe_to_call or contact.safe_to_leave_message or contact.safe_to_text)
    assert AccessEvent.objects.filter(action="person.create", person_id=str(person.pk)).exists()


def test_it_shows_likely_duplicates_with_reasons_before_creating(client, users, unit):
    existing = Person.objects.create(
        organisation=unit,
        given_name="Katherine",
        family_name="Tremblay",
        given_name_key="K0RN",
        family_name_key="TRMBL",
        date_of_birth=date(1990, 4, 2),
    )
    client.force_login(users["caseworker"])
    response = client.post(URL, details())
    assert response.status_code == 200
    matches = response.context["matches"]
    assert [m.person for m in matches] == [existing]
    assert {"name sounds alike", "same date of birth"} <= set(matches[0].reasons)
    assert Person.objects.count() == 1
    assert AccessEvent.objects.filter(action="person.search").exists()


def test_confirming_creates_the_new_person_despite_the_lookalike(client, users, unit):
    Person.objects.create(
        organisation=unit,
        given_name="Katherine",
        family_name="Tremblay",
        given_name_key="K0RN",
        family_name_key="TRMBL",
        date_of_birth=date(1990, 4, 2),
    )
    client.force_login(users["caseworker"])
    response = client.post(URL, details(confirmed="on"))
    assert response.status_code == 302
    assert Person.objects.filter(given_name="Catherine").count() == 1


def test_it_finds_a_duplicate_by_phone_number_alone(client, users, unit):
    other = Person.objects.create(organisation=unit, given_name="Kate", family_name="Tremblay")
    ContactPoint.objects.create(person=other, kind="phone", value="+19025550142")
    client.force_login(users["caseworker"])
    response = client.post(URL, details(date_of_birth="", phone="902 555 0142"))
    matches = response.context["matches"]
    assert [m.person for m in matches] == [other]
    assert "same phone number" in matches[0].reasons


def test_it_never_offers_a_person_of_another_organisation(client, users, unit, other_unit):
    Person.objects.create(
        organisation=other_unit,
        given_name="Catherine",
        family_name="Tremblay",
        given_name_key="K0RN",
        family_name_key="TRMBL",
        date_of_birth=date(1990, 4, 2),
    )
    client.force_login(users["caseworker"])
    response = client.post(URL, details())
    assert response.status_code == 302
    assert Person.objects.filter(organisation=unit).count() == 1


def test_it_refuses_a_malformed_phone_number_and_writes_nothing(client, users, unit):
    client.force_login(users["caseworker"])
    response = client.post(URL, details(phone="12345"))
    assert response.status_code == 200
    assert "not a phone number we can call" in response.context["form"].errors["phone"][0]
    assert not Person.objects.exists()


def test_it_refuses_a_date_of_birth_in_the_future(client, users, unit):
    client.force_login(users["caseworker"])
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    response = client.post(URL, details(date_of_birth=tomorrow))
    assert response.context["form"].errors["date_of_birth"] == [
        "The date of birth cannot be in the future."
    ]
    assert not Person.objects.exists()


def test_it_refuses_a_date_of_birth_before_1900(client, users, unit):
    client.force_login(users["caseworker"])
    response = client.post(URL, details(date_of_birth="1899-12-31"))
    assert response.context["form"].errors["date_of_birth"] == [
        "The date of birth cannot be before 1900."
    ]
    assert not Person.objects.exists()


def test_it_refuses_a_person_without_a_given_name(client, users, unit):
    client.force_login(users["caseworker"])
    response = client.post(URL, details(given_name=""))
    assert response.context["form"].errors["given_name"] == ["Enter the person’s given name."]
    assert not Person.objects.exists()


def test_it_refuses_both_a_date_of_birth_and_an_estimated_age(client, users, unit):
    client.force_login(users["caseworker"])
    response = client.post(URL, details(estimated_age="30"))
    assert "not both" in response.context["form"].errors["estimated_age"][0]
    assert not Person.objects.exists()


def test_an_estimated_age_is_stored_as_a_birth_year(client, users, unit):
    client.force_login(users["caseworker"])
    client.post(URL, details(date_of_birth="", estimated_age="30"))
    person = Person.objects.get()
    assert person.date_of_birth is None
    assert person.estimated_birth_year == date.today().year - 30


def test_it_asks_for_the_interpreter_language_when_one_is_needed(client, users, unit):
    client.force_login(users["caseworker"])
    response = client.post(URL, details(interpreter_needed="on"))
    assert "interpreter_language" in response.context["form"].errors
    assert not Person.objects.exists()


def test_it_refuses_a_language_not_on_the_list(client, users, unit):
    client.force_login(users["caseworker"])
    response = client.post(URL, details(languages=["xx"]))
    assert "languages" in response.context["form"].errors
    assert not Person.objects.exists()


def test_the_second_step_carries_every_detail_through_to_the_new_record(client, users, unit):
    import re

    Person.objects.create(
        organisation=unit,
        given_name="Katherine",
        family_name="Tremblay",
        given_name_key="K0RN",
        family_name_key="TRMBL",
        date_of_birth=date(1990, 4, 2),
    )
    client.force_login(users["caseworker"])
    page = client.post(
        URL,
        details(
            languages=["fr", "ar"],
            interpreter_needed="on",
            interpreter_language="ar",
            phone="902 555 0142",
        ),
    ).content.decode()
    form = page.split('<form method="post" novalidate>')[1].split("</form>")[0]
    pairs = re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form)
    data: dict = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    assert client.post(URL, data).status_code == 302
    person = Person.objects.get(given_name="Catherine")
    assert (person.date_of_birth, person.languages) == (date(1990, 4, 2), ["fr", "ar"])
    assert (person.interpreter_needed, person.interpreter_language) == (True, "ar")
    assert ContactPoint.objects.get(person=person).value == "+19025550142"
