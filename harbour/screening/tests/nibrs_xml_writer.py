"""Writing NIBRS XML (IEPD 2019) for tests: a report described by plain values, rendered in
the schema's element order with the IEPD's namespaces, one element per line. Written from
the samples in shared/data/nibrs, not from the parser's tables, so the parser is checked
against something it did not produce."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

URIS = {
    "nibrs": "http://fbi.gov/cjis/nibrs/2019",
    "cjis": "http://fbi.gov/cjis/2.0",
    "j": "http://release.niem.gov/niem/domains/jxdm/5.2/",
    "nc": "http://release.niem.gov/niem/niem-core/3.0/",
    "s": "http://release.niem.gov/niem/structures/3.0/",
}
for _prefix, _uri in URIS.items():
    ET.register_namespace(_prefix, _uri)


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{URIS[prefix]}}}{local}"


def sub(parent: ET.Element, name: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, q(name), {q(f"s:{k}"): v for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


@dataclass
class XPerson:
    # An int (exact years), a (low, high) range, a word (NEONATAL, BABY …) or None.
    age: int | tuple[int, int] | str | None = None
    sex: str | None = "F"
    race: str | None = "W"
    ethnicity: str | None = "N"
    resident: str | None = "R"


@dataclass
class XOffence:
    code: str
    attempted: bool = False
    location: str = "20"
    bias: tuple[str, ...] = ("NONE",)
    weapons: tuple[str, ...] = ()
    using: tuple[str, ...] = ("N",)
    activity: tuple[str, ...] = ()


@dataclass
class XVictim:
    seq: int
    offences: tuple[int, ...] = (0,)  # indexes into the report's offences
    type: str = "I"
    person: XPerson | None = field(default_factory=XPerson)
    injuries: tuple[str, ...] = ()
    circumstances: tuple[str, ...] = ()
    justifiable: str | None = None
    relationships: tuple[tuple[int, str | None], ...] = ()  # (subject seq, IEPD word)


@dataclass
class XSubject:
    seq: int
    person: XPerson | None = field(default_factory=lambda: XPerson(sex="M"))


@dataclass
class XArrest:
    seq: int
    transaction: str
    date: str = "2024-03-02"
    charge: str = "13B"
    type: str = "O"
    armed: tuple[str, ...] = ("01",)
    person: XPerson | None = field(default_factory=lambda: XPerson(age=30, sex="M"))


def header(report: ET.Element, category: str, action: str, ori: str, month: str) -> None:
    head = sub(report, "nibrs:ReportHeader")
    sub(head, "nibrs:NIBRSReportCategoryCode", category)
    sub(head, "nibrs:ReportActionCategoryCode", action)
    sub(sub(head, "nibrs:ReportDate"), "nc:YearMonthDate", month)
    agency = sub(sub(head, "nibrs:ReportingAgency"), "j:OrganizationAugmentation")
    sub(sub(agency, "j:OrganizationORIIdentification"), "nc:IdentificationID", ori)


def person(report: ET.Element, identifier: str, who: XPerson) -> None:
    element = sub(report, "nc:Person", id=identifier)
    if who.age is not None:
        measure = sub(element, "nc:PersonAgeMeasure")
        if isinstance(who.age, int):
            sub(measure, "nc:MeasureIntegerValue", str(who.age))
        elif isinstance(who.age, tuple):
            span = sub(measure, "nc:MeasureIntegerRange")
            sub(span, "nc:RangeMaximumIntegerValue", str(who.age[1]))
            sub(span, "nc:RangeMinimumIntegerValue", str(who.age[0]))
        else:
            sub(measure, "nc:MeasureValueText", who.age)
    for name, value in (
        ("j:PersonEthnicityCode", who.ethnicity),
        ("j:PersonRaceNDExCode", who.race),
        ("j:PersonResidentCode", who.resident),
        ("j:PersonSexCode", who.sex),
    ):
        if value is not None:
            sub(element, name, value)


def incident(
    ori: str = "WVNDX0100",
    number: str = "24-000001",
    *,
    action: str = "I",
    moment: str | None = "2024-03-01T21:00:00",
    day: str | None = None,
    report_date: bool | None = None,
    cleared: str | None = "N",
    clearance_date: str | None = None,
    offences: tuple[XOffence, ...] = (XOffence("13B"),),
    victims: tuple[XVictim, ...] = (XVictim(1, relationships=((1, "Boyfriend_Girlfriend"),)),),
    subjects: tuple[XSubject, ...] = (XSubject(1),),
    arrests: tuple[XArrest, ...] = (),
) -> ET.Element:
    """A Group A incident report (nibrs:Report), its elements in the schema's order."""
    report = ET.Element(q("nibrs:Report"))
    header(report, "GROUP A INCIDENT REPORT", action, ori, "2024-03")
    element = sub(report, "nc:Incident")
    sub(sub(element, "nc:ActivityIdentification"), "nc:IdentificationID", number)
    dated = sub(element, "nc:ActivityDate")
    if moment is not None:
        sub(dated, "nc:DateTime", moment)
    if day is not None:
        sub(dated, "nc:Date", day)
    if report_date is not None:
        augmentation = sub(element, "cjis:IncidentAugmentation")
        sub(augmentation, "cjis:IncidentReportDateIndicator", str(report_date).lower())
    if cleared is not None:
        augmentation = sub(element, "j:IncidentAugmentation")
        sub(augmentation, "j:IncidentExceptionalClearanceCode", cleared)
        if clearance_date is not None:
            sub(sub(augmentation, "j:IncidentExceptionalClearanceDate"), "nc:Date", clearance_date)
    for index, offence in enumerate(offences, 1):
        element = sub(report, "j:Offense", id=f"Offense{index}")
        sub(element, "nibrs:OffenseUCRCode", offence.code)
        for code in offence.activity:
            sub(element, "nibrs:CriminalActivityCategoryCode", code)
        for code in offence.bias:
            sub(element, "j:OffenseFactorBiasMotivationCode", code)
        for code in offence.using:
            sub(sub(element, "j:OffenseFactor"), "j:OffenseFactorCode", code)
        for code in offence.weapons:
            sub(sub(element, "j:OffenseForce"), "j:ForceCategoryCode", code)
        sub(element, "j:OffenseAttemptedIndicator", str(offence.attempted).lower())
    for index, offence in enumerate(offences, 1):
        sub(
            sub(report, "nc:Location", id=f"Location{index}"),
            "nibrs:LocationCategoryCode",
            offence.location,
        )
    for victim in victims:
        if victim.person is not None:
            person(report, f"PersonVictim{victim.seq}", victim.person)
    for subject in subjects:
        if subject.person is not None:
            person(report, f"PersonSubject{subject.seq}", subject.person)
    for arrest in arrests:
        if arrest.person is not None:
            person(report, f"PersonArrestee{arrest.seq}", arrest.person)
    for victim in victims:
        element = sub(report, "j:Victim", id=f"Victim{victim.seq}")
        if victim.person is not None:
            sub(element, "nc:RoleOfPerson", ref=f"PersonVictim{victim.seq}")
        sub(element, "j:VictimSequenceNumberText", str(victim.seq))
        for code in victim.injuries:
            sub(sub(element, "j:VictimInjury"), "j:InjuryCategoryCode", code)
        sub(element, "j:VictimCategoryCode", victim.type)
        for code in victim.circumstances:
            sub(element, "j:VictimAggravatedAssaultHomicideFactorCode", code)
        if victim.justifiable is not None:
            sub(element, "j:VictimJustifiableHomicideFactorCode", victim.justifiable)
    for subject in subjects:
        element = sub(report, "j:Subject", id=f"Subject{subject.seq}")
        if subject.person is not None:
            sub(element, "nc:RoleOfPerson", ref=f"PersonSubject{subject.seq}")
        sub(element, "j:SubjectSequenceNumberText", f"{subject.seq:02d}")
    for arrest in arrests:
        element = sub(report, "j:Arrestee", id=f"Arrestee{arrest.seq}")
        if arrest.person is not None:
            sub(element, "nc:RoleOfPerson", ref=f"PersonArrestee{arrest.seq}")
        sub(element, "j:ArrestSequenceID", str(arrest.seq))
        for code in arrest.armed:
            sub(element, "j:ArresteeArmedWithCode", code)
        sub(element, "j:ArrestSubjectCountCode", "N")
    for arrest in arrests:
        element = sub(report, "j:Arrest", id=f"Arrest{arrest.seq}")
        sub(sub(element, "nc:ActivityIdentification"), "nc:IdentificationID", arrest.transaction)
        sub(sub(element, "nc:ActivityDate"), "nc:Date", arrest.date)
        sub(sub(element, "j:ArrestCharge"), "nibrs:ChargeUCRCode", arrest.charge)
        sub(element, "j:ArrestCategoryCode", arrest.type)
    for arrest in arrests:
        element = sub(report, "j:ArrestSubjectAssociation")
        sub(element, "nc:Activity", ref=f"Arrest{arrest.seq}")
        sub(element, "j:Subject", ref=f"Arrestee{arrest.seq}")
    for index in range(1, len(offences) + 1):
        element = sub(report, "j:OffenseLocationAssociation")
        sub(element, "j:Offense", ref=f"Offense{index}")
        sub(element, "nc:Location", ref=f"Location{index}")
    for victim in victims:
        for index in victim.offences:
            element = sub(report, "j:OffenseVictimAssociation")
            sub(element, "j:Offense", ref=f"Offense{index + 1}")
            sub(element, "j:Victim", ref=f"Victim{victim.seq}")
    for victim in victims:
        for subject_seq, word in victim.relationships:
            element = sub(report, "j:SubjectVictimAssociation")
            sub(element, "j:Subject", ref=f"Subject{subject_seq}")
            sub(element, "j:Victim", ref=f"Victim{victim.seq}")
            if word is not None:
                sub(element, "nibrs:VictimToSubjectRelationshipCode", word)
    return report


