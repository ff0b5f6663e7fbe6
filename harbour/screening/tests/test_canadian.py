"""Harbour's own occurrence formats (CSV and JSON, UCR2-coded) read on their own, with no
database: the example files and the examples in docs/format-occurrences.md read as written;
CSV and JSON of the same occurrences read the same; every problem is reported with its line
and its JSON pointer or CSV column; a file broken as a whole is refused; generated
occurrences read back as the values written; and nothing, however broken, crashes."""

import copy
import json
import re
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harbour.screening import canadian, nibrs_codes, taxonomy
from harbour.screening.nibrs_xml import FormatError
from harbour.screening.records import (
    Incident,
    IncidentDelete,
    Offence,
    Person,
    Rejected,
    Relationship,
)
from harbour.screening.tests import occurrence_writer as w

DATA = Path(__file__).parent / "data"
DOCS = Path(__file__).resolve().parents[3] / "docs" / "format-occurrences.md"


def read_json(data: bytes, warnings: list | None = None) -> list:
    return list(canadian.parse_json(data.splitlines(keepends=True), _collect(warnings)))


def read_csv(data: bytes, warnings: list | None = None) -> list:
    return list(canadian.parse_csv(data.splitlines(keepends=True), _collect(warnings)))


def _collect(warnings: list | None):
    return None if warnings is None else warnings.append


def without_lines(records: list) -> list:
    found = []
    for record in records:
        record = copy.copy(record)
        record.line = 0
        found.append(record)
    return found


# ---- the examples ----

EXAMPLE = [
    Incident(
        ori="NS0010000",
        incident_number="2024-000123",
        incident_date=date(2024, 3, 1),
        line=7,
        incident_hour=21,
        reported_date=date(2024, 3, 1),
        location_type="11",
        offences=[
            Offence(ucr2_code="1430", completed=True, location_type="11"),
            Offence(ucr2_code="1627", location_type="11"),
        ],
        people=[
            Person(
                role="victim",
                sequence_number=1,
                victim_type="I",
                age_code="32",
                age_low=32,
                age_high=32,
                sex="F",
                offence_codes=("1430", "1627"),
                relationships=(Relationship(1, "spouse_former", "ucr2"),),
                given_name="Avery",
                family_name="Samplecase",
                date_of_birth=date(1991, 7, 14),
            ),
            Person(
                role="offender",
                sequence_number=1,
                age_code="36",
                age_low=36,
                age_high=36,
                sex="M",
                given_name="Jordan",
                family_name="Fictitious",
            ),
            Person(role="witness", sequence_number=1, given_name="Robin", family_name="Madeup"),
        ],
        weapon=False,
        injury=True,
        strangulation=True,
        children_present=True,
    ),
    Incident(
        ori="NS0010000",
        incident_number="2024-000124",
        incident_date=date(2024, 3, 3),
        line=48,
        incident_date_is_report_date=True,
        reported_date=date(2024, 3, 3),
        offences=[Offence(nibrs_code="13C", ucr2_code="1625")],
        people=[
            Person(
                role="victim",
                sequence_number=1,
                victim_type="I",
                age_code="19",
                age_low=19,
                age_high=19,
                offence_codes=("13C",),
                relationships=(Relationship(1, "dating_former", "ucr2"),),
                given_name="Quinn",
                family_name="Notreal",
            ),
            Person(
                role="victim",
                sequence_number=2,
                victim_type="I",
                age_code="17",
                age_low=17,
                age_high=17,
                offence_codes=("13C",),
                relationships=(Relationship(1, "acquaintance", "ucr2"),),
                given_name="Sasha",
                family_name="Notreal",
            ),
            Person(role="offender", sequence_number=1, given_name="Morgan", family_name="Invented"),
        ],
    ),
    IncidentDelete("NS0010000", "2024-000099", 63),
]


def test_the_json_example_reads_as_written():
    warnings: list = []
    assert read_json((DATA / "occurrences.json").read_bytes(), warnings) == EXAMPLE
    assert warnings == []


def test_the_csv_example_says_what_the_json_example_says():
    records = read_csv((DATA / "occurrences.csv").read_bytes())
    assert [r.line for r in records] == [2, 9, 16]
    assert without_lines(records) == without_lines(EXAMPLE)


def examples(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOCS.read_text(), flags=re.S)


def test_the_documented_examples_read_without_a_problem():
    json_examples, csv_examples = examples("json"), examples("csv")
    assert json_examples and csv_examples
    for text in json_examples:
        records = read_json(text.encode())
        assert records and not any(isinstance(r, Rejected) for r in records), records
    for text in csv_examples:
        records = read_csv(text.encode())
        assert records and not any(isinstance(r, Rejected) for r in records), records
    # The documentation's JSON and CSV examples describe the same occurrences.
    assert without_lines(read_json(json_examples[0].encode())) == without_lines(
        read_csv(csv_examples[0].encode())
    )


def test_the_relationship_categories_are_the_taxonomys():
    categories = taxonomy.taxonomy().relationships["ucr2"]
    for category in categories:
        assert taxonomy.relationship_class("ucr2", category)
        assert f"`{category}`" in DOCS.read_text()


# ---- what the formats mean ----


