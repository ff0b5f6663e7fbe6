"""The outreach queue and the rules pages, through HTTP: each decision, the refusals, the
preview, and another organisation's staff getting 404."""

import datetime

import pytest
from django.urls import reverse

from harbour.accounts.constants import Role
from harbour.audit.models import AccessEvent
from harbour.intake.constants import ReferralStatus, Source
from harbour.people.actions import _set_name_keys, index_names
from harbour.people.models import ContactPoint, Person
from harbour.screening.constants import MatchStatus, PersonRole
from harbour.screening.models import (
    Occurrence,
    OccurrencePerson,
    ScreeningMatch,
    ScreeningRule,
    ScreeningRuleVersion,
)
from harbour.screening.screen import ensure_default_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(unit):
    today = datetime.date.today()
    occurrence = Occurrence.objects.create(
        organisation=unit,
        ori="NS0000001",
        incident_number="26-000777",
        source_format="csv",
        incident_date=today,
        content_hash="-",
    )
    OccurrencePerson.objects.create(
        occurrence=occurrence,
        role=PersonRole.VICTIM,
        sequence_number=1,
        victim_type="I",
        given_name="Robin",
        family_name="Example",
    )
    return ScreeningMatch.objects.create(
        organisation=unit,
        occurrence=occurrence,
        ori=occurrence.ori,
        incident_number=occurrence.incident_number,
        victim_sequence_number=1,
        incident_date=today,
        reported_date=today,
        priority="high",
    )


@pytest.fixture
def coordinator(client, users):
    client.force_login(users[Role.COORDINATOR])
    return client


def test_the_queue_lists_the_matched_victim_and_is_audited(coordinator, match):
    response = coordinator.get(reverse("screening:queue"))
    assert response.status_code == 200
    assert "26-000777" in response.text
    assert AccessEvent.objects.filter(action="screening.queue").exists()


def test_offering_services_puts_a_screening_referral_in_triage(coordinator, match):
    response = coordinator.post(reverse("screening:offer", kwargs={"match_id": match.pk}))
    match.refresh_from_db()
    assert match.status == MatchStatus.OFFERED
    referral = match.referral
    assert referral.source == Source.SCREENING
    assert referral.status == ReferralStatus.NEW
    assert response["Location"] == reverse("intake:detail", kwargs={"referral_id": referral.pk})
    assert [p.given_name for p in referral.people.all()] == ["Robin"]
    # Decided once: a second offer is refused and makes no second referral.
    coordinator.post(reverse("screening:offer", kwargs={"match_id": match.pk}))
    assert type(referral).objects.filter(source=Source.SCREENING).count() == 1


def test_no_action_needs_a_reason_and_writes_nothing_without_one(coordinator, match):
    url = reverse("screening:no_action", kwargs={"match_id": match.pk})
    response = coordinator.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "Say why no action is taken." in response.text
    match.refresh_from_db()
    assert match.status == MatchStatus.NEW
    coordinator.post(url, {"reason": "Victim is a police officer on duty; no services wanted."})
    match.refresh_from_db()
    assert match.status == MatchStatus.NO_ACTION
    assert match.no_action_reason.startswith("Victim is a police officer")


def test_an_existing_client_is_offered_as_a_likely_match_and_linked(coordinator, match, unit):
    person = Person(organisation=unit, given_name="Robin", family_name="Example")
    _set_name_keys(person)
    person.save()
    index_names(person)
    page = coordinator.get(reverse("screening:match", kwargs={"match_id": match.pk}))
    assert "likely match" in page.text
    coordinator.post(
        reverse("screening:existing_client", kwargs={"match_id": match.pk}), {"person": person.pk}
    )
    match.refresh_from_db()
    assert (match.status, match.person) == (MatchStatus.EXISTING_CLIENT, person)


def test_a_person_of_another_organisation_cannot_be_linked(coordinator, match, other_unit):
    stranger = Person.objects.create(organisation=other_unit, given_name="Sasha")
    url = reverse("screening:existing_client", kwargs={"match_id": match.pk})
    response = coordinator.post(url, {"person": stranger.pk})
    assert response.status_code == 400
    match.refresh_from_db()
    assert match.status == MatchStatus.NEW


def test_assigning_needs_a_worker_of_the_unit(coordinator, match, users, outsider):
    url = reverse("screening:assign", kwargs={"match_id": match.pk})
    assert coordinator.post(url, {"assigned_to": outsider.pk}).status_code == 400
    coordinator.post(url, {"assigned_to": users[Role.CASEWORKER].pk})
    match.refresh_from_db()
    assert match.assigned_to == users[Role.CASEWORKER]