def delete(ori: str = "WVNDX0100", number: str = "24-000001") -> ET.Element:
    report = ET.Element(q("nibrs:Report"))
    header(report, "GROUP A INCIDENT REPORT", "D", ori, "2024-03")
    sub(sub(sub(report, "nc:Incident"), "nc:ActivityIdentification"), "nc:IdentificationID", number)
    return report


def zero_report(ori: str = "WVNDX0100", month: str = "2024-02", action: str = "A") -> ET.Element:
    report = ET.Element(q("nibrs:Report"))
    header(report, "ZERO REPORT", action, ori, month)
    return report


def group_b(
    ori: str = "WVNDX0100", transaction: str = "24-B0001", action: str = "A", charge: str = "90D"
) -> ET.Element:
    report = ET.Element(q("nibrs:Report"))
    header(report, "GROUP B ARREST REPORT", action, ori, "2024-03")
    person(report, "PersonArrestee1", XPerson(age=40, sex="M"))
    element = sub(report, "j:Arrestee", id="Arrestee1")
    sub(element, "nc:RoleOfPerson", ref="PersonArrestee1")
    sub(element, "j:ArrestSequenceID", "1")
    sub(element, "j:ArresteeArmedWithCode", "01")
    element = sub(report, "j:Arrest", id="Arrest1")
    sub(sub(element, "nc:ActivityIdentification"), "nc:IdentificationID", transaction)
    sub(sub(element, "nc:ActivityDate"), "nc:Date", "2024-03-04")
    sub(sub(element, "j:ArrestCharge"), "nibrs:ChargeUCRCode", charge)
    sub(element, "j:ArrestCategoryCode", "O")
    element = sub(report, "j:ArrestSubjectAssociation")
    sub(element, "nc:Activity", ref="Arrest1")
    sub(element, "j:Subject", ref="Arrestee1")
    return report


def submission(*reports: ET.Element) -> ET.Element:
    root = ET.Element(q("nibrs:Submission"))
    metadata = sub(root, "cjis:MessageMetadata")
    sub(metadata, "cjis:MessageDateTime", "2024-04-01T03:00:00")
    sub(metadata, "cjis:MessageImplementationVersion", "2019")
    root.extend(reports)
    return root


def document(*reports: ET.Element) -> bytes:
    """The submission as a file: an XML declaration, then one element per line."""
    root = submission(*reports)
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def lines(*reports: ET.Element) -> list[bytes]:
    return document(*reports).splitlines(keepends=True)
