"""Screening: which victims of imported occurrences the unit should offer help to.

A victim (a person in the role victim, of type individual, law enforcement officer or not
given) matches a rule version when all of its conditions hold:

- the victim is connected to at least one offence of the occurrence (NIBRS data element 24)
  whose category is one of the rule's categories or whose NIBRS or UCR2 code is one of its
  codes, and which is a crime against the person if the rule says so, and bias-motivated if
  the rule says so;
- if the rule names relationship classes, the victim's relationship to at least one offender
  is one of them;
- if the rule has a minimum age, the victim's lowest age is known and at least that.

``screen`` is set-based: one query per active rule for a whole batch of occurrences, one
for the matches already on file, and bulk writes; never a query per victim.
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harbour.accounts.models import Organisation
from harbour.screening.constants import (
    CrimeAgainst,
    MatchStatus,
    PersonRole,
    RelationshipClass,
    RulePriority,
)
from harbour.screening.models import (
    Occurrence,
    OccurrencePerson,
    OccurrenceRelationship,
    ScreeningMatch,
    ScreeningRule,
    ScreeningRuleVersion,
    VictimOffence,
)

VICTIM_TYPES = ("I", "L", "")
INTIMATE_CLASSES = [
    RelationshipClass.CURRENT_SPOUSE.value,
    RelationshipClass.FORMER_SPOUSE.value,
    RelationshipClass.CURRENT_DATING.value,
    RelationshipClass.FORMER_DATING.value,
    RelationshipClass.OTHER_INTIMATE.value,
]
CHUNK = 900

# The rules every organisation starts with (seeded by ensure_default_rules). The serious
# violent offences are a list of codes a coordinator edits like any other rule.
DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "key": "ipv",
        "name": _("Intimate partner violence"),
        "priority": RulePriority.HIGH,
        "reason": _(
            "The victim's relationship to an offender is an intimate partner relationship, "
            "in a crime against the person."
        ),
        "crime_against_person": True,
        "relationship_classes": INTIMATE_CLASSES,
    },
    {
        "key": "sexual",
        "name": _("Sexual offence"),
        "reason": _("The victim was the victim of a sexual offence."),
        "categories": ["sexual_offence"],
    },
    {
        "key": "trafficking",
        "name": _("Human trafficking"),
        "reason": _("The victim was the victim of human trafficking."),
        "categories": ["human_trafficking"],
    },
    {
        "key": "bias",
        "name": _("Bias-motivated crime"),
        "reason": _("An offence against the victim was motivated by bias."),
        "crime_against_person": False,
        "bias_motivated": True,
    },
    {
        "key": "homicide",
        "name": _("Homicide"),
        "priority": RulePriority.HIGH,
        "reason": _("Homicide: offer services to the victim's family."),
        "categories": ["homicide"],
        "offer_to_family": True,
    },
    {
        "key": "violent",
        "name": _("Serious violent offences"),
        "reason": _("The victim was the victim of a serious violent offence."),
        "nibrs_codes": ["13A", "100", "120"],
        "ucr2_codes": ["1410", "1420", "1610"],
    },
]


def ensure_default_rules(organisation: Organisation) -> None:
    """Seed the default rules for an organisation that has no rules yet."""
    if ScreeningRule.objects.filter(organisation=organisation).exists():
        return
    for default in DEFAULT_RULES:
        values = dict(default)
        rule = ScreeningRule.objects.create(organisation=organisation, key=values.pop("key"))
        values["name"] = str(values["name"])
        values["reason"] = str(values["reason"])
        save_version(rule, values, user=None)


VERSION_FIELDS = (
    "name",
    "active",
    "priority",
    "reason",
    "categories",
    "nibrs_codes",
    "ucr2_codes",
    "crime_against_person",
    "bias_motivated",
    "relationship_classes",
    "minimum_age",
    "offer_to_family",
)


def values_of(version: ScreeningRuleVersion) -> dict[str, Any]:
    """A version's editable fields, as save_version and preview take them."""
    return {name: getattr(version, name) for name in VERSION_FIELDS}


