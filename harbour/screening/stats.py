"""IPV statistics over imported police occurrences (issue 4 item 5; docs/guide-statistics.md
says every definition in words, so that anyone can recompute them).

Every figure is one SQL aggregate over the occurrence tables, scoped to one organisation
and a period of incident dates (both ends included):

- an *incident* is an occurrence (a distinct ORI and incident number, deletes applied by
  the import), dated by its incident date;
- a *crime-against-person incident* has at least one offence whose crime-against category
  is Person (09C justifiable homicide is "not a crime" in the taxonomy and never counts);
- an *IPV incident* has at least one victim who is connected to a crime-against-person
  offence and whose relationship to at least one offender is intimate (NIBRS SE, CS, BG,
  XS, XR; UCR2 intimate-partner classes): ``OccurrenceRelationship.is_intimate``;
- a *family-or-IPV incident* is the same with the family class added (NIBRS PA, SB, CH,
  GP, GC, IL, SP, SC, SS, OF);
- victim counts count individual victims (victim types I and L) aged at least the
  minimum age (``HARBOUR_STATS_MIN_VICTIM_AGE``, 0 by default: every victim);
- a *bias incident* has an offence with a bias motivation other than 88 and 99
  (``OccurrenceOffence.bias_motivated``).
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth

from harbour.accounts.models import Organisation
from harbour.screening.constants import CrimeAgainst, PersonRole, RelationshipClass
from harbour.screening.models import (
    Occurrence,
    OccurrenceOffence,
    OccurrencePerson,
    OccurrenceRelationship,
    VictimOffence,
)

INDIVIDUAL_VICTIM_TYPES = ("I", "L")
ASSAULT_CODES = ("13A", "13B", "13C")
HOMICIDE_CATEGORY = "homicide"
SEXUAL_OFFENCE_CATEGORY = "sexual_offence"
HUMAN_TRAFFICKING_CATEGORY = "human_trafficking"
AGE_CHOICES = (0, 12, 15)

FIGURES = (
    "incidents",
    "crimes_against_persons_incidents",
    "ipv_incidents",
    "ipv_share_of_crimes_against_persons",
    "family_or_ipv_incidents",
    "ipv_victims",
    "sexual_offence_victims",
    "human_trafficking_victims",
    "bias_incidents",
)


def default_min_age() -> int:
    return int(getattr(settings, "HARBOUR_STATS_MIN_VICTIM_AGE", 0))


def previous_year(day: date) -> date:
    """The same day a year earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def previous(self) -> "Period":
        return Period(previous_year(self.start), previous_year(self.end))


def occurrences(organisation: Organisation, period: Period) -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(
        organisation=organisation, incident_date__gte=period.start, incident_date__lte=period.end
    )


def _person_offence_link() -> Exists:
    """The victim (OuterRef) is connected to a crime-against-person offence."""
    return Exists(
        VictimOffence.objects.filter(
            victim=OuterRef("pk"), offence__crime_against=CrimeAgainst.PERSON
        )
    )


def _relationship(family: bool) -> Exists:
    condition = Q(is_intimate=True)
    if family:
        condition |= Q(relationship_class=RelationshipClass.FAMILY)
    return Exists(OccurrenceRelationship.objects.filter(condition, victim=OuterRef("pk")))


def _ipv_victims(family: bool = False) -> QuerySet[OccurrencePerson]:
    """Victims connected to a crime-against-person offence with an intimate (or family)
    relationship to at least one offender, of any victim type and age."""
    return OccurrencePerson.objects.filter(
        _person_offence_link(), _relationship(family), role=PersonRole.VICTIM
    )


def _counted_victims(organisation: Organisation, period: Period, min_age: int):
    victims = OccurrencePerson.objects.filter(
        role=PersonRole.VICTIM,
        victim_type__in=INDIVIDUAL_VICTIM_TYPES,
        occurrence__organisation=organisation,
        occurrence__incident_date__gte=period.start,
        occurrence__incident_date__lte=period.end,
    )
    if min_age > 0:
        victims = victims.filter(age_low__gte=min_age)
    return victims


def _victims_of_category(victims: QuerySet[OccurrencePerson], category: str) -> int:
    return victims.filter(
        Exists(VictimOffence.objects.filter(victim=OuterRef("pk"), offence__category=category))
    ).count()


def ipv_incidents(incidents: QuerySet[Occurrence], family: bool = False) -> QuerySet[Occurrence]:
    return incidents.filter(Exists(_ipv_victims(family).filter(occurrence=OuterRef("pk"))))


def person_incidents(incidents: QuerySet[Occurrence]) -> QuerySet[Occurrence]:
    return incidents.filter(
        Exists(
            OccurrenceOffence.objects.filter(
                occurrence=OuterRef("pk"), crime_against=CrimeAgainst.PERSON
            )
        )
    )


