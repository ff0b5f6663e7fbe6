"""The real Vermont NIBRS submission (reference/README.md): it imports cleanly, deletes,
re-inserts and zero reports included; importing it again changes nothing; and what is
stored agrees with a plain reading of the file written here, without the parser."""

from collections import Counter
from datetime import date

import pytest
from django.db.models import Count

from harbour.screening.models import (
    Occurrence,
    OccurrenceOffence,
    OccurrencePerson,
    OccurrenceRelationship,
    VictimOffence,
    ZeroReport,
)
from harbour.screening.tests.helpers import VERMONT, counts, run_import, snapshot


@pytest.fixture
def vermont(unit):
    run = run_import(unit, VERMONT.read_bytes(), file_name=VERMONT.name)
    return run


def plain_reading() -> dict:
    """The file read the simplest way there is: a line's level is position 5, its action
    type position 6, its ORI and incident number positions 17–37 (spec §6). An
    administrative segment with action I starts an incident over; one with action D removes
    it; the segments after it belong to it. What is left at the end is what is on file."""
    incidents: dict[str, list[str]] = {}
    zero_reports = set()
    # Deleted, never inserted before and not inserted again after: nothing to delete.
    deleted_unknown = set()
    current = None
    for raw in VERMONT.read_bytes().decode("ascii").split("\r\n"):
        if not raw:
            continue
        level, action, key = raw[4], raw[5], raw[16:37]
        if level == "1" and action == "I":
            incidents[key] = []
            deleted_unknown.discard(key)
            current = key
        elif level == "1" and action == "D":
            if incidents.pop(key, None) is None:
                deleted_unknown.add(key)
            current = None
        elif level in "23456":
            assert key == current
            incidents[key].append(raw)
        elif level == "0":
            zero_reports.add((raw[16:25], int(raw[39:43]), int(raw[37:39])))
    victims_by_type = Counter()
    offences_by_code = Counter()
    relationships_by_code = Counter()
    victim_offence_links = 0
    for segments in incidents.values():
        for segment in segments:
            if segment[4] == "2":
                offences_by_code[segment[37:40]] += 1
            if segment[4] == "4":
                victims_by_type[segment[70]] += 1
                for start in range(40, 70, 3):
                    if segment[start : start + 3].strip():
                        victim_offence_links += 1
                for start in range(89, 129, 4):
                    code = segment[start + 2 : start + 4]
                    if code.strip():
                        relationships_by_code[code] += 1
    return {
        "incidents": len(incidents),
        "agencies": len({key[:9] for key in incidents}),
        "zero_reports": zero_reports,
        "deletes_of_nothing": len(deleted_unknown),
        "victims_by_type": victims_by_type,
        "offences_by_code": offences_by_code,
        "relationships_by_code": relationships_by_code,
        "victim_offence_links": victim_offence_links,
    }


def test_the_vermont_file_imports_cleanly(vermont):
    assert vermont.status == "completed"
    assert counts(vermont) == {
        "inserted": 1041,
        "not_on_file": 1,
        "zero_reports_added": 18,
        "arrests_skipped": 428,
    }
    assert not vermont.rejections.exists()
    assert Occurrence.objects.count() == 1041
    assert Occurrence.objects.values("ori").distinct().count() == 71
    assert ZeroReport.objects.count() == 18


def test_what_is_stored_agrees_with_a_plain_reading_of_the_file(vermont):
    expected = plain_reading()
    victims = OccurrencePerson.objects.filter(role="victim")

    assert Occurrence.objects.count() == expected["incidents"]
    assert Occurrence.objects.values("ori").distinct().count() == expected["agencies"]
    assert set(ZeroReport.objects.values_list("ori", "year", "month")) == expected["zero_reports"]
    assert vermont.not_on_file == expected["deletes_of_nothing"]
    assert (
        Counter(dict(victims.values_list("victim_type").annotate(n=Count("id"))))
        == (expected["victims_by_type"])
    )
    assert (
        Counter(dict(OccurrenceOffence.objects.values_list("nibrs_code").annotate(n=Count("id"))))
        == expected["offences_by_code"]
    )
    assert (
        Counter(dict(OccurrenceRelationship.objects.values_list("code").annotate(n=Count("id"))))
        == expected["relationships_by_code"]
    )
    assert VictimOffence.objects.count() == expected["victim_offence_links"]


def test_delete_then_reinsert_pairs_keep_the_last_version(vermont):
    # 20BU000039 of VT0040100 is deleted and re-inserted twice; 20MP001798 of VT0120200 is
    # deleted and never re-inserted (it was never on file here either).
    assert Occurrence.objects.filter(ori="VT0040100", incident_number="20BU000039").count() == 1
    assert not Occurrence.objects.filter(ori="VT0120200", incident_number="20MP001798").exists()


def test_the_first_incident_reads_as_the_specification_says(vermont):
    occurrence = Occurrence.objects.get(ori="VT0040100", incident_number="14BU006687")
    assert occurrence.incident_date == date(2014, 3, 14)
    assert occurrence.incident_hour == 14
    assert occurrence.cleared_exceptionally == "N"
    assert occurrence.location_type == "13"
    assert sorted(occurrence.offences.values_list("nibrs_code", "crime_against")) == [
        ("23F", "property"),
        ("26F", "property"),
    ]
    victim = occurrence.people.get(role="victim")
    assert (victim.victim_type, victim.age_low, victim.sex, victim.race) == ("I", 42, "M", "A")
    assert victim.relationships.get().code == "AQ"
    arrestee = occurrence.people.get(role="arrestee")
    assert (arrestee.arrest_transaction_number, arrestee.arrest_date) == (
        "252496",
        date(2014, 3, 19),
    )


def test_importing_the_vermont_file_again_changes_nothing(vermont, unit):
    before = snapshot()

    again = run_import(unit, VERMONT.read_bytes(), file_name=VERMONT.name)

    assert counts(again) == {"unchanged": 1041, "not_on_file": 1, "arrests_skipped": 428}
    assert snapshot() == before


def test_importing_it_in_small_batches_stores_the_same(unit):
    run = run_import(unit, VERMONT.read_bytes(), batch_size=7)
    # The twice-replaced incident is written in one batch and found unchanged in the next.
    assert run.inserted + run.unchanged == 1042
    assert Occurrence.objects.count() == 1041
    assert not run.rejections.exists()