def base() -> dict:
    return {
        "police_service": "NS0010000",
        "occurrence_number": "2024-000500",
        "reported_at": "2024-03-01T22:15",
        "occurred_at": "2024-03-01T21:30",
        "location_type": "11",
        "flags": {"weapon": False, "injury": True, "children_present": True},
        "offences": [{"ucr2_code": "1430", "attempted": False}, {"ucr2_code": "1627"}],
        "people": [
            {
                "role": "victim",
                "sequence": 1,
                "given_name": "Avery",
                "family_name": "Samplecase",
                "date_of_birth": "1991-07-14",
                "sex": "F",
                "offences": ["1430"],
            },
            {"role": "accused", "sequence": 1, "given_name": "Jordan", "age": 36, "sex": "M"},
        ],
        "relationships": [{"victim": 1, "accused": 1, "category": "spouse_current"}],
    }


def both_ways(*occurrences: dict) -> list:
    """The records of the occurrences written as JSON, after checking CSV gives the same."""
    from_json = read_json(w.json_document(list(occurrences))[0])
    from_csv = read_csv(w.csv_document(list(occurrences))[0])
    assert without_lines(from_json) == without_lines(from_csv)
    return from_json


def test_an_occurrence_to_delete_is_an_incident_delete():
    (record,) = both_ways(
        {"police_service": "ns0010000", "occurrence_number": "A-1", "action": "delete"}
    )
    assert record == IncidentDelete("NS0010000", "A-1", 5)


def test_the_police_service_is_compared_in_capitals():
    (record,) = both_ways({**base(), "police_service": "hrp-east"})
    assert record.ori == "HRP-EAST"


def test_without_an_occurrence_time_the_report_time_dates_the_incident():
    occurrence = {**base(), "occurred_at": None, "reported_at": "2024-03-02T07:45-04:00"}
    (record,) = both_ways(occurrence)
    assert (record.incident_date, record.incident_hour) == (date(2024, 3, 2), 7)
    assert record.incident_date_is_report_date and record.reported_date == date(2024, 3, 2)


def test_a_date_alone_has_no_hour():
    (record,) = both_ways({**base(), "occurred_at": "2024-02-29", "reported_at": None})
    assert (record.incident_date, record.incident_hour) == (date(2024, 2, 29), None)
    assert not record.incident_date_is_report_date and record.reported_date is None


def test_a_csv_time_may_have_a_space_for_the_t():
    occurrence = base()
    data = w.csv_document([occurrence])[0].replace(b"2024-03-01T21:30", b"2024-03-01 21:30")
    (record,) = read_csv(data)
    assert record.incident_hour == 21


def test_the_age_is_worked_out_from_the_date_of_birth_when_not_given():
    occurrence = base()
    occurrence["people"][0]["date_of_birth"] = "1990-03-02"  # 34 the day after
    (record,) = both_ways(occurrence)
    victim = record.people[0]
    assert (victim.age_code, victim.age_low, victim.age_high) == ("33", 33, 33)
    occurrence["people"][0]["age"] = 34  # the records system's age is kept as it is
    (record,) = both_ways(occurrence)
    assert record.people[0].age_low == 34


def test_a_victim_without_offences_is_the_victim_of_every_offence():
    occurrence = base()
    del occurrence["people"][0]["offences"]
    (record,) = both_ways(occurrence)
    assert record.people[0].offence_codes == ("1430", "1627")


def test_victims_are_connected_by_the_nibrs_code_where_an_offence_has_one():
    occurrence = base()
    occurrence["offences"][0]["nibrs_code"] = "13B"
    (record,) = both_ways(occurrence)
    assert record.people[0].offence_codes == ("13B",)
    assert record.offences[0] == Offence(
        nibrs_code="13B", ucr2_code="1430", completed=True, location_type="11"
    )


def test_witnesses_and_complainants_are_kept_with_their_roles():
    occurrence = base()
    occurrence["people"] += [
        {"role": "witness", "sequence": 1, "given_name": "Robin"},
        {"role": "complainant", "sequence": 1, "family_name": "Madeup"},
    ]
    (record,) = both_ways(occurrence)
    assert [(p.role, p.sequence_number) for p in record.people] == [
        ("victim", 1),
        ("offender", 1),
        ("witness", 1),
        ("complainant", 1),
    ]


def test_flags_not_given_are_not_known():
    (record,) = both_ways({**base(), "flags": None})
    assert (record.weapon, record.injury, record.strangulation, record.children_present) == (
        None,
        None,
        None,
        None,
    )


def test_an_unknown_ucr2_violation_is_kept_and_warned_about():
    occurrence = base()
    occurrence["offences"].append({"ucr2_code": "1110"})  # first-degree murder: not listed
    data, starts = w.json_document([occurrence])
    warnings: list = []
    (record,) = read_json(data, warnings)
    assert isinstance(record, Incident)
    assert [o.ucr2_code for o in record.offences] == ["1430", "1627", "1110"]
    (warning,) = warnings
    assert (warning.line, warning.segment, warning.field) == (
        starts[0],
        "/occurrences/0/offences/2/ucr2_code",
        "ucr2_code",
    )
    assert "UCR2 violation 1110 is not in Harbour's list: it is kept" in warning.reason
    data, lines = w.csv_document([occurrence])
    warnings = []
    read_csv(data, warnings)
    assert (warnings[0].line, warnings[0].segment, warnings[0].position) == (
        lines[(0, "offences", 2)],
        "offence",
        w.letter("ucr2_code"),
    )


