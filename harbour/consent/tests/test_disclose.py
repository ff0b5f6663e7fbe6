"""Recording a disclosure: allowed by a consent or a legal basis with its reason, refused
otherwise with nothing written."""

import pytest
from django.db import connection
from django.urls import reverse

from harbour.accounts.constants import OrganisationKind
from harbour.audit.models import AccessEvent
from harbour.consent.constants import Purpose
from harbour.consent.models import Disclosure
from harbour.consent.tests.helpers import consent, org
from harbour.people.models import Person


@pytest.fixture
def person(unit):
    return Person.objects.create(organisation=unit, given_name="Robin")


@pytest.fixture
def police(db):
    return org("Harbour Police", OrganisationKind.POLICE)


def _disclose(client, person, recipient, **overrides):
    data = {
        "recipient": recipient.pk,
        "purpose": Purpose.POLICE_SHARING,
        "what": "Safety plan summary",
        "legal_basis": "",
        "reason": "",
    }
    data.update(overrides)
    return client.post(reverse("consent:disclose", kwargs={"person_id": person.pk}), data)


def test_a_disclosure_under_consent_is_logged_with_that_consent(client, users, person, police):
    c = consent(person, recipient_organisation=police, purpose=Purpose.POLICE_SHARING)
    client.force_login(users["caseworker"])
    assert _disclose(client, person, police).status_code == 302
    d = Disclosure.objects.get()
    assert (d.consent, d.legal_basis, d.recipient_organisation) == (c, "", police)
    assert d.what == "Safety plan summary"
    with connection.cursor() as cursor:
        cursor.execute("SELECT what FROM consent_disclosure")
        assert "Safety" not in cursor.fetchone()[0]
    event = AccessEvent.objects.get(action="disclosure.record")
    assert event.reason == f"consent {c.pk}"
    page = client.get(reverse("consent:disclosures", kwargs={"person_id": person.pk}))
    assert "Safety plan summary" in page.content.decode()


def test_a_disclosure_without_consent_is_refused_and_writes_nothing(client, users, person, police):
    client.force_login(users["caseworker"])
    response = _disclose(client, person, police)
    assert response.status_code == 200
    assert "No current consent allows" in response.context["form"].non_field_errors()[0]
    assert not Disclosure.objects.exists()
    assert not AccessEvent.objects.filter(action="disclosure.record").exists()


def test_a_legal_basis_disclosure_needs_a_reason_and_is_logged_with_its_basis(
    client, users, person, police
):
    client.force_login(users["caseworker"])
    response = _disclose(client, person, police, legal_basis="imminent_risk")
    assert response.context["form"].errors["reason"]
    assert not Disclosure.objects.exists()
    reason = "Threat to kill made tonight; accused has a firearm"
    assert (
        _disclose(client, person, police, legal_basis="imminent_risk", reason=reason).status_code
        == 302
    )
    d = Disclosure.objects.get()
    assert (d.consent, d.legal_basis, d.legal_basis_reason) == (None, "imminent_risk", reason)
    assert (
        AccessEvent.objects.get(action="disclosure.record").reason == "legal basis: imminent_risk"
    )


def test_a_trafficking_protected_person_is_never_disclosed_to_police_without_consent(
    client, users, person, police
):
    person.trafficking_protection = True
    person.save(update_fields=["trafficking_protection"])
    client.force_login(users["caseworker"])
    response = _disclose(client, person, police, legal_basis="imminent_risk", reason="serious risk")
    assert "human-trafficking program" in response.context["form"].non_field_errors()[0]
    assert not Disclosure.objects.exists()
    # To anyone else, a legal basis still works as for every person.
    hospital = org("General", OrganisationKind.HOSPITAL)
    assert (
        _disclose(
            client, person, hospital, legal_basis="imminent_risk", reason="serious risk"
        ).status_code
        == 302
    )


def test_a_trafficking_protected_person_is_disclosed_to_police_with_consent(
    client, users, person, police
):
    person.trafficking_protection = True
    person.save(update_fields=["trafficking_protection"])
    c = consent(person, recipient_class="police", purpose=Purpose.POLICE_SHARING)
    client.force_login(users["caseworker"])
    assert _disclose(client, person, police).status_code == 302
    assert Disclosure.objects.get().consent == c


def test_another_organisation_gets_404_on_disclosing(client, outsider, person, police):
    consent(person, recipient_organisation=police, purpose=Purpose.POLICE_SHARING)
    client.force_login(outsider)
    assert _disclose(client, person, police).status_code == 404
    url = reverse("consent:disclosures", kwargs={"person_id": person.pk})
    assert client.get(url).status_code == 404
    assert not Disclosure.objects.exists()