def save_version(rule: ScreeningRule, values: dict, user) -> ScreeningRuleVersion:
    """Write the rule's next version with ``values`` (the version's editable fields) and
    make it current. Earlier versions, and the matches that name them, are untouched."""
    with transaction.atomic():
        last = rule.versions.order_by("-number").values_list("number", flat=True).first()
        version = ScreeningRuleVersion.objects.create(
            rule=rule, number=(last or 0) + 1, created_by=user, **values
        )
        rule.current = version
        rule.save(update_fields=["current"])
    return version


def current_versions(organisation: Organisation) -> list[ScreeningRuleVersion]:
    """The current version of each of the organisation's rules, active ones only."""
    return list(
        ScreeningRuleVersion.objects.filter(
            pk__in=ScreeningRule.objects.filter(organisation=organisation).values("current"),
            active=True,
        )
    )


def matching_victims(version: ScreeningRuleVersion, occurrences: QuerySet | list) -> QuerySet:
    """The victims of ``occurrences`` the version matches, as a queryset of
    OccurrencePerson (one SQL query when evaluated)."""
    offence = Q()
    if version.categories:
        offence |= Q(offence__category__in=version.categories)
    if version.nibrs_codes:
        offence |= Q(offence__nibrs_code__in=version.nibrs_codes)
    if version.ucr2_codes:
        offence |= Q(offence__ucr2_code__in=version.ucr2_codes)
    if version.crime_against_person:
        offence &= Q(offence__crime_against=CrimeAgainst.PERSON)
    if version.bias_motivated:
        offence &= Q(offence__bias_motivated=True)
    # A list of ids is read as a plain IN list: as a subquery inside the IN, PostgreSQL
    # without fresh statistics (rows written in this very transaction) planned it as a
    # nested loop, seconds a chunk.
    within = (
        Q(occurrence_id__in=occurrences)
        if isinstance(occurrences, list)
        else Q(occurrence__in=occurrences)
    )
    victims = OccurrencePerson.objects.filter(
        within, role=PersonRole.VICTIM, victim_type__in=VICTIM_TYPES
    ).filter(Exists(VictimOffence.objects.filter(offence, victim=OuterRef("pk"))))
    if version.relationship_classes:
        victims = victims.filter(
            Exists(
                OccurrenceRelationship.objects.filter(
                    victim=OuterRef("pk"), relationship_class__in=version.relationship_classes
                )
            )
        )
    if version.minimum_age is not None:
        victims = victims.filter(age_low__gte=version.minimum_age)
    return victims


def has_conditions(values: dict) -> bool:
    """Whether a rule's offence conditions say anything (a rule with none would match every
    victim connected to any offence)."""
    return bool(
        values.get("categories")
        or values.get("nibrs_codes")
        or values.get("ucr2_codes")
        or values.get("crime_against_person")
        or values.get("bias_motivated")
    )


@dataclass
class _Found:
    occurrence_id: uuid.UUID
    sequence_number: int
    versions: list = field(default_factory=list)
    high: bool = False


@dataclass
class ScreenResult:
    created: int = 0
    updated: int = 0
    closed: int = 0


def screen(organisation: Organisation, occurrence_ids: Iterable) -> ScreenResult:
    """Screen the victims of these occurrences against the organisation's active rules and
    bring the outreach queue up to date: a new match for each victim matched for the first
    time, the reasons of a victim matched again completed (never duplicated), and an
    undecided match whose victim no longer matches closed as "no longer matches"; a decided
    match is left as it was decided."""
    ids = list(occurrence_ids)
    result = ScreenResult()
    if not ids:
        return result
    ensure_default_rules(organisation)
    versions = current_versions(organisation)
    _fresh_statistics()
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            _screen_chunk(organisation, ids[start : start + CHUNK], versions, result)
    return result


