"""The NIBRS XML parser on its own (no database): the IEPD's own samples read as a plain
ElementTree reading of them says; reports written by nibrs_xml_writer read back as the same
values; each report action does what it should; every problem is reported with its line,
element path, field and reason; a file that is not NIBRS XML, or declares a DOCTYPE, is
refused; and nothing, however broken, makes the parser crash."""

import csv
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from harbour.screening import nibrs_codes, nibrs_xml, nibrs_xml_codes
from harbour.screening.nibrs_xml import FormatError
from harbour.screening.records import (
    Arrest,
    GroupBArrest,
    Incident,
    IncidentDelete,
    Offence,
    Person,
    Rejected,
    Relationship,
    ZeroReport,
)
from harbour.screening.tests import nibrs_xml_writer as w
from harbour.screening.tests.nibrs_xml_writer import XArrest, XOffence, XPerson, XSubject, XVictim
from harbour.testing import reference

SAMPLES = reference.NIBRS
FBI_TABLES = reference.CODES / "fbi-code-tables"
NS = w.URIS


def fbi_table(name: str) -> dict[str, str]:
    """An FBI IEPD 2019 code table (reference/codes, from the FBI's code-table workbook): the
    XML value -> the flat file's code, from "NIBRS CODE: AQ | Victim Was Acquaintance"."""
    with open(FBI_TABLES / name, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))[3:]
    return {value: text.split("|")[0].split(":")[1].strip() for value, text in rows}


FBI_RELATIONSHIPS = fbi_table("IEPD2019_VictimToSubjectRelationshipCode.csv")
FBI_BIAS = fbi_table("IEPD2019_OffenseFactorBiasMotivationCode.csv")


def parse(data: bytes) -> list:
    return list(nibrs_xml.parse(data.splitlines(keepends=True)))


def only(data: bytes):
    records = parse(data)
    assert len(records) == 1, records
    return records[0]


def line_of(data: bytes, text: str, occurrence: int = 1) -> int:
    found = [n for n, line in enumerate(data.decode().splitlines(), 1) if text in line]
    return found[occurrence - 1]


# ---- the IEPD's samples, against a plain reading of them ----


def plain_reading(path: Path) -> dict:
    """The values of a sample, read with nothing but ElementTree lookups."""
    report = ET.parse(path).getroot().find("nibrs:Report", NS)
    assert report is not None
    ids = {e.get(f"{{{NS['s']}}}id"): e for e in report}

    def ref(element: ET.Element, name: str) -> ET.Element:
        pointer = element.find(name, NS)
        assert pointer is not None
        return ids[pointer.get(f"{{{NS['s']}}}ref")]

    def age(person: ET.Element) -> str:
        measure = person.find("nc:PersonAgeMeasure", NS)
        assert measure is not None
        exact = measure.findtext("nc:MeasureIntegerValue", namespaces=NS)
        if exact:
            return f"{int(exact):02d}"
        low = measure.findtext("nc:MeasureIntegerRange/nc:RangeMinimumIntegerValue", namespaces=NS)
        high = measure.findtext("nc:MeasureIntegerRange/nc:RangeMaximumIntegerValue", namespaces=NS)
        if low and high:
            return f"{int(low):02d}{int(high):02d}"
        word = measure.findtext("nc:MeasureValueText", namespaces=NS)
        return {"NEONATAL": "NN", "NEWBORN": "NB", "BABY": "BB", "UNKNOWN": "00"}[word or ""]

    victims = {}
    for victim in report.findall("j:Victim", NS):
        seq = int(victim.findtext("j:VictimSequenceNumberText", namespaces=NS) or "0")
        offences = [
            ref(a, "j:Offense").findtext("nibrs:OffenseUCRCode", namespaces=NS)
            for a in report.findall("j:OffenseVictimAssociation", NS)
            if ref(a, "j:Victim") is victim
        ]
        relationships = [
            (
                int(ref(a, "j:Subject").findtext("j:SubjectSequenceNumberText", namespaces=NS)),
                FBI_RELATIONSHIPS[
                    a.findtext("nibrs:VictimToSubjectRelationshipCode", namespaces=NS)
                ],
            )
            for a in report.findall("j:SubjectVictimAssociation", NS)
            if ref(a, "j:Victim") is victim
        ]
        victims[seq] = (age(ref(victim, "nc:RoleOfPerson")), offences, relationships)
    return {
        "ori": report.findtext(
            "nibrs:ReportHeader/nibrs:ReportingAgency/j:OrganizationAugmentation/"
            "j:OrganizationORIIdentification/nc:IdentificationID",
            namespaces=NS,
        ),
        "number": report.findtext(
            "nc:Incident/nc:ActivityIdentification/nc:IdentificationID", namespaces=NS
        ),
        "offences": [
            o.findtext("nibrs:OffenseUCRCode", namespaces=NS)
            for o in report.findall("j:Offense", NS)
        ],
        "victims": victims,
        "offenders": {
            int(s.findtext("j:SubjectSequenceNumberText", namespaces=NS) or "0"): age(
                ref(s, "nc:RoleOfPerson")
            )
            for s in report.findall("j:Subject", NS)
        },
    }


@pytest.mark.parametrize("name", ["nibrs_GroupAIncident_Sample.xml", "nibrs_AllFields_Sample.xml"])
def test_it_reads_the_iepd_samples_as_a_plain_reading_of_them_does(name):
    path = SAMPLES / name
    expected = plain_reading(path)
    incident = only(path.read_bytes())
    assert isinstance(incident, Incident)
    assert incident.ori == expected["ori"] == "WVNDX0100"
    assert incident.incident_number == expected["number"]
    assert [o.nibrs_code for o in incident.offences] == expected["offences"]
    victims = {p.sequence_number: p for p in incident.people if p.role == "victim"}
    assert victims.keys() == expected["victims"].keys()
    for seq, (age, offences, relationships) in expected["victims"].items():
        assert victims[seq].age_code == age
        assert list(victims[seq].offence_codes) == offences
        assert [
            (r.offender_sequence_number, r.code) for r in victims[seq].relationships
        ] == relationships
    offenders = {p.sequence_number: p.age_code for p in incident.people if p.role == "offender"}
    assert offenders == expected["offenders"]


