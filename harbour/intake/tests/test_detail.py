"""A referral's page: every detail decrypted, the risk flags and the consent answer, the
likely duplicates among the unit's people with their live cases, an audited view, and a
404 for anyone else's."""

import html
from datetime import date

from django.urls import reverse

from harbour.audit.models import AccessEvent
from harbour.cases.actions import open_case
from harbour.cases.constants import CaseStatus, Program
from harbour.intake.constants import RiskFlag
from harbour.intake.tests.helpers import person, referral, request_as, victim


def url(made):
    return reverse("intake:detail", kwargs={"referral_id": made.pk})


def test_it_shows_every_detail_decrypted(client, users, unit):
    made = referral(
        unit,
        offence="Assault",
        risk_flags=[RiskFlag.STRANGULATION, RiskFlag.CHILDREN_PRESENT],
        narrative="Officer attended a disturbance.",
        referrer_name="Constable Lee",
        referrer_role="4821",
        referrer_phone="902 555 0199",
        people=[
            victim(
                phone="902 555 0142",
                safe_to_call=True,
                safe_times="Mornings only",
                language="fr",
                interpreter_needed=True,
            )
        ],
    )
    client.force_login(users["caseworker"])
    response = client.get(url(made))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    for text in (
        made.reference,
        "HRPS-26-000123",
        "Assault",
        "Strangulation or choking",
        "Children present",
        "Officer attended a disturbance.",
        "Constable Lee",
        "4821",
        "+19025550199",
        "Robin Example",
        "+19025550142",
        "Safe to call",
        "Do NOT leave a message",
        "Do NOT text",
        "Mornings only",
        "French",
        "needs an interpreter",
        "Urgent: risk of harm now",
    ):
        assert text in page, text


def test_it_shows_prominently_that_the_victim_did_not_agree(client, users, unit):
    made = referral(unit, victim_consented=False)
    client.force_login(users["caseworker"])
    page = client.get(url(made)).content.decode()
    assert "The victim did not agree to this referral" in page
    assert "usa-alert--warning" in page


def test_do_not_contact_is_shown_instead_of_the_safe_ways(client, users, unit):
    made = referral(unit, people=[victim(no_contact=True)])
    client.force_login(users["caseworker"])
    page = client.get(url(made)).content.decode()
    assert "Do not make contact: they will get in touch." in page


def test_it_offers_the_likely_duplicates_with_their_live_cases(client, users, unit):
    known = person(unit)
    request = request_as(users["coordinator"])
    live = open_case(request, unit, known, programs=[Program.IPV])
    closed = open_case(request, unit, known, programs=[Program.GENERAL])
    closed.status, closed.close_reason = CaseStatus.CLOSED, "goals_met"
    closed.save(update_fields=["status", "close_reason"])
    stranger = person(unit, "Zed", "Nobody", date(1970, 1, 1))
    made = referral(unit, people=[victim(date_of_birth=date(1990, 4, 2))])
    client.force_login(users["caseworker"])
    response = client.get(url(made))
    (row,) = response.context["victims"]
    assert [m.person for m, _cases in row["matches"]] == [known]
    assert row["matches"][0][1] == [live]
    assert "same date of birth" in row["matches"][0][0].reasons
    page = response.content.decode()
    assert live.number in page and closed.number not in page
    assert stranger.given_name not in page


def test_a_person_of_another_organisation_is_never_offered(client, users, unit, other_unit):
    person(other_unit)
    made = referral(unit)
    client.force_login(users["caseworker"])
    (row,) = client.get(url(made)).context["victims"]
    assert row["matches"] == []


def test_opening_a_referral_is_audited(client, users, unit):
    made = referral(unit, people=[victim(), victim(given_name="Alex")])
    client.force_login(users["caseworker"])
    client.get(url(made))
    views = AccessEvent.objects.filter(action="referral.view", object_id=str(made.pk))
    assert views.count() == 2
    assert {e.actor for e in views} == {users["caseworker"]}
    assert AccessEvent.objects.filter(
        action="person.search", reason="duplicate check at triage"
    ).exists()


def test_a_linked_person_is_named_in_the_audit_of_the_view(client, users, unit):
    made = referral(unit)
    known = person(unit)
    named = made.victims[0]
    named.person = known
    named.save(update_fields=["person"])
    client.force_login(users["caseworker"])
    client.get(url(made))
    assert AccessEvent.objects.get(action="referral.view").person_id == str(known.pk)


def test_another_organisations_referral_is_a_404(client, outsider, unit):
    made = referral(unit)
    client.force_login(outsider)
    assert client.get(url(made)).status_code == 404
    assert not AccessEvent.objects.filter(action="referral.view").exists()


def test_the_officer_who_sent_it_cannot_open_triage(client, users, unit):
    made = referral(unit, user=users["officer"], sender_organisation=unit)
    client.force_login(users["officer"])
    assert client.get(url(made)).status_code == 403