def test_csv_columns_may_come_in_any_order_and_unused_ones_may_be_left_out():
    columns = [
        "occurrence_number",
        "record",
        "police_service",
        "occurred_at",
        "ucr2_code",
        "role",
        "sequence",
        "victim",
        "accused",
        "category",
    ]
    occurrence = {
        "police_service": "NS0010000",
        "occurrence_number": "7",
        "occurred_at": "2024-01-01",
        "offences": [{"ucr2_code": "1430"}],
        "people": [{"role": "victim", "sequence": 1}, {"role": "accused", "sequence": 2}],
        "relationships": [{"victim": 1, "accused": 2, "category": "dating_current"}],
    }
    (record,) = read_csv(w.csv_document([occurrence], columns)[0])
    assert without_lines([record]) == without_lines(read_json(w.json_document([occurrence])[0]))
    assert record.people[0].relationships == (Relationship(2, "dating_current", "ucr2"),)


def test_a_csv_file_saved_by_a_french_spreadsheet_is_read():
    """Semicolons between cells, a byte-order mark, Windows line ends, accents."""
    occurrence = base()
    occurrence["people"][0]["given_name"] = "Zoé-Éloïse"
    data = w.csv_document([occurrence], delimiter=";")[0]
    data = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
    (record,) = read_csv(data)
    assert record.people[0].given_name == "Zoé-Éloïse"
    assert without_lines([record]) == without_lines(read_json(w.json_document([occurrence])[0]))


def test_a_name_on_two_lines_keeps_the_csv_line_numbers_right():
    occurrence = base()
    occurrence["people"][0]["family_name"] = "Line\nBreak"
    second = {**base(), "occurrence_number": "2024-000501", "flags": {"weapon": "maybe"}}
    data, lines = w.csv_document([occurrence, second])
    first, rejected = read_csv(data)
    assert first.people[0].family_name == "Line\nBreak"
    assert rejected.line == lines[(1,)]
    assert rejected.problems[0].line == lines[(1,)]


def test_an_occurrence_sent_twice_comes_out_twice():
    changed = {**base(), "location_type": "22"}
    records = both_ways(base(), changed)
    assert [r.location_type for r in records] == ["11", "22"]


# ---- every problem, where it is and why ----


def change(path: tuple, value):
    """Set (or, with value DELETE, remove) the value at ``path`` in an occurrence."""

    def apply(occurrence: dict) -> None:
        target = occurrence
        for step in path[:-1]:
            target = target[step]
        if value is DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return apply


