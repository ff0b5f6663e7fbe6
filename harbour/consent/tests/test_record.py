"""Recording a consent: through the form, then the database."""

import pytest
from django.urls import reverse

from harbour.audit.models import AccessEvent
from harbour.consent.models import Consent
from harbour.consent.tests.helpers import org
from harbour.people.models import Person


@pytest.fixture
def person(unit):
    return Person.objects.create(organisation=unit, given_name="Robin")


def _post(client, person, **overrides):
    data = {
        "purpose": "referral",
        "recipient_class": "agency",
        "method": "written",
        "given_at": "2026-03-01T10:00",
        "expires_on": "2027-02-28",
        "text_version": "VSU-C1 2026-01",
    }
    data.update(overrides)
    return client.post(reverse("consent:new", kwargs={"person_id": person.pk}), data)


def test_a_caseworker_records_a_consent_in_local_time(client, users, person):
    client.force_login(users["caseworker"])
    assert _post(client, person).status_code == 302
    c = Consent.objects.get(person=person)
    assert c.recipient_class == "agency" and c.recipient_organisation is None
    assert c.given_at.isoformat() == "2026-03-01T15:00:00+00:00"  # 10:00 in Toronto
    assert c.expires_at.isoformat() == "2027-03-01T05:00:00+00:00"  # end of the 28th
    assert c.recorded_by == users["caseworker"]
    assert AccessEvent.objects.filter(action="consent.record", object_id=str(c.pk)).exists()


def test_a_consent_names_one_recipient_organisation_or_a_class(client, users, person):
    client.force_login(users["caseworker"])
    shelter = org("Shelter")
    response = _post(client, person, recipient_organisation=shelter.pk)
    assert response.context["form"].non_field_errors()
    response = _post(client, person, recipient_class="")
    assert response.context["form"].non_field_errors()
    assert not Consent.objects.exists()
    assert (
        _post(client, person, recipient_organisation=shelter.pk, recipient_class="").status_code
        == 302
    )
    assert Consent.objects.get().recipient_organisation == shelter


def test_expiry_is_required_and_after_given(client, users, person):
    client.force_login(users["caseworker"])
    response = _post(client, person, expires_on="")
    assert "every consent has one" in response.context["form"].errors["expires_on"][0]
    response = _post(client, person, expires_on="2026-02-01")
    assert response.context["form"].errors["expires_on"]
    assert not Consent.objects.exists()


def test_verbal_consent_needs_a_witness(client, users, person):
    client.force_login(users["caseworker"])
    response = _post(client, person, method="verbal_witnessed")
    assert response.context["form"].errors["witness_name"]
    assert not Consent.objects.exists()
    assert _post(client, person, method="verbal_witnessed", witness_name="Pat").status_code == 302
    assert Consent.objects.get().witness_name == "Pat"


def test_another_organisation_gets_404_on_a_persons_consents(client, outsider, person):
    client.force_login(outsider)
    assert client.get(reverse("consent:list", kwargs={"person_id": person.pk})).status_code == 404
    assert _post(client, person).status_code == 404
    assert not Consent.objects.exists()
