"""Referrals over the API: POST /api/v1/referrals (created, resent, conflicting, refused
with the field named) and GET /api/v1/referrals/{sender_reference} for the sender only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.constants import KeyScope, OrganisationKind
from harbour.accounts.models import IntegrationKey
from harbour.intake.constants import IntakeChannel, ReferralStatus, Source, Urgency
from harbour.intake.models import Referral, ReferralPerson
from harbour.intake.tests.helpers import org

URL = reverse("api:create_referral")


def key_for(organisation, scopes=(KeyScope.REFERRALS_WRITE,)) -> str:
    token, lookup, secret_hash = IntegrationKey.new_token()
    IntegrationKey.objects.create(
        organisation=organisation,
        name="Records system",
        lookup=lookup,
        secret_hash=secret_hash,
        scopes=list(scopes),
    )
    return token


@pytest.fixture(autouse=True)
def receiving(unit):
    """The unit every body is sent "to"."""
    return unit


@pytest.fixture
def police(db):
    return org("Harbour Regional Police")


@pytest.fixture
def token(police):
    return key_for(police)


def body(**overrides) -> dict:
    data = {
        "to": "unit",
        "sender_reference": "HRPS-26-000123-V1",
        "occurrence_number": "HRPS-26-000123",
        "offence": "Assault with a weapon",
        "victims": [
            {
                "given_name": "Robin",
                "family_name": "Example",
                "date_of_birth": "1990-04-02",
                "phone": "902-555-0142",
                "safe_to_call": True,
                "safe_times": "Weekday mornings",
                "language": "fr",
                "interpreter_needed": True,
            }
        ],
        "officer": {"name": "Constable Lee", "badge": "4821", "phone": "902 555 0199"},
        "risk_flags": ["weapon", "children_present"],
        "victim_consented": True,
        "urgency": "routine",
        "narrative": "Officer attended; victim would like support.",
    }
    data.update(overrides)
    return data


def post(client, token, data):
    return client.post(
        URL, data, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )


def get(client, token, reference):
    url = reverse("api:get_referral", kwargs={"sender_reference": reference})
    return client.get(url, headers={"Authorization": f"Bearer {token}"})


def test_a_police_records_system_sends_a_referral(client, token, police, unit):
    response = post(client, token, body())
    assert response.status_code == 201
    made = Referral.objects.get()
    out = response.json()
    assert out["id"] == str(made.pk)
    assert (out["status"], out["reference"], out["urgency"]) == (
        "new",
        made.reference,
        "urgent",
    )
    assert out["sender_reference"] == "HRPS-26-000123-V1"
    assert (made.organisation, made.source, made.channel) == (
        unit,
        Source.POLICE,
        IntakeChannel.API,
    )
    assert (made.sender_organisation, made.sent_by) == (police, None)
    # The weapon made it urgent: due within four hours.
    assert made.urgency == Urgency.URGENT
    assert made.due_at == made.received_at + timedelta(hours=4)
    assert (made.referrer_name, made.referrer_role, made.referrer_phone) == (
        "Constable Lee",
        "4821",
        "+19025550199",
    )
    victim = ReferralPerson.objects.get()
    assert (victim.phone, victim.safe_to_call, victim.interpreter_needed) == (
        "+19025550142",
        True,
        True,
    )


def test_an_agency_system_sends_an_agency_referral(client, unit):
    shelter = org("Harbour Shelter", OrganisationKind.AGENCY)
    data = body(officer=None, referrer={"name": "Sky", "role": "Counsellor"})
    assert post(client, key_for(shelter), data).status_code == 201
    made = Referral.objects.get()
    assert (made.source, made.referrer_role) == (Source.AGENCY, "Counsellor")


def test_a_resend_answers_200_with_the_same_body_and_writes_nothing(client, token):
    first = post(client, token, body())
    again = post(client, token, body())
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Referral.objects.count() == 1 and ReferralPerson.objects.count() == 1


def test_the_same_reference_with_other_content_is_a_conflict(client, token):
    post(client, token, body())
    response = post(client, token, body(narrative="Something else"))
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert "never changed by a resend" in error["message"]
    assert Referral.objects.get().narrative == "Officer attended; victim would like support."


def _victim(**overrides) -> list[dict]:
    victim = dict(body()["victims"][0])
    victim.update(overrides)
    return [victim]


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"to": "nowhere"}, "to", "No victim services unit has the slug “nowhere”."),
        ({"victims": _victim(phone="555-0142")}, "victims.0.phone", "not a phone number"),
        ({"victims": _victim(date_of_birth="1899-12-31")}, "victims.0.date_of_birth", "1900"),
        ({"victims": _victim(language="tlhIngan Hol")}, "victims.0.language", "at most 8"),
        ({"victims": _victim(language="xx")}, "victims.0.language", "Choose a language"),
        ({"victims": _victim(email="nope", phone="")}, "victims.0.email", "email address"),
        ({"victims": []}, "victims", "at least 1 item"),
        ({"risk_flags": ["dragons"]}, "risk_flags.0", "Input should be"),
        ({"officer": {"name": "Lee", "phone": "1"}}, "officer.phone", "not a phone number"),
        ({"urgency": "whenever"}, "urgency", "Input should be"),
        ({"sender_reference": "has spaces"}, "sender_reference", "should match pattern"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    client, token, overrides, field, message
):
    response = post(client, token, body(**overrides))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    fields = {f["field"]: f["message"] for f in error["fields"]}
    assert field in fields, fields
    assert message in fields[field]
    assert not Referral.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused(client, token):
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = post(client, token, body(victims=_victim(date_of_birth=tomorrow)))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "victims.0.date_of_birth"
    assert not Referral.objects.exists()


@pytest.mark.parametrize("missing", ["victim_consented", "sender_reference", "to", "victims"])
def test_a_missing_required_answer_is_refused(client, token, missing):
    data = body()
    del data[missing]
    response = post(client, token, data)
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == [missing]
    assert not Referral.objects.exists()


def test_a_null_consent_answer_is_refused(client, token):
    response = post(client, token, body(victim_consented=None))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "victim_consented"
    assert not Referral.objects.exists()


def test_a_referral_to_something_that_is_not_a_unit_is_refused(client, token, police):
    response = post(client, token, body(to=police.slug))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "to"


def test_a_key_without_the_scope_gets_404_and_writes_nothing(client, police):
    token = key_for(police, scopes=[KeyScope.PEOPLE_READ])
    assert post(client, token, body()).status_code == 404
    assert not Referral.objects.exists()


def test_the_sender_reads_the_status_by_its_reference(client, token, users):
    post(client, token, body())
    made = Referral.objects.get()
    response = get(client, token, "HRPS-26-000123-V1")
    assert response.status_code == 200
    assert response.json()["status"] == "new" and response.json()["decided_at"] is None
    Referral.objects.filter(pk=made.pk).update(
        status=ReferralStatus.ACCEPTED, decided_at=timezone.now()
    )
    assert get(client, token, "HRPS-26-000123-V1").json()["status"] == "accepted"


def test_another_organisation_never_sees_the_status(client, token, unit):
    post(client, token, body())
    other_police = org("Other Police")
    assert get(client, key_for(other_police), "HRPS-26-000123-V1").status_code == 404
    # Not even the receiving unit's own key: the status is the sender's to ask for.
    assert get(client, key_for(unit), "HRPS-26-000123-V1").status_code == 404
    assert get(client, token, "UNKNOWN-1").status_code == 404


def test_a_browser_session_riding_along_never_becomes_the_sender(client, token, users):
    client.force_login(users["officer"])
    assert post(client, token, body()).status_code == 201
    assert Referral.objects.get().sent_by is None