DELETE = object()
BOTH, JSON, CSV = "both", "json", "csv"
# (change, path of the problem, words of the reason, formats)
PROBLEMS = [
    (
        change(("police_service",), DELETE),
        ("police_service",),
        "This field must be filled in",
        BOTH,
    ),
    (
        change(("police_service",), "NS 001"),
        ("police_service",),
        "“NS 001” is not a police service identifier: up to 20 letters, digits and hyphens",
        BOTH,
    ),
    (
        change(("occurrence_number",), "2024 000500"),
        ("occurrence_number",),
        "“2024 000500” is not an occurrence number: up to 40 letters, digits and the "
        "characters - / . _ (no spaces)",
        BOTH,
    ),
    (
        change(("action",), "update"),
        ("action",),
        "“update” is not an action (expected insert or delete)",
        BOTH,
    ),
    (
        change(("action",), "delete"),
        ("offences", 0),
        "An occurrence to delete carries only police_service, occurrence_number and action; "
        "remove this",
        BOTH,
    ),
    (
        change(("occurred_at",), "01/03/2024"),
        ("occurred_at",),
        "“01/03/2024” is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDThh:mm)",
        BOTH,
    ),
    (
        change(("occurred_at",), "2024-03-01T21:30Z"),
        ("occurred_at",),
        "“2024-03-01T21:30Z” is in UTC. Give the police service's local time",
        BOTH,
    ),
    (
        lambda o: o.update(occurred_at=None, reported_at=None),
        ("occurred_at",),
        "Give occurred_at, reported_at or both",
        BOTH,
    ),
    (
        change(("location_type",), "RESIDENCE"),
        ("location_type",),
        "“RESIDENCE” is not a location type code: up to 4 letters and digits",
        BOTH,
    ),
    (
        change(("flags", "weapon"), "maybe"),
        ("flags", "weapon"),
        "“maybe” is not yes or no (expected Y, N, or blank for not known)",
        CSV,
    ),
    (
        change(("flags", "weapon"), "yes"),
        ("flags", "weapon"),
        "This must be true, false or null",
        JSON,
    ),
    (
        change(("offences",), []),
        ("offences",),
        "An occurrence needs at least one offence",
        BOTH,
    ),
    (
        change(("offences", 1, "ucr2_code"), "110"),
        ("offences", 1, "ucr2_code"),
        "110 is a Statistics Canada total, not a violation: give the four-digit UCR2 "
        "violation code",
        BOTH,
    ),
    (
        change(("offences", 1, "ucr2_code"), "14300"),
        ("offences", 1, "ucr2_code"),
        "“14300” is not a UCR2 violation code (four digits, such as 1430)",
        BOTH,
    ),
    (
        change(("offences", 1, "ucr2_code"), DELETE),
        ("offences", 1, "ucr2_code"),
        "This field must be filled in",
        BOTH,
    ),
    (
        change(("offences", 1, "ucr2_code"), "1430"),
        ("offences", 1, "ucr2_code"),
        "Violation 1430 appears twice in this occurrence",
        BOTH,
    ),
    (
        change(("offences", 1, "nibrs_code"), "13X"),
        ("offences", 1, "nibrs_code"),
        "“13X” is not a NIBRS Group A offense code",
        BOTH,
    ),
    (
        change(("offences", 0, "attempted"), "perhaps"),
        ("offences", 0, "attempted"),
        "“perhaps” is not yes or no",
        CSV,
    ),
    (
        change(("people", 1, "role"), "suspect"),
        ("people", 1, "role"),
        "“suspect” is not a role (expected victim, accused, witness or complainant)",
        BOTH,
    ),
    (
        change(("people", 1, "sequence"), 0),
        ("people", 1, "sequence"),
        "“0” is not a whole number from 1 to 999",
        BOTH,
    ),
    (
        change(("people", 1, "sequence"), "²"),
        ("people", 1, "sequence"),
        "“²” is not a whole number from 1 to 999",
        BOTH,
    ),
    (
        change(("people", 1, "role"), "victim"),
        ("people", 1, "sequence"),
        "There are two people with role victim and sequence 1",
        BOTH,
    ),
    (
        change(("people", 0, "sex"), "female"),
        ("people", 0, "sex"),
        "“female” is not a sex (expected F, M, X or U)",
        BOTH,
    ),
    (
        change(("people", 0, "given_name"), "A" * 101),
        ("people", 0, "given_name"),
        "A name may be at most 100 characters long",
        BOTH,
    ),
    (
        change(("people", 1, "offences"), ["1430"]),
        ("people", 1, "offences"),
        "Only victims are connected to offences; leave this empty",
        BOTH,
    ),
    (
        change(("people", 0, "offences"), ["1610"]),
        ("people", 0, "offences"),
        "The victim is connected to violation 1610, which is not one of this occurrence's offences",
        BOTH,
    ),
    (
        change(("people", 0, "date_of_birth"), "1991-02-30"),
        ("people", 0, "date_of_birth"),
        "The date of birth is not a date (YYYY-MM-DD)",
        BOTH,
    ),
    (
        change(("people", 0, "date_of_birth"), "2024-03-02"),
        ("people", 0, "date_of_birth"),
        "The date of birth is after the occurrence (2024-03-01)",
        BOTH,
    ),
    (
        change(("people", 1, "age"), 130),
        ("people", 1, "age"),
        "“130” is not a whole number from 0 to 120",
        BOTH,
    ),
    (
        change(("relationships", 0, "victim"), 2),
        ("relationships", 0, "victim"),
        "There is no victim with sequence 2 in this occurrence",
        BOTH,
    ),
    (
        change(("relationships", 0, "accused"), 3),
        ("relationships", 0, "accused"),
        "There is no accused with sequence 3 in this occurrence",
        BOTH,
    ),
    (
        change(("relationships", 0, "category"), "spouse"),
        ("relationships", 0, "category"),
        "“spouse” is not a relationship category (expected spouse_current, spouse_former,",
        BOTH,
    ),
    (
        lambda o: o["relationships"].append(dict(o["relationships"][0])),
        ("relationships", 1),
        "Victim 1 and accused 1 are related twice",
        BOTH,
    ),
    (
        change(("weapons",), True),
        ("weapons",),
        "“weapons” is not a field here (expected police_service, occurrence_number, action,",
        JSON,
    ),
    (change(("police_service",), 123), ("police_service",), "This must be text (in quotes)", JSON),
    (change(("people",), {"role": "victim"}), ("people",), "This must be a list ([…])", JSON),
    (change(("people", 0), "Avery"), ("people", 0), "This must be an object ({…})", JSON),
    (
        change(("people", 0, "offences"), "1430"),
        ("people", 0, "offences"),
        'This must be a list of codes in quotes, such as ["1430"]',
        JSON,
    ),
    (change(("flags",), [True]), ("flags",), "This must be an object ({…})", JSON),
    (
        change(("flags", "knife"), True),
        ("flags", "knife"),
        "“knife” is not a field here (expected weapon, injury, strangulation, children_present)",
        JSON,
    ),
    (
        change(("people", 1, "sequence"), "1"),
        ("people", 1, "sequence"),
        "“1” is not a whole number from 1 to 999",
        JSON,
    ),
    (
        change(("people", 0, "age"), True),
        ("people", 0, "age"),
        "“True” is not a whole number from 0 to 120",
        JSON,
    ),
]


@pytest.mark.parametrize(
    "apply,path,reason", [(a, p, r) for a, p, r, f in PROBLEMS if f in (BOTH, JSON)]
)
def test_every_json_problem_says_where_it_is_and_why(apply, path, reason):
    occurrence = base()
    apply(occurrence)
    data, starts = w.json_document([base(), occurrence])
    good, rejected = read_json(data)
    assert isinstance(good, Incident)
    assert isinstance(rejected, Rejected), rejected
    assert rejected.line == starts[1]
    field = next((step for step in reversed(path) if isinstance(step, str)), "")
    matching = [p for p in rejected.problems if reason in p.reason and p.field == field]
    assert matching, [(p.field, p.reason) for p in rejected.problems]
    problem = matching[0]
    pointer = "/occurrences/1" + "".join(f"/{step}" for step in path)
    assert (problem.line, problem.segment, problem.field, problem.position) == (
        starts[1],
        pointer,
        field,
        "",
    )