def test_it_reads_every_value_of_the_group_a_sample():
    incident = only((SAMPLES / "nibrs_GroupAIncident_Sample.xml").read_bytes())
    assert incident == Incident(
        ori="WVNDX0100",
        incident_number="000054236732",
        incident_date=date(2016, 2, 19),
        line=51,
        incident_hour=10,
        cleared_exceptionally="A",
        exceptional_clearance_date=date(2016, 2, 25),
        location_type="58",
        offences=[
            Offence(
                nibrs_code="13A",
                completed=True,
                location_type="58",
                offender_suspected_of_using=("N",),
                criminal_activity_codes=("N",),
                weapon_force_codes=("11A",),
                bias_motivation_codes=("88",),
            )
        ],
        people=[
            Person(
                role="victim",
                sequence_number=1,
                victim_type="I",
                age_code="32",
                age_low=32,
                age_high=32,
                sex="M",
                race="B",
                ethnicity="N",
                resident_status="R",
                injury_codes=("N",),
                circumstance_codes=("01",),
                justifiable_homicide_circumstance="C",
                offence_codes=("13A",),
                relationships=(Relationship(1, "AQ"),),
            ),
            Person(
                role="victim",
                sequence_number=2,
                victim_type="I",
                age_code="BB",
                age_low=0,
                age_high=0,
                sex="M",
                race="W",
                ethnicity="U",
                resident_status="R",
                injury_codes=("N",),
                circumstance_codes=("10",),
                justifiable_homicide_circumstance="G",
                offence_codes=("13A",),
                relationships=(Relationship(1, "ST"),),
            ),
            Person(
                role="offender",
                sequence_number=1,
                age_code="2530",
                age_low=25,
                age_high=30,
                sex="F",
                race="W",
                ethnicity="N",
            ),
        ],
        weapon=True,
        injury=False,
        strangulation=False,
    )


def test_it_reads_the_arrest_of_the_all_fields_sample():
    incident = only((SAMPLES / "nibrs_AllFields_Sample.xml").read_bytes())
    (arrestee,) = [p for p in incident.people if p.role == "arrestee"]
    assert (arrestee.sequence_number, arrestee.age_code, arrestee.sex) == (1, "25", "F")
    assert arrestee.arrest == Arrest("12345", date(2016, 2, 28), "O", "64A", ("12", "13A"))
    assert incident.offences[0].completed is False  # OffenseAttemptedIndicator true


def test_the_iepd_word_tables_are_the_fbis():
    assert nibrs_xml_codes.RELATIONSHIPS == FBI_RELATIONSHIPS
    assert nibrs_xml_codes.BIAS_MOTIVATIONS == FBI_BIAS
    assert set(FBI_RELATIONSHIPS.values()) == nibrs_codes.RELATIONSHIPS
    assert set(FBI_BIAS.values()) == nibrs_codes.BIAS_MOTIVATIONS


def test_the_word_tables_agree_with_the_taxonomy():
    taxonomy = pytest.importorskip("harbour.screening.taxonomy")
    for word, code in nibrs_xml_codes.RELATIONSHIPS.items():
        assert taxonomy.nibrs_relationship_for_xml(word) == code
    for word, code in nibrs_xml_codes.BIAS_MOTIVATIONS.items():
        assert taxonomy.bias_for_xml(word).code == code


# ---- report actions ----


def test_a_delete_report_is_an_incident_delete():
    data = w.document(w.delete(number="24-000009"))
    assert only(data) == IncidentDelete("WVNDX0100", "24-000009", line_of(data, "<nibrs:Report>"))


@pytest.mark.parametrize("action", ["I", "A", "R"])
def test_an_insert_add_or_replace_report_is_an_incident(action):
    assert isinstance(only(w.document(w.incident(action=action))), Incident)


@pytest.mark.parametrize("action,delete", [("A", False), ("I", False), ("D", True)])
def test_a_zero_report_is_for_the_month_of_its_report_date(action, delete):
    data = w.document(w.zero_report(month="2023-11", action=action))
    assert only(data) == ZeroReport("WVNDX0100", 2023, 11, line_of(data, "<nibrs:Report>"), delete)


@pytest.mark.parametrize("action,delete", [("A", False), ("D", True)])
def test_a_group_b_arrest_is_read_and_checked(action, delete):
    data = w.document(w.group_b(transaction="24-B0042", action=action))
    assert only(data) == GroupBArrest(
        "WVNDX0100", "24-B0042", line_of(data, "<nibrs:Report>"), delete
    )


def test_a_group_b_delete_needs_only_the_transaction_number():
    report = w.group_b(action="D", charge="13A")  # a Group A charge, not read for a delete
    assert isinstance(only(w.document(report)), GroupBArrest)


def test_reports_come_out_in_file_order_each_with_its_line():
    data = w.document(w.incident(number="A1"), w.delete(number="A1"), w.incident(number="A1"))
    records = parse(data)
    assert [type(r) for r in records] == [Incident, IncidentDelete, Incident]
    assert [r.line for r in records] == [line_of(data, "<nibrs:Report>", n) for n in (1, 2, 3)]


def test_an_incident_with_only_a_date_has_no_hour():
    incident = only(w.document(w.incident(moment=None, day="2024-02-29")))
    assert (incident.incident_date, incident.incident_hour) == (date(2024, 2, 29), None)


def test_the_report_date_indicator_says_the_date_is_the_report_date():
    incident = only(w.document(w.incident(moment="2024-03-05T08:15:00", report_date=True)))
    assert incident.incident_date_is_report_date
    assert incident.reported_date == incident.incident_date == date(2024, 3, 5)


