"""What every occurrence parser yields, whatever the source format: plain dataclasses, one
record at a time, in file order. The importer (imports.py) takes them from here to the
database, so a new format (NIBRS XML, Harbour's CSV and JSON) is a parser that yields these
and nothing else.

A parser yields, in the order the source gives them:

- ``Incident``: a whole occurrence to insert, or to replace the one on file with the same
  ORI and incident number;
- ``IncidentDelete``: remove the occurrence with that ORI and incident number;
- ``ZeroReport``: the agency had no crime in a month (action "add"), or withdraws that
  statement ("delete");
- ``GroupBArrest``: a NIBRS arrest-only report for a Group B offence; read and checked,
  not kept (it names no victim);
- ``Rejected``: a record the parser could not read, with every problem found in it.

Codes are kept as the source gives them (NIBRS codes are the spec's, e.g. victim type "I",
relationship "BG"); the importer adds the canonical classes from screening.taxonomy.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True)
class Problem:
    """One thing wrong with one part of a record: where (line, segment, field and position)
    and why, in words a records clerk can act on."""

    line: int
    segment: str
    field: str
    position: str
    reason: str


@dataclass(slots=True)
class Offence:
    # Exactly one of the two codes is usually set: NIBRS sources give nibrs_code, Canadian
    # (UCR2) sources ucr2_code; a Canadian export may give both.
    nibrs_code: str = ""
    ucr2_code: str = ""
    # True completed, False attempted, None not said.
    completed: bool | None = None
    location_type: str = ""
    offender_suspected_of_using: tuple[str, ...] = ()
    criminal_activity_codes: tuple[str, ...] = ()
    # NIBRS data element 13: two-character codes, with "A" appended for an automatic firearm.
    weapon_force_codes: tuple[str, ...] = ()
    bias_motivation_codes: tuple[str, ...] = ()


@dataclass(slots=True)
class Relationship:
    """A victim's relationship to one offender, as the victim was to the offender ("BG":
    the victim was the offender's boyfriend or girlfriend)."""

    offender_sequence_number: int
    code: str
    code_system: str = "nibrs"  # constants.CodeSystem


@dataclass(slots=True)
class Arrest:
    transaction_number: str = ""
    arrest_date: date | None = None
    arrest_type: str = ""
    offence_code: str = ""
    armed_with_codes: tuple[str, ...] = ()


@dataclass(slots=True)
class Person:
    role: str  # constants.PersonRole
    sequence_number: int
    victim_type: str = ""
    # The age as the source codes it (NIBRS "31", "2530", "NN", "00"), and the years it
    # means: low == high for an exact age, both 0 for a baby under a year, both None when
    # unknown, high None for "over 98".
    age_code: str = ""
    age_low: int | None = None
    age_high: int | None = None
    sex: str = ""
    race: str = ""
    ethnicity: str = ""
    resident_status: str = ""
    injury_codes: tuple[str, ...] = ()
    circumstance_codes: tuple[str, ...] = ()
    justifiable_homicide_circumstance: str = ""
    # Victims: the offences they are connected to, by the offence's code in this incident
    # (Offence.nibrs_code, or Offence.ucr2_code where there is no NIBRS code).
    offence_codes: tuple[str, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    arrest: Arrest | None = None
    # Never in NIBRS; Canadian exports may carry them. Stored encrypted.
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: date | None = None


@dataclass(slots=True)
class Incident:
    ori: str
    incident_number: str
    incident_date: date
    line: int  # where the incident starts in the source, for messages
    incident_hour: int | None = None
    # NIBRS: the incident date is unknown and incident_date is the date it was reported.
    incident_date_is_report_date: bool = False
    reported_date: date | None = None
    cleared_exceptionally: str = ""
    exceptional_clearance_date: date | None = None
    location_type: str = ""
    offences: list[Offence] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    # True or False where the source can say, None where it cannot.
    weapon: bool | None = None
    injury: bool | None = None
    strangulation: bool | None = None
    children_present: bool | None = None


@dataclass(slots=True)
class IncidentDelete:
    ori: str
    incident_number: str
    line: int


@dataclass(slots=True)
class ZeroReport:
    ori: str
    year: int
    month: int
    line: int
    delete: bool = False


@dataclass(slots=True)
class GroupBArrest:
    ori: str
    transaction_number: str
    line: int
    delete: bool = False


@dataclass(slots=True)
class Rejected:
    """A record left out: an incident (all its segments), a zero report or an arrest."""

    line: int
    ori: str
    incident_number: str
    problems: list[Problem]


Record = Incident | IncidentDelete | ZeroReport | GroupBArrest | Rejected
