"""The IPV statistics (harbour.screening.stats): each definition's edge on hand-made
occurrences, the `harbour stats ipv` command, and the real Vermont file read two ways
(Harbour's import and figures; a plain reading of the fixed-width segments written here)
giving the same figures."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from harbour.screening import stats
from harbour.screening.models import (
    Occurrence,
    OccurrenceOffence,
    OccurrencePerson,
    OccurrenceRelationship,
    VictimOffence,
)
from harbour.screening.taxonomy import nibrs_offence, relationship
from harbour.screening.tests.helpers import VERMONT, run_import

YEAR = stats.Period(date(2020, 1, 1), date(2020, 12, 31))
_numbers = iter(range(1, 10**6))


def incident(
    organisation,
    offences: list[str] = ("13B",),
    victims: list[dict] = ({},),
    day: date = date(2020, 6, 1),
    bias: list[str] = ("88",),
) -> Occurrence:
    """One NIBRS occurrence: offences by code; each victim a dict with type (I), age (30),
    offences (all the incident's) and relationships (a list of NIBRS codes, one per
    offender)."""
    occurrence = Occurrence.objects.create(
        organisation=organisation,
        ori="VT0040100",
        incident_number=f"N{next(_numbers)}",
        source_format="nibrs-flat",
        incident_date=day,
        content_hash="x",
    )
    rows = {}
    for code in offences:
        offence = nibrs_offence(code)
        assert offence is not None
        rows[code] = OccurrenceOffence.objects.create(
            occurrence=occurrence,
            nibrs_code=code,
            crime_against=offence.crime_against,
            category=offence.category,
            bias_motivation_codes=list(bias),
            bias_motivated=any(b not in ("88", "99") for b in bias),
        )
    for number, spec in enumerate(victims, 1):
        victim = OccurrencePerson.objects.create(
            occurrence=occurrence,
            role="victim",
            sequence_number=number,
            victim_type=spec.get("type", "I"),
            age_low=spec.get("age", 30),
            age_high=spec.get("age", 30),
        )
        for code in spec.get("offences", offences):
            VictimOffence.objects.create(victim=victim, offence=rows[code])
        for offender, code in enumerate(spec.get("relationships", ["SE"]), 1):
            found = relationship("nibrs", code)
            assert found is not None
            OccurrenceRelationship.objects.create(
                victim=victim,
                offender_sequence_number=offender,
                code_system="nibrs",
                code=code,
                relationship_class=found.class_code,
                is_intimate=code in ("SE", "CS", "BG", "XS", "XR"),
            )
    return occurrence


def figures(organisation, period=YEAR, **options):
    return stats.figures(organisation, period, **options)


def test_a_spouse_assault_is_an_ipv_incident_with_one_ipv_victim(unit):
    incident(unit)

    assert figures(unit) == {
        "incidents": 1,
        "crimes_against_persons_incidents": 1,
        "ipv_incidents": 1,
        "ipv_share_of_crimes_against_persons": stats.share(1, 1),
        "family_or_ipv_incidents": 1,
        "ipv_victims": 1,
        "sexual_offence_victims": 0,
        "human_trafficking_victims": 0,
        "bias_incidents": 0,
    }


def test_justifiable_homicide_is_never_a_crime_against_the_person(unit):
    incident(unit, offences=["09C"])

    result = figures(unit)

    assert (result["incidents"], result["crimes_against_persons_incidents"]) == (1, 0)
    assert result["ipv_incidents"] == result["ipv_victims"] == 0
    assert result["ipv_share_of_crimes_against_persons"] is None


def test_an_intimate_victim_of_only_a_property_offence_is_not_ipv(unit):
    # The victim of the burglary is the offender's spouse; the assault's victim is not.
    incident(
        unit,
        offences=["13B", "220"],
        victims=[
            {"offences": ["220"], "relationships": ["SE"]},
            {"offences": ["13B"], "relationships": ["ST"]},
        ],
    )

    result = figures(unit)

    assert result["crimes_against_persons_incidents"] == 1
    assert result["ipv_incidents"] == result["ipv_victims"] == 0


def test_victim_was_offender_and_family_relationships_are_not_ipv(unit):
    incident(unit, victims=[{"relationships": ["VO"]}])
    incident(unit, victims=[{"relationships": ["PA"]}])

    result = figures(unit)

    assert result["ipv_incidents"] == 0
    assert result["family_or_ipv_incidents"] == 1


def test_one_intimate_offender_among_several_is_enough(unit):
    incident(unit, victims=[{"relationships": ["ST", "XR"]}])

    assert figures(unit)["ipv_incidents"] == 1


@pytest.mark.parametrize(("victim_type", "counted"), [("I", 1), ("L", 1), ("B", 0), ("S", 0)])
def test_victim_counts_count_individuals_and_officers_only(unit, victim_type, counted):
    incident(unit, offences=["13B", "11A"], victims=[{"type": victim_type}])

    result = figures(unit)

    assert result["ipv_incidents"] == 1
    assert result["ipv_victims"] == result["sexual_offence_victims"] == counted


def test_human_trafficking_victims_are_counted(unit):
    incident(unit, offences=["64A"], victims=[{"relationships": ["ST"]}, {"relationships": []}])

    assert figures(unit)["human_trafficking_victims"] == 2


@pytest.mark.parametrize(("codes", "counted"), [(["88"], 0), (["99"], 0), (["88", "21"], 1)])
def test_bias_incidents_exclude_none_and_unknown(unit, codes, counted):
    incident(unit, bias=codes)

    assert figures(unit)["bias_incidents"] == counted


def test_the_minimum_age_excludes_younger_and_unknown_ages(unit):
    incident(unit, victims=[{"age": 11}, {"age": 12}, {"age": 15}, {"age": None}])

    assert figures(unit)["ipv_victims"] == 4
    assert figures(unit, min_age=12)["ipv_victims"] == 2
    assert figures(unit, min_age=15)["ipv_victims"] == 1
    with override_settings(HARBOUR_STATS_MIN_VICTIM_AGE=15):
        assert figures(unit)["ipv_victims"] == 1


def test_the_period_includes_both_ends_and_the_previous_year_is_compared(unit):
    incident(unit, day=date(2020, 1, 1))
    incident(unit, day=date(2020, 12, 31))
    incident(unit, day=date(2021, 1, 1))
    incident(unit, day=date(2019, 3, 3))

    result = stats.compare(unit, YEAR)

    assert result["period"]["incidents"] == 2
    assert result["previous"]["incidents"] == 1
    assert result["change_percent"]["incidents"] == 100
    assert result["change_percent"]["bias_incidents"] is None


def test_the_previous_period_of_a_leap_day_ends_on_28_february():
    assert stats.Period(date(2020, 2, 1), date(2020, 2, 29)).previous() == stats.Period(
        date(2019, 2, 1), date(2019, 2, 28)
    )


def test_another_organisations_occurrences_are_not_counted(unit, other_unit):
    incident(other_unit)

    assert figures(unit)["incidents"] == 0


def harbour(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_command_prints_json_with_period_previous_and_change(unit):
    incident(unit)
    incident(unit, day=date(2019, 6, 1))
    incident(unit, day=date(2019, 6, 2), offences=["220"])

    out = json.loads(
        harbour(
            "stats", "ipv", "--org", "unit", "--from", "2020-01-01", "--to", "2020-12-31", "--json"
        )
    )

    assert list(out) == ["period", "previous", "change_percent"]
    assert list(out["period"]) == list(stats.FIGURES)
    assert out["period"]["ipv_share_of_crimes_against_persons"] == 1.0
    assert out["previous"]["incidents"] == 2
    assert out["change_percent"]["incidents"] == -50.0


def test_the_command_prints_a_table(unit):
    incident(unit)

    out = harbour("stats", "ipv", "--org", "unit", "--from", "2020-01-01", "--to", "2020-12-31")

    assert "2019-01-01…2019-12-31" in out
    assert [line.split()[0] for line in out.splitlines()[1:]] == list(stats.FIGURES)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "nobody", "--from", "2020-01-01", "--to", "2020-01-02"], "no organisation"),
        (["--org", "unit", "--from", "2020-13-01", "--to", "2020-01-02"], "not a date"),
        (["--org", "unit", "--from", "2020-02-01", "--to", "2020-01-02"], "ends before"),
    ],
)
def test_the_command_refuses_bad_arguments(unit, args, message):
    with pytest.raises(CommandError, match=message):
        harbour("stats", "ipv", *args)


# The Vermont file read plainly, positions from reference/nibrs/techspec2019.txt §6.

INTIMATE = {"SE", "CS", "BG", "XS", "XR"}
FAMILY = {"PA", "SB", "CH", "GP", "GC", "IL", "SP", "SC", "SS", "OF"}
# Crime-against-person offences (Appendix A / DESIGN taxonomy): homicide 09A 09B (not 09C),
# kidnapping 100, sex offences 11A–11D 36A 36B, assaults 13A–13C, trafficking 64A 64B.
PERSON = {"09A", "09B", "100", "11A", "11B", "11C", "11D", "13A", "13B", "13C", "36A", "36B"}
PERSON |= {"64A", "64B"}
SEXUAL = {"11A", "11B", "11C", "11D", "36A", "36B"}
TRAFFICKING = {"64A", "64B"}


def plain_figures(start: date, end: date) -> dict:
    incidents: dict[str, list[str]] = {}
    for line in VERMONT.read_bytes().decode("ascii").split("\r\n"):
        if len(line) < 37:
            continue
        level, action, key = line[4], line[5], line[16:37]
        if level == "1" and action == "I":
            incidents[key] = [line]
        elif level == "1" and action == "D":
            incidents.pop(key, None)
        elif level in "23456" and key in incidents:
            incidents[key].append(line)
    counts = dict.fromkeys(stats.FIGURES, 0)
    for segments in incidents.values():
        day = date(int(segments[0][37:41]), int(segments[0][41:43]), int(segments[0][43:45]))
        if not start <= day <= end:
            continue
        codes = [s[37:40] for s in segments if s[4] == "2"]
        bias = [s[61:63] for s in segments if s[4] == "2"]
        bias += [s[i : i + 2] for s in segments if s[4] == "2" for i in (63, 65, 67, 69)]
        counts["incidents"] += 1
        counts["crimes_against_persons_incidents"] += any(c in PERSON for c in codes)
        counts["bias_incidents"] += any(b.strip() and b not in ("88", "99") for b in bias)
        ipv = family = False
        for victim in (s for s in segments if s[4] == "4"):
            connected = {victim[i : i + 3] for i in range(40, 70, 3)}
            relations = {victim[i + 2 : i + 4] for i in range(89, 129, 4)}
            individual = victim[70] in "IL"
            person_victim = bool(connected & PERSON)
            if person_victim and relations & INTIMATE:
                ipv = True
                counts["ipv_victims"] += individual
            if person_victim and relations & (INTIMATE | FAMILY):
                family = True
            counts["sexual_offence_victims"] += individual and bool(connected & SEXUAL)
            counts["human_trafficking_victims"] += individual and bool(connected & TRAFFICKING)
        counts["ipv_incidents"] += ipv
        counts["family_or_ipv_incidents"] += family
    counts["ipv_share_of_crimes_against_persons"] = stats.share(
        counts["ipv_incidents"], counts["crimes_against_persons_incidents"]
    )
    return counts


@pytest.mark.parametrize(
    "period",
    [
        stats.Period(date(1900, 1, 1), date(2100, 12, 31)),
        stats.Period(date(2020, 1, 1), date(2020, 3, 31)),
        stats.Period(date(2019, 1, 1), date(2019, 12, 31)),
    ],
)
def test_the_vermont_figures_agree_with_a_plain_reading_of_the_file(unit, period):
    run_import(unit, VERMONT.read_bytes(), file_name=VERMONT.name)

    expected = plain_figures(period.start, period.end)

    assert stats.figures(unit, period, min_age=0) == expected
    if period.start.year == 1900:
        # The file has IPV in it: the comparison is not of zeros.
        assert expected["ipv_incidents"] > 10 and expected["ipv_victims"] > 10