def test_the_clearance_is_read():
    incident = only(w.document(w.incident(cleared="B", clearance_date="2024-04-02")))
    assert (incident.cleared_exceptionally, incident.exceptional_clearance_date) == (
        "B",
        date(2024, 4, 2),
    )


@pytest.mark.parametrize(
    "age,code,low,high",
    [
        (31, "31", 31, 31),
        (99, "99", 99, None),
        (104, "99", 99, None),
        ((25, 30), "2530", 25, 30),
        ("NEONATAL", "NN", 0, 0),
        ("NEWBORN", "NB", 0, 0),
        ("BABY", "BB", 0, 0),
        ("UNKNOWN", "00", None, None),
        (None, "", None, None),
    ],
)
def test_ages_are_read_as_the_flat_files_codes(age, code, low, high):
    report = w.incident(victims=(XVictim(1, person=XPerson(age=age)),))
    (victim,) = [p for p in only(w.document(report)).people if p.role == "victim"]
    assert (victim.age_code, victim.age_low, victim.age_high) == (code, low, high)


def test_a_victim_without_a_person_is_read_without_demographics():
    report = w.incident(victims=(XVictim(1, type="B", person=None),))
    (victim,) = [p for p in only(w.document(report)).people if p.role == "victim"]
    assert (victim.victim_type, victim.age_code, victim.sex) == ("B", "", "")


def test_a_relationship_may_be_given_as_the_flat_files_code():
    report = w.incident(victims=(XVictim(1, relationships=((1, "XS"),)),))
    (victim,) = [p for p in only(w.document(report)).people if p.role == "victim"]
    assert victim.relationships == (Relationship(1, "XS"),)


def test_an_association_without_a_relationship_relates_nobody():
    report = w.incident(victims=(XVictim(1, relationships=((1, None),)),))
    (victim,) = [p for p in only(w.document(report)).people if p.role == "victim"]
    assert victim.relationships == ()


def test_the_flags_come_from_weapons_and_injuries():
    report = w.incident(
        offences=(XOffence("13A", weapons=("85",)),),
        victims=(XVictim(1, injuries=("M",)),),
    )
    incident = only(w.document(report))
    assert (incident.weapon, incident.injury, incident.strangulation) == (False, True, True)


# ---- every problem, where it is and why ----


def base() -> ET.Element:
    return w.incident(
        offences=(XOffence("13A", weapons=("11",)),),
        victims=(
            XVictim(
                1,
                person=XPerson(age=30),
                injuries=("M",),
                relationships=((1, "Family Member_Spouse"),),
            ),
        ),
        subjects=(XSubject(1),),
        arrests=(XArrest(1, "24-A1"),),
    )


def find(report: ET.Element, path: str) -> ET.Element:
    found = report.find(path, NS)
    assert found is not None, path
    return found


def set_text(path: str, text: str):
    def change(report: ET.Element) -> None:
        find(report, path).text = text

    return change


def remove(path: str):
    def change(report: ET.Element) -> None:
        parent_path, _sep, _leaf = path.rpartition("/")
        parent = find(report, parent_path) if parent_path else report
        parent.remove(find(report, path))

    return change


def add(path: str, name: str, text: str | None = None, **attributes):
    def change(report: ET.Element) -> None:
        w.sub(find(report, path) if path else report, name, text, **attributes)

    return change


def copy(path: str):
    """Append a second copy of the element at ``path`` to its parent."""

    def change(report: ET.Element) -> None:
        parent_path, _sep, _leaf = path.rpartition("/")
        parent = find(report, parent_path) if parent_path else report
        element = find(report, path)
        parent.insert(list(parent).index(element) + 1, ET.fromstring(ET.tostring(element)))

    return change


def both(*changes):
    def change(report: ET.Element) -> None:
        for one in changes:
            one(report)

    return change


def replace_report(build):
    def change(report: ET.Element) -> None:
        report.clear()
        report.extend(list(build()))

    return change