@pytest.mark.parametrize(
    "apply,path,reason", [(a, p, r) for a, p, r, f in PROBLEMS if f in (BOTH, CSV)]
)
def test_every_csv_problem_says_where_it_is_and_why(apply, path, reason):
    occurrence = base()
    apply(occurrence)
    data, lines = w.csv_document([base(), occurrence])
    good, rejected = read_csv(data)
    assert isinstance(good, Incident)
    assert isinstance(rejected, Rejected), rejected
    assert rejected.line == lines[(1,)]
    field = next((step for step in reversed(path) if isinstance(step, str)), "")
    matching = [p for p in rejected.problems if reason in p.reason and p.field == field]
    assert matching, [(p.field, p.reason) for p in rejected.problems]
    problem = matching[0]
    child = len(path) >= 2 and isinstance(path[1], int)
    row = (1, *path[:2]) if child else (1,)
    record = {"offences": "offence", "people": "person", "relationships": "relationship"}
    column = path[2] if child and len(path) > 2 else (path[-1] if not child else "")
    if column in ("offences",) and not child:
        column = ""  # an occurrence row has no offences column
    assert (problem.line, problem.segment, problem.field, problem.position) == (
        lines[row],
        record[path[0]] if child else "occurrence",
        field,
        w.letter(column) if column else "",
    )


def test_a_rejected_occurrence_names_its_police_service_and_number():
    occurrence = {**base(), "police_service": "hrp", "location_type": "RESIDENCE"}
    for records in (
        read_json(w.json_document([occurrence])[0]),
        read_csv(w.csv_document([occurrence])[0]),
    ):
        (rejected,) = records
        assert (rejected.ori, rejected.incident_number) == ("HRP", "2024-000500")


def test_problems_are_told_in_the_readers_language():
    occurrence = {**base(), "location_type": "RESIDENCE"}
    with translation.override("fr"):
        (rejected,) = read_json(w.json_document([occurrence])[0])
    assert rejected.problems[0].reason == (
        "« RESIDENCE » n’est pas un code de type de lieu : au plus 4 lettres et chiffres."
    )


def csv_text(*rows: str, header: str = ",".join(w.COLUMNS)) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def row(**values) -> str:
    return ",".join(values.get(column, "") for column in w.COLUMNS)


KEY = {"police_service": "NS0010000", "occurrence_number": "9"}
OCCURRENCE = row(record="occurrence", occurred_at="2024-01-01", **KEY)
OFFENCE = row(record="offence", ucr2_code="1430", **KEY)


def only_problem(data: bytes):
    (rejected,) = [r for r in read_csv(data) if isinstance(r, Rejected)]
    (problem,) = rejected.problems
    return rejected, problem


def test_a_row_of_an_unknown_record_type_is_a_problem():
    rejected, problem = only_problem(csv_text(OCCURRENCE, OFFENCE, row(record="offense", **KEY)))
    assert (problem.line, problem.segment, problem.field, problem.position) == (
        4,
        "",
        "record",
        "A",
    )
    assert problem.reason == (
        "“offense” is not a record type (expected occurrence, offence, person or relationship)."
    )
    assert rejected.line == 2


def test_a_cell_filled_on_a_row_that_does_not_use_it_is_a_problem():
    bad = row(record="offence", ucr2_code="1430", role="victim", **KEY)
    rejected, problem = only_problem(csv_text(OCCURRENCE, bad))
    assert (problem.line, problem.field, problem.position) == (3, "role", w.letter("role"))
    assert problem.reason == "The column role is not used on offence rows; leave it empty."


def test_a_row_with_more_cells_than_the_header_is_a_problem():
    rejected, problem = only_problem(csv_text(OCCURRENCE, OFFENCE + ",extra"))
    assert (problem.line, problem.position) == (3, "Z")
    assert problem.reason == "This row has 26 cells but the header names 25 columns."


def test_rows_without_their_occurrence_row_before_them_are_rejected_together():
    other = {"police_service": "NS0010000", "occurrence_number": "10"}
    data = csv_text(
        OCCURRENCE,
        OFFENCE,
        row(record="offence", ucr2_code="1430", **other),
        row(record="person", role="victim", sequence="1", **other),
        row(record="occurrence", occurred_at="2024-01-02", **other),
        row(record="offence", ucr2_code="1430", **other),
    )
    first, orphans, second = read_csv(data)
    assert isinstance(first, Incident) and isinstance(second, Incident)
    assert (orphans.line, orphans.ori, orphans.incident_number) == (4, "NS0010000", "10")
    (problem,) = orphans.problems
    assert (problem.line, problem.segment, problem.field) == (4, "offence", "record")
    assert problem.reason == (
        "This offence row belongs to occurrence “10” of police service “NS0010000”, but no "
        "occurrence row comes right before it: put each occurrence's rows together, its "
        "occurrence row first."
    )


def test_blank_rows_are_skipped():
    records = read_csv(csv_text(OCCURRENCE, ",,,", "", OFFENCE))
    assert len(records) == 1 and isinstance(records[0], Incident)


# ---- files broken as a whole ----

