"""Reading one NIBRS XML report (``nibrs:Report``, IEPD 2019) into a screening record, for
screening.nibrs_xml, which streams the document and hands each report here whole.

What a report becomes depends on its header: the report category (GROUP A INCIDENT REPORT,
GROUP B ARREST REPORT, ZERO REPORT) and the report action, the flat file's segment action
type (the IEPD adds R, replace, and uses A, add, for arrests and zero reports):

- Group A, action I, A or R -> ``Incident`` (insert, or replace the one on file);
- Group A, action D -> ``IncidentDelete`` (only the ORI and incident number are read);
- zero report -> ``ZeroReport`` for the month of ``nibrs:ReportDate`` (D withdraws it);
- Group B arrest -> ``GroupBArrest`` (D deletes it): checked, not kept;
- anything that cannot be read -> ``Rejected``, with every problem found in the report.

The XML links objects by reference (``s:id`` and ``s:ref``): offenses to locations (data
element 9), victims to offenses (24), victims to offenders with their relationship (34, 35),
people to their roles and arrestees to arrests. The links are resolved here, so a victim's
record carries the codes of its offenses and, for each offender, the relationship.
Relationships and bias motivations are the IEPD's words ("Boyfriend_Girlfriend",
"ANTIWHITE"), turned into the specification's codes (BG, 11); the codes are accepted too.
Ages are an integer, a range or a word (NEONATAL, NEWBORN, BABY, UNKNOWN) and become the flat
file's age codes ("31", "2530", "NN", "00").

Not read: the message metadata, property (``nc:Item``, ``nc:Substance``), LEOKA details
(``j:EnforcementOfficial``), cargo theft and elements the schema does not have.

Each problem has the line of the element concerned (its start tag), its path inside the
report ("j:Victim[2]/j:VictimCategoryCode") as the segment, and the data element as the
NIBRS Technical Specification 2019.1 names it as the field.
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.utils.translation import gettext as _

from harbour.screening import nibrs_codes as codes
from harbour.screening.nibrs_xml_codes import (
    AGE,
    AGE_WORDS,
    ARREST_DATE,
    ARREST_OFFENCE,
    ARRESTEE_NUMBER,
    BIAS_MOTIVATION,
    BIAS_MOTIVATIONS,
    BOOLEANS,
    CLEARANCE_DATE,
    ELEMENTS,
    FIELDS,
    GROUP_B,
    IDENTIFIER,
    INCIDENT_DATE,
    INCIDENT_NUMBER,
    LOCATION_TYPE,
    NUMBER_CHARACTERS,
    OFFENCE_CODE,
    ORI,
    ORI_CHARACTERS,
    REFERENCE,
    RELATED_OFFENDER,
    RELATIONSHIP,
    RELATIONSHIPS,
    REPORT_ACTIONS,
    REPORT_CATEGORIES,
    REPORT_MONTH,
    S_ID,
    S_REF,
    SEGMENT_LENGTH,
    TRANSACTION_NUMBER,
    VICTIM_OFFENCES,
    WEAPON_FORCE,
    ZERO,
    name,
    tag,
)
from harbour.screening.records import (
    Arrest,
    GroupBArrest,
    Incident,
    IncidentDelete,
    Offence,
    Person,
    Problem,
    Record,
    Rejected,
    Relationship,
    ZeroReport,
)


def read_report(report: ET.Element, where: dict[ET.Element, tuple[int, ET.Element | None]]):
    """The record a nibrs:Report makes; ``where`` has each element's line and parent."""
    return _Reader(report, where).read()


def _expected(values: Iterable[str]) -> str:
    return ", ".join(sorted(values))