V = "j:Victim"
# (change to the base report, field, words of the reason, element path of the problem)
PROBLEMS = [
    (
        set_text(f"{V}/j:VictimCategoryCode", "Z"),
        nibrs_xml_codes.VICTIM_TYPE,
        "“Z” is not a valid value here (expected B, F, G, I, L, O, R, S, U)",
        "j:Victim[1]/j:VictimCategoryCode",
    ),
    (
        remove(f"{V}/j:VictimCategoryCode"),
        nibrs_xml_codes.VICTIM_TYPE,
        "j:VictimCategoryCode is missing here",
        "j:Victim[1]",
    ),
    (
        set_text(f"{V}/j:VictimCategoryCode", " "),
        nibrs_xml_codes.VICTIM_TYPE,
        "This field must be filled in",
        "j:Victim[1]/j:VictimCategoryCode",
    ),
    (
        copy("j:Offense/nibrs:OffenseUCRCode"),
        nibrs_xml_codes.OFFENCE_CODE,
        "nibrs:OffenseUCRCode may appear only once here",
        "j:Offense[1]/nibrs:OffenseUCRCode[2]",
    ),
    (
        add(V, "j:VictimAggravatedAssaultHomicideFactorCode", "01"),
        nibrs_xml_codes.CIRCUMSTANCES,
        "",
        "",
    ),
    (
        both(
            *[add(V, "j:VictimAggravatedAssaultHomicideFactorCode", c) for c in ("01", "02", "03")]
        ),
        nibrs_xml_codes.CIRCUMSTANCES,
        "At most 2 values may be given here",
        "j:Victim[1]/j:VictimAggravatedAssaultHomicideFactorCode[3]",
    ),
    (
        both(*[add(V, "j:VictimAggravatedAssaultHomicideFactorCode", c) for c in ("01", "01")]),
        nibrs_xml_codes.CIRCUMSTANCES,
        "“01” is given twice",
        "j:Victim[1]/j:VictimAggravatedAssaultHomicideFactorCode[2]",
    ),
    (
        set_text("j:Offense/j:OffenseForce/j:ForceCategoryCode", "11B"),
        nibrs_xml_codes.WEAPON_FORCE,
        "followed by A (automatic) or blank",
        "j:Offense[1]/j:OffenseForce/j:ForceCategoryCode",
    ),
    (
        set_text("j:Offense/j:OffenseAttemptedIndicator", "maybe"),
        nibrs_xml_codes.ATTEMPTED_COMPLETED,
        "“maybe” is not a valid value here (expected true, false)",
        "j:Offense[1]/j:OffenseAttemptedIndicator",
    ),
    (
        remove("j:Offense/j:OffenseAttemptedIndicator"),
        nibrs_xml_codes.ATTEMPTED_COMPLETED,
        "j:OffenseAttemptedIndicator is missing here",
        "j:Offense[1]",
    ),
    (
        both(
            add("nc:Incident/j:IncidentAugmentation", "j:IncidentExceptionalClearanceDate"),
            add(
                "nc:Incident/j:IncidentAugmentation/j:IncidentExceptionalClearanceDate",
                "nc:Date",
                "2024-02-30",
            ),
        ),
        nibrs_xml_codes.CLEARANCE_DATE,
        "“2024-02-30” is not a date (YYYY-MM-DD)",
        "nc:Incident[1]/…/j:IncidentExceptionalClearanceDate/nc:Date",
    ),
    (
        set_text(f"{V}/j:VictimSequenceNumberText", "0"),
        nibrs_xml_codes.VICTIM_NUMBER,
        "“0” is not a valid value here (expected 1–999)",
        "j:Victim[1]/j:VictimSequenceNumberText",
    ),
    (
        set_text("j:Subject/j:SubjectSequenceNumberText", "1O"),
        nibrs_xml_codes.OFFENDER_NUMBER,
        "“1O” is not a valid value here (expected 0–99)",
        "j:Subject[1]/j:SubjectSequenceNumberText",
    ),
    (
        set_text("j:Subject/j:SubjectSequenceNumberText", "²"),
        nibrs_xml_codes.OFFENDER_NUMBER,
        "“²” is not a valid value here (expected 0–99)",
        "j:Subject[1]/j:SubjectSequenceNumberText",
    ),
    (
        copy(V),
        nibrs_xml_codes.VICTIM_NUMBER,
        "Sequence number 1 appears twice in this incident",
        "j:Victim[2]/j:VictimSequenceNumberText",
    ),
    (
        lambda r: find(r, f"{V}/nc:RoleOfPerson").attrib.clear(),
        nibrs_xml_codes.REFERENCE,
        "The s:ref attribute is missing",
        "j:Victim[1]/nc:RoleOfPerson",
    ),
    (
        lambda r: find(r, f"{V}/nc:RoleOfPerson").set(w.q("s:ref"), "Nobody"),
        nibrs_xml_codes.REFERENCE,
        "“Nobody” refers to no nc:Person of this report (no s:id “Nobody”)",
        "j:Victim[1]/nc:RoleOfPerson",
    ),
    (
        set_text(".//j:OrganizationORIIdentification/nc:IdentificationID", "wv1"),
        nibrs_xml_codes.ORI,
        "“wv1” is not an ORI (nine capital letters and digits)",
        "nibrs:ReportHeader[1]/…/nc:IdentificationID",
    ),
    (
        remove("nibrs:ReportHeader/nibrs:ReportingAgency"),
        nibrs_xml_codes.ORI,
        "nibrs:ReportingAgency is missing here",
        "nibrs:ReportHeader[1]",
    ),
    (
        set_text("nc:Incident/nc:ActivityIdentification/nc:IdentificationID", "24 000001"),
        nibrs_xml_codes.INCIDENT_NUMBER,
        "“24 000001” is not a NIBRS incident number: up to 12 capital letters, digits and hyphens",
        "nc:Incident[1]/nc:ActivityIdentification/nc:IdentificationID",
    ),
    (
        replace_report(lambda: w.zero_report(month="2024-13")),
        nibrs_xml_codes.REPORT_MONTH,
        "“2024-13” is not a year and month (YYYY-MM) from 1991",
        "nibrs:ReportHeader[1]/nibrs:ReportDate/nc:YearMonthDate",
    ),
    (
        both(
            remove("j:Victim"),
            remove("j:OffenseVictimAssociation"),
            remove("j:SubjectVictimAssociation"),
        ),
        nibrs_xml_codes.ELEMENTS,
        "An incident needs at least one offense, victim and offender (spec error 075); this one "
        "has no j:Victim",
        "nibrs:Report",
    ),
    (
        lambda r: find(r, "nc:Location").set(w.q("s:id"), "Offense1"),
        nibrs_xml_codes.IDENTIFIER,
        "The s:id “Offense1” is used twice in this report",
        "nc:Location[1]",
    ),
    (
        set_text("nc:Incident/nc:ActivityDate/nc:DateTime", "2024-03-01"),
        nibrs_xml_codes.INCIDENT_DATE,
        "“2024-03-01” is not a date and time (YYYY-MM-DDThh:mm:ss)",
        "nc:Incident[1]/nc:ActivityDate/nc:DateTime",
    ),
    (
        add("nc:Incident/nc:ActivityDate", "nc:Date", "2024-03-02"),
        nibrs_xml_codes.INCIDENT_DATE,
        "The incident date (2024-03-02) and the incident date and time (2024-03-01T21:00:00) "
        "disagree",
        "nc:Incident[1]/nc:ActivityDate/nc:Date",
    ),
    (
        remove("nc:Incident/nc:ActivityDate/nc:DateTime"),
        nibrs_xml_codes.INCIDENT_DATE,
        "nc:DateTime, nc:Date is missing here",
        "nc:Incident[1]/nc:ActivityDate",
    ),
    (
        set_text("j:Offense/nibrs:OffenseUCRCode", "90A"),
        nibrs_xml_codes.OFFENCE_CODE,
        "“90A” is not a Group A offense code (spec Appendix A)",
        "j:Offense[1]/nibrs:OffenseUCRCode",
    ),
    (
        both(
            copy("j:Offense"), lambda r: r.findall("j:Offense", NS)[1].set(w.q("s:id"), "Offense9")
        ),
        nibrs_xml_codes.OFFENCE_CODE,
        "Offense 13A appears twice in this incident",
        "j:Offense[2]/nibrs:OffenseUCRCode",
    ),
    (
        copy("j:OffenseLocationAssociation"),
        nibrs_xml_codes.LOCATION_TYPE,
        "Offense 13A is linked to more than one location",
        "j:OffenseLocationAssociation[2]",
    ),
    (
        remove("j:OffenseLocationAssociation"),
        nibrs_xml_codes.LOCATION_TYPE,
        "Offense 13A is not linked to a location (j:OffenseLocationAssociation)",
        "nibrs:Report",
    ),
    (
        set_text("nc:Location/nibrs:LocationCategoryCode", "26"),
        nibrs_xml_codes.LOCATION_TYPE,
        "“26” is not a valid value here",
        "nc:Location[1]/nibrs:LocationCategoryCode",
    ),
    (
        add("nc:Person/nc:PersonAgeMeasure", "nc:MeasureValueText", "BABY"),
        nibrs_xml_codes.AGE,
        "Give the age one way: nc:MeasureIntegerValue, nc:MeasureIntegerRange or "
        "nc:MeasureValueText",
        "nc:Person[1]/nc:PersonAgeMeasure",
    ),
    (
        set_text("nc:Person/nc:PersonAgeMeasure/nc:MeasureIntegerValue", "0"),
        nibrs_xml_codes.AGE,
        "“0” is not a valid value here (expected 1 to 99 years (for a baby, NEONATAL, NEWBORN "
        "or BABY as text))",
        "nc:Person[1]/nc:PersonAgeMeasure/nc:MeasureIntegerValue",
    ),
    (
        both(
            remove("nc:Person/nc:PersonAgeMeasure/nc:MeasureIntegerValue"),
            add("nc:Person/nc:PersonAgeMeasure", "nc:MeasureIntegerRange"),
            add(
                "nc:Person/nc:PersonAgeMeasure/nc:MeasureIntegerRange",
                "nc:RangeMinimumIntegerValue",
                "30",
            ),
            add(
                "nc:Person/nc:PersonAgeMeasure/nc:MeasureIntegerRange",
                "nc:RangeMaximumIntegerValue",
                "25",
            ),
        ),
        nibrs_xml_codes.AGE,
        "“30–25” is not an age range: two ages from 1 to 99, the lower first",
        "nc:Person[1]/nc:PersonAgeMeasure/nc:MeasureIntegerRange",
    ),
    (
        both(
            remove("nc:Person/nc:PersonAgeMeasure/nc:MeasureIntegerValue"),
            add("nc:Person/nc:PersonAgeMeasure", "nc:MeasureValueText", "OLD"),
        ),
        nibrs_xml_codes.AGE,
        "“OLD” is not a valid value here (expected NEONATAL, NEWBORN, BABY, UNKNOWN)",
        "nc:Person[1]/nc:PersonAgeMeasure/nc:MeasureValueText",
    ),
    (
        set_text("nc:Person/j:PersonSexCode", "X"),
        nibrs_xml_codes.SEX,
        "“X” is not a valid value here (expected F, M, U)",
        "nc:Person[1]/j:PersonSexCode",
    ),
    (
        remove("j:OffenseVictimAssociation"),
        nibrs_xml_codes.VICTIM_OFFENCES,
        "Victim 1 is not connected to any offense (j:OffenseVictimAssociation)",
        "j:Victim[1]",
    ),
    (
        lambda r: find(r, "j:OffenseVictimAssociation/j:Offense").set(w.q("s:ref"), "Victim1"),
        nibrs_xml_codes.VICTIM_OFFENCES,
        "“Victim1” refers to no j:Offense of this report",
        "j:OffenseVictimAssociation[1]/j:Offense",
    ),
    (
        remove("j:OffenseVictimAssociation/j:Victim"),
        nibrs_xml_codes.VICTIM_OFFENCES,
        "j:Victim is missing here",
        "j:OffenseVictimAssociation[1]",
    ),
    (
        set_text("j:SubjectVictimAssociation/nibrs:VictimToSubjectRelationshipCode", "Lover"),
        nibrs_xml_codes.RELATIONSHIP,
        "“Lover” is not a valid value here (expected Acquaintance, Babysittee,",
        "…/nibrs:VictimToSubjectRelationshipCode",
    ),
    (
        copy("j:SubjectVictimAssociation"),
        nibrs_xml_codes.RELATED_OFFENDER,
        "Victim 1 is related to offender 1 twice",
        "j:SubjectVictimAssociation[2]",
    ),
    (
        set_text("j:Arrest/nc:ActivityIdentification/nc:IdentificationID", "24-A1-TOO-LONG"),
        nibrs_xml_codes.TRANSACTION_NUMBER,
        "“24-A1-TOO-LONG” is not a NIBRS arrest transaction number",
        "j:Arrest[1]/nc:ActivityIdentification/nc:IdentificationID",
    ),
    (
        set_text("j:Arrest/j:ArrestCharge/nibrs:ChargeUCRCode", "999"),
        nibrs_xml_codes.ARREST_OFFENCE,
        "“999” is not a valid value here",
        "j:Arrest[1]/j:ArrestCharge/nibrs:ChargeUCRCode",
    ),
    (
        set_text("j:Arrest/nc:ActivityDate/nc:Date", "2024-3-2"),
        nibrs_xml_codes.ARREST_DATE,
        "“2024-3-2” is not a date (YYYY-MM-DD)",
        "j:Arrest[1]/nc:ActivityDate/nc:Date",
    ),
    (
        set_text("j:Arrestee/j:ArresteeArmedWithCode", "02"),
        nibrs_xml_codes.ARMED_WITH,
        "“02” is not a valid value here",
        "j:Arrestee[1]/j:ArresteeArmedWithCode",
    ),
    (
        copy("j:ArrestSubjectAssociation"),
        nibrs_xml_codes.ARRESTEE_NUMBER,
        "Arrestee 1 is linked to more than one arrest",
        "j:ArrestSubjectAssociation[2]",
    ),
    (
        remove("j:ArrestSubjectAssociation"),
        nibrs_xml_codes.ARRESTEE_NUMBER,
        "Arrestee 1 is not linked to an arrest (j:ArrestSubjectAssociation)",
        "nibrs:Report",
    ),
    (
        remove("nibrs:ReportHeader"),
        nibrs_xml_codes.ELEMENTS,
        "nibrs:ReportHeader is missing here",
        "nibrs:Report",
    ),
    (
        set_text("nibrs:ReportHeader/nibrs:NIBRSReportCategoryCode", "GROUP C"),
        nibrs_xml_codes.REPORT_CATEGORY,
        "“GROUP C” is not a valid value here (expected GROUP A INCIDENT REPORT, GROUP B "
        "ARREST REPORT, ZERO REPORT)",
        "nibrs:ReportHeader[1]/nibrs:NIBRSReportCategoryCode",
    ),
    (
        set_text("nibrs:ReportHeader/nibrs:ReportActionCategoryCode", "W"),
        nibrs_xml_codes.REPORT_ACTION,
        "“W” is not a valid value here (expected A, D, I, R)",
        "nibrs:ReportHeader[1]/nibrs:ReportActionCategoryCode",
    ),
    (
        remove("nc:Incident"),
        nibrs_xml_codes.ELEMENTS,
        "nc:Incident is missing here",
        "nibrs:Report",
    ),
    (
        replace_report(lambda: w.group_b(charge="13A")),
        nibrs_xml_codes.ARREST_OFFENCE,
        "“13A” is not a valid value here (expected 90A, 90B,",
        "j:Arrest[1]/j:ArrestCharge/nibrs:ChargeUCRCode",
    ),
    (
        both(replace_report(w.group_b), remove("j:Arrest")),
        nibrs_xml_codes.TRANSACTION_NUMBER,
        "j:Arrest is missing here",
        "nibrs:Report",
    ),
    (
        remove("j:Offense/j:OffenseFactorBiasMotivationCode"),
        nibrs_xml_codes.BIAS_MOTIVATION,
        "j:OffenseFactorBiasMotivationCode is missing here",
        "j:Offense[1]",
    ),
    (
        set_text("j:Offense/j:OffenseFactorBiasMotivationCode", "ANTI-WHITE"),
        nibrs_xml_codes.BIAS_MOTIVATION,
        "“ANTI-WHITE” is not a valid value here (expected ANTIAMERICAN INDIAN_ ALASKAN NATIVE,",
        "j:Offense[1]/j:OffenseFactorBiasMotivationCode",
    ),
    (
        both(
            *[add("j:Offense", "j:OffenseForce") for _n in range(3)],
            lambda r: [
                w.sub(force, "j:ForceCategoryCode", "12")
                for force in r.findall("j:Offense/j:OffenseForce", NS)[1:]
            ],
        ),
        nibrs_xml_codes.WEAPON_FORCE,
        "At most 3 values may be given here",
        "j:Offense[1]",
    ),
]