GOOD_HEADER = b'{"format": "harbour-occurrences", "format_version": 1, '
JSON_BROKEN = [
    (b"", "This is not Harbour JSON: it must be one JSON object that starts with “{”"),
    (b"[1, 2]", "This is not Harbour JSON"),
    (
        b'{"format": "nibrs", "format_version": 1, "occurrences": []}',
        "This is not a Harbour occurrences file: “format” must be “harbour-occurrences”, "
        'before the occurrences (found "nibrs")',
    ),
    (
        b'{"format": "harbour-occurrences", "format_version": 2, "occurrences": []}',
        "This file is format version 2; Harbour reads version 1",
    ),
    (
        b'{"format": "harbour-occurrences", "occurrences": [], "format_version": 1}',
        "This file is format version null",
    ),
    (GOOD_HEADER + b'"occurrences": [], "extra": 1}', "“extra” is not a field of a Harbour"),
    (GOOD_HEADER + b'"occurrences": [{"a": 1}, {', "The JSON is not valid at line 1, column"),
    (GOOD_HEADER + b'"occurrences": []} x', "there is more after the end of the document"),
    (GOOD_HEADER + b'"format": "x", "occurrences": []}', "the field “format” appears twice"),
    (GOOD_HEADER + b'"source": "\xff", "occurrences": []}', "The file is not UTF-8 text"),
    (GOOD_HEADER + b'"source": "x"}', "This Harbour JSON file has no “occurrences” list"),
    (GOOD_HEADER + b'"occurrences": {}}', "expected “[”, found '{'"),
    (GOOD_HEADER + b'"occurrences": [1 2]}', "expected “,” or “]”, found '2'"),
    (GOOD_HEADER + b"3: 1}", "expected a field name in quotes"),
    (GOOD_HEADER + b'"occurrences": [' + b"[" * 100_000, "lists or objects nested too deeply"),
]


@pytest.mark.parametrize("data,message", JSON_BROKEN)
def test_a_broken_json_file_is_refused(data, message):
    with pytest.raises(FormatError) as parsing:
        read_json(data)
    assert message in str(parsing.value)
    with pytest.raises(FormatError) as checking:
        canadian.check_json(data.splitlines(keepends=True))
    assert str(checking.value) == str(parsing.value)


def test_a_json_file_broken_half_way_yields_what_came_before_then_says_where():
    data, starts = w.json_document([base(), base()])
    broken = data[: -len(b"  ]\n}\n") - 60]
    records = canadian.parse_json(broken.splitlines(keepends=True))
    assert isinstance(next(records), Incident)
    with pytest.raises(FormatError) as broke:
        next(records)
    assert broke.value.line >= starts[1]


CSV_BROKEN = [
    (
        csv_text(OCCURRENCE, OFFENCE, 'person,"' + "x" * 200_000),
        "The row at line 4 cannot be read as CSV (field larger than field limit (131072)): "
        "look for a quote that is opened and never closed.",
    ),
    (b"", "The file is empty: a Harbour CSV file starts with its header"),
    (b"\n\n", "The file is empty"),
    (
        b"record,police_service,occurrence_number,name\n",
        "The first line of a Harbour CSV file names its columns; “name” is not one of them",
    ),
    (b"record,police_service,record,occurrence_number\n", "The column “record” appears twice"),
    (
        b"record,police_service\n",
        "The header has no column “occurrence_number”; every Harbour CSV file needs record, "
        "police_service, occurrence_number",
    ),
    (
        csv_text(OCCURRENCE, OFFENCE.replace("1430", "14\xe90").encode("latin-1").decode("latin-1"))
        .decode()
        .encode("latin-1"),
        "Line 3 is not UTF-8 text. Save the file as “CSV UTF-8” and import it again.",
    ),
]


@pytest.mark.parametrize("data,message", CSV_BROKEN)
def test_a_broken_csv_file_is_refused(data, message):
    with pytest.raises(FormatError) as parsing:
        read_csv(data)
    assert message in str(parsing.value)
    with pytest.raises(FormatError) as checking:
        canadian.check_csv(data.splitlines(keepends=True))
    assert str(checking.value) == str(parsing.value)


def test_check_passes_the_examples():
    canadian.check_json((DATA / "occurrences.json").read_bytes().splitlines(keepends=True))
    canadian.check_csv((DATA / "occurrences.csv").read_bytes().splitlines(keepends=True))


@pytest.mark.parametrize(
    "sniff,first_line,reason",
    [
        (canadian.not_json, b'{"format": "harbour-occurrences",', None),
        (canadian.not_json, b"\xef\xbb\xbf{", None),
        (canadian.not_json, b"<?xml", "This looks like XML, not Harbour JSON."),
        (canadian.not_json, b"record,police_service", "This looks like Harbour CSV, not JSON."),
        (canadian.not_json, b"hello", "This is not Harbour JSON: it must be one JSON object"),
        (canadian.not_csv, b"record,police_service,occurrence_number", None),
        (canadian.not_csv, b"\xef\xbb\xbfrecord;police_service;occurrence_number", None),
        (canadian.not_csv, b"{", "This looks like JSON, not Harbour CSV."),
        (canadian.not_csv, b"<?xml", "This looks like XML, not Harbour CSV."),
        (canadian.not_csv, b"record,\xff", "The file is not UTF-8 text."),
        (canadian.not_csv, b"name,date", "“name” is not one of them"),
    ],
)
def test_the_first_line_says_whether_a_file_may_be_in_the_format(sniff, first_line, reason):
    found = sniff(first_line)
    assert found == reason if reason is None else reason in found


