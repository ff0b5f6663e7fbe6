"""Finding a case: by client name or alias, phone number (exact, through the blind
indexes), case number and occurrence number. Only visible cases are listed; a restricted
case shows up only on its exact number, and never with its client's name. Every search is
audited by its kind, never its text."""

from django.urls import reverse

from harbour.accounts.constants import Role
from harbour.audit.models import AccessEvent
from harbour.cases.models import Team
from harbour.cases.tests.caseload_helpers import make_case
from harbour.people.constants import ContactKind
from harbour.people.models import ContactPoint, Person, PersonAlias

SEARCH = reverse("cases:search")


def numbers(response) -> list[str]:
    return sorted(case.number for case in response.context["rows"])


def hidden(response) -> list[str]:
    return [case.number for case in response.context["hidden"]]


def test_it_finds_cases_by_every_word_of_a_name_or_alias(client, users, unit):
    robin = make_case(unit, given="Robin", family="Example")
    make_case(unit, given="Robin", family="Other")
    person = Person.objects.create(organisation=unit, given_name="Morgan", family_name="Tremblay")
    PersonAlias.objects.create(person=person, given_name="Mo", family_name="Gagnon")
    morgan = make_case(unit, client=person)  # indexes the names, the alias's too
    client.force_login(users[Role.CASEWORKER])
    assert numbers(client.get(SEARCH, {"q": "robin  EXAMPLE"})) == [robin.number]
    assert numbers(client.get(SEARCH, {"q": "gagnon"})) == [morgan.number]
    response = client.get(SEARCH, {"q": "robin ex"})
    assert "Robin Example" in response.content.decode()


def test_it_finds_cases_by_an_exact_phone_number(client, users, unit):
    by_safe = make_case(
        unit,
        client=Person.objects.create(
            organisation=unit, given_name="Sasha", safe_phone="+1 902 555 0142"
        ),
    )
    person = Person.objects.create(organisation=unit, given_name="Alex")
    ContactPoint.objects.create(person=person, kind=ContactKind.PHONE, value="902-555-0177")
    by_contact = make_case(unit, client=person)
    client.force_login(users[Role.CASEWORKER])
    assert numbers(client.get(SEARCH, {"q": "(902) 555-0142"})) == [by_safe.number]
    assert numbers(client.get(SEARCH, {"q": "+1 902 555 0177"})) == [by_contact.number]
    assert numbers(client.get(SEARCH, {"q": "555 01"})) == []


def test_it_finds_a_case_by_its_number_and_by_its_occurrence_number(client, users, unit):
    case = make_case(unit, occurrence_number="HRPS-26-000123")
    make_case(unit, occurrence_number="HRPS-26-000124")
    client.force_login(users[Role.CASEWORKER])
    assert numbers(client.get(SEARCH, {"q": case.number})) == [case.number]
    assert numbers(client.get(SEARCH, {"q": "hrps-26-000123"})) == [case.number]
    assert numbers(client.get(SEARCH, {"q": "HRPS-26"})) == []


def test_a_restricted_case_shows_only_its_number_and_only_on_an_exact_match(client, users, unit):
    team = Team.objects.create(organisation=unit, name="Professional standards")
    case = make_case(
        unit,
        given="Jordan",
        family="Secret",
        restricted=True,
        restricted_reason="Officer accused",
        occurrence_number="HRPS-26-000999",
        team=team,
    )
    client.force_login(users[Role.CASEWORKER])
    by_name = client.get(SEARCH, {"q": "Jordan"})
    assert numbers(by_name) == [] and hidden(by_name) == []
    assert "Secret" not in by_name.content.decode()
    for query in (case.number, "HRPS-26-000999"):
        response = client.get(SEARCH, {"q": query})
        assert numbers(response) == []
        assert hidden(response) == [case.number]
        page = response.content.decode()
        assert f"Restricted case {case.number}" in page
        assert reverse("cases:detail", kwargs={"case_id": case.pk}) in page
        assert "Jordan" not in page and "Secret" not in page
    # On the team, it is an ordinary result.
    team.members.add(users[Role.CASEWORKER])
    response = client.get(SEARCH, {"q": "Jordan"})
    assert numbers(response) == [case.number] and hidden(response) == []


def test_every_search_is_audited_by_its_kind_and_never_its_text(client, users, unit):
    make_case(unit, given="Robin", family="Example", occurrence_number="HRPS-26-000123")
    client.force_login(users[Role.CASEWORKER])
    queries = ["Robin Example", "902 555 0142", "HRPS-26-000123", "2026-00001"]
    for query in queries:
        client.get(SEARCH, {"q": query})
    events = list(AccessEvent.objects.filter(action="case.search").order_by("seq"))
    assert [e.reason for e in events] == [
        "search by name or case or occurrence number",
        "search by phone or case or occurrence number",
        # Names have no digits: an occurrence number is looked up as a number only.
        "search by case or occurrence number",
        "search by phone or case or occurrence number",
    ]
    for event in AccessEvent.objects.all():
        text = " ".join([event.reason, event.object_id, event.person_id, event.actor_label])
        for query in queries:
            assert query not in text
            assert query.split()[0] not in event.reason


def test_an_empty_or_one_letter_query_is_not_a_search(client, users, unit):
    make_case(unit, given="Robin")
    client.force_login(users[Role.CASEWORKER])
    assert client.get(SEARCH).context["searched"] is False
    response = client.get(SEARCH, {"q": "r"})
    assert response.context["error"] == "Type at least two characters."
    assert response.context["rows"] == []
    assert not AccessEvent.objects.filter(action="case.search").exists()


def test_another_organisation_finds_nothing_not_even_a_restricted_number(
    client, users, unit, outsider
):
    open_case = make_case(unit, given="Robin", occurrence_number="HRPS-26-000123")
    secret = make_case(unit, restricted=True, restricted_reason="Officer accused")
    client.force_login(outsider)
    for query in ("Robin", "HRPS-26-000123", open_case.number, secret.number):
        response = client.get(SEARCH, {"q": query})
        assert numbers(response) == [] and hidden(response) == []


def test_a_role_without_cases_cannot_search(client, users, unit):
    client.force_login(users[Role.OFFICER])
    assert client.get(SEARCH, {"q": "Robin"}).status_code == 403
    assert not AccessEvent.objects.filter(action="case.search").exists()