@pytest.mark.parametrize("change,field,reason,segment", [p for p in PROBLEMS if p[2]])
def test_every_problem_says_where_it_is_and_why(change, field, reason, segment):
    report = base()
    change(report)
    data = w.document(report)
    rejected = only(data)
    assert isinstance(rejected, Rejected), rejected
    assert rejected.line == line_of(data, "<nibrs:Report>")
    matching = [p for p in rejected.problems if reason in p.reason]
    assert matching, [p.reason for p in rejected.problems]
    problem = matching[0]
    assert (problem.field, problem.segment, problem.position) == (str(field), segment, "")
    # The line is the line of the element concerned.
    assert 1 <= problem.line <= len(data.splitlines())
    assert problem.line >= rejected.line


def test_a_single_circumstance_is_fine():
    change, *_rest = PROBLEMS[4]
    report = base()
    change(report)
    assert isinstance(only(w.document(report)), Incident)


def test_the_line_of_a_problem_is_the_line_of_its_element():
    report = base()
    find(report, f"{V}/j:VictimCategoryCode").text = "Q"
    data = w.document(report)
    (problem,) = only(data).problems
    assert problem.line == line_of(data, ">Q<")


def test_a_rejected_report_names_its_agency_and_incident():
    report = base()
    find(report, f"{V}/j:VictimCategoryCode").text = "Q"
    rejected = only(w.document(report))
    assert (rejected.ori, rejected.incident_number) == ("WVNDX0100", "24-000001")


