"""Integration keys: made by an admin, shown once, stored hashed, scoped, revocable."""

import hashlib

from django.urls import reverse

from harbour.accounts.constants import KeyScope
from harbour.accounts.models import IntegrationKey
from harbour.audit.models import AccessEvent
from harbour.people.models import Person


def issue(client, admin, name="Records system", scopes=(KeyScope.PEOPLE_READ,)):
    client.force_login(admin)
    response = client.post(reverse("accounts:key_new"), {"name": name, "scopes": list(scopes)})
    assert response.status_code == 200
    return response.context["token"]


def test_an_admin_makes_a_key_that_is_shown_once_and_stored_hashed(client, users):
    token = issue(client, users["admin"])
    key = IntegrationKey.objects.get()
    assert token.startswith(f"hbk_{key.lookup}_")
    secret = token.split("_", 2)[2]
    assert key.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(IntegrationKey.objects.values().get())
    listing = client.get(reverse("accounts:keys")).content.decode()
    assert secret not in listing
    assert AccessEvent.objects.filter(action="key.issue", actor=users["admin"]).exists()


def test_the_key_works_on_the_api_for_its_own_organisation(client, users, unit):
    token = issue(client, users["admin"])
    client.logout()
    response = client.get("/api/v1/whoami", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json() == {
        "organisation": unit.name,
        "organisation_kind": "vsu",
        "key_name": "Records system",
        "scopes": ["people:read"],
    }


def test_a_key_reads_people_only_with_its_scope(client, users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin", family_name="Example")
    reader = issue(client, users["admin"], "Reader", [KeyScope.PEOPLE_READ])
    sender = issue(client, users["admin"], "Sender", [KeyScope.REFERRALS_WRITE])
    url = f"/api/v1/people/{person.pk}"
    ok = client.get(url, headers={"Authorization": f"Bearer {reader}"})
    assert ok.status_code == 200
    assert ok.json()["given_name"] == "Robin"
    refused = client.get(url, headers={"Authorization": f"Bearer {sender}"})
    assert refused.status_code == 404
    event = AccessEvent.objects.get(action="person.view", person_id=str(person.pk))
    assert event.actor is None
    assert event.actor_label == "integration key “Reader”"


def test_a_revoked_key_stops_working(client, users):
    token = issue(client, users["admin"])
    key = IntegrationKey.objects.get()
    response = client.post(reverse("accounts:key_revoke", kwargs={"key_id": key.pk}))
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked is not None
    response = client.get("/api/v1/whoami", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_tampered_token_is_refused(client, users):
    token = issue(client, users["admin"])
    response = client.get("/api/v1/whoami", headers={"Authorization": f"Bearer {token[:-2]}xx"})
    assert response.status_code == 401


def test_an_admin_cannot_revoke_another_organisations_key(client, users, outsider):
    issue(client, users["admin"])
    key = IntegrationKey.objects.get()
    client.force_login(outsider)
    response = client.post(reverse("accounts:key_revoke", kwargs={"key_id": key.pk}))
    assert response.status_code == 404
    key.refresh_from_db()
    assert key.revoked is None


def test_it_explains_a_key_without_name_or_scope(client, users):
    client.force_login(users["admin"])
    response = client.post(reverse("accounts:key_new"), {"name": "", "scopes": []})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["This field is required."]
    assert errors["scopes"] == ["Choose at least one scope."]
    assert not IntegrationKey.objects.exists()


def test_api_errors_name_the_field_and_what_was_expected(client, users):
    token = issue(client, users["admin"])
    response = client.get("/api/v1/people/not-a-uuid", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert body["fields"][0]["field"] == "person_id"
    assert "UUID" in body["fields"][0]["message"]