def test_another_organisations_staff_get_404(client, outsider, match, unit):
    client.force_login(outsider)
    assert client.get(reverse("screening:match", kwargs={"match_id": match.pk})).status_code == 404
    offer = client.post(reverse("screening:offer", kwargs={"match_id": match.pk}))
    assert offer.status_code == 404
    ensure_default_rules(unit)
    rule = ScreeningRule.objects.filter(organisation=unit).first()
    assert (
        client.get(reverse("screening:rule_edit", kwargs={"rule_id": rule.pk})).status_code == 404
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.NEW


def test_editing_a_rule_saves_a_new_version_and_previewing_saves_nothing(coordinator, unit):
    coordinator.get(reverse("screening:rules"))
    rule = ScreeningRule.objects.get(organisation=unit, key="violent")
    url = reverse("screening:rule_edit", kwargs={"rule_id": rule.pk})
    data = {
        "name": "Serious violent offences",
        "active": "on",
        "priority": "normal",
        "reason": "A serious violent offence.",
        "nibrs_codes": "13A 100 120 13B",
        "ucr2_codes": "1410",
    }
    preview = coordinator.post(url, {**data, "preview": "1"})
    assert "would have matched 0 victims in the last 30 days" in preview.text
    assert ScreeningRuleVersion.objects.filter(rule=rule).count() == 1
    refused = coordinator.post(url, {**data, "nibrs_codes": "13A ZZZ", "save": "1"})
    assert refused.status_code == 400
    assert "Unknown NIBRS codes: ZZZ." in refused.text
    coordinator.post(url, {**data, "save": "1"})
    rule.refresh_from_db()
    assert rule.current.number == 2
    assert rule.current.nibrs_codes == ["100", "120", "13A", "13B"]


def test_a_rule_without_an_offence_condition_is_refused(coordinator, unit):
    coordinator.get(reverse("screening:rules"))
    rule = ScreeningRule.objects.get(organisation=unit, key="violent")
    url = reverse("screening:rule_edit", kwargs={"rule_id": rule.pk})
    response = coordinator.post(
        url, {"name": "Everything", "priority": "normal", "reason": "All", "save": "1"}
    )
    assert response.status_code == 400
    assert rule.versions.count() == 1


def _attempt(client, match, **data):
    url = reverse("screening:attempt", kwargs={"match_id": match.pk})
    base = {"channel": "phone", "outcome": "reached", "at": "2026-01-05T10:00"}
    return client.post(url, {**base, **data})


def test_for_someone_new_leaving_a_message_is_refused_and_nothing_is_recorded(coordinator, match):
    response = _attempt(coordinator, match, outcome="left_message")
    assert response.status_code == 400
    assert "does not know whether it is safe to leave a message" in response.text
    assert not match.attempts.exists()
    assert _attempt(coordinator, match, channel="text", outcome="sent").status_code == 400
    assert not match.attempts.exists()


def test_reaching_someone_new_records_the_first_contact(coordinator, match):
    _attempt(coordinator, match, outcome="no_answer", at="2026-01-05T09:00")
    match.refresh_from_db()
    assert match.first_contact_at is None
    _attempt(coordinator, match, outcome="reached", at="2026-01-05T10:00")
    match.refresh_from_db()
    assert match.first_contact_at is not None
    assert match.attempts.count() == 2
    queue = coordinator.get(reverse("screening:queue"))
    assert "over 1 victims reached" in queue.text


def test_a_linked_client_s_unsafe_number_is_refused(coordinator, match, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin", family_name="Example")
    point = ContactPoint.objects.create(
        person=person, kind="phone", value="+19025550142", safe_to_call=True
    )
    ScreeningMatch.objects.filter(pk=match.pk).update(person=person)
    response = _attempt(coordinator, match, outcome="left_message", contact_point=point.pk)
    assert response.status_code == 400
    assert "NOT safe to leave a message" in response.text
    assert not match.attempts.exists()
    _attempt(coordinator, match, outcome="reached", contact_point=point.pk)
    assert match.attempts.count() == 1


def test_the_time_to_first_contact_is_the_median_and_90th_percentile(unit):
    from harbour.screening.outreach_stats import time_to_first_contact

    day = datetime.date(2026, 1, 1)
    for hours in range(1, 11):
        ScreeningMatch.objects.create(
            organisation=unit, ori="X", incident_number=f"N{hours}", victim_sequence_number=1,
            incident_date=day, reported_date=day, priority="normal",
            first_contact_at=datetime.datetime(2026, 1, 1, tzinfo=unit.tz)
            + datetime.timedelta(hours=hours),
        )  # fmt: skip
    result = time_to_first_contact(unit)
    assert result["count"] == 10
    assert result["median"] == datetime.timedelta(hours=5)
    assert result["p90"] == datetime.timedelta(hours=9)