def test_a_bad_report_does_not_stop_the_next_one():
    bad = base()
    find(bad, f"{V}/j:VictimCategoryCode").text = "Q"
    records = parse(w.document(bad, w.incident(number="24-000002")))
    assert [type(r) for r in records] == [Rejected, Incident]


# ---- files that are not NIBRS XML ----

DOCTYPE = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<nibrs:Submission xmlns:nibrs="http://fbi.gov/cjis/nibrs/2019">&lol3;</nibrs:Submission>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE nibrs:Submission SYSTEM "http://example.invalid/nibrs.dtd">
<nibrs:Submission xmlns:nibrs="http://fbi.gov/cjis/nibrs/2019"/>
"""
NOT_XML = [
    (DOCTYPE, "declares a document type (<!DOCTYPE …>) on line 2"),
    (EXTERNAL, "declares a document type"),
    (b"", "This file is not XML: no element found"),
    (b"0088I hello\n", "This file is not XML: syntax error (line 1, column 1)"),
    (b"<html><body></body></html>", "its root element is html, not nibrs:Submission"),
    (
        b'<n:Submission xmlns:n="http://fbi.gov/cjis/nibrs/4.2"></n:Submission>',
        "another IEPD version (namespace http://fbi.gov/cjis/nibrs/4.2)",
    ),
    (
        b'<n:Submission xmlns:n="http://fbi.gov/cjis/nibrs/2019"></n:Submission>',
        "holds no report (nibrs:Report)",
    ),
    (
        w.document(w.incident())[:-40],
        "The XML is not well-formed at line",
    ),
]


@pytest.mark.parametrize("data,message", NOT_XML)
def test_a_file_that_is_not_nibrs_xml_is_refused(data, message):
    with pytest.raises(FormatError) as parsing:
        parse(data)
    assert message in str(parsing.value)
    with pytest.raises(FormatError) as checking:
        nibrs_xml.check(data.splitlines(keepends=True))
    assert str(checking.value) == str(parsing.value)


def test_a_doctype_is_refused_before_any_entity_is_expanded():
    with pytest.raises(FormatError) as refused:
        next(nibrs_xml.parse([DOCTYPE]))
    assert refused.value.line == 2


def test_check_passes_a_good_file():
    nibrs_xml.check(w.lines(w.incident(), w.zero_report()))
    nibrs_xml.check([(SAMPLES / "nibrs_AllFields_Sample.xml").read_text()])


def test_a_file_broken_half_way_yields_what_came_before_then_says_where():
    data = w.document(w.incident(number="A1"), w.incident(number="A2"))
    broken = data.replace(
        b"<nc:IdentificationID>A2</nc:IdentificationID>", b"<nc:IdentificationID>A2"
    )
    records = nibrs_xml.parse(broken.splitlines(keepends=True))
    assert isinstance(next(records), Incident)
    with pytest.raises(FormatError) as broke:
        next(records)
    assert broke.value.line == line_of(broken, "</nc:ActivityIdentification>", 2)
    assert "mismatched tag" in str(broke.value)


@pytest.mark.parametrize(
    "first_line,reason",
    [
        (b'<?xml version="1.0"?>', None),
        (b"\xef\xbb\xbf<nibrs:Submission>", None),
        (b"\xff\xfe<\x00", None),
        (b"0088I VT0040100", "This looks like a NIBRS flat file, not NIBRS XML."),
        (b'{"format": "harbour-occurrences"}', "This looks like JSON, not NIBRS XML."),
        (b"incident,date", "This is not NIBRS XML: it does not start with an XML declaration"),
    ],
)
def test_not_nibrs_xml_says_why_from_the_first_line(first_line, reason):
    found = nibrs_xml.not_nibrs_xml(first_line)
    assert found == reason if reason is None else reason in found


def test_it_reads_utf_16():
    data = w.document(w.incident()).decode().replace("UTF-8", "UTF-16").encode("utf-16")
    assert isinstance(only(data), Incident)


def test_it_reads_the_file_as_it_comes():
    """The first report comes out before the rest of the file has been read."""
    data = w.lines(*[w.incident(number=f"A{n}") for n in range(200)])
    read = 0

    def lines():
        nonlocal read
        for line in data:
            read += 1
            yield line

    records = nibrs_xml.parse(lines())
    assert isinstance(next(records), Incident)
    assert read < len(data) // 2
    assert sum(1 for _record in records) == 199


# ---- generated documents ----

GROUP_A = sorted(nibrs_codes.GROUP_A_OFFENCES)
AGE_CODES = {"NEONATAL": "NN", "NEWBORN": "NB", "BABY": "BB", "UNKNOWN": "00"}
codes = st.sampled_from


def ages():
    return st.one_of(
        st.none(),
        st.integers(1, 120),
        st.tuples(st.integers(1, 98), st.integers(2, 99)).filter(lambda t: t[0] < t[1]),
        codes(sorted(AGE_CODES)),
    )


def expected_age(age) -> tuple[str, int | None, int | None]:
    """What an age means, worked out here from the specification's rules."""
    if age is None:
        return "", None, None
    if isinstance(age, int):
        return (f"{age:02d}", age, age) if age < 99 else ("99", 99, None)
    if isinstance(age, tuple):
        return f"{age[0]:02d}{age[1]:02d}", age[0], age[1]
    return AGE_CODES[age], *((None, None) if age == "UNKNOWN" else (0, 0))