# PostgreSQL plans from statistics autovacuum gathers later; rows written moments ago by the
# same import are not in them, and the screening queries then ran as nested loops over the
# whole batch (minutes for the demo's 2,000 incidents). ANALYZE of these tables is a sample:
# milliseconds, and allowed inside the import's transaction.
_SCREENED_TABLES = (
    "screening_occurrence",
    "screening_occurrenceperson",
    "screening_occurrenceoffence",
    "screening_victimoffence",
    "screening_occurrencerelationship",
    "screening_screeningmatch",
)


def _fresh_statistics() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(_SCREENED_TABLES))


def _screen_chunk(organisation, ids, versions, result: ScreenResult) -> None:
    occurrences = Occurrence.objects.filter(organisation=organisation, pk__in=ids)
    found: dict[tuple, _Found] = {}
    # The organisation's own occurrences among the ids, as a plain list (matching_victims).
    own = list(occurrences.values_list("pk", flat=True))
    for version in versions:
        rows = matching_victims(version, own).values_list("occurrence_id", "sequence_number")
        for occurrence_id, sequence in rows:
            item = found.setdefault((occurrence_id, sequence), _Found(occurrence_id, sequence))
            item.versions.append(version.pk)
            item.high = item.high or version.priority == RulePriority.HIGH
    existing = {
        (m.occurrence_id, m.victim_sequence_number): m
        for m in ScreeningMatch.objects.filter(organisation=organisation, occurrence_id__in=ids)
    }
    Through = ScreeningMatch.reasons.through
    keys = {
        pk: (ori, number, incident_date, reported)
        for pk, ori, number, incident_date, reported in occurrences.filter(
            pk__in={item.occurrence_id for item in found.values()}
        ).values_list("pk", "ori", "incident_number", "incident_date", "reported_date")
    }
    new: list[ScreeningMatch] = []
    reopened: list[ScreeningMatch] = []
    reasons: list[tuple[ScreeningMatch, uuid.UUID]] = []
    for key, item in found.items():
        priority = RulePriority.HIGH if item.high else RulePriority.NORMAL
        match = existing.get(key)
        if match is None:
            ori, number, incident_date, reported = keys[item.occurrence_id]
            match = ScreeningMatch(
                organisation=organisation,
                occurrence_id=item.occurrence_id,
                ori=ori,
                incident_number=number,
                victim_sequence_number=item.sequence_number,
                incident_date=incident_date,
                reported_date=reported or incident_date,
                priority=priority,
            )
            new.append(match)
        elif match.status == MatchStatus.NO_LONGER_MATCHES:
            match.status = MatchStatus.NEW
            match.priority = priority
            reopened.append(match)
        reasons.extend((match, version_id) for version_id in item.versions)
    ScreeningMatch.objects.bulk_create(new)
    result.created += len(new)
    if reopened:
        ScreeningMatch.objects.bulk_update(reopened, ["status", "priority"])
        result.updated += len(reopened)
    Through.objects.bulk_create(
        [Through(screeningmatch_id=m.pk, screeningruleversion_id=v) for m, v in reasons],
        ignore_conflicts=True,
    )
    gone = [
        match.pk
        for key, match in existing.items()
        if key not in found and match.status == MatchStatus.NEW
    ]
    if gone:
        result.closed += ScreeningMatch.objects.filter(pk__in=gone).update(
            status=MatchStatus.NO_LONGER_MATCHES, decided_at=timezone.now()
        )


def preview(version_values: dict, organisation: Organisation, days: int = 30) -> int:
    """How many victims a rule with these values would have matched among the occurrences
    of the last ``days`` days (by incident date): one SQL count."""
    since = timezone.localdate() - datetime.timedelta(days=days)
    occurrences = Occurrence.objects.filter(organisation=organisation, incident_date__gte=since)
    version = ScreeningRuleVersion(**version_values)
    return matching_victims(version, occurrences).count()
