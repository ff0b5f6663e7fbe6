"""The vocabulary of NIBRS XML (IEPD 2019) that screening.nibrs_xml and nibrs_xml_report
read with: the namespaces and element names, the IEPD's words for codes that the flat file
writes as letters and digits (relationships, bias motivations, baby ages), and the name of
the data element each element holds, for messages. The codes themselves (which offense,
injury or victim type codes exist) are the flat file's, in screening.nibrs_codes.
"""

from functools import cache

from django.utils.translation import gettext_lazy

# The data elements' names are the flat file's (nibrs_flat), said once; re-exported here
# for the XML modules.
from harbour.screening.nibrs_flat import (
    ACTION_TYPE as ACTION_TYPE,
)
from harbour.screening.nibrs_flat import (
    AGE as AGE,
)
from harbour.screening.nibrs_flat import (
    ARMED_WITH as ARMED_WITH,
)
from harbour.screening.nibrs_flat import (
    ARREST_DATE as ARREST_DATE,
)
from harbour.screening.nibrs_flat import (
    ARREST_OFFENCE as ARREST_OFFENCE,
)
from harbour.screening.nibrs_flat import (
    ARREST_TYPE as ARREST_TYPE,
)
from harbour.screening.nibrs_flat import (
    ARRESTEE_NUMBER as ARRESTEE_NUMBER,
)
from harbour.screening.nibrs_flat import (
    ATTEMPTED_COMPLETED as ATTEMPTED_COMPLETED,
)
from harbour.screening.nibrs_flat import (
    BIAS_MOTIVATION as BIAS_MOTIVATION,
)
from harbour.screening.nibrs_flat import (
    CIRCUMSTANCES as CIRCUMSTANCES,
)
from harbour.screening.nibrs_flat import (
    CLEARANCE_DATE as CLEARANCE_DATE,
)
from harbour.screening.nibrs_flat import (
    CLEARED_EXCEPTIONALLY as CLEARED_EXCEPTIONALLY,
)
from harbour.screening.nibrs_flat import (
    CRIMINAL_ACTIVITY as CRIMINAL_ACTIVITY,
)
from harbour.screening.nibrs_flat import (
    DISPOSITION as DISPOSITION,
)
from harbour.screening.nibrs_flat import (
    ETHNICITY as ETHNICITY,
)
from harbour.screening.nibrs_flat import (
    INCIDENT_DATE as INCIDENT_DATE,
)
from harbour.screening.nibrs_flat import (
    INCIDENT_HOUR as INCIDENT_HOUR,
)
from harbour.screening.nibrs_flat import (
    INCIDENT_NUMBER as INCIDENT_NUMBER,
)
from harbour.screening.nibrs_flat import (
    INJURY as INJURY,
)
from harbour.screening.nibrs_flat import (
    JUSTIFIABLE_HOMICIDE as JUSTIFIABLE_HOMICIDE,
)
from harbour.screening.nibrs_flat import (
    LOCATION_TYPE as LOCATION_TYPE,
)
from harbour.screening.nibrs_flat import (
    MULTIPLE_ARRESTEES as MULTIPLE_ARRESTEES,
)
from harbour.screening.nibrs_flat import (
    OFFENCE_CODE as OFFENCE_CODE,
)
from harbour.screening.nibrs_flat import (
    OFFENDER_NUMBER as OFFENDER_NUMBER,
)
from harbour.screening.nibrs_flat import (
    ORI as ORI,
)
from harbour.screening.nibrs_flat import (
    PROPERTY_LOSS as PROPERTY_LOSS,
)
from harbour.screening.nibrs_flat import (
    RACE as RACE,
)
from harbour.screening.nibrs_flat import (
    RELATED_OFFENDER as RELATED_OFFENDER,
)
from harbour.screening.nibrs_flat import (
    RELATIONSHIP as RELATIONSHIP,
)
from harbour.screening.nibrs_flat import (
    REPORT_DATE_INDICATOR as REPORT_DATE_INDICATOR,
)
from harbour.screening.nibrs_flat import (
    RESIDENT_STATUS as RESIDENT_STATUS,
)
from harbour.screening.nibrs_flat import (
    SEGMENT_LEVEL as SEGMENT_LEVEL,
)
from harbour.screening.nibrs_flat import (
    SEX as SEX,
)
from harbour.screening.nibrs_flat import (
    SUSPECTED_OF_USING as SUSPECTED_OF_USING,
)
from harbour.screening.nibrs_flat import (
    TRANSACTION_NUMBER as TRANSACTION_NUMBER,
)
from harbour.screening.nibrs_flat import (
    VICTIM_NUMBER as VICTIM_NUMBER,
)
from harbour.screening.nibrs_flat import (
    VICTIM_OFFENCES as VICTIM_OFFENCES,
)
from harbour.screening.nibrs_flat import (
    VICTIM_TYPE as VICTIM_TYPE,
)
from harbour.screening.nibrs_flat import (
    WEAPON_FORCE as WEAPON_FORCE,
)
from harbour.screening.nibrs_flat import (
    WHOLE_LINE as WHOLE_LINE,
)
from harbour.screening.nibrs_flat import (
    ZERO_MONTH as ZERO_MONTH,
)
from harbour.screening.nibrs_flat import (
    ZERO_YEAR as ZERO_YEAR,
)