def _iso_date(text: str) -> date | None:
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class _Node:
    """An element of the report with its children by tag, and the checks that read them:
    each reports its own problems and returns what could be read ("" or None if nothing)."""

    __slots__ = ("reader", "element", "kids")

    def __init__(self, reader: "_Reader", element: ET.Element):
        self.reader = reader
        self.element = element
        kids: dict[str, list[ET.Element]] = {}
        for child in element:
            kids.setdefault(child.tag, []).append(child)
        self.kids = kids

    @property
    def id(self) -> str:
        return self.element.get(S_ID, "")

    def all(self, qualified: str) -> list["_Node"]:
        return [_Node(self.reader, child) for child in self.kids.get(tag(qualified), ())]

    def leaves(self, qualified: str) -> list[ET.Element]:
        return self.kids.get(tag(qualified), [])

    def first(self, qualified: str, field=None, required: bool = False) -> ET.Element | None:
        """The child element ``qualified``, which may appear once."""
        found = self.kids.get(tag(qualified))
        if field is None:  # not `field or`: that would translate a lazy label every time
            field = FIELDS.get(qualified, ELEMENTS)
        if not found:
            if required:
                self.reader.missing(self.element, field, qualified)
            return None
        if len(found) > 1:
            self.reader.problem(
                found[1],
                field,
                _("%(element)s may appear only once here.") % {"element": qualified},
            )
        return found[0]

    def child(self, qualified: str, field=None, required: bool = False) -> "_Node | None":
        found = self.first(qualified, field, required)
        return None if found is None else _Node(self.reader, found)

    def text(
        self, qualified: str, field=None, required: bool = False
    ) -> tuple[ET.Element | None, str]:
        element = self.first(qualified, field, required)
        if element is None:
            return None, ""
        text = (element.text or "").strip()
        if not text and required:
            self.reader.problem(
                element,
                FIELDS.get(qualified, ELEMENTS) if field is None else field,
                _("This field must be filled in."),
            )
        return element, text

    def code(
        self, qualified: str, allowed: frozenset[str], field=None, required: bool = False
    ) -> str:
        element, text = self.text(qualified, field, required)
        if element is not None and text and text not in allowed:
            self.reader.bad(
                element,
                FIELDS.get(qualified, ELEMENTS) if field is None else field,
                text,
                _expected(allowed),
            )
            return ""
        return text

    def codes(
        self,
        qualified: str,
        allowed: frozenset[str],
        most: int,
        words: Mapping[str, str] | None = None,
    ) -> tuple[str, ...]:
        """A repeated code, at most ``most`` times. ``words`` turns the IEPD's words into
        the specification's codes (the codes themselves are taken as they are)."""
        field = FIELDS[qualified]
        found = self.leaves(qualified)
        values: list[str] = []
        for element in found:
            given = (element.text or "").strip()
            value = words.get(given, given) if words else given
            if value not in allowed:
                self.reader.bad(element, field, given, _expected(words or allowed))
            elif value in values:
                self.reader.problem(
                    element, field, _("“%(value)s” is given twice.") % {"value": given}
                )
            else:
                values.append(value)
        if len(found) > most:
            self.reader.too_many(found[most], field, most)
        return tuple(values)

    def forces(self, qualified: str, allowed: frozenset[str], most: int) -> tuple[str, ...]:
        """Weapons (data elements 13 and 46): a code, "A" after it for an automatic."""
        field = FIELDS[qualified]
        found = self.leaves(qualified)
        values: list[str] = []
        for element in found:
            text = (element.text or "").strip()
            if text[:2] in allowed and text[2:] in ("", "A"):
                values.append(text)
            else:
                expected = _expected(allowed) + _(", followed by A (automatic) or blank")
                self.reader.bad(element, field, text, expected)
        if len(found) > most:
            self.reader.too_many(found[most], field, most)
        return tuple(values)

    def boolean(self, qualified: str, required: bool = False) -> bool | None:
        element, text = self.text(qualified, None, required)
        if element is None or not text:
            return None
        if text not in BOOLEANS:
            self.reader.bad(element, FIELDS[qualified], text, "true, false")
            return None
        return BOOLEANS[text]

    def date(self, qualified: str, field, required: bool = False) -> date | None:
        element, text = self.text(qualified, field, required)
        if element is None or not text:
            return None
        found = _iso_date(text)
        if found is None:
            self.reader.problem(
                element, field, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text}
            )
        return found

    def sequence(self, qualified: str, low: int, high: int, seen: set[int]) -> int | None:
        field = FIELDS[qualified]
        element, text = self.text(qualified, field, required=True)
        if element is None or not text:
            return None
        if not _digits(text) or not low <= int(text) <= high:
            self.reader.bad(element, field, text, f"{low}–{high}")
            return None
        if int(text) in seen:
            self.reader.problem(
                element,
                field,
                _("Sequence number %(value)s appears twice in this incident.") % {"value": text},
            )
            return None
        seen.add(int(text))
        return int(text)

    def ref(self, qualified: str, targets: Mapping[str, object], what: str, field) -> object:
        """What the child ``qualified`` refers to (its s:ref) among ``targets`` (by s:id);
        None when it is missing or refers to nothing."""
        element = self.first(qualified, field, required=True)
        if element is None:
            return None
        ref = (element.get(S_REF) or "").strip()
        if not ref:
            self.reader.problem(element, field, _("The s:ref attribute is missing."))
            return None
        if ref not in targets:
            self.reader.problem(
                element,
                field,
                _("“%(value)s” refers to no %(element)s of this report (no s:id “%(value)s”).")
                % {"value": ref, "element": what},
            )
            return None
        return targets[ref]


