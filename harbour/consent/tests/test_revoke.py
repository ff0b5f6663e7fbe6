"""Revoking a consent: with a reason, once; nothing more is allowed under it."""

from django.urls import reverse

from harbour.audit.models import AccessEvent
from harbour.consent.constants import Purpose
from harbour.consent.ledger import allows
from harbour.consent.models import Consent
from harbour.consent.tests.helpers import consent, org
from harbour.people.models import Person


def test_a_coordinator_revokes_a_consent_with_a_reason(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    shelter = org("Shelter")
    c = consent(person, recipient_organisation=shelter)
    client.force_login(users["coordinator"])
    url = reverse("consent:revoke", kwargs={"person_id": person.pk, "consent_id": c.pk})
    assert client.post(url, {}).context["revoke_form"].errors["reason"]
    assert client.post(url, {"reason": "withdrawn by phone"}).status_code == 302
    c.refresh_from_db()
    assert c.revoked_at is not None and c.revoked_reason == "withdrawn by phone"
    assert allows(person, shelter, Purpose.REFERRAL) is None
    assert AccessEvent.objects.filter(action="consent.revoke").count() == 1
    # Revoking again keeps the first time and reason.
    client.post(url, {"reason": "again"})
    assert Consent.objects.get().revoked_reason == "withdrawn by phone"


def test_another_organisation_gets_404_on_revoking(client, outsider, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin")
    c = consent(person, recipient_class="agency")
    client.force_login(outsider)
    url = reverse("consent:revoke", kwargs={"person_id": person.pk, "consent_id": c.pk})
    assert client.post(url, {"reason": "x"}).status_code == 404
    detail = reverse("consent:detail", kwargs={"person_id": person.pk, "consent_id": c.pk})
    assert client.get(detail).status_code == 404
    assert Consent.objects.get().revoked_at is None