@st.composite
def people(draw):
    return XPerson(
        age=draw(ages()),
        sex=draw(st.none() | codes("FMU")),
        race=draw(st.none() | codes("WBIAPU")),
        ethnicity=draw(st.none() | codes("HNU")),
        resident=draw(st.none() | codes("RNU")),
    )


@st.composite
def incidents(draw):
    offence_codes = draw(st.lists(codes(GROUP_A), min_size=1, max_size=4, unique=True))
    offences = tuple(
        XOffence(
            code,
            attempted=draw(st.booleans()),
            location=draw(codes(sorted(nibrs_codes.LOCATION_TYPES))),
            bias=tuple(
                draw(st.lists(codes(sorted(FBI_BIAS)), min_size=1, max_size=5, unique=True))
            ),
            weapons=tuple(
                draw(
                    st.lists(
                        st.tuples(codes(sorted(nibrs_codes.WEAPON_FORCE)), codes(["", "A"])).map(
                            "".join
                        ),
                        max_size=3,
                        unique_by=lambda c: c[:2],
                    )
                )
            ),
            using=tuple(draw(st.lists(codes("ACDN"), max_size=3, unique=True))),
            activity=tuple(
                draw(
                    st.lists(codes(sorted(nibrs_codes.CRIMINAL_ACTIVITY)), max_size=3, unique=True)
                )
            ),
        )
        for code in offence_codes
    )
    subject_count = draw(st.integers(1, 3))
    first = 0 if subject_count == 1 and draw(st.booleans()) else 1  # 00: unknown offender
    subjects = tuple(
        XSubject(seq, draw(st.none() | people())) for seq in range(first, first + subject_count)
    )
    victims = tuple(
        XVictim(
            seq,
            offences=tuple(
                draw(
                    st.lists(st.integers(0, len(offences) - 1), min_size=1, max_size=4, unique=True)
                )
            ),
            type=draw(codes(sorted(nibrs_codes.VICTIM_TYPES))),
            person=draw(st.none() | people()),
            injuries=tuple(
                draw(st.lists(codes(sorted(nibrs_codes.INJURIES)), max_size=5, unique=True))
            ),
            circumstances=tuple(
                draw(st.lists(codes(sorted(nibrs_codes.CIRCUMSTANCES)), max_size=2, unique=True))
            ),
            justifiable=draw(st.none() | codes("ABCDEFG")),
            relationships=tuple(
                (subject.seq, draw(st.none() | codes(sorted(FBI_RELATIONSHIPS))))
                for subject in subjects
                if draw(st.booleans())
            ),
        )
        for seq in range(1, draw(st.integers(1, 3)) + 1)
    )
    moment = draw(st.datetimes(datetime(1991, 1, 1), datetime(2030, 12, 31)))
    with_hour = draw(st.booleans())
    report = w.incident(
        ori=draw(st.from_regex(r"[A-Z0-9]{9}", fullmatch=True)),
        number=draw(st.from_regex(r"[A-Z0-9-]{1,12}", fullmatch=True)),
        action=draw(codes("IAR")),
        moment=moment.strftime("%Y-%m-%dT%H:%M:%S") if with_hour else None,
        day=None if with_hour else moment.date().isoformat(),
        cleared=draw(st.none() | codes("ABCDEN")),
        offences=offences,
        victims=victims,
        subjects=subjects,
    )
    return report, offences, victims, subjects, moment, with_hour


