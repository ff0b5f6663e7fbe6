"""Every route, every persona: the outcome in permission_matrix.py, over HTTP.

The first tests fail when a route exists without a matrix row (or a row names a route that
no longer exists), so a new page or API operation cannot ship unreviewed.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from harbour.accounts.constants import KeyScope, Role
from harbour.accounts.models import IntegrationKey, Organisation, User
from harbour.cases.constants import Channel, ContactOutcome, Direction, Program
from harbour.cases.models import (
    BreakGlass,
    Case,
    CaseProgram,
    Contact,
    ServiceProvided,
    Task,
    Team,
)
from harbour.consent.constants import Method, Purpose, RecipientClass
from harbour.consent.models import Consent
from harbour.intake.constants import IntakeChannel, ReferralRole, Source
from harbour.intake.models import Referral, ReferralPerson
from harbour.people.constants import ContactKind, RelationshipKind
from harbour.people.models import Address, ContactPoint, Person, PersonAlias, Relationship
from harbour.screening.models import ImportRun, Occurrence, ScreeningMatch, ScreeningRule
from harbour.screening.screen import ensure_default_rules
from harbour.screening.tests import nibrs_writer
from harbour.testing.fixtures import make_key, make_user
from harbour.tests.permission_matrix import (
    API_MATRIX,
    API_PERSONAS,
    KEY_ALL,
    KEY_NONE,
    KEY_OTHER,
    LOGIN,
    MATRIX,
    OUTSIDER,
    PERSONAS,
    REDIRECT,
)


def route_names(patterns=None, namespace=None):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from route_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            assert p.name, f"route {p.pattern} has no name: every route needs one"
            yield f"{namespace}:{p.name}" if namespace else p.name


def test_every_route_has_a_row_in_the_matrix():
    routes = set(route_names())
    covered = set(MATRIX) | set(API_MATRIX)
    assert sorted(routes - covered) == [], "routes missing from permission_matrix.py"
    assert sorted(covered - routes) == [], "matrix rows for routes that do not exist"


def test_every_row_names_an_outcome_for_every_persona():
    for name, (_, _, expected) in MATRIX.items():
        assert set(expected) == set(PERSONAS), name
    for name, (_, _, expected) in API_MATRIX.items():
        assert set(expected) == set(API_PERSONAS), name


@dataclass
class World:
    unit: Organisation
    other: Organisation
    users: dict[str, User]
    outsider: User
    person: Person
    contact: ContactPoint
    address: Address
    relationship: Relationship
    alias: PersonAlias
    import_run: ImportRun
    consent: Consent
    case: Case
    restricted_case: Case
    case_contact: Contact
    service: ServiceProvided
    task: Task
    team: Team
    glass: BreakGlass
    referral: Referral
    screening_match: ScreeningMatch
    screening_rule: ScreeningRule
    target_user: User
    key: IntegrationKey
    tokens: dict[str, str]

    def kwargs(self, builder: str | None) -> dict:
        if builder is None:
            return {}
        if builder == "person":
            return {"person_id": self.person.pk}
        if builder == "contact":
            return {"person_id": self.person.pk, "contact_id": self.contact.pk}
        if builder == "address":
            return {"person_id": self.person.pk, "address_id": self.address.pk}
        if builder == "relationship":
            return {"person_id": self.person.pk, "relationship_id": self.relationship.pk}
        if builder == "import_run":
            return {"run_id": self.import_run.pk}
        if builder == "alias":
            return {"person_id": self.person.pk, "alias_id": self.alias.pk}
        if builder == "consent":
            return {"person_id": self.person.pk, "consent_id": self.consent.pk}
        if builder == "case":
            return {"case_id": self.case.pk}
        if builder == "restricted_case":
            return {"case_id": self.restricted_case.pk}
        if builder == "case_contact":
            return {"case_id": self.case.pk, "contact_id": self.case_contact.pk}
        if builder == "service":
            return {"case_id": self.case.pk, "service_id": self.service.pk}
        if builder == "task":
            return {"task_id": self.task.pk}
        if builder == "team":
            return {"team_id": self.team.pk}
        if builder == "glass":
            return {"glass_id": self.glass.pk}
        if builder == "referral":
            return {"referral_id": self.referral.pk}
        if builder == "screening_match":
            return {"match_id": self.screening_match.pk}
        if builder == "screening_rule":
            return {"rule_id": self.screening_rule.pk}
        if builder == "referral_ref":
            return {"sender_reference": self.referral.sender_reference}
        if builder == "unit_slug":
            return {"org_slug": self.unit.slug}
        if builder == "target_user":
            return {"user_id": self.target_user.pk}
        if builder == "key":
            return {"key_id": self.key.pk}
        if builder == "reset_key":
            u = self.target_user
            return {"uidb36": user_pk_to_url_str(u), "key": default_token_generator.make_token(u)}
        if builder == "confirm_key":
            return {"key": "not-a-key"}
        raise AssertionError(builder)


_key = make_key


@pytest.fixture
def world(users, unit, other_unit, outsider) -> World:
    target = make_user("target@unit.test", unit, Role.CASEWORKER)
    person = Person.objects.create(organisation=unit, given_name="Robin", family_name="Example")
    contact = ContactPoint.objects.create(
        person=person, kind=ContactKind.PHONE, value="+19025550142", code_word="lighthouse"
    )
    address = Address.objects.create(person=person, line1="1 Example Lane", confidential=True)
    partner = Person.objects.create(organisation=unit, given_name="Sam", family_name="Example")
    relationship = Relationship.objects.create(
        person=person, other=partner, kind=RelationshipKind.FORMER_PARTNER
    )
    now = timezone.now()
    consent = Consent.objects.create(
        organisation=unit,
        person=person,
        purpose=Purpose.REFERRAL,
        recipient_class=RecipientClass.AGENCY,
        method=Method.WRITTEN,
        given_at=now,
        expires_at=now + timedelta(days=365),
        text_version="C1",
    )
    team = Team.objects.create(organisation=unit, name="IPV team")
    team.members.add(users[Role.CASEWORKER])
    case = Case.objects.create(
        organisation=unit, number="2026-00001", client=person, assigned_to=users[Role.CASEWORKER]
    )
    CaseProgram.objects.create(case=case, program=Program.IPV)
    # Restricted, and nobody in the matrix is on its team: every persona meets the glass.
    restricted = Case.objects.create(
        organisation=unit,
        number="2026-00002",
        client=partner,
        restricted=True,
        restricted_reason="The accused is a staff member",
    )
    CaseProgram.objects.create(case=restricted, program=Program.GENERAL)
    case_contact = Contact.objects.create(
        case=case,
        person=person,
        channel=Channel.PHONE,
        direction=Direction.OUTGOING,
        outcome=ContactOutcome.REACHED,
        notes="Talked through the safety plan.",
        recorded_by=users[Role.CASEWORKER],
    )
    service = ServiceProvided.objects.create(
        case=case, service="emotional_support", provided_by=users[Role.CASEWORKER]
    )
    task = Task.objects.create(
        organisation=unit,
        case=case,
        title="Call back about court date",
        due_at=now + timedelta(days=2),
        owner=users[Role.CASEWORKER],
    )
    glass = BreakGlass.objects.create(
        case=restricted, user=users[Role.COORDINATOR], reason="Checking after a 3 a.m. call"
    )
    # The glass above is in force for the coordinator: back-date it so the matrix sees
    # the glass page, as everyone else does.
    BreakGlass.objects.filter(pk=glass.pk).update(at=now - timedelta(days=2))
    referral = Referral.objects.create(
        organisation=unit,
        source=Source.POLICE,
        channel=IntakeChannel.OFFICER_FORM,
        due_at=now + timedelta(hours=24),
        occurrence_number="HRPS-26-000123",
        victim_consented=True,
        # Sent by the unit's officer (a police-based unit), through its records system.
        sender_organisation=unit,
        sender_reference="HRPS-26-000123-V1",
        sent_by=users[Role.OFFICER],
    )
    ReferralPerson.objects.create(
        referral=referral, role=ReferralRole.VICTIM, given_name="Robin", family_name="Example"
    )
    ensure_default_rules(unit)
    occurrence = Occurrence.objects.create(
        organisation=unit, ori="VT0000000", incident_number="26-000123", source_format="csv",
        incident_date=now.date(), content_hash="-",
    )  # fmt: skip
    screening_match = ScreeningMatch.objects.create(
        organisation=unit, occurrence=occurrence, ori=occurrence.ori,
        incident_number=occurrence.incident_number, victim_sequence_number=1,
        incident_date=now.date(), reported_date=now.date(), priority="high",
    )  # fmt: skip
    key, all_token = _key(unit, list(KeyScope.values))
    _, none_token = _key(unit, [])
    _, other_token = _key(other_unit, list(KeyScope.values))
    Person.objects.create(organisation=other_unit, given_name="Sasha", family_name="Elsewhere")
    return World(
        unit=unit,
        other=other_unit,
        users=users,
        outsider=outsider,
        person=person,
        contact=contact,
        address=address,
        relationship=relationship,
        alias=PersonAlias.objects.create(person=person, given_name="Robbie", family_name="Tester"),
        import_run=ImportRun.objects.create(
            organisation=unit, source_format="nibrs-flat", file_name="march.txt"
        ),
        consent=consent,
        case=case,
        restricted_case=restricted,
        case_contact=case_contact,
        service=service,
        task=task,
        team=team,
        glass=glass,
        referral=referral,
        screening_match=screening_match,
        screening_rule=ScreeningRule.objects.get(organisation=unit, key="ipv"),
        target_user=target,
        key=key,
        tokens={KEY_ALL: all_token, KEY_NONE: none_token, KEY_OTHER: other_token},
    )


def _login_as(client, world: World, persona: str) -> None:
    if persona == OUTSIDER:
        client.force_login(world.outsider)
    elif persona in world.users:
        client.force_login(world.users[persona])


def _request(client, world, name, method, builder, persona, headers=None):
    url = reverse(name, kwargs=world.kwargs(builder))
    data = {}
    if name == "accounts:switch_organisation":
        data = {"organisation": world.unit.pk}
    if name == "set_language":
        data = {"language": "fr", "next": "/"}
    if name == "cases:break_glass":
        data = {"reason": "Covering the on-call line tonight"}
    if name == "cases:glass_reviewed":
        data = {"note": "Reason checked with the on-call roster"}
    if name == "api:create_referral":
        body = {
            "to": world.unit.slug,
            "sender_reference": "RMS-2026-0042",
            "victims": [{"given_name": "Robin", "family_name": "Example"}],
            "victim_consented": True,
        }
        return url, client.post(url, body, content_type="application/json", headers=headers)
    if name == "api:import_occurrences":
        body = nibrs_writer.file_bytes(nibrs_writer.incident("ZZ0000001", "MATRIX-1"))
        url += "?format=nibrs-flat&file_name=matrix.txt"
        return url, client.post(url, body, content_type="application/octet-stream", headers=headers)
    if method == "POST":
        return url, client.post(url, data, headers=headers or {})
    return url, client.get(url, headers=headers or {})


def _check(response, expected, url, persona):
    where = f"{persona} on {url}"
    if expected == LOGIN:
        assert response.status_code == 302, f"{where}: {response.status_code}"
        assert response["Location"].startswith(reverse("account_login")), where
    elif expected == REDIRECT:
        assert response.status_code in (301, 302, 303), f"{where}: {response.status_code}"
    else:
        assert response.status_code == expected, f"{where}: {response.status_code}"


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_outcome(client, world, name, persona):
    method, builder, expected = MATRIX[name]
    _login_as(client, world, persona)
    url, response = _request(client, world, name, method, builder, persona)
    _check(response, expected[persona], url, persona)


@pytest.mark.parametrize("name", sorted(API_MATRIX))
@pytest.mark.parametrize("persona", API_PERSONAS)
def test_each_api_persona_gets_the_expected_outcome(client, world, name, persona):
    method, builder, expected = API_MATRIX[name]
    headers = {}
    if persona in world.tokens:
        headers = {"Authorization": f"Bearer {world.tokens[persona]}"}
    else:
        _login_as(client, world, persona)
    url, response = _request(client, world, name, method, builder, persona, headers)
    _check(response, expected[persona], url, persona)
    if response.status_code >= 400:
        body = response.json()
        assert set(body["error"]) == {"code", "message", "fields"}, body


def test_an_anonymous_visitor_is_never_given_a_person(client, world):
    response = client.get(reverse("people:detail", kwargs={"person_id": world.person.pk}))
    assert world.person.given_name not in response.content.decode()