NAMESPACES = {
    "nibrs": "http://fbi.gov/cjis/nibrs/2019",
    "cjis": "http://fbi.gov/cjis/2.0",
    "j": "http://release.niem.gov/niem/domains/jxdm/5.2/",
    "nc": "http://release.niem.gov/niem/niem-core/3.0/",
    "s": "http://release.niem.gov/niem/structures/3.0/",
}
_PREFIXES = {"{" + uri + "}": prefix + ":" for prefix, uri in NAMESPACES.items()}


@cache
def tag(qualified: str) -> str:
    """ "nibrs:Report" -> "{http://fbi.gov/cjis/nibrs/2019}Report"."""
    prefix, local = qualified.split(":")
    return "{" + NAMESPACES[prefix] + "}" + local


@cache
def name(element_tag: str) -> str:
    """ "{http://fbi.gov/cjis/nibrs/2019}Report" -> "nibrs:Report"."""
    if element_tag.startswith("{"):
        uri, _sep, local = element_tag.partition("}")
        prefix = _PREFIXES.get(uri + "}")
        return prefix + local if prefix else local
    return element_tag


SUBMISSION = tag("nibrs:Submission")
REPORT = tag("nibrs:Report")
S_ID = tag("s:id")
S_REF = tag("s:ref")

GROUP_A = "GROUP A INCIDENT REPORT"
GROUP_B = "GROUP B ARREST REPORT"
ZERO = "ZERO REPORT"
REPORT_CATEGORIES = frozenset({GROUP_A, GROUP_B, ZERO})
REPORT_ACTIONS = frozenset("IARD")

# Data element 35 in the IEPD's words (nibrs-codes.xsd, VictimToSubjectRelationshipCode).
RELATIONSHIPS = {
    "Acquaintance": "AQ",
    "Babysittee": "BE",
    "Boyfriend_Girlfriend": "BG",
    "Child of Boyfriend_Girlfriend": "CF",
    "Employee": "EE",
    "Employer": "ER",
    "Ex_Relationship": "XR",
    "Ex_Spouse": "XS",
    "Family Member": "OF",
    "Family Member_Child": "CH",
    "Family Member_Grandchild": "GC",
    "Family Member_Grandparent": "GP",
    "Family Member_In-Law": "IL",
    "Family Member_Parent": "PA",
    "Family Member_Sibling": "SB",
    "Family Member_Spouse": "SE",
    "Family Member_Spouse_Common Law": "CS",
    "Family Member_Stepchild": "SC",
    "Family Member_Stepparent": "SP",
    "Family Member_Stepsibling": "SS",
    "Friend": "FR",
    "Neighbor": "NE",
    "NonFamily_Otherwise Known": "OK",
    "Relationship Unknown": "RU",
    "Stranger": "ST",
    "Victim Was Offender": "VO",
}
# Data element 8A in the IEPD's words (j:OffenseFactorBiasMotivationCode), spelled as the
# FBI's code table spells them, odd spaces included.
BIAS_MOTIVATIONS = {
    "ANTIWHITE": "11",
    "ANTIBLACK_AFRICAN AMERICAN": "12",
    "ANTIAMERICAN INDIAN_ ALASKAN NATIVE": "13",
    "ANTIASIAN": "14",
    "ANTIMULTIRACIAL GROUP": "15",
    "ANTINATIVEHAWAIIAN_OTHERPACIFICISLANDER": "16",
    "ANTIJEWISH": "21",
    "ANTICATHOLIC": "22",
    "ANTIPROTESTANT": "23",
    "ANTIISLAMIC": "24",
    "ANTIOTHER RELIGION": "25",
    "ANTIMULTIRELIGIOUS GROUP": "26",
    "ANTIATHEIST_AGNOSTIC": "27",
    "ANTIMORMON": "28",
    "ANTIJEHOVAHWITNESS": "29",
    "ANTIARAB": "31",
    "ANTIHISPANIC_LATINO": "32",
    "ANTIOTHER ETHNICITY_NATIONAL ORIGIN": "33",
    "ANTIMALE HOMOSEXUAL": "41",
    "ANTIFEMALE HOMOSEXUAL": "42",
    "ANTIHOMOSEXUAL": "43",
    "ANTIHETEROSEXUAL": "44",
    "ANTIBISEXUAL": "45",
    "ANTIPHYSICAL DISABILITY": "51",
    "ANTIMENTAL DISABILITY": "52",
    "ANTIMALE": "61",
    "ANTIFEMALE": "62",
    "ANTITRANSGENDER": "71",
    "ANTIGENDER_NONCONFORMING": "72",
    "ANTIEASTERNORTHODOX": "81",
    "ANTIOTHER CHRISTIAN": "82",
    "ANTIBUDDHIST": "83",
    "ANTIHINDU": "84",
    "ANTISIKH": "85",
    "NONE": "88",
    "UNKNOWN": "99",
}
# nc:MeasureValueText: the ages that are words, as the flat file's codes.
AGE_WORDS = {"NEONATAL": "NN", "NEWBORN": "NB", "BABY": "BB", "UNKNOWN": "00"}
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
ORI_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
NUMBER_CHARACTERS = ORI_CHARACTERS | {"-"}
SEGMENT_LENGTH = 60  # ImportRejection.segment keeps 60 characters

