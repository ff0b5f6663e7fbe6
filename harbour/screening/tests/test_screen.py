"""Screening rules against the real Vermont file, and the outreach queue's bookkeeping."""

import datetime

import pytest

from harbour.screening.constants import MatchStatus, RulePriority
from harbour.screening.models import (
    Occurrence,
    OccurrenceRelationship,
    ScreeningMatch,
    ScreeningRule,
)
from harbour.screening.screen import (
    ensure_default_rules,
    preview,
    save_version,
    screen,
    values_of,
)
from harbour.screening.tests.helpers import VERMONT, run_import

pytestmark = pytest.mark.django_db

# NIBRS Appendix A: the Group A offenses that are crimes against the person (09C
# justifiable homicide is not a crime).
PERSON_CODES = {
    "09A", "09B", "100", "11A", "11B", "11C", "11D", "13A", "13B", "13C", "36A", "36B",
    "64A", "64B",
}  # fmt: skip
IPV_CODES = {"SE", "CS", "BG", "XS", "XR"}


def plain_ipv_victims() -> set[tuple[str, int]]:
    """(ORI + incident number, victim sequence number) of every victim on file whose
    relationship to an offender is SE, CS, BG, XS or XR and who is connected to a crime
    against the person, read straight from the fixed-width segments (spec §6)."""
    incidents: dict[str, dict[str, object]] = {}
    current = None
    for raw in VERMONT.read_bytes().decode("ascii").split("\r\n"):
        if not raw:
            continue
        level, action, key = raw[4], raw[5], raw[16:37]
        if level == "1" and action == "I":
            incidents[key] = {"offences": set(), "victims": []}
            current = key
        elif level == "1" and action == "D":
            incidents.pop(key, None)
            current = None
        elif level == "4" and current == key:
            incidents[key]["victims"].append(raw)
    found = set()
    for key, incident in incidents.items():
        for segment in incident["victims"]:
            sequence = int(segment[37:40])
            offences = {segment[s : s + 3] for s in range(40, 70, 3)}
            codes = {segment[s + 2 : s + 4] for s in range(89, 129, 4)}
            if offences & PERSON_CODES and codes & IPV_CODES and segment[70] in "IL":
                found.add((key, sequence))
    return found


@pytest.fixture
def vermont(unit):
    return run_import(unit, VERMONT.read_bytes(), file_name=VERMONT.name)


def ipv_matches(unit) -> set[tuple[str, int]]:
    rule = ScreeningRule.objects.get(organisation=unit, key="ipv")
    return {
        (ori + number.ljust(12), sequence)
        for ori, number, sequence in ScreeningMatch.objects.filter(reasons__rule=rule).values_list(
            "ori", "incident_number", "victim_sequence_number"
        )
    }


def test_the_default_ipv_rule_matches_exactly_the_vermont_ipv_victims(unit, vermont):
    expected = plain_ipv_victims()
    assert expected, "the Vermont file has IPV victims"
    assert ipv_matches(unit) == expected
    assert set(
        ScreeningMatch.objects.filter(reasons__rule__key="ipv").values_list("priority", flat=True)
    ) == {RulePriority.HIGH}


def test_every_organisation_gets_the_default_rules_once(unit):
    ensure_default_rules(unit)
    ensure_default_rules(unit)
    keys = ScreeningRule.objects.filter(organisation=unit).values_list("key", flat=True)
    assert sorted(keys) == ["bias", "homicide", "ipv", "sexual", "trafficking", "violent"]


def test_importing_and_screening_again_adds_no_duplicate(unit, vermont):
    before = sorted(ScreeningMatch.objects.values_list("pk", "status"))
    reasons = ScreeningMatch.reasons.through.objects.count()
    screen(unit, Occurrence.objects.values_list("pk", flat=True))
    run_import(unit, VERMONT.read_bytes(), file_name=VERMONT.name)
    assert sorted(ScreeningMatch.objects.values_list("pk", "status")) == before
    assert ScreeningMatch.reasons.through.objects.count() == reasons


def test_a_replaced_occurrence_that_no_longer_matches_closes_undecided_and_keeps_decided(
    unit, vermont
):
    ipv = ScreeningMatch.objects.filter(reasons__rule__key="ipv").distinct()
    decided, undecided = ipv[0], ipv[1]
    # Only the IPV rule may have matched them, for the test to mean something.
    for match in (decided, undecided):
        match.reasons.set(match.reasons.filter(rule__key="ipv"))
    ScreeningMatch.objects.filter(pk=decided.pk).update(status=MatchStatus.NO_ACTION)
    for match in (decided, undecided):
        OccurrenceRelationship.objects.filter(
            victim__occurrence=match.occurrence, is_intimate=True
        ).update(relationship_class="stranger", is_intimate=False)
    other_rules_match = set(
        ScreeningMatch.objects.exclude(reasons__rule__key="ipv").values_list("pk", flat=True)
    )
    screen(unit, [decided.occurrence_id, undecided.occurrence_id])
    decided.refresh_from_db()
    undecided.refresh_from_db()
    assert decided.status == MatchStatus.NO_ACTION
    if undecided.pk not in other_rules_match:
        assert undecided.status == MatchStatus.NO_LONGER_MATCHES


def test_a_rule_edit_makes_a_new_version_and_old_matches_keep_theirs(unit, vermont):
    rule = ScreeningRule.objects.get(organisation=unit, key="ipv")
    first = rule.current
    matched = set(ScreeningMatch.objects.filter(reasons=first).values_list("pk", flat=True))
    values = values_of(first)
    values["minimum_age"] = 18
    second = save_version(rule, values, user=None)
    rule.refresh_from_db()
    assert rule.current == second and second.number == first.number + 1
    first.refresh_from_db()
    assert first.minimum_age is None
    screen(unit, Occurrence.objects.values_list("pk", flat=True))
    assert set(ScreeningMatch.objects.filter(reasons=first).values_list("pk", flat=True)) == matched
    assert ScreeningMatch.objects.filter(reasons=second).count() <= len(matched)


def test_the_preview_counts_victims_of_the_last_30_days_by_incident_date(unit, vermont):
    rule = ScreeningRule.objects.get(organisation=unit, key="ipv")
    values = {"categories": [], "crime_against_person": True,
              "relationship_classes": rule.current.relationship_classes}  # fmt: skip
    assert preview(values, unit) == 0  # the Vermont file is from 2020
    newest = ScreeningMatch.objects.filter(reasons=rule.current).first()
    Occurrence.objects.filter(pk=newest.occurrence_id).update(
        incident_date=datetime.date.today() - datetime.timedelta(days=3)
    )
    same_day = ScreeningMatch.objects.filter(
        reasons=rule.current, occurrence_id=newest.occurrence_id
    ).count()
    assert preview(values, unit) == same_day


def test_another_organisations_occurrences_are_not_screened_for_this_one(unit, other_unit, vermont):
    screen(other_unit, Occurrence.objects.values_list("pk", flat=True))
    assert not ScreeningMatch.objects.filter(organisation=other_unit).exists()