class _Victim:
    __slots__ = ("node", "person", "offences", "relationships", "offenders")

    def __init__(self, node: _Node, person: Person):
        self.node = node
        self.person = person
        self.offences: list[str] = []
        self.relationships: list[Relationship] = []
        self.offenders: set[int] = set()


class _Reader:
    """One nibrs:Report read into a record; every problem is collected, none stops it."""

    def __init__(self, report: ET.Element, where: dict[ET.Element, tuple[int, ET.Element | None]]):
        self.report = report
        self.where = where
        self.line = where[report][0]
        self.problems: list[Problem] = []
        self.ori = ""
        self.number = ""

    # ---- problems ----

    def path(self, element: ET.Element) -> str:
        """Where ``element`` is inside the report: "j:Victim[2]/j:VictimCategoryCode"."""
        steps = []
        while element is not self.report:
            parent = self.where.get(element, (0, None))[1]
            if parent is None:
                break
            index = count = 0
            for sibling in parent:
                if sibling.tag == element.tag:
                    count += 1
                    if sibling is element:
                        index = count
            step = name(element.tag)
            if count > 1 or parent is self.report:
                step = f"{step}[{index}]"
            steps.append(step)
            element = parent
        if not steps:
            return "nibrs:Report"
        ordered = steps[::-1]
        path = "/".join(ordered)
        if len(path) <= SEGMENT_LENGTH:
            return path
        # Too long to keep: the object and as many of the innermost steps as fit, or, if
        # even that is too long, the innermost steps alone (the line says which object).
        head = (
            [ordered[0], "…"] if len(ordered[0]) + len(ordered[-1]) + 3 <= SEGMENT_LENGTH else ["…"]
        )
        tail = [ordered[-1]]
        for step in reversed(ordered[1:-1]):
            if len("/".join([*head, step, *tail])) > SEGMENT_LENGTH:
                break
            tail.insert(0, step)
        return "/".join([*head, *tail])[-SEGMENT_LENGTH:]

    def problem(self, element: ET.Element, field, reason: str) -> None:
        line = self.where.get(element, (self.line, None))[0]
        self.problems.append(Problem(line, self.path(element), str(field), "", reason))

    def bad(self, element: ET.Element, field, value: str, expected: str) -> None:
        self.problem(
            element,
            field,
            _("“%(value)s” is not a valid value here (expected %(expected)s).")
            % {"value": value, "expected": expected},
        )

    def missing(self, parent: ET.Element, field, element: str) -> None:
        self.problem(parent, field, _("%(element)s is missing here.") % {"element": element})

    def too_many(self, element: ET.Element, field, most: int) -> None:
        self.problem(
            element, field, _("At most %(count)s values may be given here.") % {"count": most}
        )

    def rejected(self) -> Rejected:
        return Rejected(self.line, self.ori, self.number, self.problems)

    # ---- the report ----

    def read(self) -> Record:
        top = _Node(self, self.report)
        header = top.child("nibrs:ReportHeader", required=True)
        incident = top.child("nc:Incident")
        if incident is not None:
            self.number = self.incident_number(incident)
        if header is None:
            return self.rejected()
        category = header.code("nibrs:NIBRSReportCategoryCode", REPORT_CATEGORIES, required=True)
        action = header.code("nibrs:ReportActionCategoryCode", REPORT_ACTIONS, required=True)
        self.ori = self.agency(header)
        if self.problems:
            return self.rejected()
        delete = action == "D"
        if category == ZERO:
            return self.zero_report(header, delete)
        if category == GROUP_B:
            return self.group_b(top, delete)
        if incident is None:
            self.missing(self.report, ELEMENTS, "nc:Incident")
            return self.rejected()
        if delete:
            # Spec §4.6.3: a delete needs only the ORI and the incident number.
            return IncidentDelete(self.ori, self.number, self.line)
        return self.incident(top, incident)

    def agency(self, header: _Node) -> str:
        agency = header.child("nibrs:ReportingAgency", ORI, required=True)
        augmentation = agency and agency.child("j:OrganizationAugmentation", ORI, required=True)
        identification = augmentation and augmentation.child(
            "j:OrganizationORIIdentification", ORI, required=True
        )
        if identification is None:
            return ""
        element, ori = identification.text("nc:IdentificationID", ORI, required=True)
        if element is not None and ori and (len(ori) != 9 or not set(ori) <= ORI_CHARACTERS):
            self.problem(
                element,
                ORI,
                _("“%(value)s” is not an ORI (nine capital letters and digits).") % {"value": ori},
            )
        return ori

    def incident_number(self, incident: _Node) -> str:
        identification = incident.child("nc:ActivityIdentification", INCIDENT_NUMBER, True)
        if identification is None:
            return ""
        element, number = identification.text("nc:IdentificationID", INCIDENT_NUMBER, True)
        if element is not None and number and not _is_number(number):
            self.problem(
                element,
                INCIDENT_NUMBER,
                _(
                    "“%(value)s” is not a NIBRS incident number: up to 12 capital letters, "
                    "digits and hyphens."
                )
                % {"value": number},
            )
        return number

    def zero_report(self, header: _Node, delete: bool) -> ZeroReport | Rejected:
        report_date = header.child("nibrs:ReportDate", REPORT_MONTH, required=True)
        year = month = 0
        if report_date is not None:
            element, text = report_date.text("nc:YearMonthDate", REPORT_MONTH, required=True)
            year_text, _sep, month_text = text.partition("-")
            if (
                len(year_text) == 4
                and _digits(year_text)
                and len(month_text) == 2
                and _digits(month_text)
                and int(year_text) >= 1991
                and 1 <= int(month_text) <= 12
            ):
                year, month = int(year_text), int(month_text)
            elif element is not None and text:
                self.problem(
                    element,
                    REPORT_MONTH,
                    _("“%(value)s” is not a year and month (YYYY-MM) from 1991.") % {"value": text},
                )
        if self.problems:
            return self.rejected()
        return ZeroReport(self.ori, year, month, self.line, delete=delete)

    def group_b(self, top: _Node, delete: bool) -> GroupBArrest | Rejected:
        arrest = top.child("j:Arrest", TRANSACTION_NUMBER, required=True)
        if arrest is None:
            return self.rejected()
        found = self.arrest(arrest, codes.GROUP_B_OFFENCES, delete)
        self.number = found.transaction_number
        if not delete:
            # Spec §4.6.3: a delete needs only the ORI and the transaction number; an add
            # is checked whole, though nothing of it is kept.
            for node in top.all("j:Arrestee"):
                self.arrestee(node, set())
            for node in top.all("nc:Person"):
                self.demographics(node)
        if self.problems:
            return self.rejected()
        return GroupBArrest(self.ori, found.transaction_number, self.line, delete=delete)

    def incident(self, top: _Node, incident: _Node) -> Incident | Rejected:
        incident_date, hour = self.incident_date(incident)
        cjis = incident.child("cjis:IncidentAugmentation")
        indicator = cjis.boolean("cjis:IncidentReportDateIndicator") if cjis else None
        cleared, clearance_date = "", None
        augmentation = incident.child("j:IncidentAugmentation")
        if augmentation is not None:
            cleared = augmentation.code(
                "j:IncidentExceptionalClearanceCode", codes.CLEARED_EXCEPTIONALLY
            )
            dated = augmentation.child("j:IncidentExceptionalClearanceDate", CLEARANCE_DATE)
            if dated is not None:
                clearance_date = dated.date("nc:Date", CLEARANCE_DATE, required=True)
        self.check_identifiers(top)

        # Objects by s:id, for the references; None where one is too broken to use.
        people = {node.id: self.demographics(node) for node in top.all("nc:Person")}
        offences: list[Offence] = []
        offence_ids: dict[str, Offence] = {}
        seen_codes: set[str] = set()
        for node in top.all("j:Offense"):
            offence = self.offence(node, seen_codes)
            offences.append(offence)
            offence_ids[node.id] = offence
        locations = {
            node.id: node.code("nibrs:LocationCategoryCode", codes.LOCATION_TYPES, required=True)
            for node in top.all("nc:Location")
        }
        self.locate(top, offences, offence_ids, locations)

        offenders: list[Person] = []
        offender_ids: dict[str, int | None] = {}
        seen: set[int] = set()
        for node in top.all("j:Subject"):
            sequence = node.sequence("j:SubjectSequenceNumberText", 0, 99, seen)
            person = self.role_of(node, people, Person(role="offender", sequence_number=0))
            person.sequence_number = sequence or 0
            person.resident_status = ""  # asked of victims and arrestees only
            offenders.append(person)
            offender_ids[node.id] = sequence

        victims: list[_Victim] = []
        seen = set()
        for node in top.all("j:Victim"):
            victims.append(self.victim(node, people, seen))
        victim_ids = {victim.node.id: victim for victim in victims}
        self.link_offences(top, victims, victim_ids, offence_ids)
        self.link_offenders(top, victim_ids, offender_ids)

        arrests = {
            node.id: self.arrest(node, codes.GROUP_A_OFFENCES | codes.GROUP_B_OFFENCES, False)
            for node in top.all("j:Arrest")
        }
        seen = set()
        arrestees = [
            (node.id, self.role_of(node, people, self.arrestee(node, seen)))
            for node in top.all("j:Arrestee")
        ]
        self.link_arrests(top, arrestees, arrests)

        missing = [
            qualified
            for qualified, present in (
                ("j:Offense", offences),
                ("j:Victim", victims),
                ("j:Subject", offenders),
            )
            if not present
        ]
        if missing:
            self.problem(
                self.report,
                ELEMENTS,
                _(
                    "An incident needs at least one offense, victim and offender (spec error "
                    "075); this one has no %(missing)s."
                )
                % {"missing": _(" or ").join(missing)},
            )
        if self.problems or incident_date is None:
            if not self.problems:  # pragma: no cover (a missing date is always a problem)
                raise AssertionError("incident date missing without a problem")
            return self.rejected()
        people_list = []
        for victim in victims:
            victim.person.offence_codes = tuple(victim.offences)
            victim.person.relationships = tuple(victim.relationships)
            people_list.append(victim.person)
        people_list += offenders
        people_list += [person for _id, person in arrestees]
        found = Incident(
            ori=self.ori,
            incident_number=self.number,
            incident_date=incident_date,
            line=self.line,
            incident_hour=hour,
            incident_date_is_report_date=bool(indicator),
            reported_date=incident_date if indicator else None,
            cleared_exceptionally=cleared,
            exceptional_clearance_date=clearance_date,
            location_type=offences[0].location_type,
            offences=offences,
            people=people_list,
        )
        found.weapon, found.injury, found.strangulation = codes.flags(offences, people_list)
        return found

    def check_identifiers(self, top: _Node) -> None:
        seen: set[str] = set()
        for element in top.element:
            identifier = element.get(S_ID)
            if identifier is None:
                continue
            if identifier in seen:
                self.problem(
                    element,
                    IDENTIFIER,
                    _("The s:id “%(value)s” is used twice in this report.") % {"value": identifier},
                )
            seen.add(identifier)

    def incident_date(self, incident: _Node) -> tuple[date | None, int | None]:
        """Data element 3: nc:DateTime when the hour is known, nc:Date when it is not."""
        activity = incident.child("nc:ActivityDate", INCIDENT_DATE, required=True)
        if activity is None:
            return None, None
        stamp, stamp_text = activity.text("nc:DateTime", INCIDENT_DATE)
        day_element, day_text = activity.text("nc:Date", INCIDENT_DATE)
        if not stamp_text and not day_text:
            self.missing(activity.element, INCIDENT_DATE, "nc:DateTime, nc:Date")
            return None, None
        found: date | None = None
        hour: int | None = None
        if stamp is not None and stamp_text:
            try:
                moment = datetime.fromisoformat(stamp_text)
            except ValueError:
                moment = None
            if moment is None or len(stamp_text) < 16 or stamp_text[10] != "T":
                self.problem(
                    stamp,
                    INCIDENT_DATE,
                    _("“%(value)s” is not a date and time (YYYY-MM-DDThh:mm:ss).")
                    % {"value": stamp_text},
                )
            else:
                # The hour as written: NIBRS times are the agency's local time.
                found, hour = moment.date(), moment.hour
        if day_element is not None and day_text:
            day = _iso_date(day_text)
            if day is None:
                self.problem(
                    day_element,
                    INCIDENT_DATE,
                    _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": day_text},
                )
            elif found is not None and day != found:
                self.problem(
                    day_element,
                    INCIDENT_DATE,
                    _(
                        "The incident date (%(date)s) and the incident date and time "
                        "(%(datetime)s) disagree."
                    )
                    % {"date": day_text, "datetime": stamp_text},
                )
            elif not stamp_text:
                found = day
        return found, hour

    def offence(self, node: _Node, seen: set[str]) -> Offence:
        element, code = node.text("nibrs:OffenseUCRCode", required=True)
        if element is not None and code:
            if code not in codes.GROUP_A_OFFENCES:
                self.problem(
                    element,
                    OFFENCE_CODE,
                    _("“%(value)s” is not a Group A offense code (spec Appendix A).")
                    % {"value": code},
                )
            elif code in seen:
                self.problem(
                    element,
                    OFFENCE_CODE,
                    _("Offense %(value)s appears twice in this incident.") % {"value": code},
                )
            seen.add(code)
        attempted = node.boolean("j:OffenseAttemptedIndicator", required=True)
        using: tuple[str, ...] = ()
        for factor in node.all("j:OffenseFactor"):
            using += factor.codes("j:OffenseFactorCode", codes.SUSPECTED_OF_USING, 3)
        weapons: tuple[str, ...] = ()
        for force in node.all("j:OffenseForce"):
            weapons += force.forces("j:ForceCategoryCode", codes.WEAPON_FORCE, 3)
        if len(weapons) > 3:
            self.too_many(node.element, WEAPON_FORCE, 3)
        if not node.leaves("j:OffenseFactorBiasMotivationCode"):
            self.missing(node.element, BIAS_MOTIVATION, "j:OffenseFactorBiasMotivationCode")
        return Offence(
            nibrs_code=code,
            completed=None if attempted is None else not attempted,
            offender_suspected_of_using=using,
            criminal_activity_codes=node.codes(
                "nibrs:CriminalActivityCategoryCode", codes.CRIMINAL_ACTIVITY, 3
            ),
            weapon_force_codes=weapons,
            bias_motivation_codes=node.codes(
                "j:OffenseFactorBiasMotivationCode", codes.BIAS_MOTIVATIONS, 5, BIAS_MOTIVATIONS
            ),
        )

    def locate(
        self,
        top: _Node,
        offences: list[Offence],
        offence_ids: dict[str, Offence],
        locations: dict[str, str],
    ) -> None:
        """Data element 9, through j:OffenseLocationAssociation: one location per offense."""
        located: set[int] = set()
        for association in top.all("j:OffenseLocationAssociation"):
            offence = association.ref("j:Offense", offence_ids, "j:Offense", LOCATION_TYPE)
            location = association.ref("nc:Location", locations, "nc:Location", LOCATION_TYPE)
            if not isinstance(offence, Offence) or not isinstance(location, str):
                continue
            if id(offence) in located:
                self.problem(
                    association.element,
                    LOCATION_TYPE,
                    _("Offense %(value)s is linked to more than one location.")
                    % {"value": offence.nibrs_code},
                )
                continue
            located.add(id(offence))
            offence.location_type = location
        for offence in offences:
            if id(offence) not in located:
                self.problem(
                    self.report,
                    LOCATION_TYPE,
                    _(
                        "Offense %(value)s is not linked to a location "
                        "(j:OffenseLocationAssociation)."
                    )
                    % {"value": offence.nibrs_code or "?"},
                )

    def demographics(self, node: _Node) -> Person:
        """An nc:Person as a Person whose role and sequence number the victim, subject or
        arrestee that refers to it give."""
        age_code, low, high = self.age(node)
        return Person(
            role="",
            sequence_number=0,
            age_code=age_code,
            age_low=low,
            age_high=high,
            sex=node.code("j:PersonSexCode", codes.SEXES),
            race=node.code("j:PersonRaceNDExCode", codes.RACES),
            ethnicity=node.code("j:PersonEthnicityCode", codes.ETHNICITIES),
            resident_status=node.code("j:PersonResidentCode", codes.RESIDENT_STATUSES),
        )

    def age(self, person: _Node) -> tuple[str, int | None, int | None]:
        measure = person.child("nc:PersonAgeMeasure")
        if measure is None:
            return "", None, None
        exact, exact_text = measure.text("nc:MeasureIntegerValue", AGE)
        span = measure.child("nc:MeasureIntegerRange", AGE)
        word, word_text = measure.text("nc:MeasureValueText", AGE)
        if (exact is not None) + (span is not None) + (word is not None) != 1:
            self.problem(
                measure.element,
                AGE,
                _(
                    "Give the age one way: nc:MeasureIntegerValue, nc:MeasureIntegerRange or "
                    "nc:MeasureValueText."
                ),
            )
            return "", None, None
        if exact is not None:
            if not _digits(exact_text) or int(exact_text) < 1:
                expected = _("1 to 99 years (for a baby, NEONATAL, NEWBORN or BABY as text)")
                self.bad(exact, AGE, exact_text, expected)
                return "", None, None
            code = f"{min(int(exact_text), 99):02d}"  # 99: over 98 years old
        elif span is not None:
            low_text = span.text("nc:RangeMinimumIntegerValue", AGE)[1]
            high_text = span.text("nc:RangeMaximumIntegerValue", AGE)[1]
            if not (
                _digits(low_text)
                and _digits(high_text)
                and 0 < int(low_text) < int(high_text) <= 99
            ):
                self.problem(
                    span.element,
                    AGE,
                    _(
                        "“%(low)s–%(high)s” is not an age range: two ages from 1 to 99, the "
                        "lower first."
                    )
                    % {"low": low_text, "high": high_text},
                )
                return "", None, None
            code = f"{int(low_text):02d}{int(high_text):02d}"
        else:
            assert word is not None
            code = AGE_WORDS.get(word_text, word_text if word_text in AGE_WORDS.values() else "")
            if not code:
                self.bad(word, AGE, word_text, ", ".join(AGE_WORDS))
                return "", None, None
        low, high = codes.parse_age(code)
        return code, low, high

    def role_of(self, node: _Node, people: dict[str, Person], person: Person) -> Person:
        """``person`` (a victim, offender or arrestee) with the demographics of the
        nc:Person its nc:RoleOfPerson refers to, if it has one."""
        if node.leaves("nc:RoleOfPerson"):
            found = node.ref("nc:RoleOfPerson", people, "nc:Person", REFERENCE)
            if isinstance(found, Person):
                person.age_code, person.age_low, person.age_high = (
                    found.age_code,
                    found.age_low,
                    found.age_high,
                )
                person.sex, person.race, person.ethnicity = found.sex, found.race, found.ethnicity
                person.resident_status = found.resident_status
        return person

    def victim(self, node: _Node, people: dict[str, Person], seen: set[int]) -> _Victim:
        sequence = node.sequence("j:VictimSequenceNumberText", 1, 999, seen)
        injuries: tuple[str, ...] = ()
        for injury in node.all("j:VictimInjury"):
            injuries += injury.codes("j:InjuryCategoryCode", codes.INJURIES, 5)
        person = Person(
            role="victim",
            sequence_number=sequence or 0,
            victim_type=node.code("j:VictimCategoryCode", codes.VICTIM_TYPES, required=True),
            injury_codes=injuries,
            circumstance_codes=node.codes(
                "j:VictimAggravatedAssaultHomicideFactorCode", codes.CIRCUMSTANCES, 2
            ),
            justifiable_homicide_circumstance=node.code(
                "j:VictimJustifiableHomicideFactorCode", codes.JUSTIFIABLE_HOMICIDE
            ),
        )
        return _Victim(node, self.role_of(node, people, person))

    def link_offences(
        self,
        top: _Node,
        victims: list[_Victim],
        victim_ids: dict[str, _Victim],
        offence_ids: dict[str, Offence],
    ) -> None:
        """Data element 24: j:OffenseVictimAssociation, resolved to the offense codes."""
        for association in top.all("j:OffenseVictimAssociation"):
            offence = association.ref("j:Offense", offence_ids, "j:Offense", VICTIM_OFFENCES)
            victim = association.ref("j:Victim", victim_ids, "j:Victim", VICTIM_OFFENCES)
            if isinstance(offence, Offence) and isinstance(victim, _Victim):
                if offence.nibrs_code not in victim.offences:
                    victim.offences.append(offence.nibrs_code)
        for victim in victims:
            if not victim.offences:
                self.problem(
                    victim.node.element,
                    VICTIM_OFFENCES,
                    _(
                        "Victim %(value)s is not connected to any offense "
                        "(j:OffenseVictimAssociation)."
                    )
                    % {"value": victim.person.sequence_number or "?"},
                )
            elif len(victim.offences) > 10:
                self.too_many(victim.node.element, VICTIM_OFFENCES, 10)

    def link_offenders(
        self, top: _Node, victim_ids: dict[str, _Victim], offender_ids: dict[str, int | None]
    ) -> None:
        """Data elements 34 and 35: j:SubjectVictimAssociation, with the relationship."""
        for association in top.all("j:SubjectVictimAssociation"):
            offender = association.ref("j:Subject", offender_ids, "j:Subject", RELATED_OFFENDER)
            victim = association.ref("j:Victim", victim_ids, "j:Victim", RELATED_OFFENDER)
            element, text = association.text("nibrs:VictimToSubjectRelationshipCode")
            code = RELATIONSHIPS.get(text, text)
            if element is not None and text and code not in codes.RELATIONSHIPS:
                self.bad(element, RELATIONSHIP, text, _expected(RELATIONSHIPS))
                continue
            if not isinstance(offender, int) or not isinstance(victim, _Victim):
                continue
            if offender in victim.offenders:
                self.problem(
                    association.element,
                    RELATED_OFFENDER,
                    _("Victim %(victim)s is related to offender %(offender)s twice.")
                    % {"victim": victim.person.sequence_number, "offender": offender},
                )
                continue
            victim.offenders.add(offender)
            if code:  # none given: the relationship is not known (as "00" alone in a file)
                victim.relationships.append(Relationship(offender, code))

    def arrest(self, node: _Node, charges: frozenset[str], delete: bool) -> Arrest:
        identification = node.child("nc:ActivityIdentification", TRANSACTION_NUMBER, True)
        element, transaction = (
            identification.text("nc:IdentificationID", TRANSACTION_NUMBER, True)
            if identification is not None
            else (None, "")
        )
        if element is not None and transaction and not _is_number(transaction):
            self.problem(
                element,
                TRANSACTION_NUMBER,
                _(
                    "“%(value)s” is not a NIBRS arrest transaction number: up to 12 capital "
                    "letters, digits and hyphens."
                )
                % {"value": transaction},
            )
        if delete:
            return Arrest(transaction_number=transaction)
        activity = node.child("nc:ActivityDate", ARREST_DATE, required=True)
        charge = node.child("j:ArrestCharge", ARREST_OFFENCE, required=True)
        return Arrest(
            transaction_number=transaction,
            arrest_date=activity.date("nc:Date", ARREST_DATE, required=True) if activity else None,
            arrest_type=node.code("j:ArrestCategoryCode", codes.ARREST_TYPES, required=True),
            offence_code=charge.code("nibrs:ChargeUCRCode", charges, required=True)
            if charge
            else "",
        )

    def arrestee(self, node: _Node, seen: set[int]) -> Person:
        sequence = node.sequence("j:ArrestSequenceID", 1, 99, seen)
        armed = node.forces("j:ArresteeArmedWithCode", codes.ARMED_WITH, 2)
        node.code("j:ArresteeJuvenileDispositionCode", codes.DISPOSITIONS_UNDER_18)
        node.code("j:ArrestSubjectCountCode", codes.MULTIPLE_ARRESTEES)
        return Person(
            role="arrestee", sequence_number=sequence or 0, arrest=Arrest(armed_with_codes=armed)
        )

    def link_arrests(
        self, top: _Node, arrestees: list[tuple[str, Person]], arrests: dict[str, Arrest]
    ) -> None:
        by_id = dict(arrestees)
        linked: set[int] = set()
        for association in top.all("j:ArrestSubjectAssociation"):
            arrest = association.ref("nc:Activity", arrests, "j:Arrest", TRANSACTION_NUMBER)
            person = association.ref("j:Subject", by_id, "j:Arrestee", ARRESTEE_NUMBER)
            if not isinstance(arrest, Arrest) or not isinstance(person, Person):
                continue
            if id(person) in linked:
                self.problem(
                    association.element,
                    ARRESTEE_NUMBER,
                    _("Arrestee %(value)s is linked to more than one arrest.")
                    % {"value": person.sequence_number},
                )
                continue
            linked.add(id(person))
            armed = person.arrest.armed_with_codes if person.arrest else ()
            person.arrest = Arrest(
                transaction_number=arrest.transaction_number,
                arrest_date=arrest.arrest_date,
                arrest_type=arrest.arrest_type,
                offence_code=arrest.offence_code,
                armed_with_codes=armed,
            )
        for _id, person in arrestees:
            if id(person) not in linked:
                self.problem(
                    self.report,
                    ARRESTEE_NUMBER,
                    _("Arrestee %(value)s is not linked to an arrest (j:ArrestSubjectAssociation).")
                    % {"value": person.sequence_number or "?"},
                )


def _digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() also takes "²", which int() refuses."""
    return text.isascii() and text.isdigit()


def _is_number(text: str) -> bool:
    return len(text) <= 12 and set(text) <= NUMBER_CHARACTERS