def share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def figures(organisation: Organisation, period: Period, min_age: int | None = None) -> dict:
    """The issue's figures for one period (docs/guide-statistics.md)."""
    min_age = default_min_age() if min_age is None else min_age
    incidents = occurrences(organisation, period)
    person = person_incidents(incidents).count()
    ipv = ipv_incidents(incidents).count()
    victims = _counted_victims(organisation, period, min_age)
    return {
        "incidents": incidents.count(),
        "crimes_against_persons_incidents": person,
        "ipv_incidents": ipv,
        "ipv_share_of_crimes_against_persons": share(ipv, person),
        "family_or_ipv_incidents": ipv_incidents(incidents, family=True).count(),
        "ipv_victims": victims.filter(_person_offence_link(), _relationship(False)).count(),
        "sexual_offence_victims": _victims_of_category(victims, SEXUAL_OFFENCE_CATEGORY),
        "human_trafficking_victims": _victims_of_category(victims, HUMAN_TRAFFICKING_CATEGORY),
        "bias_incidents": incidents.filter(
            Exists(OccurrenceOffence.objects.filter(occurrence=OuterRef("pk"), bias_motivated=True))
        ).count(),
    }


def change_percent(now: int | Decimal | None, before: int | Decimal | None) -> Decimal | None:
    """(now − before) / before × 100, 1 decimal; None when there is nothing to compare to."""
    if now is None or before is None or not before:
        return None
    return ((Decimal(now) - Decimal(before)) * 100 / Decimal(before)).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )


def compare(organisation: Organisation, period: Period, min_age: int | None = None) -> dict:
    """``{"period": {...}, "previous": {...}, "change_percent": {...}}``: the figures for the
    period, for the same period a year earlier, and the change between them in percent."""
    now = figures(organisation, period, min_age)
    before = figures(organisation, period.previous(), min_age)
    return {
        "period": now,
        "previous": before,
        "change_percent": {name: change_percent(now[name], before[name]) for name in FIGURES},
    }


def as_json(result: dict) -> dict:
    """Decimals as numbers (floats) for JSON; None stays null."""

    def plain(value):
        return float(value) if isinstance(value, Decimal) else value

    return {part: {k: plain(v) for k, v in values.items()} for part, values in result.items()}


def _incidents_with_ipv_victim_of(incidents: QuerySet[Occurrence], **offence):
    """Incidents with a victim connected to an offence matching ``offence`` (field lookups)
    and intimate with at least one offender."""
    links = {f"offence__{lookup}": value for lookup, value in offence.items()}
    victims = OccurrencePerson.objects.filter(
        Exists(VictimOffence.objects.filter(victim=OuterRef("pk"), **links)),
        _relationship(False),
        role=PersonRole.VICTIM,
        occurrence=OuterRef("pk"),
    )
    return incidents.filter(Exists(victims))


def _with_offence(incidents: QuerySet[Occurrence], **condition) -> QuerySet[Occurrence]:
    return incidents.filter(
        Exists(OccurrenceOffence.objects.filter(occurrence=OuterRef("pk"), **condition))
    )


def dashboard(organisation: Organisation, period: Period, min_age: int) -> dict:
    """Everything the dashboard shows beyond ``compare``: assaults (13A, 13B, 13C by code)
    and how many are IPV-related (an intimate victim connected to an assault offence),
    homicides (09A, 09B) and how many have an IPV component (an intimate victim connected
    to a homicide offence), the monthly trend of crime-against-person and IPV incidents, and
    the counted IPV-or-family victims by relationship class."""
    incidents = occurrences(organisation, period)
    assaults = _with_offence(incidents, nibrs_code__in=ASSAULT_CODES)
    ipv_assaults = _incidents_with_ipv_victim_of(assaults, nibrs_code__in=ASSAULT_CODES)
    homicides = _with_offence(incidents, category=HOMICIDE_CATEGORY)
    ipv_homicides = _incidents_with_ipv_victim_of(homicides, category=HOMICIDE_CATEGORY)
    assault_count, ipv_assault_count = assaults.count(), ipv_assaults.count()
    return {
        "assaults": assault_count,
        "ipv_assaults": ipv_assault_count,
        "ipv_share_of_assaults": share(ipv_assault_count, assault_count),
        "homicides": homicides.count(),
        "ipv_homicides": ipv_homicides.count(),
        "months": monthly(incidents),
        "relationship_classes": by_relationship_class(organisation, period, min_age),
    }


def monthly(incidents: QuerySet[Occurrence]) -> list[dict]:
    """Per month of incident date: crime-against-person incidents and IPV incidents."""

    def per_month(queryset) -> dict:
        return dict(
            queryset.order_by()
            .annotate(month=TruncMonth("incident_date"))
            .values_list("month")
            .annotate(n=Count("pk"))
        )

    person = per_month(person_incidents(incidents))
    ipv = per_month(ipv_incidents(incidents))
    return [
        {"month": month, "person": person.get(month, 0), "ipv": ipv.get(month, 0)}
        for month in sorted(set(person) | set(ipv))
    ]


def by_relationship_class(organisation: Organisation, period: Period, min_age: int) -> list:
    """(class, victims): counted victims connected to a crime-against-person offence, by the
    class of their relationship to the offenders (a victim related to two offenders in two
    classes counts once in each)."""
    victims = _counted_victims(organisation, period, min_age).filter(_person_offence_link())
    rows = (
        OccurrenceRelationship.objects.filter(victim__in=victims)
        .order_by()
        .values_list("relationship_class")
        .annotate(n=Count("victim", distinct=True))
    )
    counts = dict(rows)
    return [(label, counts[code]) for code, label in RelationshipClass.choices if counts.get(code)]