def expected_incident(report, offences, victims, subjects, moment, with_hour, line) -> Incident:
    """The record a generated report should make, worked out from what was generated."""

    def demographics(who: XPerson | None, resident: bool = True) -> dict:
        if who is None:
            return {}
        code, low, high = expected_age(who.age)
        return {
            "age_code": code,
            "age_low": low,
            "age_high": high,
            "sex": who.sex or "",
            "race": who.race or "",
            "ethnicity": who.ethnicity or "",
            "resident_status": (who.resident or "") if resident else "",
        }

    records = [
        Offence(
            nibrs_code=o.code,
            completed=not o.attempted,
            location_type=o.location,
            offender_suspected_of_using=o.using,
            criminal_activity_codes=o.activity,
            weapon_force_codes=o.weapons,
            bias_motivation_codes=tuple(FBI_BIAS[b] for b in o.bias),
        )
        for o in offences
    ]
    found = [
        Person(
            role="victim",
            sequence_number=v.seq,
            victim_type=v.type,
            injury_codes=v.injuries,
            circumstance_codes=v.circumstances,
            justifiable_homicide_circumstance=v.justifiable or "",
            offence_codes=tuple(offences[i].code for i in v.offences),
            relationships=tuple(
                Relationship(seq, FBI_RELATIONSHIPS[word]) for seq, word in v.relationships if word
            ),
            **demographics(v.person),
        )
        for v in victims
    ] + [
        Person(role="offender", sequence_number=s.seq, **demographics(s.person, resident=False))
        for s in subjects
    ]
    agency = report.find(".//j:OrganizationORIIdentification/nc:IdentificationID", NS)
    number = report.find("nc:Incident/nc:ActivityIdentification/nc:IdentificationID", NS)
    cleared = report.find(".//j:IncidentExceptionalClearanceCode", NS)
    incident = Incident(
        ori=agency.text,
        incident_number=number.text,
        incident_date=moment.date(),
        line=line,
        incident_hour=moment.hour if with_hour else None,
        cleared_exceptionally=cleared.text if cleared is not None else "",
        location_type=offences[0].location,
        offences=records,
        people=found,
    )
    incident.weapon, incident.injury, incident.strangulation = nibrs_codes.flags(records, found)
    return incident


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(incidents(), min_size=1, max_size=3))
def test_generated_reports_read_back_as_the_values_written(generated):
    data = w.document(*[report for report, *_rest in generated])
    records = parse(data)
    assert len(records) == len(generated)
    for n, (record, spec) in enumerate(zip(records, generated, strict=True), 1):
        assert record == expected_incident(*spec, line=line_of(data, "<nibrs:Report>", n))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(incidents(), st.lists(st.integers(1, 5000), max_size=8))
def test_how_the_file_is_cut_into_chunks_changes_nothing(generated, cuts):
    data = w.document(generated[0], w.zero_report())
    points = sorted({min(c, len(data)) for c in cuts})
    chunks = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    assert list(nibrs_xml.parse(chunks)) == parse(data)


def outcomes(data: bytes) -> list:
    """What parsing gives: the records, or the FormatError; anything else fails the test."""
    try:
        return list(nibrs_xml.parse(data.splitlines(keepends=True)))
    except FormatError as error:
        assert str(error)
        return [error]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_garbage_never_crashes_the_parser(data):
    outcomes(data)
    outcomes(
        b'<?xml version="1.0"?>\n<nibrs:Submission xmlns:nibrs="http://fbi.gov/cjis/nibrs/2019">'
        + data
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(incidents(), st.data())
def test_a_damaged_report_is_rejected_or_read_never_a_crash(generated, data):
    report = generated[0]
    elements = list(report.iter())[1:]
    for _n in range(data.draw(st.integers(1, 4))):
        element = data.draw(codes(elements))
        action = data.draw(codes(["text", "remove", "ref"]))
        if action == "text":
            element.text = data.draw(
                st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=15)
            )
        elif action == "ref":
            element.set(w.q("s:ref"), data.draw(st.text(max_size=5).filter(str.isprintable)))
        else:
            for parent in report.iter():
                if element in list(parent):
                    parent.remove(element)
                    break
            elements = list(report.iter())[1:]
            assume(elements)
    for record in outcomes(w.document(report)):
        assert isinstance(record, Incident | Rejected | IncidentDelete | ZeroReport | GroupBArrest)
        if isinstance(record, Rejected):
            assert record.problems
            for problem in record.problems:
                assert problem.line >= record.line and problem.reason and problem.field
                assert len(problem.segment) <= 60