# ---- generated occurrences ----

KNOWN_CODES = sorted(taxonomy.taxonomy().ucr2)
CATEGORIES = sorted(taxonomy.taxonomy().relationships["ucr2"])
NAME = (
    st.text(
        st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGXYZéèçÉàô' -,\";\n"),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)


@st.composite
def occurrences(draw):
    service = draw(st.from_regex(r"[A-Z0-9][A-Z0-9-]{0,19}", fullmatch=True))
    occurrence: dict = {
        "police_service": draw(st.sampled_from([service, service.lower()])),
        "occurrence_number": draw(st.from_regex(r"[A-Za-z0-9/._-]{1,40}", fullmatch=True)),
    }
    if draw(st.booleans()) and draw(st.booleans()):
        occurrence["action"] = "delete"
        return occurrence
    if draw(st.booleans()):
        occurrence["action"] = "insert"
    day = draw(st.dates(date(2000, 1, 1), date(2030, 12, 31)))
    hour = draw(st.none() | st.integers(0, 23))
    stamp = day.isoformat() + (
        "" if hour is None else f"T{hour:02d}:{draw(st.integers(0, 59)):02d}"
    )
    if hour is not None and draw(st.booleans()):
        stamp += draw(st.sampled_from(["-04:00", "-03:30", "-08:00"]))
    occurrence[draw(st.sampled_from(["occurred_at", "reported_at"]))] = stamp
    if draw(st.booleans()):
        occurrence["location_type"] = draw(st.from_regex(r"[A-Za-z0-9]{1,4}", fullmatch=True))
    if draw(st.booleans()):
        occurrence["flags"] = {
            name: draw(st.booleans())
            for name in ("weapon", "injury", "strangulation", "children_present")
            if draw(st.booleans())
        }
    codes = draw(
        st.lists(
            st.sampled_from(KNOWN_CODES) | st.from_regex(r"[4-9][0-9]{3}", fullmatch=True),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    occurrence["offences"] = [
        {
            "ucr2_code": code,
            **(
                {"nibrs_code": draw(st.sampled_from(sorted(nibrs_codes.GROUP_A_OFFENCES)))}
                if draw(st.booleans())
                else {}
            ),
            **({"attempted": draw(st.booleans())} if draw(st.booleans()) else {}),
        }
        for code in codes
    ]
    people = []
    for role, most in (("victim", 3), ("accused", 2), ("witness", 1), ("complainant", 1)):
        for sequence in range(1, draw(st.integers(1 if role == "victim" else 0, most)) + 1):
            person: dict = {"role": role, "sequence": sequence}
            for name in ("given_name", "family_name"):
                if draw(st.booleans()):
                    person[name] = draw(NAME)
            if draw(st.booleans()):
                person["date_of_birth"] = draw(st.dates(date(1920, 1, 1), day)).isoformat()
            if draw(st.booleans()):
                person["age"] = draw(st.integers(0, 120))
            if draw(st.booleans()):
                person["sex"] = draw(st.sampled_from(["F", "M", "X", "U"]))
            if role == "victim" and draw(st.booleans()):
                person["offences"] = draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))
            people.append(person)
    occurrence["people"] = people
    victims = [p["sequence"] for p in people if p["role"] == "victim"]
    accused = [p["sequence"] for p in people if p["role"] == "accused"]
    occurrence["relationships"] = [
        {"victim": v, "accused": a, "category": draw(st.sampled_from(CATEGORIES))}
        for v in victims
        for a in accused
        if draw(st.booleans())
    ]
    return occurrence


def expected(occurrence: dict, line: int):
    """The record an occurrence should make, worked out from the format's description."""
    ori, number = occurrence["police_service"].upper(), occurrence["occurrence_number"]
    if occurrence.get("action") == "delete":
        return IncidentDelete(ori, number, line)

    def moment(text):
        return (
            None
            if text is None
            else (date.fromisoformat(text[:10]), int(text[11:13]) if len(text) > 10 else None)
        )

    occurred, reported = (
        moment(occurrence.get("occurred_at")),
        moment(occurrence.get("reported_at")),
    )
    when = occurred or reported
    location = occurrence.get("location_type", "")
    offences = [
        Offence(
            nibrs_code=o.get("nibrs_code", ""),
            ucr2_code=o["ucr2_code"],
            completed=None if o.get("attempted") is None else not o["attempted"],
            location_type=location,
        )
        for o in occurrence["offences"]
    ]
    link = {o.ucr2_code: o.nibrs_code or o.ucr2_code for o in offences}
    roles = {
        "victim": "victim",
        "accused": "offender",
        "witness": "witness",
        "complainant": "complainant",
    }
    people = []
    for p in occurrence["people"]:
        born = date.fromisoformat(p["date_of_birth"]) if "date_of_birth" in p else None
        age = p.get("age")
        if age is None and born is not None:
            age = when[0].year - born.year - ((when[0].month, when[0].day) < (born.month, born.day))
        victim = p["role"] == "victim"
        people.append(
            Person(
                role=roles[p["role"]],
                sequence_number=p["sequence"],
                victim_type="I" if victim else "",
                age_code="" if age is None else str(age),
                age_low=age,
                age_high=age,
                sex=p.get("sex", ""),
                offence_codes=tuple(link[c] for c in p.get("offences", link)) if victim else (),
                relationships=tuple(
                    Relationship(r["accused"], r["category"], "ucr2")
                    for r in occurrence["relationships"]
                    if victim and r["victim"] == p["sequence"]
                ),
                given_name=p.get("given_name"),
                family_name=p.get("family_name"),
                date_of_birth=born,
            )
        )
    flags = occurrence.get("flags") or {}
    return Incident(
        ori=ori,
        incident_number=number,
        incident_date=when[0],
        line=line,
        incident_hour=when[1],
        incident_date_is_report_date=occurred is None,
        reported_date=reported[0] if reported else None,
        location_type=location,
        offences=offences,
        people=people,
        weapon=flags.get("weapon"),
        injury=flags.get("injury"),
        strangulation=flags.get("strangulation"),
        children_present=flags.get("children_present"),
    )


def unknown_codes(generated: list[dict]) -> list[str]:
    return [
        o["ucr2_code"]
        for occurrence in generated
        for o in occurrence.get("offences", [])
        if o["ucr2_code"] not in KNOWN_CODES
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(occurrences(), min_size=1, max_size=4))
def test_generated_occurrences_read_back_as_the_values_written(generated):
    data, starts = w.json_document(generated)
    warnings: list = []
    assert read_json(data, warnings) == [
        expected(o, line) for o, line in zip(generated, starts, strict=True)
    ]
    assert [p.reason.split()[2] for p in warnings] == unknown_codes(generated)
    data, lines = w.csv_document(generated)
    warnings = []
    assert read_csv(data, warnings) == [expected(o, lines[(n,)]) for n, o in enumerate(generated)]
    assert [p.reason.split()[2] for p in warnings] == unknown_codes(generated)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(occurrences(), min_size=1, max_size=3),
    st.integers(1, 300),
    st.lists(st.integers(1, 4000), max_size=10),
)
def test_how_the_json_is_cut_into_blocks_and_chunks_changes_nothing(generated, block, cuts):
    data, _starts = w.json_document(generated)
    points = sorted({min(c, len(data)) for c in cuts})
    chunks = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    # The real parser with a smaller read size (a tuning constant, not a stand-in), so
    # that blocks end inside strings, escapes and numbers.
    with mock.patch.object(canadian, "BLOCK", block):
        assert list(canadian.parse_json(chunks)) == read_json(data)


def outcomes(parse, data: bytes) -> list:
    try:
        records = list(parse(data.splitlines(keepends=True)))
    except FormatError as error:
        assert str(error)
        return [error]
    for record in records:
        assert isinstance(record, Incident | IncidentDelete | Rejected)
        if isinstance(record, Rejected):
            assert record.problems
            for problem in record.problems:
                assert problem.line >= 1 and problem.reason
                assert len(problem.segment) <= 60 and len(problem.position) <= 12
    return records


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_garbage_never_crashes_either_parser(data):
    outcomes(canadian.parse_json, data)
    outcomes(canadian.parse_json, GOOD_HEADER + b'"occurrences": [' + data)
    outcomes(canadian.parse_csv, data)
    outcomes(canadian.parse_csv, ",".join(w.COLUMNS).encode() + b"\n" + data)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 2000) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(occurrences(), st.data())