# Field names: the flat-file parser's, as the specification names the data elements.
REPORT_CATEGORY = gettext_lazy("report category")
REPORT_ACTION = gettext_lazy("report action (segment action type)")
REPORT_MONTH = gettext_lazy("year and month of the report")
REFERENCE = gettext_lazy("reference (s:ref)")
IDENTIFIER = gettext_lazy("identifier (s:id)")
ELEMENTS = gettext_lazy("elements of the report")

# The field an element holds, wherever it appears (elements used for several fields, such
# as nc:Date, are given theirs where they are read).
FIELDS = {
    "nibrs:NIBRSReportCategoryCode": REPORT_CATEGORY,
    "nibrs:ReportActionCategoryCode": REPORT_ACTION,
    "cjis:IncidentReportDateIndicator": REPORT_DATE_INDICATOR,
    "j:IncidentExceptionalClearanceCode": CLEARED_EXCEPTIONALLY,
    "nibrs:OffenseUCRCode": OFFENCE_CODE,
    "j:OffenseAttemptedIndicator": ATTEMPTED_COMPLETED,
    "j:OffenseFactorCode": SUSPECTED_OF_USING,
    "j:OffenseFactorBiasMotivationCode": BIAS_MOTIVATION,
    "nibrs:LocationCategoryCode": LOCATION_TYPE,
    "nibrs:CriminalActivityCategoryCode": CRIMINAL_ACTIVITY,
    "j:ForceCategoryCode": WEAPON_FORCE,
    "j:VictimSequenceNumberText": VICTIM_NUMBER,
    "j:VictimCategoryCode": VICTIM_TYPE,
    "nc:PersonAgeMeasure": AGE,
    "j:PersonSexCode": SEX,
    "j:PersonRaceNDExCode": RACE,
    "j:PersonEthnicityCode": ETHNICITY,
    "j:PersonResidentCode": RESIDENT_STATUS,
    "j:VictimAggravatedAssaultHomicideFactorCode": CIRCUMSTANCES,
    "j:VictimJustifiableHomicideFactorCode": JUSTIFIABLE_HOMICIDE,
    "j:InjuryCategoryCode": INJURY,
    "nibrs:VictimToSubjectRelationshipCode": RELATIONSHIP,
    "j:SubjectSequenceNumberText": OFFENDER_NUMBER,
    "j:ArrestSequenceID": ARRESTEE_NUMBER,
    "j:ArrestCategoryCode": ARREST_TYPE,
    "j:ArrestSubjectCountCode": MULTIPLE_ARRESTEES,
    "nibrs:ChargeUCRCode": ARREST_OFFENCE,
    "j:ArresteeArmedWithCode": ARMED_WITH,
    "j:ArresteeJuvenileDispositionCode": DISPOSITION,
    "nc:RoleOfPerson": REFERENCE,
}