def test_a_damaged_occurrence_is_rejected_or_read_never_a_crash(occurrence, data):
    for _n in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from([p for p in paths(occurrence) if p]))
        target = occurrence
        for step in path[:-1]:
            target = target[step]
        if data.draw(st.booleans()) and isinstance(target, dict):
            del target[path[-1]]
        else:
            target[path[-1]] = data.draw(JSON_VALUES)
    outcomes(canadian.parse_json, w.json_document([occurrence])[0])
    try:
        csv_data = w.csv_document([occurrence])[0]
    except (AttributeError, TypeError, KeyError):
        return  # too damaged to be written as CSV rows at all
    outcomes(canadian.parse_csv, csv_data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(occurrences(), st.data())
def test_a_damaged_csv_cell_is_rejected_or_read_never_a_crash(occurrence, data):
    text, _lines = w.csv_document([occurrence])
    rows = text.decode().split("\n")
    index = data.draw(st.integers(1, max(1, len(rows) - 2)))
    cells = rows[index].split(",")
    cells[data.draw(st.integers(0, len(cells) - 1))] = data.draw(
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=10)
    )
    rows[index] = ",".join(cells)
    outcomes(canadian.parse_csv, "\n".join(rows).encode())


def test_json_values_in_the_documented_example_are_what_the_doc_says():
    """The JSON example in the documentation is valid JSON as printed."""
    for text in examples("json"):
        assert json.loads(text)["format"] == "harbour-occurrences"


def test_a_rejection_never_quotes_a_name_or_a_date_of_birth():
    """Rejections are stored and shown as plain text: personal details stay out of them."""
    document = json.loads((DATA / "occurrences.json").read_text())
    person = document["occurrences"][0]["people"][0]
    person["date_of_birth"] = "1991-02-30"
    person["given_name"] = "Avery" * 60
    reasons = [
        problem.reason
        for record in canadian.parse_json([json.dumps(document).encode()])
        if isinstance(record, Rejected)
        for problem in record.problems
    ]
    assert reasons
    assert not any("1991-02-30" in reason or "Avery" in reason for reason in reasons)
